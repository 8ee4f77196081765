"""The embeddable player in Chromium: framed by a portal on another loopback origin it plays, switches captions and
audio description on from its control bar, works from the keyboard, survives a key retired mid-film, tells a patron
over the monthly limit why, refuses to be framed by an unregistered origin, and passes axe-core."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page
from sqlalchemy import Engine
from sqlmodel import Session, select

from cinedoc.app import create_app
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.settings import Settings
from streaming.access.config import AccessSettings
from streaming.access.models import KeyStatus, PlaybackKey
from streaming.media.config import StreamingSettings
from streaming.media.jobs import rendition_names
from streaming.media.packaging import PackagingRequest, package_to_directory, prepare
from streaming.media.storage import LocalStorage
from streaming.playback.sessions import end_playback_key, rotate_playback_key
from streaming.runtime import runtime_for
from tests.browser.live_server import live_server
from tests.browser.portal_server import portal_server
from tests.browser.test_accessibility import AXE_OPTIONS, RUN_AXE, axe_source, describe
from tests.conftest import PASSWORD, TEST_SECRET, make_staff
from tests.media_samples import ffmpeg
from tests.playback_helpers import PortalKey, add_licence, make_institution, publish_media

pytestmark = pytest.mark.browser

SECONDS = 30
LADDER_PREFIX = "films/ladder/0001-browser"
CAPTIONS = "".join(
    f"{n}\n00:00:{start:02d},200 --> 00:00:{start + 2:02d},800\n"
    f"<font color=\"#ffff00\">Réplique {n}</font>\n\n" for n, start in enumerate(range(0, SECONDS - 3, 3), start=1)
)
PORTAL_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail de la médiathèque</title></head>
<body><h1>Portail de la médiathèque</h1>
<iframe id="player" src="{src}" title="Film" width="900" height="640" allow="fullscreen"></iframe>
</body></html>"""


@dataclass(frozen=True)
class Servers:
    app: str
    portal: str  # registered origin
    stranger: str  # the same portal server under another origin (localhost), not registered


@pytest.fixture(scope="module")
def ladder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30 s film at 320x180 with SME captions and an audio-description track, packaged by the media code."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    work = tmp_path_factory.mktemp("player-media")
    master, described, captions = work / "master.mp4", work / "ad.wav", work / "captions.srt"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
           "-t", str(SECONDS), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(master))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000", "-t", str(SECONDS), str(described))
    captions.write_text(CAPTIONS, encoding="utf-8")
    settings = StreamingSettings(x264_preset="ultrafast")
    prepared = prepare(PackagingRequest(master, captions=captions, audio_description=described), settings)
    root = work / "media"
    package_to_directory(prepared, root / LADDER_PREFIX, settings, names=rendition_names("fr", []), timeout=120)
    return root




@pytest.fixture(scope="module")
def servers(engine: Engine, ladder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    app = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path_factory.mktemp("player-data")),
                     engine=engine)
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0)
    runtime_for(app.state).storage = LocalStorage(ladder)
    with portal_server(PORTAL_PAGE) as port, live_server(app) as url:
        yield Servers(url, f"http://127.0.0.1:{port}", f"http://localhost:{port}")


@dataclass(frozen=True)
class Stage:
    key: PortalKey
    film_id: int
    servers: Servers

    def embed_url(self, patron: str = "lecteur-1", film_id: int | None = None, lang: str = "fr") -> str:
        return (f"{self.servers.app}/embed/{film_id or self.film_id}?lang={lang}"
                f"&assertion={self.key.assertion(patron)}")

    def portal_url(self, embed_url: str, origin: str | None = None) -> str:
        return f"{origin or self.servers.portal}/portal?src={quote(embed_url, safe='')}"


def playable_film(db: Session, title: str) -> int:
    from catalogue.films.models import FilmStatus
    from catalogue.films.schemas import FilmCreate
    from catalogue.films.services import create_film

    film = create_film(db, FilmCreate(title=title, status=FilmStatus.AVAILABLE, has_sme_captions=True,
                                      has_audio_description=True))
    db.commit()
    assert film.id is not None
    add_licence(db, film.id)
    return film.id


@pytest.fixture
def stage(db: Session, db_engine: Engine, servers: Servers) -> Stage:
    key = make_institution(db, "Médiathèque du test", origins=(servers.portal,))
    film_id = playable_film(db, "Les Glaneurs et la Glaneuse")
    publish_media(db, film_id, LADDER_PREFIX, duration=SECONDS, captions=True, audio_description=True)
    return Stage(key, film_id, servers)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def player_frame(page: Page) -> Frame:
    page.wait_for_selector("iframe")
    frame = page.frame_locator("iframe").locator("#player")
    frame.wait_for()
    found = next(f for f in page.frames if "/embed/" in f.url)
    return found


