"""The accessible player in Chromium, framed by a portal of another origin: it fits 960x600 and 320x480 frames in
French and English with every control inside, styles its captions as the patron chose (kept after a reload), shows
a transcript before playing that follows the film and seeks, changes speed, seeks by chapter, keeps a movable
French Sign Language window in sync, works from the keyboard alone, passes axe-core in every state, and tells a
portal whose address is not registered what to do instead of showing a blank frame."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page
from sqlalchemy import Engine
from sqlmodel import Session

from cinedoc.app import create_app
from cinedoc.kernel.settings import Settings
from streaming.access.config import AccessSettings
from streaming.access.institutions import iframe_snippet
from streaming.media.storage import LocalStorage
from streaming.runtime import runtime_for
from tests.browser.live_server import live_server
from tests.browser.player_media import Chapter, package_accessible_film, publish_accessible, sme_captions
from tests.browser.portal_server import portal_server
from tests.browser.test_accessibility import AXE_OPTIONS, RUN_AXE, axe_source, describe
from tests.browser.test_player import playable_film
from tests.conftest import TEST_SECRET
from tests.playback_helpers import PortalKey, make_institution

pytestmark = pytest.mark.browser

SECONDS = 30
PREFIX = "films/features/0001-all"
PLAIN_PREFIX = "films/features/0002-plain"
BROKEN_PREFIX = "films/features/0003-broken"  # flagged with captions and a signer, whose files the storage lacks
CHAPTERS = [Chapter(0, "Ouverture"), Chapter(10, "Les champs"), Chapter(20, "Le marché")]
# The portal's frame fills the portal's window: the window's size is the frame's.
FILL_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail de la médiathèque</title>
<style>html,body{{margin:0;height:100%;overflow:hidden}}iframe{{display:block;border:0;width:100vw;height:100vh}}</style>
</head><body><iframe id="player" src="{src}" title="Film" allow="fullscreen"></iframe></body></html>"""
# The snippet the librarian copies, pasted as it is into a portal's column.
SNIPPET_PAGE = ("""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail de la médiathèque</title></head>
<body style="margin:0"><h1>Portail</h1><div id="column">""" + iframe_snippet("{src}", "Film") + "</div></body></html>")


@dataclass(frozen=True)
class Servers:
    app: str
    portal: str  # registered origin, the frame filling the window
    snippet: str  # registered origin too, the snippet in a column
    stranger: str  # the first portal under another origin (localhost), not registered


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    work = tmp_path_factory.mktemp("features-media")
    root = work / "media"
    package_accessible_film(work / "work", root / PREFIX, SECONDS, captions=sme_captions(SECONDS),
                            chapters=CHAPTERS, sign_language=True)
    shutil.copytree(root / PREFIX, root / PLAIN_PREFIX)
    shutil.copytree(root / PREFIX, root / BROKEN_PREFIX)
    (root / BROKEN_PREFIX / "subtitles" / "fr-sme" / "captions.vtt").unlink()
    shutil.rmtree(root / BROKEN_PREFIX / "sign")
    return root


@pytest.fixture(scope="module")
def servers(engine: Engine, media_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    app = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path_factory.mktemp("features-data")),
                     engine=engine)
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0)
    runtime_for(app.state).storage = LocalStorage(media_root)
    with portal_server(FILL_PAGE) as fill, portal_server(SNIPPET_PAGE) as snippet, live_server(app) as url:
        yield Servers(url, f"http://127.0.0.1:{fill}", f"http://127.0.0.1:{snippet}", f"http://localhost:{fill}")


@dataclass(frozen=True)
class Stage:
    key: PortalKey
    film_id: int
    servers: Servers

    def embed_url(self, lang: str = "fr", patron: str = "lecteur-1", film_id: int | None = None) -> str:
        return (f"{self.servers.app}/embed/{film_id or self.film_id}?lang={lang}"
                f"&assertion={self.key.assertion(patron)}")

    def portal_url(self, lang: str = "fr", origin: str | None = None, film_id: int | None = None) -> str:
        src = self.embed_url(lang, film_id=film_id)
        return f"{origin or self.servers.portal}/portal?src={quote(src, safe='')}"


@pytest.fixture
def stage(db: Session, db_engine: Engine, servers: Servers) -> Stage:
    key = make_institution(db, "Médiathèque du test", origins=(servers.portal, servers.snippet))
    film_id = playable_film(db, "Les Glaneurs et la Glaneuse")
    publish_accessible(db, film_id, PREFIX, duration=SECONDS, chapters=True, sign_language=True)
    return Stage(key, film_id, servers)


@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    contexts: list[BrowserContext] = []

    def make(width: int, height: int, **options: Any) -> BrowserContext:
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make  # type: ignore[misc]
    for context in contexts:
        context.close()


