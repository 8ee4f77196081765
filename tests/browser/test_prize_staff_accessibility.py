"""The prize's staff pages (the cinema service's editions, form, edition page with its charts and recount; the
librarians' ballot form, read-only ballot with their patrons' chart, and kit) pass axe-core in French and English,
with an edition that has ballots in both rounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.prize.ballots import cast_librarian_ballot, cast_public_vote
from audience.prize.count import settle, shortlist
from audience.prize.editions import create_edition
from audience.prize.schemas import EditionTerms
from cinedoc.kernel.accounts import Role, StaffUser
from streaming.playback.sessions import PatronIdentity
from tests.browser.test_accessibility import AxeWalk, log_in_through_the_form
from tests.conftest import make_staff
from tests.prize_helpers import edition_json, librarian, library, nominated_films
from tests.rights_helpers import set_today

pytestmark = pytest.mark.browser


def seed_prize(engine: Engine, monkeypatch: pytest.MonkeyPatch, language: str) -> tuple[int, str]:
    """An edition whose librarians' round is counted and whose public round is under way; returns its id and the
    e-mail of a librarian who voted."""
    set_today(monkeypatch, date(2023, 9, 15))
    with Session(engine, expire_on_commit=False) as db:
        films = nominated_films(db)
        lyon = library(db, "Médiathèque de Lyon")
        lille = library(db, "BU de Lille", category="university")
        emails = [librarian(engine, lyon, f"anne-{language}@lyon.fr"),
                  librarian(engine, lille, f"lea-{language}@lille.fr")]
        edition = create_edition(db, EditionTerms.model_validate(edition_json(films)))
        db.commit()
        assert edition.id is not None
        edition_id = edition.id
        for number, email in enumerate(emails):
            user = db.exec(select(StaffUser).where(StaffUser.email == email)).one()
            cast_librarian_ballot(db, edition_id, user, films[number:number + 4], day=date(2023, 10, 20))
        db.commit()
        settle(db, edition_id, date(2024, 3, 8))
        db.commit()
        chosen = shortlist(db, edition_id)
        for day, institution, voter, film in [(date(2024, 3, 8), lyon, "p1", chosen[0]),
                                              (date(2024, 3, 8), lille, "p2", chosen[1]),
                                              (date(2024, 3, 9), lyon, "p3", chosen[2])]:
            cast_public_vote(db, edition_id, PatronIdentity(institution, voter, "assertion"), film, day)
        db.commit()
    return edition_id, emails[0]


@pytest.mark.parametrize(("browser_locale", "language"), [("fr-FR", "fr"), ("en-GB", "en")])
def test_every_prize_staff_page_passes_axe(open_page: Callable[[str], Page], db_engine: Engine,
                                           monkeypatch: pytest.MonkeyPatch, browser_locale: str,
                                           language: str) -> None:
    edition_id, email = seed_prize(db_engine, monkeypatch, language)
    set_today(monkeypatch, date(2024, 3, 10))
    walk = AxeWalk(open_page(browser_locale), language)
    log_in_through_the_form(walk.page, make_staff(db_engine, Role.CURATOR))
    walk.visit("/staff", "a[href='/staff/prize']")
    walk.visit("/staff/prize", "table caption", f"a[href='/staff/prize/{edition_id}']")
    walk.visit("/staff/prize/new", "input[type=date]", "input[name=nominees]")
    walk.page.fill("#pick_count", "many")
    with walk.page.expect_navigation():
        walk.page.click("main form button[type=submit]")
    assert walk.page.locator("#pick_count-error").count() == 1 and walk.page.locator("#title-error").count() == 1
    walk.check("edition form with errors")
    walk.visit(f"/staff/prize/{edition_id}/edit", "#pick_count[disabled]")
    walk.visit(f"/staff/prize/{edition_id}", "svg#public-days title", "svg#public-categories",
               "svg#librarian-days", "table caption")
    with walk.page.expect_navigation():
        walk.page.click(f"form[action='/staff/prize/{edition_id}/recount'] button[type=submit]")
    assert walk.page.locator("#recount-result").count() == 1
    walk.check("recount")
    walk.page.context.clear_cookies()

    log_in_through_the_form(walk.page, email)
    walk.visit("/staff/library-prize", "svg#patron-days title", f"a[href='/staff/library-prize/{edition_id}/kit']")
    walk.visit(f"/staff/library-prize/{edition_id}/kit", "#ballot-snippet", ".poster")
    set_today(monkeypatch, date(2023, 10, 21))
    walk.visit("/staff/library-prize", "input[name=films][checked]", "#ballot-rule")
    walk.page.locator("input[name=films][checked]").first.uncheck()
    with walk.page.expect_navigation():
        walk.page.click("form[action$='/ballot'] button[type=submit]")
    assert walk.page.locator("[role=alert]").count() >= 1
    walk.check("refused ballot")

    assert not walk.report, "axe-core found accessibility violations:\n" + "\n".join(walk.report)
    assert len(walk.checked) == 11
