"""Patron assertions: only an HS256 JWS signed with an active key of the issuing institution, alive for a few minutes,
with a nonce never seen before, is accepted; every refusal says which rule failed."""

from __future__ import annotations

import base64
import json
import time

import pytest
from sqlalchemy import select
from sqlmodel import Session

from streaming.access.assertions import AssertionRefused, forget_spent_nonces, sign_assertion, verify_assertion
from streaming.access.models import AssertionKey, AssertionNonce, KeyStatus
from tests.playback_helpers import PortalKey, make_institution

SKEW = 120
MAX_LIFETIME = 600


def verify(db: Session, token: str, now: float | None = None):  # noqa: ANN201 - PatronAssertion
    return verify_assertion(db, token, now=now if now is not None else time.time(), skew=SKEW,
                            max_lifetime=MAX_LIFETIME)


@pytest.fixture
def portal(db: Session) -> PortalKey:
    return make_institution(db)


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_well_signed_assertion_gives_the_institution_and_patron(db: Session, portal: PortalKey) -> None:
    assertion = verify(db, portal.assertion("card-77"))
    assert (assertion.institution_id, assertion.patron, assertion.kid) == (portal.institution_id, "card-77",
                                                                           portal.kid)


def test_the_same_nonce_is_refused_the_second_time(db: Session, portal: PortalKey) -> None:
    token = portal.assertion(nonce="n" * 20)
    verify(db, token)
    db.commit()
    with pytest.raises(AssertionRefused, match="already used"):
        verify(db, token)
    with pytest.raises(AssertionRefused, match="already used"):
        verify(db, portal.assertion("someone-else", nonce="n" * 20))


def test_a_nonce_is_per_institution(db: Session, portal: PortalKey) -> None:
    other = make_institution(db, "Bibliothèque de Namur", country="BE")
    verify(db, portal.assertion(nonce="shared-nonce-0001"))
    verify(db, other.assertion(nonce="shared-nonce-0001"))


def test_an_expired_assertion_is_refused_beyond_the_skew(db: Session, portal: PortalKey) -> None:
    now = time.time()
    verify(db, portal.assertion(now=now - 200, expires_in=100), now=now)  # expired 100 s ago: within 120 s
    with pytest.raises(AssertionRefused, match="expired"):
        verify(db, portal.assertion(now=now - 400, expires_in=100), now=now)


def test_an_assertion_living_longer_than_allowed_is_refused(db: Session, portal: PortalKey) -> None:
    with pytest.raises(AssertionRefused, match="lives too long"):
        verify(db, portal.assertion(expires_in=3600))


def test_a_wrong_secret_is_a_forgery(db: Session, portal: PortalKey) -> None:
    forged = sign_assertion("not-the-secret", portal.kid, {"iss": str(portal.institution_id), "sub": "x",
                                                           "exp": int(time.time()) + 60, "jti": "f" * 20})
    with pytest.raises(AssertionRefused, match="signature does not match"):
        verify(db, forged)
    assert db.exec(select(AssertionNonce)).first() is None  # a forgery spends no nonce


def test_changing_the_claims_after_signing_breaks_the_signature(db: Session, portal: PortalKey) -> None:
    header, _claims, signature = portal.assertion("reader").split(".")
    other_claims = b64({"iss": str(portal.institution_id), "sub": "admin", "exp": int(time.time()) + 60,
                        "jti": "g" * 20})
    with pytest.raises(AssertionRefused, match="signature"):
        verify(db, f"{header}.{other_claims}.{signature}")


def test_alg_none_and_other_algorithms_are_refused(db: Session, portal: PortalKey) -> None:
    claims = b64({"iss": str(portal.institution_id), "sub": "x", "exp": int(time.time()) + 60, "jti": "h" * 20})
    for alg in ("none", "HS512", "RS256", None):
        header = b64({"alg": alg, "kid": portal.kid})
        with pytest.raises(AssertionRefused, match="HS256"):
            verify(db, f"{header}.{claims}.")


def test_a_key_of_another_institution_cannot_speak_for_this_one(db: Session, portal: PortalKey) -> None:
    other = make_institution(db, "Bibliothèque de Namur", country="BE")
    token = sign_assertion(other.secret, other.kid, {"iss": str(portal.institution_id), "sub": "x",
                                                     "exp": int(time.time()) + 60, "jti": "i" * 20})
    with pytest.raises(AssertionRefused, match="issuer"):
        verify(db, token)


def test_a_revoked_or_unknown_key_is_refused(db: Session, portal: PortalKey) -> None:
    key = db.exec(select(AssertionKey).where(AssertionKey.kid == portal.kid)).scalar_one()
    key.status = KeyStatus.REVOKED
    db.add(key)
    db.commit()
    with pytest.raises(AssertionRefused, match="unknown or revoked"):
        verify(db, portal.assertion())
    with pytest.raises(AssertionRefused, match="unknown or revoked"):
        verify(db, sign_assertion("s", "no-such-kid", {"iss": "1", "sub": "x", "exp": 1, "jti": "j" * 20}))


@pytest.mark.parametrize("claims,message", [
    ({"sub": ""}, "patron id"), ({"sub": 12}, "patron id"), ({"sub": "x" * 201}, "patron id"),
    ({"sub": "tab\tin"}, "patron id"), ({"exp": "soon"}, "whole number"), ({"exp": True}, "whole number"),
    ({"jti": "short"}, "nonce"), ({"jti": "spaces are not allowed"}, "nonce"), ({"aud": "another-service"}, "another"),
    ({"iat": int(time.time()) + 3600}, "future"),
])
def test_bad_claims_are_named(db: Session, portal: PortalKey, claims: dict, message: str) -> None:
    with pytest.raises(AssertionRefused, match=message):
        verify(db, portal.assertion(**claims))


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "@@@.@@@.@@@", "e30.e30.", "W10.e30.",
                                   "x" * 5000])
def test_malformed_assertions_are_refused(db: Session, token: str) -> None:
    with pytest.raises(AssertionRefused):
        verify(db, token)


def test_spent_nonces_are_forgotten_once_their_assertion_would_be_expired_anyway(
    db: Session, portal: PortalKey
) -> None:
    from datetime import UTC, datetime, timedelta

    verify(db, portal.assertion(nonce="to-be-forgotten-1"))
    db.commit()
    assert forget_spent_nonces(db, datetime.now(UTC)) == 0
    assert forget_spent_nonces(db, datetime.now(UTC) + timedelta(hours=1)) == 1
