"""A film's presentation video on the public film page, in Chromium: reached from the keyboard, it plays through
hls.js with the browser's own controls, and the page passes axe-core."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext
from sqlalchemy import Engine
from sqlmodel import Session

from catalogue.films.models import FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from cinedoc.app import create_app
from cinedoc.kernel.settings import Settings
from streaming.access.config import AccessSettings
from streaming.media.config import StreamingSettings
from streaming.media.jobs import rendition_names
from streaming.media.models import MediaAsset, MediaPurpose, MediaStatus, PresentationMedia
from streaming.media.packaging import PackagingRequest, package_to_directory, prepare
from streaming.media.storage import LocalStorage
from streaming.runtime import runtime_for
from tests.browser.live_server import live_server
from tests.browser.test_accessibility import AXE_OPTIONS, RUN_AXE, axe_source, describe
from tests.conftest import TEST_SECRET
from tests.media_samples import ffmpeg

pytestmark = pytest.mark.browser

PREFIX = "films/presented/presentation-0001-browser"
SECONDS = 4


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4 s clip at 320x180, packaged by the media code like any presentation."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    work = tmp_path_factory.mktemp("presentation-media")
    master = work / "clip.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
           "-t", str(SECONDS), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(master))
    settings = StreamingSettings(x264_preset="ultrafast")
    prepared = prepare(PackagingRequest(master), settings)
    package_to_directory(prepared, work / "media" / PREFIX, settings, names=rendition_names("fr", []), timeout=120)
    return work / "media"


@pytest.fixture(scope="module")
def app_url(engine: Engine, media_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path_factory.mktemp("presentation-data"),
                              packaging_worker=False), engine=engine)
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0)
    runtime_for(app.state).storage = LocalStorage(media_root)
    with live_server(app) as url:
        yield url


@pytest.fixture
def film_id(db: Session, db_engine: Engine) -> int:
    film = create_film(db, FilmCreate(title="Les Plages d'Agnès", status=FilmStatus.AVAILABLE,
                                      synopsis="Agnès Varda revisite sa vie, plage après plage."))
    db.flush()
    assert film.id is not None
    asset = MediaAsset(film_id=film.id, version=1, purpose=MediaPurpose.PRESENTATION, storage_prefix=PREFIX,
                       status=MediaStatus.READY, duration_seconds=SECONDS, width=320, height=180)
    db.add(asset)
    db.flush()
    assert asset.id is not None
    db.add(PresentationMedia(film_id=film.id, asset_id=asset.id))
    db.commit()
    return film.id


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_the_presentation_plays_through_hls_js_from_the_keyboard_and_the_page_passes_axe(
        context: BrowserContext, app_url: str, film_id: int) -> None:
    page = context.new_page()
    page.goto(f"{app_url}/films/{film_id}")
    page.wait_for_function("window.cinedocPresentations && window.cinedocPresentations.length === 1")
    assert page.evaluate("!!window.cinedocPresentations[0].hls")  # hls.js, not the browser's own HLS
    video = page.locator("video[data-hls]")
    assert video.get_attribute("aria-label") == "Vidéo de présentation de Les Plages d'Agnès"
    assert video.get_attribute("controls") is not None
    assert page.evaluate("document.querySelector('video[data-hls]').paused")  # nothing plays on its own

    video.focus()
    assert page.evaluate("document.activeElement.tagName") == "VIDEO"
    page.evaluate("document.querySelector('video[data-hls]').muted = true")
    page.keyboard.press("Space")  # the browser's controls answer the keyboard
    page.wait_for_function("document.querySelector('video[data-hls]').currentTime > 1.5")
    assert page.evaluate("window.cinedocPresentations[0].errors") == []
    assert page.locator("[data-presentation-error]").is_hidden()

    page.add_script_tag(content=axe_source())
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe("film page with its presentation video", violations)
