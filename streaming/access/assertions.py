"""Patron assertions: the compact JWS (HS256) a library portal signs to vouch for one of its patrons, and its checks.

The format is documented in docs/integration.md: header ``{"alg": "HS256", "kid": ...}``, claims ``iss`` (the
institution number), ``sub`` (the portal's pseudonymous patron id), ``exp`` (a few minutes ahead), ``jti`` (a nonce used
once) and optionally ``iat`` and ``aud`` ("cinedoc"). Only HS256 is accepted: the header cannot choose another
algorithm ("none" included). A nonce is recorded in the database the first time it is seen, so several app processes
refuse a replay alike.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import String, bindparam, delete
from sqlmodel import Session, col, select

from cinedoc.kernel.errors import DomainError
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.upserts import insert_once
from streaming.access.models import AssertionKey, AssertionNonce, KeyStatus
from streaming.playback.signing import b64url, b64url_decode

MAX_ASSERTION_LENGTH = 4096
AUDIENCE = "cinedoc"
_NONCE = re.compile(r"[A-Za-z0-9._:-]{16,128}")


class AssertionRefused(DomainError):
    """The assertion cannot be accepted. The message says which check failed, for the portal's developers (the API's
    answer, the log); `for_patron` says in plain words what the patron can do, on the pages a portal frames, where
    nobody can act on "jti" or "kid"."""

    status_code = 403

    def __init__(self, message: str, *, patron: Literal["used", "expired", "unusable"] = "unusable",
                 **params: Any) -> None:
        super().__init__(message, **params)
        self.patron = patron

    def for_patron(self) -> str:
        if self.patron == "used":
            return translate("This link was already used: go back to your library's website and open this page "
                             "again from there (each link works only once).")
        if self.patron == "expired":
            return translate("This link has expired: go back to your library's website and open this page again "
                             "from there.")
        return translate("Your library's website sent a link the platform cannot accept. Open this page again from "
                         "the website; if it happens again, tell your library so that it can fix it.")


def nonce_replayed() -> AssertionRefused:
    return AssertionRefused("This assertion was already used: sign a fresh one (with a new jti) for each visit.",
                            patron="used")


@dataclass(frozen=True)
class PatronAssertion:
    institution_id: int
    kid: str
    patron: str  # as the portal sent it: pseudonymise it before storing anything
    expires: int
    nonce: str


@dataclass(frozen=True)
class ParsedAssertion:
    kid: str
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes


def _json_part(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(text))
    except (ValueError, UnicodeDecodeError):
        raise AssertionRefused("The assertion's {part} is not base64url-encoded JSON.", part=what) from None
    if not isinstance(value, dict):
        raise AssertionRefused("The assertion's {part} is not a JSON object.", part=what)
    return value


def parse_assertion(token: str) -> ParsedAssertion:
    """Structure only (three parts, HS256, a key id); the signature is checked once the key is known."""
    if not token or len(token) > MAX_ASSERTION_LENGTH or token.count(".") != 2:
        raise AssertionRefused("The assertion is not a compact JWS (header.claims.signature).")
    header_text, claims_text, signature_text = token.split(".")
    header = _json_part(header_text, "header")
    if header.get("alg") != "HS256":
        raise AssertionRefused("The assertion must be signed with HS256.")
    if "crit" in header or header.get("typ", "JWT") != "JWT":
        raise AssertionRefused("The assertion's header has fields cinedoc does not understand.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not 1 <= len(kid) <= 40:
        raise AssertionRefused("The assertion's header names no key (kid).")
    claims = _json_part(claims_text, "claims")
    try:
        signature = b64url_decode(signature_text)
    except ValueError:
        raise AssertionRefused("The assertion's signature is not base64url-encoded.") from None
    return ParsedAssertion(kid, claims, f"{header_text}.{claims_text}".encode("ascii"), signature)


def sign_assertion(secret: str, kid: str, claims: dict[str, Any]) -> str:
    """The reference signer (the CLI, the tests and docs/integration.md use the same steps)."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.digest(secret.encode("utf-8"), f"{header}.{body}".encode("ascii"), "sha256")
    return f"{header}.{body}.{b64url(signature)}"


def _int_claim(claims: dict[str, Any], name: str, required: bool = True) -> int | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise AssertionRefused("The assertion's {claim} claim must be a whole number of seconds.", claim=name)
    return value


