"""Audience tables: the raw viewing log, one consultation row per playback session, monthly usage, COUNTER API keys."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlmodel import Field, SQLModel

from cinedoc.kernel import clock


def _utc(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class EventKind:
    START = "start"
    PROGRESS = "progress"
    PAUSE = "pause"
    SEEK = "seek"
    END = "end"
    ALL = (START, PROGRESS, PAUSE, SEEK, END)


class ViewingEvent(SQLModel, table=True):
    """One thing the player reported in a playback session; (session, seq) makes a retried batch harmless.

    On PostgreSQL the table is partitioned by month of `occurred_at` (audience/viewing/partitions.py), which is why the
    partition key is part of the primary key; the ingestion still refuses a second event with a known (session,
    seq) whatever its time. No foreign key to playback_session: the log and its figures must outlive the access
    context's session cleanup. No IP address, no patron identifier other than the per-institution pseudonym."""

    __tablename__ = "viewing_event"
    __table_args__ = (
        Index("ix_viewing_event_occurred_at", "occurred_at"),
        {"postgresql_partition_by": "RANGE (occurred_at)"},
    )

    session_id: str = Field(sa_column=Column(String(32), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    batch_id: str = Field(sa_column=Column(String(64), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    position_seconds: float = Field(sa_column=Column(Float, nullable=False))
    watched_seconds: float = Field(sa_column=Column(Float, nullable=False))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 nullable=False))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False))
    patron: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    received_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))


class ConsultationRecord(SQLModel, table=True):
    """What one playback session amounts to: its opening, its watch time, and whether it is a counted consultation
    (and with what watch time, once double clicks are folded in)."""

    __tablename__ = "consultation"
    __table_args__ = (
        Index("ix_consultation_group", "institution_id", "viewer", "film_id", "day"),
        Index("ix_consultation_month", "month", "institution_id"),
    )

    session_id: str = Field(sa_column=Column(String(32), primary_key=True))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 nullable=False))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))
    viewer: str = Field(sa_column=Column(String(80), nullable=False))
    on_site: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    day: date = Field(sa_column=Column(Date, nullable=False))
    month: str = Field(sa_column=Column(String(7), nullable=False))
    started_at: datetime = Field(sa_column=_utc(nullable=False))
    duration_seconds: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    watched_seconds: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    last_event_at: datetime = Field(sa_column=_utc(nullable=False))
    counted: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    counted_watch_seconds: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    completion: float | None = Field(default=None, sa_column=Column(Float, nullable=True))


class MonthlyUsage(SQLModel, table=True):
    """COUNTER metrics of one film at one institution in one Paris month, kept up to date as events arrive and
    kept when the raw events are purged. Watch time in whole seconds, completion in thousandths, so that adding
    and removing differences is exact."""

    __tablename__ = "monthly_usage"

    month: str = Field(sa_column=Column(String(7), primary_key=True))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))
    total_item_investigations: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    total_item_requests: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    unique_item_investigations: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    unique_item_requests: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    watched_seconds: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    completion_permille: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    no_license: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    limit_exceeded: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


class CounterApiKey(SQLModel, table=True):
    """The COUNTER API credentials of an institution: a public customer_id and the SHA-256 of its api_key."""

    __tablename__ = "counter_api_key"

    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 primary_key=True))
    customer_id: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    key_hash: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))
