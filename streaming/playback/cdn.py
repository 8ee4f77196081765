"""Media delivery without the gateway in the data path: S3 presigned URLs written into playlists, and CloudFront
custom-policy signatures on a film's prefix (botocore's CloudFrontSigner with an RSA key).

The bucket stays private in both: with S3 alone the app serves the small playlists, rewritten so that each segment
address is presigned; with CloudFront one policy covers every file under the film's prefix until the token's expiry.
"""

from __future__ import annotations

import base64
import json
import posixpath
import re
from pathlib import Path
from typing import Any

from streaming.access.config import AccessSettings

_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def bucket_key(storage: Any, key: str) -> str:
    """The object key in the bucket, as streaming.media.storage.S3Storage writes it (its prefix, then our key)."""
    return f"{storage.prefix}/{key}" if getattr(storage, "prefix", "") else key


def presign_key(storage: Any, key: str, expires_in: int) -> str:
    return storage.client.generate_presigned_url(
        "get_object", Params={"Bucket": storage.bucket, "Key": bucket_key(storage, key)}, ExpiresIn=expires_in)


def _resolve(playlist_key: str, uri: str, prefix: str) -> str | None:
    """The storage key a relative URI of the playlist names, or None if it leaves the film's prefix."""
    if _ABSOLUTE.match(uri) or uri.startswith("/"):
        return None
    folder = posixpath.dirname(playlist_key)
    resolved = posixpath.normpath(posixpath.join(folder, uri.split("?", 1)[0]))
    return resolved if resolved.startswith(prefix.rstrip("/") + "/") and ".." not in resolved.split("/") else None


def is_master_playlist(text: str) -> bool:
    return "#EXT-X-STREAM-INF" in text or "#EXT-X-MEDIA:" in text


def rewrite_media_playlist(text: str, playlist_key: str, sign: Any, prefix: str) -> str:
    """Replace each segment line and each URI="..." attribute (EXT-X-MAP, EXT-X-KEY) with a signed absolute URL."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            key = _resolve(playlist_key, stripped, prefix)
            lines.append(sign(key) if key else line)
        elif stripped.startswith(("#EXT-X-MAP", "#EXT-X-KEY", "#EXT-X-PART", "#EXT-X-PRELOAD-HINT")):
            def replace(match: re.Match[str]) -> str:
                key = _resolve(playlist_key, match.group(1), prefix)
                return f'URI="{sign(key)}"' if key else match.group(0)

            lines.append(_URI_ATTRIBUTE.sub(replace, line))
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def presigned_playlist(storage: Any, prefix: str, playlist_key: str, text: str, expires_in: int) -> str:
    """A master playlist keeps its relative addresses (its playlists come back here, to be rewritten in turn); a
    media playlist gets a presigned URL for each segment and initialisation section."""
    if is_master_playlist(text):
        return text
    return rewrite_media_playlist(text, playlist_key, lambda key: presign_key(storage, key, expires_in), prefix)


# --- CloudFront -----------------------------------------------------------------------------------------------------

def _cloudfront_b64(data: bytes) -> str:
    """CloudFront's URL-safe base64 (+ -> -, = -> _, / -> ~)."""
    return base64.b64encode(data).decode("ascii").replace("+", "-").replace("=", "_").replace("/", "~")


class CloudFrontPolicySigner:
    """Custom-policy signatures for one distribution: a wildcard on the film's prefix, valid until the token ends."""

    def __init__(self, domain: str, key_pair_id: str, private_key_pem: bytes) -> None:
        from botocore.signers import CloudFrontSigner
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("CloudFront signing needs an RSA private key.")

        def rsa_signer(message: bytes) -> bytes:
            # CloudFront verifies RSA-SHA1 (PKCS#1 v1.5) signatures of the policy.
            return key.sign(message, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 - the CDN's algorithm

        self.domain = domain.removeprefix("https://").rstrip("/")
        self.key_pair_id = key_pair_id
        self._rsa_signer = rsa_signer
        self._signer = CloudFrontSigner(key_pair_id, rsa_signer)

    @classmethod
    def from_settings(cls, settings: AccessSettings) -> CloudFrontPolicySigner:
        domain, key_pair_id, key_file = (settings.cloudfront_domain, settings.cloudfront_key_pair_id,
                                         settings.cloudfront_private_key_file)
        if not (domain and key_pair_id and key_file):
            raise ValueError("CINEDOC_MEDIA_DELIVERY=cloudfront needs CINEDOC_CLOUDFRONT_DOMAIN, "
                             "CINEDOC_CLOUDFRONT_KEY_PAIR_ID and CINEDOC_CLOUDFRONT_PRIVATE_KEY_FILE.")
        return cls(domain, key_pair_id, Path(key_file).read_bytes())

    @property
    def origin(self) -> str:
        return f"https://{self.domain}"

    def resource(self, prefix: str) -> str:
        return f"{self.origin}/{prefix.strip('/')}/*"

    def policy(self, prefix: str, expires: int) -> str:
        statement = {"Resource": self.resource(prefix), "Condition": {"DateLessThan": {"AWS:EpochTime": expires}}}
        return json.dumps({"Statement": [statement]}, separators=(",", ":"))

    def signed_url(self, prefix: str, name: str, expires: int) -> str:
        url = f"{self.origin}/{prefix.strip('/')}/{name}"
        return self._signer.generate_presigned_url(url, policy=self.policy(prefix, expires))

    def signature_fields(self, prefix: str, expires: int) -> dict[str, str]:
        """The three values CloudFront reads, as query parameters or as the CloudFront-* cookies."""
        policy = self.policy(prefix, expires).encode("utf-8")
        return {"Policy": _cloudfront_b64(policy), "Signature": _cloudfront_b64(self._rsa_signer(policy)),
                "Key-Pair-Id": self.key_pair_id}

    def signed_cookies(self, prefix: str, expires: int) -> dict[str, str]:
        return {f"CloudFront-{name}": value for name, value in self.signature_fields(prefix, expires).items()}

    def signed_playlist(self, prefix: str, name: str, expires: int) -> tuple[str, str]:
        """The master playlist's URL and the query a player adds to every request under the prefix (relative
        addresses in playlists would otherwise lose the signature)."""
        url = self.signed_url(prefix, name, expires)
        return url, url.split("?", 1)[1]
