"""The rights pages (budget, acquisitions, licence, expiry, weedings, yearly summary) pass axe-core in French and in
English, with data in them and with a form's errors shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import Engine
from sqlmodel import Session

import rights.licences
from catalogue.acquisitions import weeding
from catalogue.acquisitions import workflow as acquisitions
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from tests.browser.test_accessibility import AxeWalk, log_in_through_the_form
from tests.conftest import make_staff
from tests.rights_helpers import make_film, make_line, terms

pytestmark = pytest.mark.browser


def seed_rights(engine: Engine) -> dict[str, int]:
    """This year's lines (one suspended), a film on offer whose rights end soon, a proposal, a decided weeding."""
    today = clock.paris_today()
    with Session(engine) as db:
        line = make_line(db, year=today.year, label="Contemporain")
        make_line(db, year=today.year, collection="classics", allocated_cents=0, label="Classiques",
                  status="suspended", status_reason="Aucun crédit")
        ending = make_film(db, "Le Chant des fleuves", status="draft")
        licence = rights.licences.propose_licence(db, ending, terms(start_date=today - timedelta(days=300),
                                                                    end_date=today + timedelta(days=20),
                                                                    budget_line_id=line), actor_id=None)
        assert licence.id is not None
        rights.licences.commit_licence(db, licence.id, actor_id=None)
        acquisitions.sign(db, licence.id, actor_id=None, contract_reference="CT-1")
        proposal = rights.licences.propose_licence(db, make_film(db, "Les Îles de la mémoire", status="draft"),
                                                   terms(start_date=today, end_date=today + timedelta(days=900)),
                                                   actor_id=None)
        weeding.run_daily(db)
        other = make_film(db, "Le Port", status="draft")
        second = rights.licences.propose_licence(db, other, terms(start_date=today - timedelta(days=10),
                                                                  end_date=today + timedelta(days=700),
                                                                  budget_line_id=line), actor_id=None)
        assert second.id is not None
        rights.licences.commit_licence(db, second.id, actor_id=None)
        acquisitions.sign(db, second.id, actor_id=None, contract_reference="CT-2")
        weeding.schedule_weeding(db, other, "Doublon d'une autre édition", actor_id=None,
                                 weeding_date=today + timedelta(days=40))
        db.commit()
        assert proposal.id is not None
        return {"signed": licence.id, "proposal": proposal.id, "year": today.year}


@pytest.mark.parametrize(("browser_locale", "language"), [("fr-FR", "fr"), ("en-GB", "en")])
def test_every_rights_page_passes_axe(open_page: Callable[[str], Page], db_engine: Engine, browser_locale: str,
                                      language: str) -> None:
    seeded = seed_rights(db_engine)
    walk = AxeWalk(open_page(browser_locale), language)
    log_in_through_the_form(walk.page, make_staff(db_engine, Role.BUDGET_HOLDER))
    walk.visit("/staff", "a[href='/staff/budget']")
    walk.visit(f"/staff/budget?year={seeded['year']}", "svg[role=img] title", "table caption", "polyline")
    walk.visit("/staff/acquisitions", "#film_id", "table caption")
    walk.visit(f"/staff/acquisitions/{seeded['proposal']}", "#commit-line")
    walk.visit(f"/staff/acquisitions/{seeded['signed']}", "#renew-end", "#terminate-reason")
    walk.visit("/staff/expiring?days=30", "table tbody tr")
    walk.visit("/staff/weedings", "table tbody tr", "#film_id")
    walk.visit(f"/staff/rights-summary?year={seeded['year']}", "table caption")

    walk.page.goto("/staff/acquisitions")
    walk.page.fill("#new_title", "Un film")
    walk.page.fill("#price", "12,345")
    with walk.page.expect_navigation():
        walk.page.click("main form.stacked-form button[type=submit]")
    assert walk.page.locator(".error-summary").is_visible()
    assert walk.page.get_attribute("#price", "aria-invalid") == "true"
    walk.check("acquisition form with errors")

    walk.page.goto(f"/staff/budget?year={seeded['year']}")
    walk.page.fill("#new-allocated", "-3")
    with walk.page.expect_navigation():
        walk.page.click("form[action='/staff/budget/lines'] button[type=submit]")
    assert walk.page.locator(".error-summary").is_visible()
    walk.check("budget line form with errors")

    assert not walk.report, "axe-core found accessibility violations:\n" + "\n".join(walk.report)
    assert len(walk.checked) == 10
