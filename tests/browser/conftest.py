"""Browser fixtures: one Debian chromium per session through Playwright, and the real app served on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import Engine

from cinedoc.app import create_app
from cinedoc.kernel.settings import Settings
from tests.browser.live_server import live_server
from tests.conftest import TEST_SECRET

BROWSER_DIR = Path(__file__).resolve().parent
# Playwright's own browser downloads are not used: the suite drives the chromium that Debian ships.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium): the browser tests need it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server_url(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the session; the app keeps nothing in memory between requests, the database holds it all."""
    settings = Settings(secret_key=TEST_SECRET, data_dir=tmp_path_factory.mktemp("live-data"), packaging_worker=False)
    with live_server(create_app(settings, engine=engine)) as url:
        yield url


@pytest.fixture
def live_url(live_server_url: str, db_engine: Engine) -> str:
    """The base URL of the app, serving the test database, which is emptied after the test (db_engine)."""
    return live_server_url


@pytest.fixture
def open_page(browser: Browser, live_url: str) -> Iterator[Callable[[str], Page]]:
    """Opens a page in a fresh browser (own cookies) whose preferred language is the given locale, e.g. "fr-FR"."""
    contexts: list[BrowserContext] = []

    def open_in(locale: str) -> Page:
        context = browser.new_context(base_url=live_url, locale=locale)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_in
    for context in contexts:
        context.close()