def open_player(page: Page, url: str) -> Frame:
    page.goto(url)
    page.wait_for_selector("iframe")
    page.frame_locator("iframe").locator("#player").wait_for()
    frame = next(f for f in page.frames if "/embed/" in f.url)
    frame.wait_for_function("() => !!window.cinedocPlayer")
    return frame


# A control scrolled away inside a scrolling box (the settings panel, the side column) is reachable by scrolling
# that box, which must itself be inside the frame; one cut off by a box that does not scroll is lost: reported.
OUTSIDE_THE_FRAME = """() => {
    const width = window.innerWidth, height = window.innerHeight, outside = [];
    const name = (element, box) => `${element.id || element.className || element.tagName} ` +
        `${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.right)},${Math.round(box.bottom)}`;
    const controls = document.querySelectorAll(
        '#player button, #player input, #player select, #player video, #player [tabindex], #side, #side input,' +
        ' #settings-panel, #transcript');
    for (const element of controls) {
        if (!element.checkVisibility({visibilityProperty: true})) continue;
        let box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        let reachable = true;
        for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
            const style = getComputedStyle(parent), clip = parent.getBoundingClientRect();
            const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);
            const cuts = /(hidden|clip)/.test(style.overflowX + style.overflowY);
            if (scrolls) {
                const left = Math.max(box.left, clip.left), right = Math.min(box.right, clip.right);
                const top = Math.max(box.top, clip.top), bottom = Math.min(box.bottom, clip.bottom);
                if (left >= right || top >= bottom) { reachable = false; break; }
                box = {left, right, top, bottom};
            } else if (cuts && (box.left < clip.left - 0.5 || box.right > clip.right + 0.5 ||
                                box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5)) {
                outside.push(`${name(element, box)} cut off by ${name(parent, clip)}`);
            }
        }
        if (!reachable) continue;
        if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5) {
            outside.push(`${name(element, box)} in ${width}x${height}`);
        }
    }
    const page = document.scrollingElement;
    if (page.scrollWidth > width + 1 || page.scrollHeight > height + 1) {
        outside.push(`the page scrolls: ${page.scrollWidth}x${page.scrollHeight} in ${width}x${height}`);
    }
    return outside;
}"""


def controls_outside(frame: Frame) -> list[str]:
    return frame.evaluate(OUTSIDE_THE_FRAME)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("width", "height"), [(960, 600), (320, 480)])
def test_every_control_stays_inside_the_frame(browser_context: Any, stage: Stage, width: int, height: int,
                                             lang: str) -> None:
    page = browser_context(width, height).new_page()
    frame = open_player(page, stage.portal_url(lang))
    assert frame.evaluate("[innerWidth, innerHeight]") == [width, height]
    assert frame.locator("#fullscreen").is_visible()
    assert not controls_outside(frame), controls_outside(frame)
    stage_box = frame.locator("#stage").bounding_box()
    assert stage_box is not None and stage_box["height"] >= width * 9 / 16 * 0.5  # the picture is not crushed


@pytest.mark.parametrize(("column", "expected"), [(1280, (960, 540)), (640, (640, 480)), (320, (320, 480))])
def test_the_snippet_is_a_responsive_frame_that_the_player_fills(browser_context: Any, stage: Stage, column: int,
                                                                 expected: tuple[int, int]) -> None:
    page = browser_context(column, 900).new_page()
    frame = open_player(page, stage.portal_url(origin=stage.servers.snippet))
    box = page.locator("iframe").bounding_box()
    assert box is not None and (round(box["width"]), round(box["height"])) == expected
    assert page.locator("iframe").get_attribute("title") == "Film"
    assert "fullscreen" in (page.locator("iframe").get_attribute("allow") or "")
    assert not controls_outside(frame), controls_outside(frame)


def start_playing(frame: Frame) -> None:
    frame.evaluate("document.getElementById('video').muted = true")
    frame.locator("#play").click()
    frame.wait_for_function("() => document.getElementById('video').currentTime > 0.5")


CUE_STYLE = """(selector) => {
    const cue = document.querySelector(selector);
    if (!cue) return null;
    const text = cue.querySelector('.caption-text'), style = getComputedStyle(text);
    const coloured = text.querySelector('.yellow');
    const stage = document.getElementById('stage').getBoundingClientRect(), box = cue.getBoundingClientRect();
    return {fontSize: parseFloat(style.fontSize), colour: style.color, background: style.backgroundColor,
            sme: coloured ? getComputedStyle(coloured).color : null, text: text.textContent,
            top: box.top < stage.top + stage.height / 2, inside: box.top >= stage.top && box.bottom <= stage.bottom};
}"""


