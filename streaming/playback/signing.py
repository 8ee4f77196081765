"""Media path tokens, player grants and patron pseudonyms: HMAC-SHA256 under named keys derived from the server secret.

A media token sits in the URL path, ``/media/t/{kid}.{expires}.{institution}.{session}.{mac}/{film}/master.m3u8``, so
that every rendition, segment and caption address an HLS player resolves relative to the playlist carries it. The MAC
covers the key id, the film's path prefix, the expiry, the institution and the session; it is not bound to the
patron's address (NAT, mobile networks, IPv6 privacy addresses change it mid-film). Keys are derived from
CINEDOC_SECRET_KEY and the key id, so every process computes the same key and no key material sits in the database:
the database only says which key ids are active.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import NamedTuple

MEDIA_PURPOSE = "media"
GRANT_PURPOSE = "grant"
PATRON_PURPOSE = "patron"
MAC_LENGTH = 43  # unpadded base64url of 32 bytes
KID_PATTERN = r"[a-z0-9]{1,16}"
SESSION_PATTERN = r"[A-Za-z0-9_-]{16,32}"
VIEWER_PATTERN = r"[0-9a-f]{32}|-"
METHODS = ("assertion", "on_site", "cas")

_MEDIA_TOKEN = re.compile(
    rf"({KID_PATTERN})\.([0-9]{{1,12}})\.([0-9]{{1,10}})\.({SESSION_PATTERN})\.([A-Za-z0-9_-]{{{MAC_LENGTH}}})"
)
_GRANT = re.compile(
    rf"({KID_PATTERN})\.([0-9]{{1,12}})\.([0-9]{{1,10}})\.({'|'.join(METHODS)})\.({VIEWER_PATTERN})"
    rf"\.([A-Za-z0-9_-]{{{MAC_LENGTH}}})"
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict unpadded base64url: anything else (padding, '+', '/', spaces) raises ValueError."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_kid() -> str:
    return "k" + secrets.token_hex(4)


def new_session_id() -> str:
    return secrets.token_urlsafe(16)


class _Hmac:
    """HMAC-SHA256 with the key's inner and outer pads hashed once: the same bytes as hmac.digest (RFC 2104), about
    twice as fast per message, which is what the gateway does for every segment."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


_URLSAFE = bytes.maketrans(b"+/", b"-_")
MAX_CACHED_KEYS = 256  # key ids come from requests: an attacker must not grow this without bound


def _b64url_digest(digest: bytes) -> bytes:
    return binascii.b2a_base64(digest, newline=False).rstrip(b"=").translate(_URLSAFE)


class KeyRing:
    """The keys of every purpose and key id, derived once per process from the server secret."""

    def __init__(self, server_secret: str) -> None:
        self._root = hashlib.sha256(b"cinedoc signing root\x00" + server_secret.encode("utf-8")).digest()
        self._keys: dict[tuple[str, str], bytes] = {}
        self._macs: dict[tuple[str, str], _Hmac] = {}

    def key(self, purpose: str, kid: str) -> bytes:
        found = self._keys.get((purpose, kid))
        if found is None:
            found = hmac.digest(self._root, f"{purpose}\x00{kid}".encode(), "sha256")
            if len(self._keys) < MAX_CACHED_KEYS:
                self._keys[(purpose, kid)] = found
        return found

    def _hmac(self, purpose: str, kid: str) -> _Hmac:
        found = self._macs.get((purpose, kid))
        if found is None:
            found = _Hmac(self.key(purpose, kid))
            if len(self._macs) < MAX_CACHED_KEYS:
                self._macs[(purpose, kid)] = found
        return found

    def mac_bytes(self, purpose: str, kid: str, message: bytes) -> bytes:
        """The unpadded base64url MAC, as ASCII bytes."""
        return _b64url_digest(self._hmac(purpose, kid).digest(message))

    def mac(self, purpose: str, kid: str, message: str) -> str:
        return self.mac_bytes(purpose, kid, message.encode()).decode("ascii")

    def patron_pseudonym(self, institution_id: int, raw_patron_id: str) -> str:
        """The per-institution pseudonym stored instead of the portal's identifier (which is never stored)."""
        digest = hmac.digest(self.key(PATRON_PURPOSE, "v1"), f"{institution_id}\x00{raw_patron_id}".encode(),
                             "sha256")
        return digest.hex()[:32]


