"""Every public and staff page passes axe-core (WCAG 2.1 A/AA and best practices) in French and in English, and a
curator's film is found from the keyboard by a patron who types its subject without accents."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from sqlalchemy import Engine
from sqlmodel import Session, select

from catalogue.films.models import FilmStatus, Subject
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film, ensure_subjects, retire_film
from cinedoc.kernel.accounts import Role
from tests.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.browser

PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
  }));
}"""

SUBJECTS = ["Cinéma", "Écologie", "Éducation", "Histoire", "Travail"]


@dataclass(frozen=True)
class Catalogue:
    available: list[int]
    draft: int
    weeded: int
    ecologie: int


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (package.json pins axe-core)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def add_film(db: Session, title: str, **fields: Any) -> int:
    film = create_film(db, FilmCreate.model_validate({"title": title, "status": "available", **fields}))
    assert film.id is not None
    return film.id


def seed_catalogue(engine: Engine) -> Catalogue:
    """Five available films with subjects, countries, languages and accessibility flags; one draft; one weeded."""
    with Session(engine, expire_on_commit=False) as db:
        ensure_subjects(db, SUBJECTS)
        available = [
            add_film(db, "Les Glaneurs et la glaneuse", year=2000, duration_minutes=82, directors=["Agnès Varda"],
                     credits=[{"role": "image", "name": "Didier Rouget"},
                              {"role": "music", "name": "Joanna Bruzdowicz"}],
                     synopsis="Un voyage à travers la France des glaneurs, des champs aux marchés.",
                     subjects=["Cinéma", "Travail"], countries=["FR"], languages=["fr"], has_sme_captions=True,
                     national_number="CNC-DOC-000001", age_advice="Tous publics"),
            add_film(db, "Être et avoir", year=2002, duration_minutes=104, directors=["Nicolas Philibert"],
                     synopsis="Une classe unique dans un village d'Auvergne.", subjects=["Éducation"],
                     countries=["FR"], languages=["fr"], has_sme_captions=True, has_audio_description=True,
                     has_lsf=True),
            add_film(db, "Chroniques de la forêt", year=2019, duration_minutes=35, directors=["Anne Lenoir"],
                     synopsis="Une année d'écologie forestière dans les Ardennes.", subjects=["Écologie"],
                     countries=["BE", "FR"], languages=["fr", "nl"], has_sme_captions=True, has_lsf=True),
            add_film(db, "Demain", year=2015, duration_minutes=118, directors=["Cyril Dion", "Mélanie Laurent"],
                     synopsis="Des solutions concrètes aux crises écologiques et sociales.",
                     subjects=["Écologie", "Histoire"], countries=["FR"], languages=["fr", "en"],
                     has_audio_description=True),
            add_film(db, "La Sociologie est un sport de combat", year=2001, duration_minutes=146,
                     directors=["Pierre Carles"], synopsis="Pierre Bourdieu au travail.", subjects=["Travail"],
                     countries=["FR"], languages=["fr"]),
        ]
        draft = add_film(db, "Un film en préparation", status="draft", year=2024, subjects=["Histoire"])
        weeded = add_film(db, "Un film désherbé", year=1998, duration_minutes=52, directors=["Jean Dupont"],
                          subjects=["Histoire"])
        retire_film(db, weeded, "Droits de diffusion échus et non renouvelés.", None)
        ecologie = db.exec(select(Subject.id).where(Subject.label == "Écologie")).one()
        db.commit()
    assert ecologie is not None
    return Catalogue(available=available, draft=draft, weeded=weeded, ecologie=ecologie)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe_source())
    return page.evaluate(RUN_AXE, AXE_OPTIONS)


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{where}: [{violation['id']}] ({violation['impact']}) {violation['help']}"
                     f" - {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['summary']}")
    return "\n".join(lines)


class AxeWalk:
    """Visits pages in one browser page and keeps every violation, so that one run reports all there is to fix."""

    def __init__(self, page: Page, language: str) -> None:
        self.page = page
        self.language = language
        self.report: list[str] = []
        self.checked: list[str] = []

    def check(self, label: str) -> None:
        where = f"[{self.language}] {label} ({self.page.url})"
        # The page must really be in the language under test, or the English walk would re-check French pages.
        assert self.page.get_attribute("html", "lang") == self.language, where
        violations = axe_violations(self.page)
        if violations:
            self.report.append(describe(where, violations))
        self.checked.append(label)

    def visit(self, path: str, *showing: str, expected_status: int = 200) -> None:
        """Opens the page, checks it is in the state meant (status, what must be there), then runs axe."""
        response = self.page.goto(path)
        assert response is not None and response.status == expected_status, (path, response and response.status)
        for selector in showing:
            assert self.page.locator(selector).count() > 0, f"{path} does not show {selector}"
        self.check(path)