def cue_style(frame: Frame, selector: str = ".caption-cue") -> dict[str, Any]:
    frame.wait_for_selector(f"#caption-overlay {selector}")
    style = frame.evaluate(CUE_STYLE, f"#caption-overlay {selector}")
    assert style is not None
    return style


def test_the_caption_settings_stay_closed_until_asked_and_open_over_the_picture(browser_context: Any,
                                                                               stage: Stage) -> None:
    page = browser_context(960, 600).new_page()
    frame = open_player(page, stage.portal_url())
    assert frame.locator("#settings-panel").is_hidden()
    assert frame.locator("#caption-size").is_hidden()  # out of the tab order too
    frame.locator("#fullscreen").focus()
    page.keyboard.press("Shift+Tab")
    assert frame.evaluate("document.activeElement.id") == "settings"
    before = frame.locator("#stage").bounding_box()
    page.keyboard.press("Enter")
    assert frame.locator("#settings").get_attribute("aria-expanded") == "true"
    assert frame.evaluate("document.activeElement.id") == "caption-track"  # the focus moved into the panel
    assert frame.locator("#stage").bounding_box() == before  # the picture did not move
    assert frame.evaluate("document.scrollingElement.scrollTop") == 0 and page.evaluate("scrollY") == 0
    panel, picture = frame.locator("#settings-panel").bounding_box(), before
    assert panel is not None and picture is not None
    assert panel["y"] >= picture["y"] and panel["y"] + panel["height"] <= picture["y"] + picture["height"] + 1
    assert "Aperçu" in cue_style(frame, ".caption-preview")["text"]  # previewed over the picture
    assert not controls_outside(frame), controls_outside(frame)
    page.keyboard.press("Escape")
    assert frame.locator("#settings-panel").is_hidden()
    assert frame.locator("#settings").get_attribute("aria-expanded") == "false"
    assert frame.evaluate("document.activeElement.id") == "settings"  # the focus came back to its button
    assert frame.locator("#caption-overlay .caption-preview").count() == 0
    frame.locator("#settings").click()
    frame.locator("#settings-close").click()
    assert frame.locator("#settings-panel").is_hidden()
    assert frame.evaluate("document.activeElement.id") == "settings"


def test_the_settings_panel_keeps_every_control_inside_a_small_frame(browser_context: Any, stage: Stage) -> None:
    page = browser_context(320, 480).new_page()
    frame = open_player(page, stage.portal_url("en"))
    frame.locator("#settings").click()
    assert frame.locator("#settings-panel").is_visible()
    assert not controls_outside(frame), controls_outside(frame)
    frame.locator("#caption-position").focus()  # the last field: the panel scrolls within the picture
    assert not controls_outside(frame), controls_outside(frame)
    box, picture = frame.locator("#caption-position").bounding_box(), frame.locator("#stage").bounding_box()
    assert box is not None and picture is not None and box["y"] + box["height"] <= picture["y"] + picture["height"]


def test_caption_style_applies_to_the_drawn_cue_keeps_the_sme_colours_and_is_kept(browser_context: Any,
                                                                                  stage: Stage) -> None:
    context = browser_context(960, 600)
    frame = open_player(context.new_page(), stage.portal_url())
    frame.locator("#settings").click()
    medium = cue_style(frame, ".caption-preview")
    assert medium["colour"] == "rgb(255, 255, 255)" and medium["background"] == "rgb(0, 0, 0)"
    assert medium["sme"] == "rgb(255, 255, 0)" and not medium["top"]
    frame.locator("#caption-size").select_option("xlarge")
    frame.locator("#caption-colour").select_option("cyan")
    frame.locator("#caption-background").select_option("translucent")
    frame.locator("#caption-position").select_option("top")
    chosen = cue_style(frame, ".caption-preview")
    assert chosen["fontSize"] >= medium["fontSize"] * 1.7
    assert chosen["colour"] == "rgb(0, 255, 255)" and chosen["background"] == "rgba(0, 0, 0, 0.55)"
    assert chosen["sme"] == "rgb(255, 255, 0)"  # the SME colour code stays in every style
    assert chosen["top"] and chosen["inside"]
    frame.locator("#caption-background").select_option("none")
    no_background = cue_style(frame, ".caption-preview")
    assert no_background["background"] == "rgba(0, 0, 0, 0)" and no_background["sme"] == "rgb(255, 255, 0)"
    assert frame.evaluate("getComputedStyle(document.querySelector('.caption-text')).textShadow") != "none"
    frame.locator("#caption-background").select_option("translucent")

    # Another film page in the same browser (a new assertion): the choice is kept, and the real cues wear it.
    frame = open_player(context.new_page(), stage.portal_url())
    assert frame.locator("#caption-size").input_value() == "xlarge"
    assert frame.locator("#caption-position").input_value() == "top"
    start_playing(frame)
    frame.locator("#captions").click()
    real = cue_style(frame, ".caption-cue:not(.caption-preview)")
    assert real["text"].startswith("Réplique")
    assert real["fontSize"] >= medium["fontSize"] * 1.7 and real["top"] and real["inside"]
    assert real["colour"] == "rgb(0, 255, 255)" or real["sme"] is not None
    assert real["background"] == "rgba(0, 0, 0, 0.55)"
    frame.wait_for_function("() => document.querySelector('#caption-overlay .caption-cue .yellow') !== null",
                            timeout=20_000)
    assert frame.evaluate("getComputedStyle(document.querySelector('#caption-overlay .yellow')).color") == (
        "rgb(255, 255, 0)")


