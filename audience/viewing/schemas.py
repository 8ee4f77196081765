"""Audience request and response models: event batches from the player, statistics rows."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

MAX_BATCH_EVENTS = 200

EventKindName = Literal["start", "progress", "pause", "seek", "end"]


class ViewingEventIn(BaseModel):
    """One player report: its place in the session's sequence, when, where in the film, seconds played so far."""

    seq: int = Field(ge=0, le=10_000_000)
    kind: EventKindName
    at: datetime
    position: float = Field(ge=0, le=100_000)
    watched: float = Field(ge=0, le=1_000_000, description="cumulative seconds actually played in this session")


class EventBatchIn(BaseModel):
    batch_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    film_id: int
    events: list[ViewingEventIn]
    # The session this one takes over after a token refresh mid-film: the same viewing, not a new consultation.
    continues: str | None = Field(default=None, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")


class EventBatchOut(BaseModel):
    session_id: str
    batch_id: str
    stored: int
    duplicates: int
    watched_seconds: float
    counted: bool