def log_in_through_the_form(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


@pytest.mark.parametrize(("browser_locale", "language"), [("fr-FR", "fr"), ("en-GB", "en")])
def test_every_public_and_staff_page_passes_axe(
    open_page: Callable[[str], Page], db_engine: Engine, browser_locale: str, language: str
) -> None:
    catalogue = seed_catalogue(db_engine)
    email = make_staff(db_engine, Role.CURATOR)
    walk = AxeWalk(open_page(browser_locale), language)
    film_id = catalogue.available[0]

    walk.visit("/", ".film-grid .film-card", ".subject-list a")
    walk.visit("/films", ".facets fieldset")
    walk.visit("/films?q=glaneurs", f".film-grid a[href='/films/{film_id}']")
    walk.visit("/films?q=introuvablexyz", ".search-results > p")
    walk.visit(f"/films?subject={catalogue.ecologie}&access=sme", f"#facet-subject-{catalogue.ecologie}:checked",
               "#facet-access-sme:checked", ".film-grid .film-card")
    walk.visit("/films?per_page=2&page=2", ".pager a[rel=prev]", ".pager a[rel=next]")
    walk.visit(f"/films/{film_id}", ".credits dd", ".details dd")
    walk.visit(f"/films/{catalogue.available[1]}", ".badges abbr")
    walk.visit("/login", "#email")
    walk.visit(f"/films/{catalogue.draft}", ".error-message", expected_status=404)
    walk.visit("/no-such-page", ".error-message", expected_status=404)
    walk.visit("/films?decade=1995", ".error-message", expected_status=400)

    log_in_through_the_form(walk.page, email, "not-the-password")
    assert walk.page.locator("#login-error").is_visible()
    walk.check("/login with a wrong password")

    log_in_through_the_form(walk.page, email)
    assert walk.page.url.endswith("/staff"), walk.page.url
    walk.visit("/staff", ".card-list a[href='/staff/films']")
    walk.visit("/staff/films", ".data-table tbody tr")
    walk.visit("/staff/films?status=draft", f".data-table a[href='/staff/films/{catalogue.draft}']")
    walk.visit("/staff/films/new", "#title", "#status")
    walk.visit(f"/staff/films/{film_id}", "#reason", "#subjects input:checked")
    walk.visit(f"/staff/films/{film_id}?saved=1", ".notice[role=status]")
    walk.visit(f"/staff/films/{catalogue.weeded}", ".notice", "input[type=hidden][name=status][value=weeded]")
    walk.visit(f"/staff/films/{catalogue.draft}", "#status")
    # The public pages again, with the staff header (name and log-out button).
    walk.visit("/films", ".inline-form .link-button")
    walk.visit(f"/films/{film_id}", ".inline-form .link-button")

    walk.page.goto("/staff/films/new")
    walk.page.fill("#year", "vingt")
    with walk.page.expect_navigation():
        walk.page.click("main form.stacked-form button[type=submit]")
    assert walk.page.locator(".error-summary").is_visible()
    assert walk.page.get_attribute("#title", "aria-invalid") == "true"
    walk.check("film form with errors (empty title, wrong year)")

    assert not walk.report, "axe-core found accessibility violations:\n" + "\n".join(walk.report)
    assert len(walk.checked) == 24


def press_tab_until(page: Page, selector: str, limit: int = 60) -> None:
    """Moves the keyboard focus forward until the element matching the selector has it, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def test_a_curators_new_film_is_found_by_a_keyboard_user_searching_without_accents(
    open_page: Callable[[str], Page], db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        ensure_subjects(db, SUBJECTS)
        db.commit()
    email = make_staff(db_engine, Role.CURATOR)
    title = "Le Dernier Glacier"

    curator = open_page("fr-FR")
    log_in_through_the_form(curator, email)
    curator.goto("/staff/films/new")
    curator.fill("#title", title)
    curator.fill("#directors", "Léa Martin")
    curator.fill("#year", "2023")
    curator.fill("#duration_minutes", "74")
    curator.fill("#synopsis", "Trois saisons au pied d'un glacier alpin : une leçon d'écologie en altitude.")
    curator.check("#has_sme_captions")
    curator.get_by_label("Écologie").check()
    curator.select_option("#status", FilmStatus.AVAILABLE.value)
    with curator.expect_navigation():
        curator.click("main form.stacked-form button[type=submit]")
    assert "saved=1" in curator.url, curator.url
    assert curator.locator(".notice").inner_text() == "Enregistré."

    patron = open_page("fr-FR")
    patron.goto("/")
    patron.keyboard.press("Tab")
    first_stop = patron.evaluate("document.activeElement.className")
    assert first_stop == "skip-link", f"the first Tab reaches {first_stop!r}, not the skip link"
    press_tab_until(patron, "#home-q")
    patron.keyboard.type("ecologie")
    with patron.expect_navigation():
        patron.keyboard.press("Enter")
    assert "/films?q=ecologie" in patron.url
    assert patron.locator("#results-title").inner_text().startswith("1 film")
    assert patron.get_by_role("link", name=title).is_visible()

    press_tab_until(patron, ".film-grid a")
    assert patron.evaluate("document.activeElement.textContent.trim()") == title
    with patron.expect_navigation():
        patron.keyboard.press("Enter")
    assert patron.locator("h1").inner_text() == title
    assert "leçon d'écologie" in patron.locator("main").inner_text()
    assert "Sous-titres pour sourds et malentendants (SME)" in patron.locator("main").inner_text()
