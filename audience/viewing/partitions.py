"""Monthly partitions of the viewing log on PostgreSQL: made ahead of time, dropped whole by the retention purge.

The migration creates the partitioned table and a DEFAULT partition; `cinedoc audience purge` (run daily) adds the
current and the next months' partitions (Europe/Paris months) and drops those wholly before the retention cutoff.
A month whose rows already sit in the default partition keeps them there (creating its partition would fail); the
purge deletes those rows like any other. SQLite has no partitions: every function here does nothing there."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlmodel import Session

from cinedoc.kernel import clock

NAME = re.compile(r"^viewing_event_(\d{4})_(\d{2})$")


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def month_start(year: int, month: int) -> datetime:
    """The first instant of a Paris month, in UTC."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=clock.PARIS).astimezone(UTC)


def partitions(session: Session) -> list[str]:
    if not _is_postgres(session):
        return []
    rows = session.connection().execute(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'viewing_event'::regclass ORDER BY c.relname")).all()
    return [row[0] for row in rows]


def ensure_partitions(session: Session, today: date, ahead: int = 2) -> list[str]:
    """Create the partitions of this month and the next `ahead` months that do not exist yet; returns their names."""
    if not _is_postgres(session):
        return []
    existing = set(partitions(session))
    created = []
    for offset in range(ahead + 1):
        index = today.year * 12 + today.month - 1 + offset
        year, month = index // 12, index % 12 + 1
        name = f"viewing_event_{year:04d}_{month:02d}"
        if name in existing:
            continue
        start, end = month_start(year, month), month_start(year, month + 1)
        occupied = session.connection().execute(text(
            "SELECT 1 FROM viewing_event_default WHERE occurred_at >= :start AND occurred_at < :end LIMIT 1"),
            {"start": start, "end": end}).first()
        if occupied:
            continue
        # DDL takes no bind parameters; the bounds are datetimes this function made, never user input.
        session.connection().execute(text(
            f"CREATE TABLE {name} PARTITION OF viewing_event "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"))
        created.append(name)
    return created


def drop_partitions_before(session: Session, cutoff: datetime, *, dry_run: bool = False) -> int:
    """Drop the monthly partitions that end at or before the cutoff; returns how many rows they held."""
    dropped = 0
    for name in partitions(session):
        found = NAME.match(name)
        if found is None or month_start(int(found[1]), int(found[2]) + 1) > cutoff:
            continue
        dropped += int(session.connection().execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
        if not dry_run:
            session.connection().execute(text(f"DROP TABLE {name}"))
    return dropped