def test_the_player_works_when_the_frame_may_not_keep_anything(browser_context: Any, stage: Stage) -> None:
    context = browser_context(960, 600)
    # A third-party frame whose storage is refused: every access throws.
    context.add_init_script("""(() => {
        const refuse = () => { throw new DOMException('refused', 'SecurityError'); };
        Object.defineProperty(window, 'localStorage', {get: refuse, configurable: true});
    })()""")
    frame = open_player(context.new_page(), stage.portal_url())
    frame.locator("#settings").click()
    frame.locator("#caption-size").select_option("large")
    assert "caption-size-large" in (frame.locator("#caption-overlay").get_attribute("class") or "")
    start_playing(frame)


LINES = len(range(0, SECONDS - 3, 3))  # one caption every 3 s (tests.browser.player_media.sme_captions)


def current_line(frame: Frame) -> str | None:
    return frame.evaluate("(document.querySelector('#transcript .cue[aria-current=true] .cue-text') || {})"
                          ".textContent || null")


def test_the_transcript_is_in_the_page_before_playing_and_without_javascript(browser_context: Any,
                                                                             stage: Stage) -> None:
    context = browser_context(960, 600, java_script_enabled=False)
    page = context.new_page()
    page.goto(stage.embed_url())
    lines = page.locator("#transcript .cue-text").all_inner_texts()
    assert len(lines) == LINES and lines[0] == "Réplique 1" and lines[-1] == f"Réplique {LINES}"
    assert page.locator("#transcript").is_visible()
    assert page.locator("#transcript .cue-time").first.inner_text() == "0:00"
    # The SME colour of a line stays in the transcript: Réplique 2 is a sound (red).
    assert page.locator("#transcript li:nth-child(2) .sme-red").inner_text() == "Réplique 2"


def test_the_transcript_follows_the_film_and_seeks_by_click_and_enter(browser_context: Any, stage: Stage) -> None:
    frame = open_player(browser_context(960, 600).new_page(), stage.portal_url())
    assert frame.evaluate("window.cinedocPlayer.sessions") == 0
    assert frame.locator("#transcript .cue").count() == LINES
    # Beside the picture in a wide frame.
    transcript, picture = frame.locator("#transcript").bounding_box(), frame.locator("#stage").bounding_box()
    assert transcript is not None and picture is not None and transcript["x"] >= picture["x"] + picture["width"]
    # A line chosen before playing plays the film from there.
    frame.evaluate("document.getElementById('video').muted = true")
    frame.locator("#transcript .cue").nth(3).click()  # Réplique 4, from 0:09.2
    frame.wait_for_function("() => document.getElementById('video').currentTime > 9.3")
    assert frame.evaluate("document.getElementById('video').currentTime") < 13
    frame.wait_for_function("() => document.querySelector('#transcript .cue[aria-current=true]') !== null")
    assert current_line(frame) == "Réplique 4"
    frame.wait_for_function("() => document.getElementById('video').currentTime > 12.3", timeout=10_000)
    frame.wait_for_function("() => /Réplique 5/.test(document.querySelector('#transcript .cue.current').textContent)")
    # Enter on a line, reached by Tab and arrows (one tab stop for the list).
    frame.locator("#transcript-search").focus()
    frame.page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.classList.contains('cue')")
    for _ in range(8):
        frame.page.keyboard.press("ArrowDown")
    frame.page.keyboard.press("Home")
    frame.page.keyboard.press("ArrowDown")  # Réplique 2, from 0:03.2
    frame.page.keyboard.press("Enter")
    frame.wait_for_function("() => { const t = document.getElementById('video').currentTime; return t > 3 && t < 5; }")
    frame.wait_for_function("() => /Réplique 2/.test(document.querySelector('#transcript .cue.current').textContent)")
    assert frame.evaluate("document.activeElement.textContent").strip().endswith("Réplique 2")  # focus stays


