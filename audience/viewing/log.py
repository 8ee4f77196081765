"""Ingesting the player's event batches: validated against the playback session, stored once per (session, seq),
then the session's consultation and its viewer's film-day recounted, and the difference added to the month."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from audience.viewing.counting import GroupCount, SessionPlay, count_group, viewer_key
from audience.viewing.models import ConsultationRecord, MonthlyUsage, ViewingEvent
from audience.viewing.schemas import MAX_BATCH_EVENTS, EventBatchIn, ViewingEventIn
from cinedoc.kernel import clock
from cinedoc.kernel.errors import InvalidInput, NotFound
from streaming.access.models import AccessMethod, PlaybackSession
from streaming.media.models import MediaAsset

CLOCK_SKEW = timedelta(minutes=2)
# After its token expires a session may still report what was played just before; later than this is not ours.
LATE_AFTER_EXPIRY = timedelta(minutes=30)
WATCH_SLACK_SECONDS = 5.0


@dataclass(frozen=True)
class SessionFacts:
    """What the log needs to know of a playback session, read once from the access context's table."""

    session_id: str
    institution_id: int
    film_id: int
    patron: str | None
    on_site: bool
    created_at: datetime
    expires_at: datetime
    duration_seconds: float | None
    # After a token refresh: the viewer key and opening of the consultation this session continues.
    continues: tuple[str, datetime, date] | None = None


@dataclass(frozen=True)
class IngestResult:
    stored: int
    duplicates: int
    watched_seconds: float
    counted: bool


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def insert_statement(session: Session, table: Table) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def session_facts(session: Session, session_id: str) -> SessionFacts:
    row = session.connection().execute(
        select(PlaybackSession.id, PlaybackSession.institution_id, PlaybackSession.film_id, PlaybackSession.patron,
               PlaybackSession.method, PlaybackSession.created_at, PlaybackSession.expires_at,
               MediaAsset.duration_seconds)
        .join(MediaAsset, col(MediaAsset.id) == col(PlaybackSession.asset_id), isouter=True)
        .where(col(PlaybackSession.id) == session_id)
    ).first()
    if row is None:
        raise NotFound("No playback session {session_id}.", session_id=session_id[:32])
    return SessionFacts(row[0], row[1], row[2], row[3] or None, row[4] == AccessMethod.ON_SITE or not row[3],
                        _aware(row[5]), _aware(row[6]), row[7])


def validate_batch(facts: SessionFacts, batch: EventBatchIn, now: datetime) -> None:
    """Refuse the whole batch on the first impossible event: nothing of a bad batch is stored."""
    if batch.film_id != facts.film_id:
        raise InvalidInput("This playback session is for another film.", field="film_id")
    if not batch.events:
        raise InvalidInput("The batch has no events.", field="events")
    if len(batch.events) > MAX_BATCH_EVENTS:
        raise InvalidInput("A batch holds at most {limit} events.", field="events", limit=MAX_BATCH_EVENTS)
    seen: dict[int, ViewingEventIn] = {}
    for event in batch.events:
        if event.at.tzinfo is None:
            raise InvalidInput("Event times need a time zone (UTC).", field="events")
        at = event.at.astimezone(UTC)
        if at > now + CLOCK_SKEW:
            raise InvalidInput("An event is dated in the future.", field="events")
        if at < facts.created_at - CLOCK_SKEW:
            raise InvalidInput("An event is dated before its playback session opened.", field="events")
        if at > facts.expires_at + LATE_AFTER_EXPIRY:
            raise InvalidInput("An event is dated after its playback session ended.", field="events")
        elapsed = (at - facts.created_at).total_seconds() + CLOCK_SKEW.total_seconds()
        if event.watched > elapsed + WATCH_SLACK_SECONDS:
            raise InvalidInput("An event reports more seconds watched than time has passed.", field="events")
        if facts.duration_seconds and event.position > facts.duration_seconds + WATCH_SLACK_SECONDS:
            raise InvalidInput("An event's position is beyond the end of the film.", field="events")
        if event.seq in seen and seen[event.seq] != event:
            raise InvalidInput("Two events of the batch share sequence number {seq}.", field="events", seq=event.seq)
        seen[event.seq] = event


def ingest_batch(session: Session, session_id: str, batch: EventBatchIn) -> IngestResult:
    """One batch from the player, validated whole before anything is written."""
    facts = session_facts(session, session_id)
    validate_batch(facts, batch, clock.utcnow())
    if batch.continues:
        facts = continuation(session, facts, batch.continues)
    return ingest(session, [(facts, batch)])[session_id]


