"""Budget lines: committed and spent come from licences; a commitment past the allocation, or on a suspended or
closed line, is refused with the amount or the reason; cancelling before signature gives the money back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from cinedoc.kernel.errors import Conflict, InvalidInput
from rights import budgets, licences, reports
from rights.schemas import BudgetLineUpdate
from tests.rights_helpers import make_film, make_line, terms


def proposal(db: Session, title: str, price_cents: int, line_id: int | None = None, **changes: object) -> int:
    licence = licences.propose_licence(db, make_film(db, title), terms(price_cents=price_cents,
                                                                       budget_line_id=line_id, **changes),
                                       actor_id=None)
    assert licence.id is not None
    return licence.id


def figures(db: Session, line_id: int) -> tuple[int, int, int, int]:
    record = budgets.budget_line_records(db, [budgets.get_budget_line(db, line_id)])[0]
    return record.committed_cents, record.spent_cents, record.remaining_cents, record.film_count


def test_committed_and_spent_follow_the_licences(db: Session) -> None:
    line = make_line(db, allocated_cents=1_000_000)
    first = proposal(db, "A", 300_000, line)
    second = proposal(db, "B", 200_000, line)
    assert figures(db, line) == (0, 0, 1_000_000, 0)  # a proposal charges nothing
    licences.commit_licence(db, first, actor_id=None)
    licences.commit_licence(db, second, actor_id=None)
    assert figures(db, line) == (500_000, 0, 500_000, 2)
    licences.sign_licence(db, first, actor_id=None, contract_reference="C-1", today=date(2024, 1, 2))
    assert figures(db, line) == (500_000, 300_000, 500_000, 2)


def test_a_commitment_past_the_allocation_is_refused_saying_by_how_much(db: Session) -> None:
    line = make_line(db, allocated_cents=1_000_000, label="Contemporain 2024")
    licences.commit_licence(db, proposal(db, "A", 900_000, line), actor_id=None)
    too_much = proposal(db, "B", 100_001, line)
    with pytest.raises(Conflict) as caught:
        licences.commit_licence(db, too_much, actor_id=None)
    message = caught.value.localized()
    assert "Contemporain 2024" in message
    assert "0,01\u00a0€" in message  # by how much (French is the default language)
    assert "1\u202f000,01\u00a0€" in message  # the price asked
    assert licences.get_licence(db, too_much).status == "negotiating"
    exactly = proposal(db, "C", 100_000, line)
    licences.commit_licence(db, exactly, actor_id=None)  # the last euro can be spent
    assert figures(db, line)[2] == 0


@pytest.mark.parametrize(("status", "word"), [("suspended", "suspended"), ("closed", "closed")])
def test_a_suspended_or_closed_line_refuses_any_commitment(db: Session, status: str, word: str) -> None:
    line = make_line(db, collection="classics", allocated_cents=17_408_400)
    licence = proposal(db, "Nanouk", 500_000)
    budgets.update_budget_line(db, line, BudgetLineUpdate(status=status, status_reason="Pas de crédits en 2024"))
    with pytest.raises(Conflict, match=word):
        licences.commit_licence(db, licence, actor_id=None, budget_line_id=line)
    assert licences.get_licence(db, licence).status == "negotiating"
    assert figures(db, line)[0] == 0


def test_a_proposal_against_a_suspended_line_is_refused_at_once(db: Session) -> None:
    line = make_line(db, collection="classics", status="suspended", status_reason="Pas de crédits")
    with pytest.raises(Conflict, match="suspended"):
        proposal(db, "Nanouk", 500_000, line)


def test_cancelling_before_signature_releases_the_money_but_not_after(db: Session) -> None:
    line = make_line(db, allocated_cents=1_000_000)
    cancelled = proposal(db, "A", 400_000, line)
    licences.commit_licence(db, cancelled, actor_id=None)
    licences.terminate_licence(db, cancelled, actor_id=None, reason="Le distributeur a renoncé")
    assert figures(db, line)[0] == 0
    paid = proposal(db, "B", 300_000, line, start_date=date(2024, 1, 1))
    licences.commit_licence(db, paid, actor_id=None)
    licences.sign_licence(db, paid, actor_id=None, contract_reference="C-2", today=date(2024, 2, 1))
    licences.terminate_licence(db, paid, actor_id=None, reason="Film retiré par l'ayant droit")
    assert figures(db, line)[:2] == (300_000, 300_000)


def test_the_allocation_cannot_drop_below_what_is_committed(db: Session) -> None:
    line = make_line(db, allocated_cents=1_000_000)
    licences.commit_licence(db, proposal(db, "A", 600_000, line), actor_id=None)
    with pytest.raises(Conflict, match="below"):
        budgets.update_budget_line(db, line, BudgetLineUpdate(allocated_cents=599_999))
    budgets.update_budget_line(db, line, BudgetLineUpdate(allocated_cents=600_000))
    assert figures(db, line)[2] == 0


def test_a_line_status_needs_a_reason_and_a_closed_line_stays_closed(db: Session) -> None:
    line = make_line(db)
    with pytest.raises(InvalidInput, match="Say why"):
        budgets.update_budget_line(db, line, BudgetLineUpdate(status="suspended"))
    budgets.update_budget_line(db, line, BudgetLineUpdate(status="closed", status_reason="Exercice clos"))
    with pytest.raises(Conflict):
        budgets.update_budget_line(db, line, BudgetLineUpdate(status="open"))


def test_one_line_per_year_and_collection(db: Session) -> None:
    make_line(db, year=2024, collection="contemporary")
    make_line(db, year=2025, collection="contemporary")
    with pytest.raises(Conflict):
        make_line(db, year=2024, collection="Contemporary")


def test_the_yearly_report_averages_to_the_cent_and_counts_films_once(db: Session) -> None:
    line = make_line(db, allocated_cents=13_000_000)
    film = make_film(db, "Renouvelé")
    windows = ((date(2024, 1, 1), date(2024, 6, 30), 100_001), (date(2024, 7, 1), date(2025, 6, 30), 100_000))
    for start, end, price in windows:
        licence = licences.propose_licence(db, film, terms(start_date=start, end_date=end, price_cents=price,
                                                           budget_line_id=line), actor_id=None)
        assert licence.id is not None
        licences.commit_licence(db, licence.id, actor_id=None)
    report = reports.budget_report(db, 2024)
    assert report.totals.film_count == 1 and report.totals.licence_count == 2
    assert report.lines[0].average_price_cents == 100_001  # 100,000.5 cents rounds half up
    assert reports.budget_report(db, 2023).lines == []
