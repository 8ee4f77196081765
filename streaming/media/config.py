"""Settings of media packaging and storage, read from ``CINEDOC_*`` variables with embedded-mode defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StreamingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CINEDOC_", extra="ignore")

    media_storage: Literal["local", "s3"] = Field(default="local", description="Where packaged media is published.")
    media_root: Path | None = Field(default=None, description="Local storage folder; DATA_DIR/media when unset.")
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = Field(default=None, description="For S3-compatible services other than AWS.")
    s3_region: str = "eu-west-3"
    s3_prefix: str = Field(default="", description="Key prefix inside the bucket, e.g. 'cinedoc/'.")
    s3_multipart_threshold_mb: int = Field(default=16, ge=5)
    job_runner: Literal["in_process", "procrastinate"] = "in_process"
    procrastinate_dsn: str | None = Field(default=None, description="libpq URL of the queue; app database if unset.")
    work_dir: Path | None = Field(default=None, description="Scratch space for ffmpeg; DATA_DIR/work when unset.")
    x264_preset: str = Field(default="veryfast", description="libx264 preset: slower presets give smaller files.")
    packaging_timeout_seconds: int = Field(default=6 * 3600, ge=10)
    presentation_max_seconds: int = Field(default=600, ge=1,
                                          description="Longest presentation video accepted (it is not a film).")
    ffmpeg: str = "ffmpeg"
    ffprobe: str = "ffprobe"


@lru_cache(maxsize=1)
def get_streaming_settings() -> StreamingSettings:
    return StreamingSettings()
