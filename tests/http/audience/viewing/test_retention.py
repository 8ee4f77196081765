"""The retention purge: raw events and per-session rows older than the retention go, the monthly figures stay."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from audience.viewing.log import ingest_batch
from audience.viewing.models import ConsultationRecord, MonthlyUsage, ViewingEvent
from audience.viewing.retention import purge_cutoff, purge_events
from audience.viewing.schemas import EventBatchIn
from cinedoc.cli import main
from cinedoc.kernel import clock
from cinedoc.kernel.errors import InvalidInput
from cinedoc.kernel.settings import get_settings
from tests.audience_helpers import add_session, batch
from tests.playback_helpers import make_institution, make_playable_film

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def test_the_cutoff_is_the_start_of_a_whole_paris_month() -> None:
    assert purge_cutoff(date(2026, 3, 15), 13) == datetime(2025, 1, 31, 23, 0, tzinfo=UTC)  # 1 Feb 2025, Paris
    assert purge_cutoff(date(2026, 1, 2), 1 + 1) == datetime(2025, 10, 31, 23, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        purge_cutoff(date(2026, 1, 2), 0)


def figures(db: Session) -> list[tuple]:
    db.expire_all()
    return sorted((u.month, u.institution_id, u.film_id, u.total_item_requests, u.unique_item_requests,
                   u.total_item_investigations, u.watched_seconds) for u in db.exec(select(MonthlyUsage)))


def count(db: Session, table: type) -> int:
    return db.exec(select(func.count()).select_from(table)).one()


@pytest.fixture
def history(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    institution = make_institution(db).institution_id
    film = make_playable_film(db, None, duration=3600.0)
    for months_ago in (20, 14, 13, 12, 2):
        opened = NOW - timedelta(days=30.5 * months_ago)
        monkeypatch.setattr(clock, "utcnow", lambda opened=opened: opened + timedelta(hours=1))
        sid = add_session(db, institution, film, opened)
        ingest_batch(db, sid, EventBatchIn.model_validate(batch(film, opened, [0, 30, 600])))
        db.commit()
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


def test_a_purge_keeps_every_monthly_figure_and_deletes_old_events(db: Session, history: None) -> None:
    before = figures(db)
    assert count(db, ViewingEvent) == 15
    result = purge_events(db, 13)
    db.commit()
    assert (result.events, result.consultations) == (6, 2)  # 20 and 14 months ago
    assert figures(db) == before
    assert count(db, ViewingEvent) == 9 and count(db, ConsultationRecord) == 3


def test_a_dry_run_deletes_nothing(db: Session, history: None) -> None:
    result = purge_events(db, 13, dry_run=True)
    assert (result.events, result.consultations) == (6, 2)
    assert count(db, ViewingEvent) == 15


def test_the_purge_command_uses_the_configured_retention(db: Session, db_engine: Engine, database_url: str,
                                                         history: None) -> None:
    env: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    env.update(CINEDOC_DATABASE_URL=database_url, CINEDOC_AUDIENCE_RETENTION_MONTHS="2",
               CINEDOC_SECRET_KEY="a-test-secret-that-is-long-enough-0123456789")
    get_settings.cache_clear()
    try:
        dry = CliRunner().invoke(main, ["audience", "purge", "--dry-run"], env=env)
        assert dry.exit_code == 0, dry.output
        assert "would delete 12 events" in dry.output
        done = CliRunner().invoke(main, ["audience", "purge"], env=env)
        assert done.exit_code == 0 and "deleted 12 events and 4 session rows" in done.output
        bad = CliRunner().invoke(main, ["audience", "purge", "--months", "0"], env=env)
        assert bad.exit_code != 0
    finally:
        get_settings.cache_clear()
    db.expire_all()
    assert count(db, ViewingEvent) == 3


def test_on_postgresql_the_log_is_partitioned_by_month_and_the_purge_drops_whole_months(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("partitions are a PostgreSQL feature")
    from sqlalchemy import text

    from audience.viewing.partitions import ensure_partitions, partitions

    for name in partitions(db):  # another test's months
        if name != "viewing_event_default":
            db.connection().execute(text(f"DROP TABLE {name}"))
    assert ensure_partitions(db, date(2024, 7, 10)) == ["viewing_event_2024_07", "viewing_event_2024_08",
                                                        "viewing_event_2024_09"]
    assert ensure_partitions(db, date(2024, 7, 10)) == []
    db.commit()
    institution = make_institution(db).institution_id
    film = make_playable_film(db, None, duration=3600.0)
    opened = datetime(2024, 8, 5, 18, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: opened + timedelta(hours=1))
    sid = add_session(db, institution, film, opened)
    ingest_batch(db, sid, EventBatchIn.model_validate(batch(film, opened, [0, 30, 600])))
    db.commit()
    where = db.connection().execute(text("SELECT DISTINCT tableoid::regclass::text FROM viewing_event")).all()
    assert where == [("viewing_event_2024_08",)]
    before = figures(db)
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    result = purge_events(db, 13)
    db.commit()
    assert result.events == 3 and figures(db) == before
    assert [name for name in partitions(db) if "2024" in name] == []
    assert "viewing_event_2026_03" in partitions(db)  # the purge prepares the coming months