# --- media tokens ---------------------------------------------------------------------------------------------------

class MediaToken(NamedTuple):
    kid: str
    expires: int
    institution_id: int
    session_id: str
    mac: str

    @property
    def text(self) -> str:
        return f"{self.kid}.{self.expires}.{self.institution_id}.{self.session_id}.{self.mac}"


def media_message(kid: str, film_id: int, expires: int, institution_id: int, session_id: str) -> str:
    return f"cinedoc-media-1\n{kid}\n/{film_id}/\n{expires}\n{institution_id}\n{session_id}"


def sign_media_token(ring: KeyRing, kid: str, film_id: int, expires: int, institution_id: int,
                     session_id: str) -> MediaToken:
    mac = ring.mac(MEDIA_PURPOSE, kid, media_message(kid, film_id, expires, institution_id, session_id))
    return MediaToken(kid, expires, institution_id, session_id, mac)


def parse_media_token(text: str) -> MediaToken | None:
    match = _MEDIA_TOKEN.fullmatch(text)
    if match is None:
        return None
    kid, expires, institution, session_id, mac = match.groups()
    return MediaToken(kid, int(expires), int(institution), session_id, mac)


def media_token_valid(ring: KeyRing, token: MediaToken, film_id: int, now: float, skew: int) -> bool:
    """The MAC matches this film's prefix and the token has not expired (with the tolerated clock skew).

    Whether the key id is still active and the session still allowed is the gateway's question, not this one's.
    """
    expected = ring.mac(MEDIA_PURPOSE, token.kid,
                        media_message(token.kid, film_id, token.expires, token.institution_id, token.session_id))
    return hmac.compare_digest(expected, token.mac) and now <= token.expires + skew


def check_media_token(ring: KeyRing, text: str, film_id: int, now: float, skew: int) -> MediaToken | None:
    """Parse and check in one call: what the gateway does first, before any database or disk access.

    Kept lean on purpose (split and length checks rather than a regular expression): it runs on every segment. The
    shape is only a filter; the MAC, checked next, is what makes every field trustworthy."""
    parts = text.split(".")
    if len(parts) != 5:
        return None
    kid, expires, institution, session_id, mac = parts
    if not (len(mac) == MAC_LENGTH and 0 < len(kid) <= 16 and 16 <= len(session_id) <= 32
            and 0 < len(expires) <= 12 and expires.isdigit() and 0 < len(institution) <= 10 and institution.isdigit()):
        return None
    message = f"cinedoc-media-1\n{kid}\n/{film_id}/\n{expires}\n{institution}\n{session_id}".encode()
    if not hmac.compare_digest(ring.mac_bytes(MEDIA_PURPOSE, kid, message), mac.encode()):
        return None
    if now > int(expires) + skew:
        return None
    return MediaToken(kid, int(expires), int(institution), session_id, mac)


# --- player grants --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Grant:
    """What the player holds after one assertion, CAS login or on-site check, to open sessions for a few hours."""

    kid: str
    expires: int
    institution_id: int
    method: str
    viewer: str | None  # the patron's pseudonym; None on site

    def message(self) -> str:
        return (f"cinedoc-grant-1\n{self.kid}\n{self.expires}\n{self.institution_id}\n{self.method}\n"
                f"{self.viewer or '-'}")


def sign_grant(ring: KeyRing, grant: Grant) -> str:
    mac = ring.mac(GRANT_PURPOSE, grant.kid, grant.message())
    return f"{grant.kid}.{grant.expires}.{grant.institution_id}.{grant.method}.{grant.viewer or '-'}.{mac}"


def check_grant(ring: KeyRing, text: str, now: float) -> Grant | None:
    match = _GRANT.fullmatch(text)
    if match is None:
        return None
    kid, expires, institution, method, viewer, mac = match.groups()
    grant = Grant(kid, int(expires), int(institution), method, None if viewer == "-" else viewer)
    if not hmac.compare_digest(ring.mac(GRANT_PURPOSE, kid, grant.message()), mac) or now > grant.expires:
        return None
    return grant
