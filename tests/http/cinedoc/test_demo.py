"""`cinedoc demo` builds a working demo network that the printed accounts can log into."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from catalogue.models import Film, FilmStatus
from cinedoc.app import create_app
from cinedoc.cli import main
from cinedoc.database import make_engine
from cinedoc.demo import DEMO_ACCOUNTS
from cinedoc.settings import Settings, get_settings
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
    finally:
        engine.dispose()

    again = CliRunner().invoke(main, ["demo", "--no-serve"], env={"CINEDOC_DATA_DIR": str(tmp_path)})
    get_settings.cache_clear()
    assert again.exit_code == 0 and "Reusing" in again.output
