"""The prize's append-only audit trail: every ballot cast or changed, and the edition's events, with time and round.

Append-only is the database's rule, not only the application's: triggers refuse UPDATE and DELETE on the table
(created by migration 0006 with the statements below). PostgreSQL's TRUNCATE, which only an operator runs, is not a
row change and passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import insert
from sqlmodel import Session, col, select

from audience.prize.models import PrizeAudit
from cinedoc.kernel import clock

# Built once: every ballot appends an entry, and a burst of votes should not rebuild the statement each time.
_APPEND = insert(PrizeAudit.__table__)  # type: ignore[attr-defined]

SQLITE_TRIGGERS = (
    "CREATE TRIGGER prize_audit_no_update BEFORE UPDATE ON prize_audit "
    "BEGIN SELECT RAISE(ABORT, 'prize_audit is append-only'); END",
    "CREATE TRIGGER prize_audit_no_delete BEFORE DELETE ON prize_audit "
    "BEGIN SELECT RAISE(ABORT, 'prize_audit is append-only'); END",
)
SQLITE_TRIGGER_NAMES = ("prize_audit_no_update", "prize_audit_no_delete")
POSTGRESQL_TRIGGERS = (
    "CREATE FUNCTION prize_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'prize_audit is append-only'; END $$",
    "CREATE TRIGGER prize_audit_append_only BEFORE UPDATE OR DELETE ON prize_audit "
    "FOR EACH ROW EXECUTE FUNCTION prize_audit_append_only()",
)


def film_list(film_ids: Iterable[int]) -> str:
    return ",".join(str(film_id) for film_id in sorted(film_ids))


def moment_on(day: date) -> datetime:
    """When something done "on that day" happened: now if the day is today in Paris, otherwise noon of that Paris
    day (the demo casts last year's ballots on their days; an operator may settle a round late)."""
    if day == clock.paris_today():
        return clock.utcnow()
    return datetime.combine(day, time(12), tzinfo=clock.PARIS).astimezone(UTC)


def record(session: Session, edition_id: int, round_: str, action: str, *, voter: str = "",
           institution_id: int | None = None, films: Sequence[int] = (), previous: Sequence[int] = (),
           detail: str = "", at: datetime | None = None) -> None:
    """Append one entry (a Core insert: the trail is written, never loaded back into the session). `at` is for
    the demo's ballots, written with the moment they were cast; everything else records the present."""
    session.connection().execute(_APPEND, {
        "edition_id": edition_id, "round": round_, "action": action, "voter": voter, "institution_id": institution_id,
        "films": film_list(films), "previous_films": film_list(previous), "detail": detail[:200],
        "at": at or clock.utcnow()})


def trail(session: Session, edition_id: int) -> list[PrizeAudit]:
    return list(session.exec(select(PrizeAudit).where(PrizeAudit.edition_id == edition_id)
                             .order_by(col(PrizeAudit.id))))