def start(page: Page, stage: Stage) -> Frame:
    page.goto(stage.portal_url(stage.embed_url()))
    frame = player_frame(page)
    frame.evaluate("() => { const v = document.getElementById('video'); v.muted = true; }")
    frame.locator("#play").click()
    frame.wait_for_function("() => document.getElementById('video').currentTime > 1")
    return frame


def fatal_errors(frame: Frame) -> list[str]:
    return [e for e in frame.evaluate("window.cinedocPlayer.errors") if e.endswith(":fatal")]


def test_a_patron_plays_a_film_in_the_portals_frame(context: BrowserContext, stage: Stage) -> None:
    page = context.new_page()
    page.goto(stage.portal_url(stage.embed_url()))
    frame = player_frame(page)
    assert frame.evaluate("document.getElementById('video').paused")  # nothing plays before the patron asks
    assert frame.evaluate("window.cinedocPlayer.sessions") == 0
    frame.locator("#play").click()
    frame.wait_for_function("() => document.getElementById('video').currentTime > 2")
    assert frame.evaluate("window.cinedocPlayer.sessions") == 1
    assert not fatal_errors(frame)
    assert "Les Glaneurs" in frame.locator("h1").inner_text()


def test_captions_and_audio_description_switch_on_from_the_control_bar(context: BrowserContext,
                                                                      stage: Stage) -> None:
    frame = start(context.new_page(), stage)
    frame.locator("#captions").click()
    frame.locator("#audio-description").click()
    assert frame.locator("#captions").get_attribute("aria-pressed") == "true"
    assert frame.locator("#audio-description").get_attribute("aria-pressed") == "true"
    frame.wait_for_function("""() => {
        const hls = window.cinedocPlayer.hls;
        const audio = hls.audioTracks[hls.audioTrack];
        return audio && (audio.attrs.CHARACTERISTICS || '').includes('describes-video');
    }""")
    # The track is loaded "hidden": the page draws its cues over the picture (#caption-overlay).
    frame.wait_for_function("""() => {
        const track = [...document.getElementById('video').textTracks].find(t => t.mode !== 'disabled');
        return track && track.cues && track.cues.length > 0;
    }""")
    frame.wait_for_function("() => /Réplique \\d+/.test(document.getElementById('caption-overlay').textContent)")
    name = frame.evaluate("window.cinedocPlayer.hls.subtitleTracks[window.cinedocPlayer.hls.subtitleTrack].name")
    assert "sourds" in name
    position = frame.evaluate("document.getElementById('video').currentTime")
    frame.wait_for_function(f"() => document.getElementById('video').currentTime > {position} + 1")
    frame.locator("#settings").click()
    frame.locator("#caption-size").select_option("xlarge")
    frame.locator("#caption-colour").select_option("yellow")
    classes = frame.evaluate("document.getElementById('video').className")
    assert "caption-size-xlarge" in classes and "caption-colour-yellow" in classes
    assert not fatal_errors(frame)


def test_the_player_works_from_the_keyboard_alone(context: BrowserContext, stage: Stage) -> None:
    page = context.new_page()
    page.goto(stage.portal_url(stage.embed_url()))
    frame = player_frame(page)
    frame.evaluate("document.getElementById('video').muted = true")
    frame.locator("#play").focus()
    outline = frame.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")
    frame.wait_for_function("() => document.getElementById('video').currentTime > 1")
    assert frame.evaluate("document.activeElement.id") == "play"
    page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.id") == "seek"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("k")
    frame.wait_for_function("() => document.getElementById('video').paused")
    page.keyboard.press("Space")
    frame.wait_for_function("() => !document.getElementById('video').paused")
    page.keyboard.press("c")
    assert frame.locator("#captions").get_attribute("aria-pressed") == "true"
    assert outline != "none"  # the focused control shows it (focus-visible outline)


def test_playback_goes_on_when_the_key_is_retired_mid_film(context: BrowserContext, stage: Stage,
                                                           db_engine: Engine) -> None:
    frame = start(context.new_page(), stage)
    frame.evaluate("() => { const v = document.getElementById('video'); v.defaultPlaybackRate = 3;"
                   " v.playbackRate = 3; }")
    with Session(db_engine) as session:
        old = session.exec(select(PlaybackKey.kid)).one()
        rotate_playback_key(session)
        end_playback_key(session, old, KeyStatus.RETIRED)
        session.commit()
    frame.wait_for_function("() => document.getElementById('video').currentTime > 22", timeout=30_000)
    assert frame.evaluate("window.cinedocPlayer.refreshes") >= 1
    assert frame.evaluate("window.cinedocPlayer.sessions") >= 2
    assert frame.locator("#player-refusal").is_hidden()
    assert any(":403" in e for e in frame.evaluate("window.cinedocPlayer.errors"))


