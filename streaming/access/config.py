"""Settings of patron access and media delivery, read from ``CINEDOC_*`` variables with embedded-mode defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AccessSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CINEDOC_", extra="ignore")

    media_delivery: Literal["gateway", "s3_presigned", "cloudfront"] = Field(
        default="gateway", description="Who serves segments: the app's gateway, S3 presigned URLs, or CloudFront.")
    public_url: str | None = Field(default=None, description="Base URL in embed snippets and CAS service URLs, "
                                                              "e.g. https://films.example.org; the request's own "
                                                              "address when unset.")
    cloudfront_domain: str | None = Field(default=None, description="e.g. d111111abcdef8.cloudfront.net")
    cloudfront_key_pair_id: str | None = None
    cloudfront_private_key_file: Path | None = Field(default=None, description="PEM file of the RSA key.")
    clock_skew_seconds: int = Field(default=120, ge=0, le=900)
    assertion_max_lifetime_seconds: int = Field(default=600, ge=30, le=3600)
    token_min_lifetime_seconds: int = Field(default=4 * 3600, ge=60)
    grant_lifetime_seconds: int = Field(default=8 * 3600, ge=300,
                                        description="How long the player may ask for fresh sessions after one "
                                                    "assertion, CAS login or on-site check.")
    session_openings_per_minute: int = Field(default=10, ge=1)
    access_cache_seconds: float = Field(default=5.0, ge=0, description="How long a process may trust what it read "
                                                                      "of keys, sessions and subscriptions.")
    trusted_proxies: list[str] = Field(default_factory=list, description="CIDRs of reverse proxies whose "
                                                                         "X-Forwarded-For is believed.")
    cas_timeout_seconds: float = Field(default=5.0, gt=0, le=60)


@lru_cache(maxsize=1)
def get_access_settings() -> AccessSettings:
    return AccessSettings()
