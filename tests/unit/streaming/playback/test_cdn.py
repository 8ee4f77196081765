"""Media delivery without the gateway in the data path: CloudFront custom-policy signatures (checked with the public
key) on the film's prefix only, and media playlists rewritten with presigned addresses that stay inside the prefix."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from streaming.playback.cdn import CloudFrontPolicySigner, is_master_playlist, rewrite_media_playlist
from tests.playback_helpers import MASTER, MEDIA_PLAYLIST

EXPIRES = 1_900_000_000


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signer(rsa_key: rsa.RSAPrivateKey) -> CloudFrontPolicySigner:
    pem = rsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return CloudFrontPolicySigner("d111111abcdef8.cloudfront.net", "K2JCJMDEHXQW5F", pem)


def cloudfront_b64decode(text: str) -> bytes:
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def verify(rsa_key: rsa.RSAPrivateKey, policy: bytes, signature: bytes) -> None:
    rsa_key.public_key().verify(signature, policy, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303


def test_the_signed_url_carries_a_policy_on_the_films_prefix_that_the_public_key_verifies(
    rsa_key: rsa.RSAPrivateKey, signer: CloudFrontPolicySigner
) -> None:
    url, query = signer.signed_playlist("films/12/0003-ab12cd", "master.m3u8", EXPIRES)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "d111111abcdef8.cloudfront.net",
                                                        "/films/12/0003-ab12cd/master.m3u8")
    params = parse_qs(parts.query)
    assert params["Key-Pair-Id"] == ["K2JCJMDEHXQW5F"] and query == parts.query
    policy = cloudfront_b64decode(params["Policy"][0])
    statement = json.loads(policy)["Statement"][0]
    assert statement["Resource"] == "https://d111111abcdef8.cloudfront.net/films/12/0003-ab12cd/*"
    assert statement["Condition"]["DateLessThan"]["AWS:EpochTime"] == EXPIRES
    verify(rsa_key, policy, cloudfront_b64decode(params["Signature"][0]))


def test_a_policy_changed_after_signing_does_not_verify(rsa_key: rsa.RSAPrivateKey,
                                                        signer: CloudFrontPolicySigner) -> None:
    fields = signer.signature_fields("films/12/0003-ab12cd", EXPIRES)
    policy = cloudfront_b64decode(fields["Policy"]).replace(b"films/12/", b"films/13/")
    with pytest.raises(InvalidSignature):
        verify(rsa_key, policy, cloudfront_b64decode(fields["Signature"]))


def test_signed_cookies_carry_the_same_three_values(rsa_key: rsa.RSAPrivateKey,
                                                    signer: CloudFrontPolicySigner) -> None:
    cookies = signer.signed_cookies("films/12/0003-ab12cd", EXPIRES)
    assert set(cookies) == {"CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"}
    verify(rsa_key, cloudfront_b64decode(cookies["CloudFront-Policy"]),
           cloudfront_b64decode(cookies["CloudFront-Signature"]))


def test_a_non_rsa_key_is_refused() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    with pytest.raises(ValueError, match="RSA"):
        CloudFrontPolicySigner("d1.cloudfront.net", "K1", pem)


def test_media_playlists_get_signed_segment_and_map_addresses_inside_the_prefix() -> None:
    signed = rewrite_media_playlist(MEDIA_PLAYLIST, "films/12/v1/v180/index.m3u8", lambda key: f"https://s3/{key}?sig",
                                    "films/12/v1")
    assert '#EXT-X-MAP:URI="https://s3/films/12/v1/v180/init.mp4?sig"' in signed
    assert "https://s3/films/12/v1/v180/seg_00000.m4s?sig" in signed
    assert "#EXTINF:6.0," in signed and signed.count("?sig") == 3


def test_addresses_leaving_the_prefix_are_not_signed() -> None:
    hostile = "#EXTM3U\n#EXTINF:6,\n../../13/v1/secret.m4s\n#EXTINF:6,\n/etc/passwd\n#EXTINF:6,\nhttps://x/y.m4s\n"
    signed = rewrite_media_playlist(hostile, "films/12/v1/v180/index.m3u8", lambda key: f"SIGNED:{key}", "films/12/v1")
    assert "SIGNED" not in signed.replace("SIGNED:films/12/v1/", "")
    assert "SIGNED:films/12/v1/13" not in signed


def test_master_playlists_are_recognised() -> None:
    assert is_master_playlist(MASTER) and not is_master_playlist(MEDIA_PLAYLIST)