def test_a_patron_over_the_monthly_limit_sees_the_reason(context: BrowserContext, db: Session,
                                                         servers: Servers) -> None:
    key = make_institution(db, "Médiathèque limitée", origins=(servers.portal,), patron_monthly_limit=1)
    films = [playable_film(db, f"Film {n}") for n in range(2)]
    for n, film_id in enumerate(films):
        publish_media(db, film_id, LADDER_PREFIX.replace("0001", f"000{n + 2}"), duration=SECONDS)
    stage = Stage(key, films[0], servers)
    opened = httpx.post(f"{servers.app}/api/playback/sessions",
                        json={"film_id": films[0], "assertion": key.assertion("lectrice")})
    assert opened.status_code == 201
    page = context.new_page()
    page.goto(stage.portal_url(stage.embed_url("lectrice", film_id=films[1])))
    page.wait_for_selector("iframe")
    frame = next(f for f in page.frames if "/embed/" in f.url)
    frame.wait_for_selector("#refusal")
    text = frame.locator("#refusal").inner_text()
    assert "limite de films" in text and "(1)" in text
    assert frame.locator("#refusal").get_attribute("role") == "alert"


def test_the_limit_reached_at_play_time_shows_in_the_player(context: BrowserContext, db: Session,
                                                            servers: Servers) -> None:
    key = make_institution(db, "Médiathèque limitée", origins=(servers.portal,), patron_monthly_limit=1)
    films = [playable_film(db, f"Film {n}") for n in range(2)]
    for n, film_id in enumerate(films):
        publish_media(db, film_id, LADDER_PREFIX.replace("0001", f"000{n + 2}"), duration=SECONDS)
    stage = Stage(key, films[1], servers)
    page = context.new_page()
    page.goto(stage.portal_url(stage.embed_url("lecteur")))  # allowed when the page loads
    frame = player_frame(page)
    opened = httpx.post(f"{servers.app}/api/playback/sessions",
                        json={"film_id": films[0], "assertion": key.assertion("lecteur")})
    assert opened.status_code == 201  # the same patron used the month's film in another tab meanwhile
    frame.locator("#play").click()
    frame.wait_for_selector("#player-refusal:not([hidden])")
    assert "limite de films" in frame.locator("#player-refusal").inner_text()
    assert frame.locator("#play").is_disabled()


def test_an_unregistered_origin_cannot_frame_the_player(context: BrowserContext, stage: Stage) -> None:
    url = stage.embed_url()
    policy = httpx.get(url).headers["content-security-policy"]
    assert f"frame-ancestors {stage.servers.portal}" in policy and stage.servers.stranger not in policy
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    # Without a Referer (the portal's frame says referrerpolicy="no-referrer"), the player cannot say which address
    # to register: the browser blocks the frame (test_player_features.py covers the portal that sends one).
    page.goto(stage.portal_url("about:blank", origin=stage.servers.stranger))
    page.wait_for_selector("iframe")
    page.evaluate("""(src) => { const frame = document.querySelector('iframe');
                                frame.referrerPolicy = 'no-referrer'; frame.src = src; }""", stage.embed_url())
    page.wait_for_timeout(500)
    frames = [f for f in page.frames if f != page.main_frame]
    has_player = [f for f in frames if f.url.startswith(stage.servers.app) and
                  f.evaluate("!!document.getElementById('player')")]
    assert not has_player
    assert any("frame-ancestors" in text for text in blocked), blocked


@pytest.fixture
def axe_context(browser: Browser) -> Iterator[BrowserContext]:
    """axe is injected as an inline script, which the pages' CSP rightly forbids: only these contexts bypass it."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_the_player_page_passes_axe(axe_context: BrowserContext, stage: Stage) -> None:
    context = axe_context
    page = context.new_page()
    page.goto(stage.embed_url())
    page.wait_for_selector("#player")
    page.add_script_tag(content=axe_source())
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe("player page", violations)
    page.locator("#settings").click()
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe("player page with the settings open", violations)
    english = context.new_page()
    spent = stage.embed_url(lang="en")
    assert httpx.get(spent).status_code == 200
    english.goto(spent)  # the assertion is spent: the refusal page
    english.wait_for_selector("#refusal")
    english.add_script_tag(content=axe_source())
    violations = english.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe("refusal page", violations)


def test_the_institution_and_embed_pages_pass_axe(axe_context: BrowserContext, stage: Stage,
                                                  db_engine: Engine) -> None:
    context = axe_context
    email = make_staff(db_engine, Role.ADMINISTRATOR, "admin-axe@example.org")
    page = context.new_page()
    page.goto(f"{stage.servers.app}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/staff")
    for path in ("/staff/institutions", f"/staff/institutions/{stage.key.institution_id}",
                 f"/staff/institutions/{stage.key.institution_id}/embed", "/staff/institutions/new",
                 "/staff/playback-keys"):
        page.goto(f"{stage.servers.app}{path}")
        page.add_script_tag(content=axe_source())
        violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
        assert not violations, describe(path, violations)

