"""`cinedoc rights expiring --days N`, `cinedoc rights weed [--dry-run]` and `cinedoc rights activate`, run as an
operator's cron would run them."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session

import rights.licences
from catalogue.acquisitions import workflow as acquisitions
from catalogue.films.models import Film
from cinedoc.cli import main
from cinedoc.kernel.settings import get_settings
from tests.conftest import TEST_SECRET
from tests.rights_helpers import make_film, make_line, set_today, terms


def run(args: list[str], database_url: str) -> tuple[int, str]:
    get_settings.cache_clear()
    env: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    env.update(CINEDOC_DATABASE_URL=database_url, CINEDOC_SECRET_KEY=TEST_SECRET)
    result = CliRunner().invoke(main, args, env=env)
    get_settings.cache_clear()
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def films(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    set_today(monkeypatch, date(2024, 1, 5))
    with Session(db_engine) as db:
        line = make_line(db)
        made = {}
        for title, start, end in (("Ending in June", date(2024, 1, 5), date(2024, 6, 30)),
                                  ("Ending in September", date(2024, 1, 5), date(2024, 9, 30)),
                                  ("Starting in July", date(2024, 7, 1), date(2026, 6, 30))):
            film = make_film(db, title, status="draft")
            licence = rights.licences.propose_licence(
                db, film, terms(start_date=start, end_date=end, budget_line_id=line, price_cents=10_000), actor_id=None)
            assert licence.id is not None
            rights.licences.commit_licence(db, licence.id, actor_id=None)
            acquisitions.sign(db, licence.id, actor_id=None, contract_reference="C")
            made[title] = film
        db.commit()
    return made


def film_status(engine: Engine, film_id: int) -> str:
    with Session(engine) as db:
        film = db.get(Film, film_id)
        assert film is not None
        return film.status


def test_rights_commands_explain_themselves(database_url: str) -> None:
    code, output = run(["rights", "--help"], database_url)
    assert code == 0 and all(name in output for name in ("expiring", "weed", "activate"))
    code, output = run(["rights", "weed", "--help"], database_url)
    assert code == 0 and "--dry-run" in output


def test_expiring_lists_the_licences_ending_within_the_horizon(
    database_url: str, db_engine: Engine, films: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, date(2024, 6, 10))
    code, output = run(["rights", "expiring", "--days", "30"], database_url)
    assert code == 0, output
    assert "Ending in June" in output and "D-20" in output and "Ending in September" not in output
    code, output = run(["rights", "expiring", "--days", "180", "--json"], database_url)
    assert [row["film"]["title"] for row in json.loads(output)] == ["Ending in June", "Ending in September"]
    code, output = run(["rights", "expiring", "--days", "0"], database_url)
    assert code != 0 and "--days" in output


def test_weed_dry_run_says_what_and_why_then_weed_does_it(
    database_url: str, db_engine: Engine, films: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    june = films["Ending in June"]
    set_today(monkeypatch, date(2024, 7, 1))
    code, output = run(["rights", "weed", "--dry-run"], database_url)
    assert code == 0, output
    assert "dry run" in output and "Films would be weeded today: 1" in output
    assert "Ending in June" in output and "2024-06-30" in output  # what and why
    assert film_status(db_engine, june) == "available"
    assert film_status(db_engine, films["Starting in July"]) == "draft"

    code, output = run(["rights", "weed"], database_url)
    assert code == 0, output
    assert "Films weeded today: 1" in output
    assert film_status(db_engine, june) == "weeded"
    assert film_status(db_engine, films["Starting in July"]) == "available"  # the job activated it too
    code, output = run(["rights", "weed", "--dry-run"], database_url)
    assert "Films would be weeded today: 0" in output  # done once


def test_activate_puts_films_on_offer_on_their_first_day(
    database_url: str, db_engine: Engine, films: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    july = films["Starting in July"]
    set_today(monkeypatch, date(2024, 6, 30))
    run(["rights", "activate"], database_url)
    assert film_status(db_engine, july) == "draft"
    set_today(monkeypatch, date(2024, 7, 1))
    code, output = run(["rights", "activate"], database_url)
    assert code == 0 and "films put on offer: 1" in output
    assert film_status(db_engine, july) == "available"