def test_the_transcript_search_finds_a_line(browser_context: Any, stage: Stage) -> None:
    frame = open_player(browser_context(320, 480).new_page(), stage.portal_url())
    transcript = frame.locator("#transcript-section").bounding_box()
    controls = frame.locator(".controls").bounding_box()
    assert transcript is not None and controls is not None and transcript["y"] >= controls["y"] + controls["height"]
    frame.locator("#transcript-search").fill("replique 8")  # without accent, lower case
    assert frame.locator("#transcript li:visible").count() == 1
    assert frame.locator("#transcript li:visible .cue-text").inner_text() == "Réplique 8"
    assert frame.locator("#transcript-found").inner_text() == "Une ligne trouvée."
    frame.locator("#transcript-search").press("Enter")
    assert frame.evaluate("document.activeElement.querySelector('.cue-text').textContent") == "Réplique 8"
    frame.locator("#transcript-search").fill("zzz")
    assert frame.locator("#transcript li:visible").count() == 0
    assert frame.locator("#transcript-found").inner_text() == "Aucune ligne ne contient ces mots."
    frame.locator("#transcript-search").fill("")
    assert frame.locator("#transcript li:visible").count() == LINES


def test_the_transcript_button_shows_and_hides_it_keeping_the_focus(browser_context: Any, stage: Stage) -> None:
    frame = open_player(browser_context(960, 600).new_page(), stage.portal_url())
    toggle = frame.locator("#transcript-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.focus()
    frame.page.keyboard.press("Enter")
    assert frame.locator("#transcript-section").is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    assert frame.evaluate("document.activeElement.id") == "transcript-toggle"
    assert frame.locator("#player-status").inner_text().strip() == "Transcription masquée"
    frame.page.keyboard.press("t")
    assert frame.locator("#transcript-section").is_visible()


def film_time(frame: Frame) -> float:
    return frame.evaluate("document.getElementById('video').currentTime")


def test_the_speed_changes_the_films_rate_and_is_announced(browser_context: Any, stage: Stage) -> None:
    frame = open_player(browser_context(960, 600).new_page(), stage.portal_url())
    start_playing(frame)
    frame.locator("#speed").select_option("1.5")
    assert frame.evaluate("document.getElementById('video').playbackRate") == 1.5
    assert frame.locator("#player-status").inner_text().strip() == "Vitesse : 1,5×"
    before, wall = film_time(frame), frame.evaluate("performance.now()")
    frame.wait_for_timeout(2000)
    advanced = (film_time(frame) - before) / ((frame.evaluate("performance.now()") - wall) / 1000)
    assert 1.3 < advanced < 1.7, advanced
    frame.locator("#play").focus()
    frame.page.keyboard.press(">")
    assert frame.evaluate("document.getElementById('video').playbackRate") == 1.75
    frame.page.keyboard.press("<")
    frame.page.keyboard.press("<")
    assert frame.evaluate("document.getElementById('video').playbackRate") == 1.25
    assert frame.locator("#speed").input_value() == "1.25"


def test_chapters_seek_and_the_current_one_is_shown(browser_context: Any, stage: Stage) -> None:
    frame = open_player(browser_context(960, 600).new_page(), stage.portal_url("en"))
    assert frame.locator("#chapter-list .chapter").all_inner_texts() == [
        "0:00 Ouverture", "0:10 Les champs", "0:20 Le marché"]
    start_playing(frame)
    frame.locator("#chapter-select").select_option(label="Les champs")
    frame.wait_for_function("() => document.getElementById('video').currentTime >= 10")
    assert film_time(frame) < 12
    assert frame.locator("#player-status").inner_text().strip() == "Chapter: Les champs"
    frame.wait_for_function("() => document.querySelector('#chapter-list [aria-current=true]') !== null")
    assert frame.locator("#chapter-list [aria-current=true]").inner_text() == "0:10 Les champs"
    frame.locator("#chapter-list .chapter").nth(2).click()
    frame.wait_for_function("() => document.getElementById('video').currentTime >= 20")
    frame.wait_for_function("() => document.getElementById('chapter-select').selectedIndex === 2")
    frame.locator("#play").focus()
    frame.page.keyboard.press("PageUp")  # at the start of a chapter: the one before
    frame.wait_for_function("() => { const t = document.getElementById('video').currentTime;"
                            " return t >= 10 && t < 13; }")
    frame.page.keyboard.press("PageDown")
    frame.wait_for_function("() => document.getElementById('video').currentTime >= 20")


SIGN_GAP = ("() => Math.abs(document.getElementById('sign-video').currentTime"
            " - document.getElementById('video').currentTime)")


def wait_in_step(frame: Frame, tolerance: float = 0.1) -> list[float]:
    """Waits until the signer is within `tolerance` of the film, then checks it stays there for a second."""
    frame.wait_for_function(f"() => !document.getElementById('video').seeking && ({SIGN_GAP})() < {tolerance}",
                            timeout=15_000)
    gaps = []
    for _ in range(5):
        frame.wait_for_timeout(200)
        gaps.append(frame.evaluate(SIGN_GAP))
    assert frame.evaluate("!document.getElementById('video').paused")
    return gaps


def sign_box(frame: Frame) -> dict[str, float]:
    return frame.evaluate("""() => {
        const w = document.getElementById('sign-window').getBoundingClientRect();
        const s = document.getElementById('stage').getBoundingClientRect();
        return {left: w.left - s.left, top: w.top - s.top, width: w.width, height: w.height,
                right: s.right - w.right, bottom: s.bottom - w.bottom};
    }""")


def inside_stage(box: dict[str, float]) -> bool:
    return min(box["left"], box["top"], box["right"], box["bottom"]) >= -0.5


def test_the_sign_language_window_stays_in_step_with_the_film_after_seeks(browser_context: Any,
                                                                          stage: Stage) -> None:
    frame = open_player(browser_context(960, 600).new_page(), stage.portal_url())
    assert frame.locator("#sign-window").is_hidden()
    start_playing(frame)
    frame.locator("#sign-language").click()
    assert frame.locator("#sign-language").get_attribute("aria-pressed") == "true"
    assert frame.locator("#sign-window").is_visible()
    assert frame.locator("#player-status").inner_text().strip() == "Fenêtre de langue des signes affichée"
    frame.wait_for_function("() => document.getElementById('sign-video').videoWidth === 240")  # the signer's own video
    assert "/sign/index.m3u8" in frame.evaluate("window.cinedocPlayer.signHls.url")
    assert max(wait_in_step(frame)) < 0.1
    for target in (17, 4):
        frame.evaluate(f"document.getElementById('video').currentTime = {target}")
        frame.wait_for_function(f"() => document.getElementById('video').currentTime >= {target}")
        gaps = wait_in_step(frame)
        assert max(gaps) < 0.1, gaps
        assert abs(film_time(frame) - target) < 4
    # Pause is mirrored.
    frame.locator("#play").click()
    frame.wait_for_function("() => document.getElementById('sign-video').paused")
    assert frame.evaluate(SIGN_GAP) < 0.1
    assert not [e for e in frame.evaluate("window.cinedocPlayer.signErrors") if e.endswith(":fatal")]
    frame.locator("#sign-language").click()
    assert frame.locator("#sign-window").is_hidden()


def test_the_speed_changes_the_signers_rate_too(browser_context: Any, stage: Stage) -> None:
    frame = open_player(browser_context(960, 600).new_page(), stage.portal_url())
    frame.locator("#sign-language").click()  # before playing: the signer starts with the film
    start_playing(frame)
    wait_in_step(frame)
    frame.locator("#speed").select_option("1.5")
    wait_in_step(frame)
    before, wall = frame.evaluate("document.getElementById('sign-video').currentTime"), frame.evaluate(
        "performance.now()")
    frame.wait_for_timeout(2000)
    signer = (frame.evaluate("document.getElementById('sign-video').currentTime") - before) / (
        (frame.evaluate("performance.now()") - wall) / 1000)
    assert frame.evaluate("document.getElementById('video').playbackRate") == 1.5
    assert 1.3 < signer < 1.7, signer
    assert frame.evaluate(SIGN_GAP) < 0.1


def test_the_sign_language_window_moves_and_resizes_by_keyboard_and_pointer_and_is_kept(
        browser_context: Any, stage: Stage) -> None:
    context = browser_context(960, 600)
    frame = open_player(context.new_page(), stage.portal_url())
    frame.locator("#sign-language").click()
    start = sign_box(frame)
    assert inside_stage(start) and start["right"] < 1 and start["bottom"] < 1  # bottom right at first
    frame.locator("#sign-window").focus()
    for _ in range(5):
        frame.page.keyboard.press("ArrowLeft")
    frame.page.keyboard.press("Shift+ArrowUp")
    moved = sign_box(frame)
    assert moved["left"] == pytest.approx(start["left"] - 50, abs=2)
    assert moved["top"] == pytest.approx(start["top"] - 40, abs=2)
    assert film_time(frame) == 0 and frame.evaluate("window.cinedocPlayer.sessions") == 0  # arrows did not seek
    for _ in range(80):
        frame.page.keyboard.press("Shift+ArrowLeft")
        frame.page.keyboard.press("Shift+ArrowUp")
    corner = sign_box(frame)
    assert corner["left"] == pytest.approx(0, abs=1) and corner["top"] == pytest.approx(0, abs=1)  # kept inside
    frame.locator("#sign-resize").focus()
    frame.page.keyboard.press("ArrowRight")
    frame.page.keyboard.press("ArrowRight")
    bigger = sign_box(frame)
    assert bigger["width"] > corner["width"] + 20 and inside_stage(bigger)
    for _ in range(30):
        frame.page.keyboard.press("ArrowRight")
    assert inside_stage(sign_box(frame))
    frame.page.keyboard.press("ArrowLeft")
    frame.page.keyboard.press("ArrowLeft")
    frame.page.wait_for_timeout(600)
    assert frame.locator("#player-status").inner_text().strip() == "Fenêtre de langue des signes redimensionnée"
    # A pointer drags it by its body.
    box = frame.locator("#sign-window").bounding_box()
    assert box is not None
    page = frame.page
    iframe = page.locator("iframe").bounding_box()
    assert iframe is not None
    x, y = iframe["x"] + box["x"] + box["width"] / 2, iframe["y"] + box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=5)
    page.mouse.up()
    dragged = sign_box(frame)
    assert dragged["left"] == pytest.approx(corner["left"] + 120, abs=3)
    assert dragged["top"] == pytest.approx(corner["top"] + 60, abs=3)
    # Kept in this browser: the next film page puts it where it was, as large.
    frame = open_player(context.new_page(), stage.portal_url())
    frame.locator("#sign-language").click()
    again = sign_box(frame)
    assert again["left"] == pytest.approx(dragged["left"], abs=2) and again["width"] == pytest.approx(
        dragged["width"], abs=2)


