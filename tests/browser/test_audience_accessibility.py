"""The statistics pages (the cinema service's, the cost per consultation, a librarian's, the API key page) pass
axe-core in French and in English, with two years of figures in them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.demo import add_demo_history
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from tests.browser.test_accessibility import AxeWalk, log_in_through_the_form
from tests.conftest import make_staff
from tests.playback_helpers import add_licence, make_institution, make_playable_film

pytestmark = pytest.mark.browser


def seed_usage(engine: Engine) -> int:
    today = clock.paris_today()
    with Session(engine) as db:
        institution = make_institution(db, "Médiathèque de Lyon").institution_id
        make_institution(db, "BU de Lille", category="university")
        for n in range(8):
            film = make_playable_film(db, None, f"Film documentaire {n}", licensed=False)
            add_licence(db, film, window=(date(today.year - 2, 1, 1), date(today.year, 12, 31)))
        add_demo_history(db)
        db.commit()
    return institution


@pytest.mark.parametrize(("browser_locale", "language"), [("fr-FR", "fr"), ("en-GB", "en")])
def test_every_statistics_page_passes_axe(open_page: Callable[[str], Page], db_engine: Engine, browser_locale: str,
                                          language: str) -> None:
    institution = seed_usage(db_engine)
    last_year = clock.paris_today().year - 1
    walk = AxeWalk(open_page(browser_locale), language)
    log_in_through_the_form(walk.page, make_staff(db_engine, Role.CURATOR))
    walk.visit(f"/staff/statistics?year={last_year}", "svg[role=img] title", "table caption", "dl")
    walk.visit("/staff/statistics/cost", "table caption", "#days-choice")
    walk.page.context.clear_cookies()

    email = make_staff(db_engine, Role.LIBRARIAN, f"lib-{language}@example.org")
    with Session(db_engine) as db:
        user = db.exec(select(StaffUser).where(StaffUser.email == email)).one()
        user.institution_id = institution
        db.add(user)
        db.commit()
    log_in_through_the_form(walk.page, email)
    walk.visit("/staff", "a[href='/staff/library-statistics']")
    walk.visit(f"/staff/library-statistics?year={last_year}", "svg[role=img] title", "table caption")
    with walk.page.expect_navigation():
        walk.page.click("form[action='/staff/library-statistics/api-key'] button[type=submit]")
    walk.check("COUNTER API key")

    assert not walk.report, "axe-core found accessibility violations:\n" + "\n".join(walk.report)
    assert len(walk.checked) == 5