def continuation(session: Session, facts: SessionFacts, previous_id: str) -> SessionFacts:
    """A player whose token expired mid-film opens a new session and says which one it continues; the new session
    joins the earlier one's consultation (same opening time, hence one double-click chain) instead of counting
    again. Only a session of the same institution, film and patron can be continued."""
    if previous_id == facts.session_id:
        return facts
    previous = session.get(ConsultationRecord, previous_id)
    if previous is None:
        # The earlier session never reported anything: nothing to continue, this one counts on its own.
        return facts
    same_viewer = previous.viewer == viewer_key(facts.patron, previous_id) if facts.patron else previous.on_site
    if (previous.institution_id, previous.film_id) != (facts.institution_id, facts.film_id) or not same_viewer:
        raise InvalidInput("This playback session cannot continue another viewer's session.", field="continues")
    if _aware(previous.started_at) > facts.created_at:
        raise InvalidInput("This playback session cannot continue a later one.", field="continues")
    return replace(facts, continues=(previous.viewer, _aware(previous.started_at), previous.day))


def ingest(session: Session, batches: Sequence[tuple[SessionFacts, EventBatchIn]]) -> dict[str, IngestResult]:
    """Store validated batches (of one or many sessions) and bring consultations and monthly usage up to date.

    The HTTP endpoint sends one batch; loaders and the acceptance test send thousands through the same path."""
    facts_by_id = {facts.session_id: facts for facts, _ in batches}
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for facts, batch in batches:
        for event in batch.events:
            rows[(facts.session_id, event.seq)] = {
                "session_id": facts.session_id, "seq": event.seq, "batch_id": batch.batch_id, "kind": event.kind,
                "occurred_at": event.at.astimezone(UTC), "position_seconds": event.position,
                "watched_seconds": event.watched, "institution_id": facts.institution_id,
                "film_id": facts.film_id, "patron": facts.patron, "received_at": clock.utcnow(),
            }
    inserted = _insert_events(session, list(rows.values()))
    sent: dict[str, int] = defaultdict(int)
    for session_id, _ in rows:
        sent[session_id] += 1
    fresh: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key in inserted:
        fresh[key[0]].append(rows[key])
    states = update_consultations(session, {sid: (facts_by_id[sid], events) for sid, events in fresh.items()},
                                  list(facts_by_id))
    results = {}
    for sid in facts_by_id:
        watched, counted = states.get(sid, (0.0, False))
        stored = len(fresh.get(sid, []))
        results[sid] = IngestResult(stored, sent[sid] - stored, watched, counted)
    return results


def _insert_events(session: Session, rows: list[dict[str, Any]]) -> set[tuple[str, int]]:
    """Insert, skipping (session, seq) pairs already logged: a retried batch changes nothing. Returns what was new.

    The key is looked up first because the table's primary key also holds the time (PostgreSQL partitions by it);
    ON CONFLICT then covers two exact retries racing. A racing retry with another time for the same number would
    add a raw row, never a count: a session's watch time is the largest reported."""
    if not rows:
        return set()
    table = ViewingEvent.__table__  # type: ignore[attr-defined]
    inserted: set[tuple[str, int]] = set()
    for start in range(0, len(rows), 1000):
        chunk = rows[start:start + 1000]
        sessions = sorted({row["session_id"] for row in chunk})
        known = set(session.connection().execute(
            select(table.c.session_id, table.c.seq).where(table.c.session_id.in_(sessions))).all())
        fresh = [row for row in chunk if (row["session_id"], row["seq"]) not in known]
        if not fresh:
            continue
        statement = (insert_statement(session, table).on_conflict_do_nothing(
            index_elements=["session_id", "seq", "occurred_at"]).returning(table.c.session_id, table.c.seq))
        result = session.connection().execute(statement, fresh)
        inserted.update((sid, seq) for sid, seq in result.all())
    return inserted


def paris_day(moment: datetime) -> date:
    return _aware(moment).astimezone(clock.PARIS).date()


