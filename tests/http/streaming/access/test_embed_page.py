"""The embed page: who gets a player (assertion, CAS ticket, on-site address), which sites may frame it (CSP
frame-ancestors), what a refused patron reads, and that it loads nothing from third parties."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from cinedoc.app import create_app
from cinedoc.cli import main
from cinedoc.kernel.settings import Settings, get_settings
from streaming.access.config import AccessSettings
from streaming.access.models import PlaybackSession
from streaming.media.storage import LocalStorage
from streaming.runtime import runtime_for
from tests.browser.live_server import live_server
from tests.cas_server import CasServer
from tests.conftest import TEST_SECRET
from tests.playback_helpers import PortalKey, make_institution, make_playable_film


def frame_ancestors(response: Any) -> str:
    policy = response.headers["content-security-policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors"))


def grant_of(page: str) -> str:
    match = re.search(r'data-grant="([^"]+)"', page)
    assert match, "the page carries no grant"
    return match.group(1)


def test_a_portal_assertion_gives_the_player_framable_by_the_portal_only(
    client: TestClient, playback_app: Litestar, portal: PortalKey, film: int
) -> None:
    response = client.get(f"/embed/{film}", params={"assertion": portal.assertion()})
    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors https://portail.example.fr"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert "Les Glaneurs" in response.text and grant_of(response.text)
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources and all(s.startswith("/") or s.startswith("#") for s in sources), sources
    assert "<video" in response.text and "autoplay" not in response.text


def test_hls_js_is_served_by_the_app(client: TestClient, playback_app: Litestar) -> None:
    response = client.get("/player-assets/hls.min.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert len(response.content) > 100_000


def test_an_institution_without_origins_cannot_be_framed_anywhere(
    client: TestClient, playback_app: Litestar, db: Session, film: int
) -> None:
    lonely = make_institution(db, "Bibliothèque sans portail", origins=())
    response = client.get(f"/embed/{film}", params={"assertion": lonely.assertion()})
    assert response.status_code == 200 and frame_ancestors(response) == "frame-ancestors 'none'"


def test_several_origins_are_all_listed(client: TestClient, playback_app: Litestar, db: Session, film: int) -> None:
    key = make_institution(db, "Réseau des médiathèques", origins=("https://a.example.fr", "http://localhost:8080"))
    response = client.get(f"/embed/{film}", params={"assertion": key.assertion()})
    assert frame_ancestors(response) == "frame-ancestors http://localhost:8080 https://a.example.fr"


def test_a_replayed_assertion_shows_the_reason_inside_the_portals_frame(
    client: TestClient, playback_app: Litestar, portal: PortalKey, film: int
) -> None:
    assertion = portal.assertion()
    assert client.get(f"/embed/{film}", params={"assertion": assertion}).status_code == 200
    again = client.get(f"/embed/{film}", params={"assertion": assertion, "lang": "en"})
    assert again.status_code == 403 and "already used" in again.text
    assert frame_ancestors(again) == "frame-ancestors https://portail.example.fr"
    assert "data-grant" not in again.text


def test_a_patron_over_the_monthly_limit_reads_why_before_pressing_play(
    client: TestClient, playback_app: Litestar, db: Session, media_root: Path, open_session: Callable[..., Any]
) -> None:
    portal = make_institution(db, "Médiathèque de Pau", patron_monthly_limit=1)
    films = [make_playable_film(db, media_root, f"Film {n}") for n in range(2)]
    assert open_session(films[0], assertion=portal.assertion("lectrice")).status_code == 201
    page = client.get(f"/embed/{films[1]}", params={"assertion": portal.assertion("lectrice")})
    assert page.status_code == 403
    assert "limite de films" in page.text and 'role="alert"' in page.text


def test_nobody_gets_a_player_without_credentials(client: TestClient, playback_app: Litestar, film: int) -> None:
    response = client.get(f"/embed/{film}", params={"lang": "en"})
    assert response.status_code == 403 and "from your library" in response.text
    assert frame_ancestors(response) == "frame-ancestors 'none'"


def test_an_unknown_film_and_a_draft_look_the_same(
    client: TestClient, playback_app: Litestar, portal: PortalKey, db: Session
) -> None:
    from catalogue.films.models import FilmStatus

    draft = make_playable_film(db, None, "Brouillon", status=FilmStatus.DRAFT)
    missing = client.get("/embed/999999", params={"assertion": portal.assertion(), "lang": "en"})
    hidden = client.get(f"/embed/{draft}", params={"assertion": portal.assertion(), "lang": "en"})
    assert missing.status_code == hidden.status_code == 403
    assert "not available" in missing.text and "Brouillon" not in hidden.text


# --- CAS ------------------------------------------------------------------------------------------------------------

@pytest.fixture
def cas_portal(db: Session, cas_server: CasServer) -> PortalKey:
    return make_institution(db, "Médiathèque CAS", cas_server_url=cas_server.url)


def test_a_cas_portal_sends_the_patron_to_sign_in_and_back_to_a_player(
    client: TestClient, playback_app: Litestar, cas_portal: PortalKey, film: int, cas_server: CasServer,
    open_session: Callable[..., Any], db: Session,
) -> None:
    entry = client.get(f"/embed/{film}", params={"institution": cas_portal.institution_id}, follow_redirects=False)
    assert entry.status_code == 303 and entry.headers["location"].startswith(cas_server.url + "/login?service=")
    back = httpx.get(entry.headers["location"], follow_redirects=False)
    assert back.status_code == 302 and "ticket=ST-" in back.headers["location"]
    returned = urlsplit(back.headers["location"])
    page = client.get(f"{returned.path}?{returned.query}")
    assert page.status_code == 200, page.text
    assert len(cas_server.validations) == 1
    opened = open_session(film, grant=grant_of(page.text))
    assert opened.status_code == 201
    stored = db.exec(select(PlaybackSession)).one()
    assert stored.method == "cas" and stored.patron and "0042" not in stored.patron
    again = client.get(f"{returned.path}?{returned.query}&lang=en")  # a ticket works once
    assert again.status_code == 403 and "could not be confirmed" in again.text


def test_a_cas_ticket_for_another_service_or_a_made_up_one_is_refused(
    client: TestClient, playback_app: Litestar, cas_portal: PortalKey, film: int, cas_server: CasServer,
    media_root: Path, db: Session,
) -> None:
    other_film = make_playable_film(db, media_root, "Autre film")
    entry = client.get(f"/embed/{other_film}", params={"institution": cas_portal.institution_id},
                       follow_redirects=False)
    ticket = httpx.get(entry.headers["location"], follow_redirects=False).headers["location"].split("ticket=")[1]
    stolen = client.get(f"/embed/{film}", params={"institution": cas_portal.institution_id, "ticket": ticket})
    assert stolen.status_code == 403
    for made_up in ("ST-made-up-ticket", "not-a-ticket", "ST-" + "x" * 400):
        response = client.get(f"/embed/{film}", params={"institution": cas_portal.institution_id,
                                                         "ticket": made_up})
        assert response.status_code == 403


def test_an_unreachable_cas_server_gives_a_clear_refusal(
    client: TestClient, playback_app: Litestar, db: Session, film: int
) -> None:
    key = make_institution(db, "CAS en panne", cas_server_url="http://127.0.0.1:9/cas")
    response = client.get(f"/embed/{film}", params={"institution": key.institution_id, "ticket": "ST-123",
                                                    "lang": "en"})
    assert response.status_code == 403 and "sign in again" in response.text


# --- on site --------------------------------------------------------------------------------------------------------

@pytest.fixture
def live_app(db_engine: Engine, tmp_path: Path, media_root: Path) -> Iterator[str]:
    app = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path / "live"), engine=db_engine)
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0)
    runtime_for(app.state).storage = LocalStorage(media_root)
    with live_server(app) as url:
        yield url


def test_the_libraries_own_computers_play_without_a_patron_id(
    live_app: str, db: Session, film: int, client: TestClient, playback_app: Litestar
) -> None:
    key = make_institution(db, "Médiathèque sur place", ip_ranges=("127.0.0.1/32",))
    page = httpx.get(f"{live_app}/embed/{film}")
    assert page.status_code == 200, page.text
    grant = grant_of(page.text)
    assert ".on_site.-." in grant
    opened = httpx.post(f"{live_app}/api/playback/sessions", json={"film_id": film, "grant": grant})
    assert opened.status_code == 201, opened.text
    assert httpx.get(opened.json()["playlist_url"]).status_code == 200
    stored = db.exec(select(PlaybackSession)).one()
    assert stored.patron is None and stored.method == "on_site" and stored.institution_id == key.institution_id
    # The same grant from an address outside the ranges (the test client is not 127.0.0.1) opens nothing.
    away = client.post("/api/playback/sessions", json={"film_id": film, "grant": grant})
    assert away.status_code == 403 and away.json()["reason"] == "on_site"


def test_client_addresses_behind_trusted_proxies() -> None:
    from streaming.access.sign_in import client_address

    proxies = ["10.0.0.0/8"]
    assert client_address("10.0.0.2", "198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("10.0.0.2", "203.0.113.9, 198.51.100.7, 10.0.0.5", proxies) == "198.51.100.7"
    assert client_address("203.0.113.1", "198.51.100.7", proxies) == "203.0.113.1"
    assert client_address("10.0.0.2", None, proxies) == "10.0.0.2"
    assert client_address("10.0.0.2", "198.51.100.7", []) == "10.0.0.2"


# --- the command line -----------------------------------------------------------------------------------------------

def test_the_embed_url_command_prints_a_url_that_plays(
    client: TestClient, playback_app: Litestar, portal: PortalKey, film: int, database_url: str
) -> None:
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["access", "embed-url", "--institution", str(portal.institution_id),
                                       "--patron", "lecteur-test", "--film", str(film),
                                       "--base-url", "http://cinedoc.test"],
                                env={"CINEDOC_DATABASE_URL": database_url, "CINEDOC_SECRET_KEY": TEST_SECRET})
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(f"http://cinedoc.test/embed/{film}?assertion=")
    page = client.get(url.removeprefix("http://cinedoc.test"))
    assert page.status_code == 200 and grant_of(page.text)


def test_the_embed_url_command_explains_a_missing_key(database_url: str, db: Session, film: int) -> None:
    from streaming.access.models import AssertionKey

    key = make_institution(db, "Sans clé")
    db.delete(db.exec(select(AssertionKey).where(AssertionKey.kid == key.kid)).one())
    db.commit()
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["access", "embed-url", "--institution", str(key.institution_id),
                                       "--patron", "x", "--film", str(film)],
                                env={"CINEDOC_DATABASE_URL": database_url, "CINEDOC_SECRET_KEY": TEST_SECRET})
    get_settings.cache_clear()
    assert result.exit_code != 0 and "no active assertion key" in result.output


def run_cli(args: list[str], database_url: str) -> Any:
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["access", *args],
                                env={"CINEDOC_DATABASE_URL": database_url, "CINEDOC_SECRET_KEY": TEST_SECRET})
    get_settings.cache_clear()
    return result


def test_the_access_commands_create_keys_rotate_playback_keys_and_prune(
    database_url: str, db: Session, portal: PortalKey
) -> None:
    from streaming.access.models import AssertionKey, KeyStatus, PlaybackKey

    created = run_cli(["create-key", "--institution", str(portal.institution_id), "--label", "Koha"], database_url)
    assert created.exit_code == 0, created.output
    kid = re.search(r"kid:\s+(\S+)", created.output).group(1)  # type: ignore[union-attr]
    assert db.exec(select(AssertionKey.label).where(AssertionKey.kid == kid)).one() == "Koha"
    assert run_cli(["create-key", "--institution", "999999"], database_url).exit_code != 0
    first = run_cli(["rotate-playback-key"], database_url)
    second = run_cli(["rotate-playback-key", "--retire-others"], database_url)
    assert first.exit_code == 0 and second.exit_code == 0 and "Retired" in second.output
    db.expire_all()
    statuses = sorted(db.exec(select(PlaybackKey.status)).all())
    assert statuses == [KeyStatus.ACTIVE, KeyStatus.RETIRED]
    pruned = run_cli(["prune"], database_url)
    assert pruned.exit_code == 0 and "Forgot" in pruned.output
