"""Retention of the raw viewing log: events and per-session consultation rows older than the retention period
(default 13 months, CINEDOC_AUDIENCE_RETENTION_MONTHS) are deleted; the monthly figures, already kept up to date
as events arrived, are never recomputed, so a purge cannot change a published month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from audience.viewing.models import ConsultationRecord, ViewingEvent
from audience.viewing.partitions import drop_partitions_before, ensure_partitions
from cinedoc.kernel import clock
from cinedoc.kernel.errors import InvalidInput


class AudienceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CINEDOC_AUDIENCE_", extra="ignore")

    retention_months: int = Field(default=13, ge=2, le=120,
                                  description="Whole months of raw viewing events kept before the purge.")


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    events: int
    consultations: int


def purge_cutoff(today: date, months: int) -> datetime:
    """The first instant kept: the start (Paris time) of the month `months` months before the current one, so that
    only whole months go."""
    if not 2 <= months <= 120:
        raise InvalidInput("Keep between 2 and 120 months of viewing events.", field="months")
    index = today.year * 12 + today.month - 1 - months
    first = datetime(index // 12, index % 12 + 1, 1, tzinfo=clock.PARIS)
    return first.astimezone(UTC)


def purge_events(session: Session, months: int | None = None, *, dry_run: bool = False) -> PurgeResult:
    months = months if months is not None else AudienceSettings().retention_months
    cutoff = purge_cutoff(clock.paris_today(), months)
    event_filter = col(ViewingEvent.occurred_at) < cutoff
    consultation_filter = col(ConsultationRecord.last_event_at) < cutoff
    if dry_run:
        events = session.exec(select(func.count()).select_from(ViewingEvent).where(event_filter)).one()
        consultations = session.exec(
            select(func.count()).select_from(ConsultationRecord).where(consultation_filter)).one()
        return PurgeResult(cutoff, int(events), int(consultations))
    # On PostgreSQL whole months go as partitions (no row-by-row delete); what is left is in the default partition.
    dropped = drop_partitions_before(session, cutoff)
    events = session.connection().execute(delete(ViewingEvent).where(event_filter)).rowcount
    consultations = session.connection().execute(delete(ConsultationRecord).where(consultation_filter)).rowcount
    ensure_partitions(session, clock.paris_today())
    return PurgeResult(cutoff, dropped + int(events or 0), int(consultations or 0))