def _lock_groups(session: Session, keys: Iterable[tuple[int, str, int, date]]) -> None:
    """Two batches recounting the same viewer's film-day at once would each add their difference to the month from
    a stale count; on PostgreSQL they queue on an advisory lock (SQLite has one writer at a time anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        digest = hashlib.sha256(repr(key).encode()).digest()
        session.connection().execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                     {"k": int.from_bytes(digest[:8], "big", signed=True)})


def update_consultations(session: Session, fresh: dict[str, tuple[SessionFacts, list[dict[str, Any]]]],
                         asked: list[str]) -> dict[str, tuple[float, bool]]:
    """Fold new events into their sessions' consultation rows, recount each touched viewer-film-day, add the
    differences to monthly usage. Returns each asked session's watch time and whether it is counted."""
    group_of: dict[str, tuple[int, str, int, date]] = {}
    for sid, (facts, _) in fresh.items():
        if facts.continues is not None:
            group_of[sid] = (facts.institution_id, facts.continues[0], facts.film_id, facts.continues[2])
        else:
            group_of[sid] = (facts.institution_id, viewer_key(facts.patron, sid), facts.film_id,
                             paris_day(facts.created_at))
    _lock_groups(session, group_of.values())
    existing = _load_groups(session, set(group_of.values()))
    by_group: dict[tuple[int, str, int, date], dict[str, ConsultationRecord]] = defaultdict(dict)
    for record in existing:
        by_group[(record.institution_id, record.viewer, record.film_id, record.day)][record.session_id] = record
    before = {key: _count(records.values()) for key, records in by_group.items()}
    changed: dict[str, ConsultationRecord] = {}
    for sid, (facts, events) in fresh.items():
        key = group_of[sid]
        record = by_group[key].get(sid)
        if record is None:
            record = ConsultationRecord(
                session_id=sid, institution_id=facts.institution_id, film_id=facts.film_id, viewer=key[1],
                on_site=facts.on_site, day=key[3], month=key[3].strftime("%Y-%m"),
                started_at=facts.continues[1] if facts.continues else facts.created_at,
                duration_seconds=facts.duration_seconds, watched_seconds=0.0,
                last_event_at=facts.created_at, counted=False)
            by_group[key][sid] = record
        record.watched_seconds = max(record.watched_seconds, *(e["watched_seconds"] for e in events))
        record.last_event_at = max(_aware(record.last_event_at), *(e["occurred_at"] for e in events))
        changed[sid] = record
    deltas: dict[tuple[str, int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key in {group_of[sid] for sid in fresh}:
        records = by_group[key]
        after = _count(records.values())
        counted = {c.session_id: c for c in after.consultations}
        for record in records.values():
            consultation = counted.get(record.session_id)
            new = (consultation is not None, consultation.watched_seconds if consultation else 0.0,
                   consultation.completion if consultation else None)
            if (record.counted, record.counted_watch_seconds, record.completion) != new:
                record.counted, record.counted_watch_seconds, record.completion = new
                changed[record.session_id] = record
        old = before.get(key, GroupCount())
        month = (key[3].strftime("%Y-%m"), key[0], key[2])
        for name, value in _figures(after).items():
            deltas[month][name] += value - _figures(old)[name]
    _write_consultations(session, list(changed.values()))
    _add_to_months(session, deltas)
    states = {}
    for sid in asked:
        record = changed.get(sid) or session.get(ConsultationRecord, sid)
        if record is not None:
            states[sid] = (record.watched_seconds, record.counted)
    return states


def _count(records: Iterable[ConsultationRecord]) -> GroupCount:
    return count_group(SessionPlay(r.session_id, _aware(r.started_at), r.watched_seconds, r.duration_seconds)
                       for r in records)


def _figures(group: GroupCount) -> dict[str, int]:
    return {
        "total_item_investigations": group.investigations,
        "total_item_requests": group.requests,
        "unique_item_investigations": group.unique_investigations,
        "unique_item_requests": group.unique_requests,
        "watched_seconds": sum(round(c.watched_seconds) for c in group.consultations),
        "completion_permille": sum(round((c.completion or 0.0) * 1000) for c in group.consultations),
    }


def _load_groups(session: Session, keys: set[tuple[int, str, int, date]]) -> list[ConsultationRecord]:
    found: list[ConsultationRecord] = []
    ordered = sorted(keys)
    for start in range(0, len(ordered), 300):
        chunk = ordered[start:start + 300]
        statement = select(ConsultationRecord).where(
            tuple_(col(ConsultationRecord.institution_id), col(ConsultationRecord.viewer),
                   col(ConsultationRecord.film_id), col(ConsultationRecord.day)).in_(chunk))
        found.extend(session.exec(statement).all())
    return found


def _write_consultations(session: Session, records: list[ConsultationRecord]) -> None:
    for record in records:
        session.add(record)
    session.flush()


def _add_to_months(session: Session, deltas: dict[tuple[str, int, int], dict[str, int]]) -> None:
    table = MonthlyUsage.__table__  # type: ignore[attr-defined]
    for (month, institution_id, film_id), values in sorted(deltas.items()):
        if not any(values.values()):
            continue
        add_to_month(session, table, month, institution_id, film_id, dict(values))


def add_to_month(session: Session, table: Table, month: str, institution_id: int, film_id: int,
                 values: dict[str, int]) -> None:
    """Add differences to one month's row in one statement (two processes adding at once both count)."""
    statement = insert_statement(session, table).values(
        month=month, institution_id=institution_id, film_id=film_id,
        **{name: values.get(name, 0) for name in _ZERO},
    ).on_conflict_do_update(
        index_elements=["month", "institution_id", "film_id"],
        set_={name: getattr(table.c, name) + value for name, value in values.items() if value},
    )
    session.connection().execute(statement)


_ZERO = ("total_item_investigations", "total_item_requests", "unique_item_investigations", "unique_item_requests",
         "watched_seconds", "completion_permille", "no_license", "limit_exceeded")
