"""A patron votes for the audience prize in Chromium, from the keyboard alone, in the ballot page their library's
portal frames from another origin; the ballot page and the prize's public pages pass axe-core."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, Frame, Page
from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize.ballots import cast_public_vote
from cinedoc.app import create_app
from cinedoc.kernel import clock
from cinedoc.kernel.settings import Settings
from streaming.access.config import AccessSettings
from streaming.playback.sessions import PatronIdentity
from streaming.runtime import runtime_for
from tests.browser.live_server import live_server
from tests.browser.portal_server import portal_server
from tests.browser.test_accessibility import AXE_OPTIONS, RUN_AXE, AxeWalk, axe_source, describe
from tests.conftest import TEST_SECRET
from tests.prize_helpers import public_ballots
from tests.prize_public_stage import PUBLIC_DAY, PrizeStage, prize_stage
from tests.rights_helpers import set_today

pytestmark = pytest.mark.browser

PORTAL_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail de la médiathèque</title></head>
<body><h1>Prix du public</h1>
<iframe id="ballot" src="{src}" title="Voter pour le prix du public" width="900" height="700"></iframe>
</body></html>"""




@dataclass(frozen=True)
class Servers:
    app: str
    portal: str  # another origin (another port), registered for the library
    application: Litestar


@pytest.fixture(scope="module")
def servers(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    app = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path_factory.mktemp("prize-data")), engine=engine)
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0)
    with portal_server(PORTAL_PAGE) as port, live_server(app) as url:
        yield Servers(url, f"http://127.0.0.1:{port}", app)


@pytest.fixture
def stage(db: Session, db_engine: Engine, servers: Servers, monkeypatch: pytest.MonkeyPatch) -> PrizeStage:
    built = prize_stage(db, db_engine, portal=servers.portal)
    set_today(monkeypatch, PUBLIC_DAY)  # the live server runs in this process: it sees the moved clock
    return built


def portal_url(servers: Servers, stage: PrizeStage, patron: str) -> str:
    signed = stage.lyon.assertion(patron, now=clock.utcnow().timestamp())
    embed = f"{servers.app}/embed/prize/{stage.edition_id}?lang=fr&assertion={signed}"
    return f"{servers.portal}/portal?src={quote(embed, safe='')}"


def ballot_frame(page: Page) -> Frame:
    page.frame_locator("iframe").locator("h1").wait_for()
    return next(frame for frame in page.frames if "/embed/prize/" in frame.url)


def active(frame: Frame) -> dict[str, str]:
    return frame.evaluate("() => ({id: document.activeElement.id, type: document.activeElement.type || ''})")


def tab_until(page: Page, frame: Frame, wanted: Callable[[dict[str, str]], bool], limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(active(frame)):
            return
    raise AssertionError(f"Tab never reached the element wanted (last: {active(frame)})")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def axe_context(browser: Browser) -> Iterator[BrowserContext]:
    """axe is injected as an inline script, which the page's CSP rightly forbids: only this context bypasses it."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_a_patron_votes_from_the_keyboard_in_the_portals_frame(context: BrowserContext, stage: PrizeStage,
                                                               servers: Servers, db_engine: Engine) -> None:
    page = context.new_page()
    page.goto(portal_url(servers, stage, "lecteur-clavier"))
    frame = ballot_frame(page)
    radios = frame.eval_on_selector_all("input[name=film_id]", "els => els.map(e => Number(e.value))")
    assert sorted(radios) == sorted(stage.shortlist)
    assert frame.evaluate("document.querySelectorAll('input[name=film_id]:checked').length") == 0

    tab_until(page, frame, lambda element: element["type"] == "radio")
    page.keyboard.press("ArrowDown")  # moves to the second film and selects it
    page.keyboard.press("Space")
    chosen = int(frame.evaluate("document.activeElement.value"))
    assert chosen == radios[1]
    assert frame.evaluate("document.querySelector('input[name=film_id]:checked').value") == str(chosen)
    outline = frame.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus can be seen
    tab_until(page, frame, lambda element: element["id"] == "send-vote")
    page.keyboard.press("Space")

    confirmation = page.frame_locator("iframe").locator("#confirmation[role=status]")
    confirmation.wait_for()
    title = f"Documentaire {stage.films.index(chosen) + 1}"
    assert f"Votre vote pour {title} est enregistré" in confirmation.inner_text()
    frame = ballot_frame(page)
    assert frame.evaluate("document.querySelector('input[name=film_id]:checked').value") == str(chosen)

    pseudonym = runtime_for(servers.application.state).ring.patron_pseudonym(stage.lyon.institution_id,
                                                                             "lecteur-clavier")
    ballots = [ballot for ballot in public_ballots(db_engine) if ballot.voter == pseudonym]
    assert [(ballot.institution_id, ballot.film_id) for ballot in ballots] == [(stage.lyon.institution_id, chosen)]
    assert len(public_ballots(db_engine)) == 1


def test_the_framed_ballot_page_passes_axe_before_and_after_voting(axe_context: BrowserContext, stage: PrizeStage,
                                                                   servers: Servers) -> None:
    page = axe_context.new_page()
    page.goto(portal_url(servers, stage, "lecteur-axe"))
    frame = ballot_frame(page)
    frame.add_script_tag(content=axe_source())
    violations = frame.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe("ballot page", violations)
    frame.locator("input[name=film_id]").first.check()
    frame.locator("#send-vote").click()
    page.frame_locator("iframe").locator("#confirmation").wait_for()
    frame = ballot_frame(page)
    frame.add_script_tag(content=axe_source())
    violations = frame.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, describe("ballot page after the vote", violations)


@pytest.mark.parametrize(("browser_locale", "language"), [("fr-FR", "fr"), ("en-GB", "en")])
def test_the_prize_pages_pass_axe(open_page: Callable[[str], Page], db: Session, db_engine: Engine,
                                  monkeypatch: pytest.MonkeyPatch, browser_locale: str, language: str) -> None:
    walk = AxeWalk(open_page(browser_locale), language)
    walk.visit("/prix", "h1")  # no edition yet
    stage = prize_stage(db, db_engine)
    with Session(db_engine) as session:
        for n, film in enumerate(sorted(stage.shortlist)):
            cast_public_vote(session, stage.edition_id, PatronIdentity(stage.lyon.institution_id, f"p:{n}",
                                                                       "assertion"), film, day=PUBLIC_DAY)
        session.commit()
    set_today(monkeypatch, PUBLIC_DAY)
    walk.visit("/prix", "ol li[aria-current=step]", "#shortlist-title")
    set_today(monkeypatch, date(2024, 4, 12))
    walk.visit("/prix/2024", "#result-title", "table caption", "#total-ballots")
    assert not walk.report, "axe-core found accessibility violations:\n" + "\n".join(walk.report)
    assert len(walk.checked) == 3