def tab_to(frame: Frame, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        frame.page.keyboard.press("Tab")
        if frame.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} was not reached with Tab")


def pressed(frame: Frame, element_id: str) -> str | None:
    return frame.locator(f"#{element_id}").get_attribute("aria-pressed")


def test_a_keyboard_only_patron_switches_captions_ad_lsf_transcript_and_speed(browser_context: Any,
                                                                                stage: Stage) -> None:
    page = browser_context(960, 600).new_page()
    frame = open_player(page, stage.portal_url())
    frame.evaluate("document.getElementById('video').muted = true")
    page.locator("body").focus()
    tab_to(frame, "play")  # from the portal's page into the frame
    page.keyboard.press("Enter")
    frame.wait_for_function("() => document.getElementById('video').currentTime > 0.5")
    tab_to(frame, "captions")
    page.keyboard.press("Space")
    assert pressed(frame, "captions") == "true"
    frame.wait_for_selector("#caption-overlay .caption-cue")
    tab_to(frame, "audio-description")
    page.keyboard.press("Enter")
    assert pressed(frame, "audio-description") == "true"
    frame.wait_for_function("""() => { const hls = window.cinedocPlayer.hls, audio = hls.audioTracks[hls.audioTrack];
        return audio && (audio.attrs.CHARACTERISTICS || '').includes('describes-video'); }""")
    tab_to(frame, "sign-language")
    page.keyboard.press("Enter")
    assert pressed(frame, "sign-language") == "true" and frame.locator("#sign-window").is_visible()
    tab_to(frame, "transcript-toggle")
    page.keyboard.press("Enter")
    assert frame.locator("#transcript-section").is_hidden()
    page.keyboard.press("Enter")
    assert frame.locator("#transcript-section").is_visible()
    tab_to(frame, "speed")
    page.keyboard.press("ArrowDown")
    frame.wait_for_function("() => document.getElementById('video').playbackRate === 1.25")
    assert "1,25" in frame.locator("#player-status").inner_text()
    tab_to(frame, "settings")
    page.keyboard.press("Enter")
    assert frame.evaluate("document.activeElement.id") == "caption-track"
    page.keyboard.press("Escape")
    assert frame.evaluate("document.activeElement.id") == "settings"
    # The shortcuts, from a control of the player.
    page.keyboard.press("c")
    assert pressed(frame, "captions") == "false"
    page.keyboard.press("l")
    assert pressed(frame, "sign-language") == "false" and frame.locator("#sign-window").is_hidden()
    page.keyboard.press("d")
    assert pressed(frame, "audio-description") == "false"
    page.keyboard.press("k")
    frame.wait_for_function("() => document.getElementById('video').paused")
    # `paused` is true at once; the pause event, which announces it, follows as a task of its own.
    frame.wait_for_function("() => document.getElementById('player-status').innerText.trim() === 'En pause'",
                            timeout=5000)


