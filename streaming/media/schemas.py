"""What the media API and pages return: packaged versions and packaging jobs, never the table rows themselves."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class PackagingJobPublic(BaseModel):
    id: int
    film_id: int
    purpose: str
    status: str
    stage: str
    progress: float
    percent: int
    error: str | None
    warnings: list[str]
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    can_cancel: bool
    can_requeue: bool


class PackagingJobLog(BaseModel):
    id: int
    log: str


class MediaVersionPublic(BaseModel):
    id: int
    version: int
    purpose: str
    status: str
    master_playlist: str
    duration_seconds: float | None
    width: int | None
    height: int | None
    renditions: list[dict[str, object]]
    has_captions: bool
    has_audio_description: bool
    # chapters.vtt and sign/index.m3u8 next to the master playlist (not listed in it).
    has_chapters: bool = False
    has_sign_language: bool = False
    subtitle_languages: list[str]
    total_bytes: int
    published_at: datetime | None


class FilmMediaPublic(BaseModel):
    film_id: int
    published: MediaVersionPublic | None
    previous: MediaVersionPublic | None
    # The published presentation video (a short public clip), apart from the film's own media.
    presentation: MediaVersionPublic | None = None
    jobs: list[PackagingJobPublic]
    in_progress: bool


class PackagingJobCreate(BaseModel):
    master_path: str
    captions_path: str | None = None
    audio_description_path: str | None = None
    # A WebVTT chapter track, and a French Sign Language video of the film's length (its sound is not used).
    chapters_path: str | None = None
    sign_language_path: str | None = None
    subtitles: dict[str, str] = {}
    # "film" (the default) or "presentation"; anything else is refused by the service with a message naming it.
    purpose: str = "film"
