"""Streaming tables: subscribing institutions (filled in by the access issue) and packaged media with its jobs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cinedoc.kernel.clock import utcnow


class InstitutionCategory(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    DEPARTMENTAL = "departmental"
    UNIVERSITY = "university"
    WORKS_COUNCIL = "works_council"


class Institution(SQLModel, table=True):
    __tablename__ = "institution"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    category: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    country: str = Field(default="FR", max_length=2)
    # The access half (streaming/access/institutions.py): identifiers, optional monthly limits, and the portal's CAS
    # server.
    isil: str | None = Field(default=None, sa_column=Column(String(16), nullable=True, unique=True, index=True))
    patron_monthly_limit: int | None = Field(default=None)
    monthly_ceiling: int | None = Field(default=None)
    cas_server_url: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))


class MediaStatus(StrEnum):
    """A packaged version of a film's media: being written, published (playable), failed, or replaced and removed."""

    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    REMOVED = "removed"


class MediaPurpose(StrEnum):
    """What a packaged version is for: the film itself, or the short public clip that presents it (the prize)."""

    FILM = "film"
    PRESENTATION = "presentation"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


def _utc_column(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


def _purpose_column() -> Column:
    # The server default keeps rows written before presentations existed (and by older code) valid film media.
    return Column(String(16), nullable=False, default=MediaPurpose.FILM.value, server_default=MediaPurpose.FILM.value)


class MediaAsset(SQLModel, table=True):
    """One packaged version of a film or of its presentation video: an HLS ladder under its own storage prefix,
    never rewritten once published. Versions are numbered per film across both purposes."""

    __tablename__ = "media_asset"
    __table_args__ = (UniqueConstraint("film_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))
    version: int = Field(nullable=False)
    purpose: str = Field(default=MediaPurpose.FILM, sa_column=_purpose_column())
    storage_prefix: str = Field(sa_column=Column(String(300), nullable=False, unique=True))
    status: str = Field(default=MediaStatus.PENDING, sa_column=Column(String(16), nullable=False, index=True))
    duration_seconds: float | None = Field(default=None)
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    frame_rate: float | None = Field(default=None)
    video_codec: str | None = Field(default=None, max_length=40)
    audio_codec: str | None = Field(default=None, max_length=40)
    renditions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    has_captions: bool = Field(default=False)
    has_audio_description: bool = Field(default=False)
    # A WebVTT chapter track (chapters.vtt) and a French Sign Language video (sign/index.m3u8) under the prefix.
    has_chapters: bool = Field(default=False)
    has_sign_language: bool = Field(default=False)
    subtitle_languages: str = Field(default="", max_length=200)
    total_bytes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column(nullable=False))
    published_at: datetime | None = Field(default=None, sa_column=_utc_column())


class FilmMedia(SQLModel, table=True):
    """The pointer to the version viewers get: switching it is the one-row update that publishes a new version."""

    __tablename__ = "film_media"

    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))
    asset_id: int = Field(sa_column=Column(Integer, ForeignKey("media_asset.id"), nullable=False))
    previous_asset_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("media_asset.id"), nullable=True)
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column(nullable=False))


class PresentationMedia(SQLModel, table=True):
    """The pointer to the film's published presentation video, kept apart from film_media: publishing one never
    changes what patrons play, and entitlement never reads this table."""

    __tablename__ = "presentation_media"

    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))
    asset_id: int = Field(sa_column=Column(Integer, ForeignKey("media_asset.id"), nullable=False))
    previous_asset_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("media_asset.id"), nullable=True)
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column(nullable=False))


class PackagingJob(SQLModel, table=True):
    """Turning one master (plus caption, subtitle and audio-description files) into a published media version."""

    __tablename__ = "packaging_job"

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))
    purpose: str = Field(default=MediaPurpose.FILM, sa_column=_purpose_column())
    asset_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("media_asset.id"), nullable=True))
    status: str = Field(default=JobStatus.QUEUED, sa_column=Column(String(16), nullable=False, index=True))
    stage: str = Field(default="", max_length=40)
    progress: float = Field(default=0.0)
    master_path: str = Field(sa_column=Column(String(1000), nullable=False))
    captions_path: str | None = Field(default=None, sa_column=Column(String(1000), nullable=True))
    audio_description_path: str | None = Field(default=None, sa_column=Column(String(1000), nullable=True))
    chapters_path: str | None = Field(default=None, sa_column=Column(String(1000), nullable=True))
    sign_language_path: str | None = Field(default=None, sa_column=Column(String(1000), nullable=True))
    subtitles: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    error_params: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    warnings: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    log: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    attempts: int = Field(default=0)
    timeout_seconds: int = Field(default=4 * 3600)
    cancel_requested: bool = Field(default=False)
    runner: str = Field(default="in_process", max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column(nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=_utc_column())
    heartbeat_at: datetime | None = Field(default=None, sa_column=_utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=_utc_column())
