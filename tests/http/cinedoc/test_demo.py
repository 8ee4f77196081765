"""`cinedoc demo` builds a working demo network that the printed accounts can log into."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from audience.prize.count import frozen_count, recount
from audience.prize.models import PrizeRound, PublicBallot
from catalogue.films.models import Film, FilmStatus
from cinedoc.app import create_app
from cinedoc.cli import main
from cinedoc.demo import DEMO_ACCOUNTS
from cinedoc.kernel import clock
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.settings import Settings, get_settings
from tests.conftest import TEST_DATABASE, csrf_token


@pytest.mark.skipif(TEST_DATABASE != "sqlite", reason="the demo runs on the embedded default (SQLite) only")
def test_the_demo_builds_a_catalogue_and_accounts_then_reuses_them(tmp_path: Path) -> None:
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--films", "60"],
                                env={"CINEDOC_DATA_DIR": str(tmp_path), "CINEDOC_DATABASE_URL": None,
                                     "CINEDOC_SECRET_KEY": None})
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output and account.password in result.output
    assert "http://127.0.0.1:8000/" in result.output

    settings = Settings(demo=True, data_dir=tmp_path / "demo")
    engine = make_engine(settings.effective_database_url)
    try:
        with Session(engine) as session:
            statuses = dict(session.exec(select(Film.status, func.count()).group_by(Film.status)).all())
        assert sum(statuses.values()) == 60 and statuses[FilmStatus.AVAILABLE] > 50
        with TestClient(create_app(settings, engine=engine)) as client:
            curator = next(a for a in DEMO_ACCOUNTS if a.role == "curator")
            login = client.post("/login", data={"email": curator.email, "password": curator.password,
                                                "_csrf_token": csrf_token(client)}, follow_redirects=False)
            assert login.status_code == 303
            assert client.get("/staff/films").status_code == 200
            assert client.get("/api/films").json()["total"] == statuses[FilmStatus.AVAILABLE]
            editions = {edition["current_phase"]: edition for edition in client.get("/api/prize/editions").json()}
        _check_demo_prize(engine, editions)
    finally:
        engine.dispose()

    again = CliRunner().invoke(main, ["demo", "--no-serve"], env={"CINEDOC_DATA_DIR": str(tmp_path)})
    get_settings.cache_clear()
    assert again.exit_code == 0 and "Reusing" in again.output


def _check_demo_prize(engine: Engine, editions: dict[str, dict[str, Any]]) -> None:
    """Last year's edition has its published winner, this year's is in its public round today; the stored ballots
    recount to the frozen counts; the votes crowd the round's first and last days."""
    assert sorted(editions) == ["public", "result"]
    past, current = editions["result"], editions["public"]
    today = clock.paris_today().isoformat()
    rounds = {edition["year"]: {phase["name"]: phase for phase in edition["phases"]} for edition in (past, current)}
    assert current["year"] == past["year"] + 1
    assert rounds[current["year"]]["public"]["start"] <= today <= rounds[current["year"]]["public"]["end"]
    assert past["winner_film_id"] in past["shortlist"] and past["award_cents"] == 100_000
    assert current["winner_film_id"] is None and len(current["shortlist"]) == current["shortlist_size"]
    with Session(engine) as session:
        both = (PrizeRound.LIBRARIANS, PrizeRound.PUBLIC)
        for edition, counted in ((past, both), (current, (PrizeRound.LIBRARIANS,))):
            for round_ in counted:
                count, matches = recount(session, edition["id"], round_)
                assert matches and sum(count.participation.values()) > 20, (edition["year"], round_)
        frozen = frozen_count(session, past["id"], PrizeRound.PUBLIC)
        assert frozen is not None and frozen.tally[0].film_id == past["winner_film_id"]
        assert sum(frozen.participation.values()) == session.exec(
            select(func.count()).select_from(PublicBallot).where(PublicBallot.edition_id == past["id"])).one()
        for edition in (current, past):
            per_day = dict(session.exec(select(PublicBallot.cast_day, func.count())
                                        .where(PublicBallot.edition_id == edition["id"])
                                        .group_by(PublicBallot.cast_day)).all())
            public = rounds[edition["year"]]["public"]
            assert all(public["start"] <= day.isoformat() <= min(today, public["end"]) for day in per_day)
            assert sum(per_day.values()) > 500
        # Last year's round (the loop's last), whole: its first and last days outvote its middle one.
        counts = [per_day[day] for day in sorted(per_day)]
        assert min(counts[0], counts[-1]) > 3 * counts[len(counts) // 2]
