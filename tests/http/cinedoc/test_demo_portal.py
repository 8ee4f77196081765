"""What `cinedoc demo` gives a newcomer: a banner saying what to open, who to sign in as and how to run commands on the
demo's database, and a sample library portal on another origin whose frames really open the player and the ballot."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from cinedoc.app import create_app
from cinedoc.cli import main
from cinedoc.demo import DEMO_ACCOUNTS
from cinedoc.demo_portal import create_portal_app, films_with_video, portal_institution_id
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.settings import Settings, get_settings
from streaming.access.assertions import check_assertion
from streaming.access.institutions import origins_of
from tests.conftest import TEST_DATABASE

pytestmark = pytest.mark.skipif(TEST_DATABASE != "sqlite",
                                reason="the demo runs on the embedded default (SQLite) only")

SITE = "http://127.0.0.1:8100"
PORTAL = "http://127.0.0.1:8123"


def run_demo(data_dir: Path, *args: str, lang: str | None = "en_GB.UTF-8") -> Result:
    get_settings.cache_clear()
    env = {"CINEDOC_DATA_DIR": str(data_dir), "CINEDOC_DATABASE_URL": None, "CINEDOC_SECRET_KEY": None,
           "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": lang}
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--port", "8100", *args], env=env)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result


@dataclass(frozen=True)
class BuiltDemo:
    banner: str
    settings: Settings
    engine: Engine
    institution_id: int
    films: list[tuple[int, str]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltDemo]:
    data_dir = tmp_path_factory.mktemp("demo-portal")
    banner = run_demo(data_dir, "--films", "40", "--portal-port", "8123").output
    settings = Settings(demo=True, data_dir=data_dir / "demo", packaging_worker=False)
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        institution_id = portal_institution_id(session)
        films = [(film.id, film.title) for film in films_with_video(session)]
    yield BuiltDemo(banner, settings, engine, institution_id, films)
    engine.dispose()


def test_the_banner_says_what_to_open_who_to_sign_in_as_and_how_to_point_commands_at_the_demo(
    demo: BuiltDemo,
) -> None:
    banner = demo.banner
    assert f"\ncinedoc demo: {SITE}/\n" in banner  # the same in every language: scripts wait for it
    assert f"the public site (catalogue, audience prize): {SITE}/" in banner
    assert f"the staff sign-in: {SITE}/login" in banner
    assert re.search(rf"a library's portal, .+, with the embedded player and the prize ballot: {PORTAL}/", banner)
    for account in DEMO_ACCOUNTS:
        assert re.search(rf"{account.email}\s+{account.password}", banner)
    assert len(demo.films) == 4  # the demo packages four films
    for film_id, title in demo.films:
        assert f"  {film_id}: {title}" in banner
    folder = demo.settings.data_dir
    assert f"CINEDOC_DATA_DIR={folder} " in banner and " rights expiring" in banner
    assert (f"access embed-url --institution {demo.institution_id} --patron lecteur-42 --film {demo.films[0][0]}"
            in banner)
    assert f"{PORTAL}/essai" in banner


def test_the_banner_speaks_french_unless_the_terminal_speaks_english(demo: BuiltDemo) -> None:
    french = run_demo(demo.settings.data_dir.parent, "--portal-port", "8123", lang=None).output
    assert "Reusing the demo database" in french
    assert f"le site public (catalogue, prix du public) : {SITE}/" in french
    assert "Comptes des équipes" in french
    assert "Les commandes travaillent sur la base de la démo" in french


def test_the_portals_origins_are_registered_for_the_demo_librarians_library_at_each_port(demo: BuiltDemo) -> None:
    with Session(demo.engine) as session:
        origins = {record.origin for record in origins_of(session, demo.institution_id)}
    assert {PORTAL, "http://localhost:8123"} <= origins
    run_demo(demo.settings.data_dir.parent, "--portal-port", "8777")
    with Session(demo.engine) as session:
        again = {record.origin for record in origins_of(session, demo.institution_id)}
    assert {"http://127.0.0.1:8777", "http://localhost:8777", PORTAL} <= again


def frames(page: str) -> list[str]:
    return [html.unescape(src) for src in re.findall(r'<iframe[^>]* src="([^"]+)"', page)]


def assertion_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["assertion"][0]


@pytest.fixture
def portal(demo: BuiltDemo) -> Iterator[TestClient]:
    with TestClient(create_portal_app(demo.engine, SITE, demo.institution_id), base_url=PORTAL) as client:
        yield client


@pytest.fixture
def platform(demo: BuiltDemo) -> Iterator[TestClient]:
    with TestClient(create_app(demo.settings, engine=demo.engine), base_url=SITE) as client:
        yield client


def test_the_portal_frames_the_films_with_a_video_and_the_ballot_with_fresh_assertions(
    demo: BuiltDemo, portal: TestClient,
) -> None:
    page = portal.get("/")
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert "Le cinéma documentaire en ligne" in page.text
    players = [src for src in frames(page.text) if "/embed/prize/" not in src]
    ballots = [src for src in frames(page.text) if "/embed/prize/" in src]
    assert [urlsplit(src).path for src in players] == [f"/embed/{film_id}" for film_id, _ in demo.films]
    assert all(src.startswith(f"{SITE}/embed/") for src in players)
    assert len(ballots) == 1  # the demo's current edition is in its public round today
    first = [assertion_of(src) for src in players + ballots]
    with Session(demo.engine) as session:
        for assertion in first:
            checked = check_assertion(session, assertion, now=time.time(), skew=60, max_lifetime=600)
            assert checked.institution_id == demo.institution_id
    second = [assertion_of(src) for src in frames(portal.get("/").text)]
    assert len(set(first + second)) == len(first) + len(second)  # each view, each frame: its own assertion
    assert "Films en ligne" in page.text and "Online films" in portal.get("/?lang=en").text


def test_each_frame_of_the_portal_opens_the_player_or_the_ballot_for_the_portals_origin(
    demo: BuiltDemo, portal: TestClient, platform: TestClient,
) -> None:
    for src in frames(portal.get("/").text):
        parts = urlsplit(src)
        answer = platform.get(f"{parts.path}?{parts.query}")
        assert answer.status_code == 200, (src, answer.text[:500])
        ancestors = answer.headers["content-security-policy"].split("frame-ancestors ")[1].split(";")[0].split()
        assert PORTAL in ancestors
        if "/embed/prize/" in src:
            assert 'name="grant"' in answer.text and 'name="film_id"' in answer.text
        else:
            assert "data-grant" in answer.text


def test_the_try_page_frames_an_address_of_the_platforms_player_and_nothing_else(portal: TestClient) -> None:
    empty = portal.get("/essai")
    assert empty.status_code == 200 and not frames(empty.text)
    src = f"{SITE}/embed/3?assertion=abc.def.ghi"
    shown = portal.get("/essai", params={"src": src})
    assert shown.status_code == 200 and frames(shown.text) == [src]
    refused = portal.get("/essai", params={"src": "https://ailleurs.example/embed/3"})
    assert refused.status_code == 400 and not frames(refused.text)
    assert f"elle commence par {SITE}/embed/" in html.unescape(refused.text)