def check_claims(parsed: ParsedAssertion, key: KeyFacts | AssertionKey, *, now: float, skew: int,
                 max_lifetime: int) -> PatronAssertion:
    claims = parsed.claims
    issuer = claims.get("iss")
    if str(issuer) != str(key.institution_id):
        raise AssertionRefused("The assertion's issuer (iss) is not the institution of key {kid}.", kid=key.kid)
    audience = claims.get("aud", AUDIENCE)
    if audience != AUDIENCE and not (isinstance(audience, list) and AUDIENCE in audience):
        raise AssertionRefused("The assertion is meant for another service (aud).")
    patron = claims.get("sub")
    if not isinstance(patron, str) or not 1 <= len(patron) <= 200 or not patron.isprintable():
        raise AssertionRefused("The assertion's patron id (sub) must be 1 to 200 printable characters.")
    expires = _int_claim(claims, "exp")
    assert expires is not None
    issued = _int_claim(claims, "iat", required=False)
    if now > expires + skew:
        raise AssertionRefused("The assertion has expired: sign a fresh one for each visit.", patron="expired")
    if expires - now > max_lifetime + skew:
        raise AssertionRefused("The assertion lives too long: its expiry must be at most {seconds} s ahead.",
                               seconds=max_lifetime)
    if issued is not None and issued > now + skew:
        raise AssertionRefused("The assertion was issued in the future: check the portal's clock.")
    nonce = claims.get("jti")
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise AssertionRefused("The assertion's nonce (jti) must be 16 to 128 letters, digits or . _ : -")
    return PatronAssertion(key.institution_id, key.kid, patron, expires, nonce)


@dataclass(frozen=True)
class KeyFacts:
    kid: str
    institution_id: int
    secret: str
    status: str


_KEY = select(AssertionKey.kid, AssertionKey.institution_id, AssertionKey.secret, AssertionKey.status).where(
    col(AssertionKey.kid) == bindparam("kid", type_=String))


def key_facts(session: Session, kid: str) -> KeyFacts | None:
    row = session.connection().execute(_KEY, {"kid": kid}).first()
    return KeyFacts(*row) if row is not None else None


def verify_assertion(session: Session, token: str, *, now: float, skew: int, max_lifetime: int,
                     keys: Callable[[str], KeyFacts | None] | None = None) -> PatronAssertion:
    """Signature, key, claims, then the nonce: the nonce is only spent by an assertion that is otherwise valid.
    `keys` looks a key up (the app passes its short cache); the database is asked otherwise."""
    assertion = check_assertion(session, token, now=now, skew=skew, max_lifetime=max_lifetime, keys=keys)
    spend_nonce(session, assertion, skew)
    return assertion


def check_assertion(session: Session, token: str, *, now: float, skew: int, max_lifetime: int,
                    keys: Callable[[str], KeyFacts | None] | None = None) -> PatronAssertion:
    """Everything but the nonce: reads only, so it can run before a write transaction begins."""
    parsed = parse_assertion(token)
    key = keys(parsed.kid) if keys is not None else key_facts(session, parsed.kid)
    if key is None or key.status != KeyStatus.ACTIVE:
        raise AssertionRefused("The assertion's key {kid} is unknown or revoked.", kid=parsed.kid[:40])
    expected = hmac.digest(key.secret.encode("utf-8"), parsed.signing_input, "sha256")
    if not hmac.compare_digest(expected, parsed.signature):
        raise AssertionRefused("The assertion's signature does not match key {kid}.", kid=key.kid)
    return check_claims(parsed, key, now=now, skew=skew, max_lifetime=max_lifetime)


def nonce_keep_until(assertion: PatronAssertion, skew: int) -> datetime:
    """A spent nonce is kept until the assertion could no longer be accepted anyway."""
    return datetime.fromtimestamp(assertion.expires + skew, UTC)


def spend_nonce(session: Session, assertion: PatronAssertion, skew: int) -> None:
    """Record the nonce, or refuse a replay."""
    if not insert_once(session, AssertionNonce.__table__, {  # type: ignore[attr-defined]
        "institution_id": assertion.institution_id, "nonce": assertion.nonce,
        "expires_at": nonce_keep_until(assertion, skew),
    }):
        raise nonce_replayed()


def forget_spent_nonces(session: Session, now: datetime) -> int:
    """Nonces of assertions that have expired anyway can go (the daily job, or any caller that likes)."""
    result = session.connection().execute(delete(AssertionNonce).where(AssertionNonce.expires_at < now))
    return int(result.rowcount or 0)
