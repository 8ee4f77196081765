"""Media tokens, player grants and pseudonyms: the MAC covers the film's prefix, expiry, institution and session; any
change to any part, a truncation or another key makes the token worthless; expiry tolerates the stated skew only."""

from __future__ import annotations

import hmac

import pytest

from streaming.playback.signing import (
    Grant,
    KeyRing,
    b64url_decode,
    check_grant,
    check_media_token,
    media_message,
    parse_media_token,
    sign_grant,
    sign_media_token,
)

RING = KeyRing("a-server-secret-long-enough")
NOW = 1_750_000_000
SKEW = 120


def token_text(film_id: int = 12, expires: int = NOW + 3600, institution: int = 7, session: str = "S" * 22,
               kid: str = "k1a2b3c4", ring: KeyRing = RING) -> str:
    return sign_media_token(ring, kid, film_id, expires, institution, session).text


def test_a_token_checks_for_its_own_film_until_it_expires() -> None:
    token = check_media_token(RING, token_text(), 12, NOW, SKEW)
    assert token is not None
    assert (token.kid, token.institution_id, token.session_id) == ("k1a2b3c4", 7, "S" * 22)


def test_a_token_for_film_12_is_worthless_for_film_13_or_120() -> None:
    assert check_media_token(RING, token_text(film_id=12), 13, NOW, SKEW) is None
    assert check_media_token(RING, token_text(film_id=12), 120, NOW, SKEW) is None


@pytest.mark.parametrize("part", [0, 1, 2, 3, 4])
def test_changing_any_part_of_a_token_breaks_it(part: int) -> None:
    fields = token_text().split(".")
    original = fields[part]
    fields[part] = original[:-1] + ("1" if original[-1] != "1" else "2")
    assert check_media_token(RING, ".".join(fields), 12, NOW, SKEW) is None


@pytest.mark.parametrize("cut", [1, 10, 43, 60])
def test_a_truncated_token_is_refused(cut: int) -> None:
    assert check_media_token(RING, token_text()[:-cut], 12, NOW, SKEW) is None


@pytest.mark.parametrize("junk", ["", ".", "....", "k1.1.1.abc.def", "K1A2.1.1." + "S" * 22 + "." + "A" * 43,
                                  "k1.1.1." + "S" * 22 + "." + "A" * 43 + ".", "../../etc/passwd",
                                  "k1.-5.1." + "S" * 22 + "." + "A" * 43, "k1.1e9.1." + "S" * 22 + "." + "A" * 43])
def test_malformed_tokens_do_not_parse(junk: str) -> None:
    assert parse_media_token(junk) is None


def test_a_token_signed_under_another_server_secret_is_refused() -> None:
    other = KeyRing("another-server-secret-entirely")
    assert check_media_token(RING, token_text(ring=other), 12, NOW, SKEW) is None


def test_a_token_signed_with_another_key_id_does_not_verify_under_this_one() -> None:
    forged = token_text(kid="k9999999").replace("k9999999", "k1a2b3c4", 1)
    assert check_media_token(RING, forged, 12, NOW, SKEW) is None


def test_expiry_tolerates_the_clock_skew_and_not_a_second_more() -> None:
    text = token_text(expires=NOW)
    assert check_media_token(RING, text, 12, NOW + SKEW, SKEW) is not None
    assert check_media_token(RING, text, 12, NOW + SKEW + 1, SKEW) is None


def test_the_mac_is_hmac_sha256_of_the_documented_message() -> None:
    token = sign_media_token(RING, "k1", 12, NOW, 7, "S" * 22)
    expected = hmac.digest(RING.key("media", "k1"), media_message("k1", 12, NOW, 7, "S" * 22).encode(), "sha256")
    assert b64url_decode(token.mac) == expected
    assert "/12/" in media_message("k1", 12, NOW, 7, "S" * 22)


def test_keys_differ_by_purpose_and_key_id() -> None:
    assert RING.key("media", "k1") != RING.key("media", "k2")
    assert RING.key("media", "k1") != RING.key("grant", "k1")


def test_a_grant_round_trips_and_refuses_tampering_and_expiry() -> None:
    grant = Grant("k1", NOW + 600, 7, "assertion", "a" * 32)
    text = sign_grant(RING, grant)
    assert check_grant(RING, text, NOW) == grant
    assert check_grant(RING, text, NOW + 601) is None
    assert check_grant(RING, text.replace(".7.", ".8.", 1), NOW) is None
    assert check_grant(RING, text.replace("a" * 32, "b" * 32), NOW) is None
    assert check_grant(RING, text.replace("assertion", "on_site"), NOW) is None


def test_an_on_site_grant_names_no_patron() -> None:
    text = sign_grant(RING, Grant("k1", NOW + 600, 7, "on_site", None))
    assert ".on_site.-." in text
    grant = check_grant(RING, text, NOW)
    assert grant is not None and grant.viewer is None


def test_pseudonyms_are_stable_per_institution_and_do_not_contain_the_portal_id() -> None:
    first = RING.patron_pseudonym(7, "card-0012345")
    assert first == RING.patron_pseudonym(7, "card-0012345")
    assert first != RING.patron_pseudonym(8, "card-0012345")
    assert first != KeyRing("another-server-secret-entirely").patron_pseudonym(7, "card-0012345")
    assert "0012345" not in first and len(first) == 32


def test_b64url_decoding_is_strict() -> None:
    assert b64url_decode("AAEC") == b"\x00\x01\x02"
    for bad in ("AA==", "A+B/", "A A", "A"):
        with pytest.raises(ValueError):
            b64url_decode(bad)