def test_the_keyboard_leaves_the_frame_after_its_last_control(browser_context: Any, stage: Stage) -> None:
    page = browser_context(960, 600).new_page()
    frame = open_player(page, stage.portal_url())
    frame.locator("#sign-language").click()
    frame.locator("#play").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if not frame.evaluate("document.hasFocus()"):
            break
    else:
        raise AssertionError("Tab never left the player's frame")
    assert frame.locator("#sign-window").is_visible()


@pytest.fixture
def plain_film(db: Session, stage: Stage) -> int:
    """A film of the same ladder (another copy) published without captions, chapters or a signer."""
    film_id = playable_film(db, "Sans sous-titres")
    publish_accessible(db, film_id, PLAIN_PREFIX, duration=SECONDS, captions=False, audio_description=False)
    return film_id


@pytest.fixture
def axe_page(browser_context: Any) -> Any:
    """axe is injected as an inline script, which the pages' CSP rightly forbids: only these contexts bypass it."""
    return lambda width, height: browser_context(width, height, bypass_csp=True).new_page()


def assert_axe_clean(page: Page, what: str) -> None:
    page.add_script_tag(content=axe_source())
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe(what, violations)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_player_passes_axe_in_every_state(axe_page: Any, stage: Stage, plain_film: int, lang: str) -> None:
    page = axe_page(960, 600)
    page.goto(stage.embed_url(lang))
    page.wait_for_function("() => !!window.cinedocPlayer")
    assert_axe_clean(page, f"player ({lang}), transcript shown")
    page.locator("#settings").click()
    assert_axe_clean(page, f"player ({lang}), caption settings open")
    page.keyboard.press("Escape")
    page.evaluate("document.getElementById('video').muted = true")
    page.locator("#play").click()
    page.wait_for_function("() => document.getElementById('video').currentTime > 0.5")
    page.locator("#captions").click()
    page.locator("#sign-language").click()
    page.wait_for_selector("#caption-overlay .caption-cue")
    page.locator("#transcript-search").fill("Réplique 2")
    assert_axe_clean(page, f"player ({lang}), playing with captions, LSF and a transcript search")
    page.locator("#transcript-toggle").click()
    assert_axe_clean(page, f"player ({lang}), transcript hidden")
    narrow = axe_page(320, 480)
    narrow.goto(stage.embed_url(lang, film_id=plain_film))
    narrow.wait_for_function("() => !!window.cinedocPlayer")
    assert narrow.locator("#transcript-none").is_visible()
    assert narrow.locator("#sign-language").is_disabled()
    assert_axe_clean(narrow, f"player ({lang}) of a film without captions, 320 px wide")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_portal_whose_address_is_not_registered_gets_a_link_and_a_message(axe_page: Any, stage: Stage,
                                                                           lang: str) -> None:
    page = axe_page(960, 600)
    page.goto(stage.portal_url(lang, origin=stage.servers.stranger))
    page.wait_for_selector("iframe")
    frame = page.frame_locator("iframe")
    frame.locator("#open-player").wait_for()
    words = frame.locator("#main").inner_text()
    assert stage.servers.stranger in frame.locator("#webmaster").inner_text()
    assert ("Watch the film in a new tab" if lang == "en" else "Regarder le film dans un nouvel onglet") in words
    for word in ("assertion", "jti", "token", "grant", "jeton"):
        assert word not in words.lower()
    inner = next(f for f in page.frames if "/embed/" in f.url)
    inner.add_script_tag(content=axe_source())
    violations = inner.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe(f"unregistered portal page ({lang})", violations)
    # The link opens the player at the top, where it plays: the patron's assertion was not spent by the frame.
    with page.context.expect_page() as opened:
        frame.locator("#open-player").click()
    player = opened.value
    player.wait_for_selector("#player")
    player.evaluate("document.getElementById('video').muted = true")
    player.locator("#play").click()
    player.wait_for_function("() => document.getElementById('video').currentTime > 0.5")


