"""The weeding record: a film's announced or completed withdrawal from the public catalogue, kept for good."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from cinedoc.kernel import clock


class WeedingCause(StrEnum):
    RIGHTS_ENDED = "rights_ended"
    DECISION = "decision"


class WeedingStatus(StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class FilmWeeding(SQLModel, table=True):
    """Who decided, when and why; the notice date is when library exports start announcing the withdrawal."""

    __tablename__ = "film_weeding"
    __table_args__ = (Index("ix_film_weeding_status_date", "status", "weeding_date"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))
    cause: str = Field(sa_column=Column(String(20), nullable=False))
    reason: str = Field(sa_column=Column(String(500), nullable=False))
    status: str = Field(default=WeedingStatus.SCHEDULED, sa_column=Column(String(16), nullable=False))
    weeding_date: date = Field(sa_column=Column(Date, nullable=False))
    notice_date: date = Field(sa_column=Column(Date, nullable=False, index=True))
    decided_by_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("staff_user.id")))
    decided_at: datetime = Field(default_factory=lambda: clock.utcnow(),
                                 sa_column=Column(DateTime(timezone=True), nullable=False))
    weeded_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    cancel_reason: str | None = Field(default=None, sa_column=Column(String(500)))
    # Set when a new licence brings the film back: the weeding stays in the history.
    reinstated_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