def test_caption_and_sign_files_the_storage_lacks_leave_the_film_playing(browser_context: Any, db: Session,
                                                                        stage: Stage) -> None:
    film_id = playable_film(db, "Fichiers manquants")
    publish_accessible(db, film_id, BROKEN_PREFIX, duration=SECONDS, chapters=True, sign_language=True)
    page = browser_context(960, 600).new_page()
    frame = open_player(page, stage.portal_url(film_id=film_id))
    assert frame.locator("#transcript-unavailable").is_visible()  # the page is there, and says so
    start_playing(frame)
    frame.locator("#captions").click()
    frame.wait_for_function("() => window.cinedocPlayer.captionsFailed", timeout=20_000)
    assert "sous-titres n’ont pas pu être chargés" in frame.locator("#player-status").inner_text()
    frame.locator("#sign-language").click()
    frame.wait_for_function("() => window.cinedocPlayer.signErrors.length > 0 && !window.cinedocPlayer.signHls",
                            timeout=20_000)
    position = film_time(frame)
    frame.wait_for_function(f"() => document.getElementById('video').currentTime > {position} + 2")
    assert frame.locator("#player-refusal").is_hidden()
    assert frame.evaluate("window.cinedocPlayer.sessions") == 1  # no round of new sessions for a missing file
    assert frame.locator("#captions").get_attribute("aria-pressed") == "false"  # let go, not left pretending
