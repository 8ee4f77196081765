"""The budget holder's page, report JSON and CSV: the year's figures per line, a chart, and forms that manage lines."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from cinedoc.kernel.accounts import Role
from rights import budgets, licences
from tests.conftest import csrf_token
from tests.rights_helpers import Staff, make_film, make_line, set_today, terms


@pytest.fixture
def year_2024(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Two lines: contemporary (two films committed in March and May, one signed) and a suspended classics line."""
    with Session(db_engine) as db:
        line = make_line(db, allocated_cents=13_000_000, label="Contemporain 2024")
        classics = make_line(db, collection="classics", allocated_cents=0, label="Classiques 2024",
                             status="suspended", status_reason="Aucun crédit provisionné")
        for day, title, price in ((date(2024, 3, 12), "Dernières nouvelles du cosmos", 450_000),
                                  (date(2024, 5, 20), "Il était une forêt", 333_333)):
            set_today(monkeypatch, day)
            licence = licences.propose_licence(db, make_film(db, title), terms(price_cents=price,
                                                                               budget_line_id=line), actor_id=None)
            assert licence.id is not None
            licences.commit_licence(db, licence.id, actor_id=None)
            if price == 450_000:
                licences.sign_licence(db, licence.id, actor_id=None, contract_reference="C-1", today=day)
        db.commit()
    return {"line": line, "classics": classics}


def test_the_report_gives_each_lines_figures_to_the_cent(client: TestClient, db_engine: Engine,
                                                          year_2024: dict[str, int]) -> None:
    headers = Staff(client, db_engine).as_(Role.BUDGET_HOLDER)
    report = client.get("/api/rights/reports/2024", headers=headers).json()
    lines = {line["collection"]: line for line in report["lines"]}
    assert {key: lines["contemporary"][key] for key in (
        "allocated_cents", "committed_cents", "spent_cents", "remaining_cents", "film_count",
        "average_price_cents")} == {"allocated_cents": 13_000_000, "committed_cents": 783_333,
                                    "spent_cents": 450_000, "remaining_cents": 12_216_667, "film_count": 2,
                                    "average_price_cents": 391_667}
    assert lines["classics"]["status"] == "suspended" and lines["classics"]["committed_cents"] == 0
    assert report["totals"]["committed_cents"] == 783_333
    monthly = {item["label"]: item["cumulative_cents"] for item in
               client.get("/api/rights/reports/2024/monthly", headers=headers).json()}
    assert monthly["Contemporain 2024"][1] == 0
    assert monthly["Contemporain 2024"][2] == 450_000
    assert monthly["Contemporain 2024"][4:] == [783_333] * 8


def test_the_csv_for_finance_has_one_row_per_line_and_the_totals(client: TestClient, db_engine: Engine,
                                                                 year_2024: dict[str, int]) -> None:
    headers = Staff(client, db_engine).as_(Role.BUDGET_HOLDER)
    response = client.get("/api/rights/reports/2024/csv", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "cinedoc-budget-2024.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    by_label = {row["label"]: row for row in rows}
    assert by_label["Contemporain 2024"]["committed_eur"] == "7833.33"
    assert by_label["Contemporain 2024"]["remaining_eur"] == "122166.67"
    assert by_label["Contemporain 2024"]["average_price_eur"] == "3916.67"
    assert by_label["Classiques 2024"]["status"] == "suspended"
    assert by_label["total"]["allocated_eur"] == "130000.00"
    assert [row["label"] for row in rows][-1] == "total"


def test_the_budget_page_shows_the_figures_and_an_accessible_chart(client: TestClient, db_engine: Engine,
                                                                   year_2024: dict[str, int]) -> None:
    Staff(client, db_engine).as_(Role.BUDGET_HOLDER)
    page = client.get("/staff/budget", params={"year": 2024})
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1") == 1
    assert "7\u202f833,33\u00a0€" in html and "122\u202f166,67\u00a0€" in html
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="budget-chart-title budget-chart-desc"', html)
    assert '<title id="budget-chart-title">' in html and "Contemporain 2024 : 7\u202f833,33\u00a0€ engagés" in html
    assert html.count("<polyline") == 2  # one per line
    assert "<caption>" in html
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, f"field {field_id} has no label"


def test_the_budget_holder_suspends_a_line_and_opens_one_through_the_page(
    client: TestClient, db_engine: Engine, year_2024: dict[str, int]
) -> None:
    Staff(client, db_engine).as_(Role.BUDGET_HOLDER)
    token = csrf_token(client)
    no_reason = client.post(f"/staff/budget/lines/{year_2024['line']}", data={
        "status": "suspended", "status_reason": "", "_csrf_token": token})
    assert no_reason.status_code == 400 and "Indiquez pourquoi" in no_reason.text
    done = client.post(f"/staff/budget/lines/{year_2024['line']}", data={
        "status": "suspended", "status_reason": "Gel des crédits", "allocated": "130 000,00", "_csrf_token": token},
        follow_redirects=False)
    assert done.status_code == 303
    created = client.post("/staff/budget/lines", data={
        "year": "2025", "collection": "renewals", "label": "Renouvellements 2025", "allocated": "4 400",
        "_csrf_token": token}, follow_redirects=False)
    assert created.status_code == 303, created.text
    wrong = client.post("/staff/budget/lines", data={
        "year": "2025", "collection": "docs", "label": "Centimes", "allocated": "10,005", "_csrf_token": token})
    assert wrong.status_code == 400 and "deux décimales" in wrong.text
    with Session(db_engine) as db:
        lines = {line.collection: line for line in budgets.list_budget_lines(db)
                 if line.year == 2025 or line.id == year_2024["line"]}
    assert lines["contemporary"].status == "suspended"
    assert lines["renewals"].allocated_cents == 440_000
    assert "docs" not in lines


def test_budget_pages_and_reports_are_for_the_budget_holder(client: TestClient, db_engine: Engine) -> None:
    Staff(client, db_engine).as_(Role.CURATOR)
    assert client.get("/staff/budget").status_code == 403
    assert client.get("/api/rights/reports/2024").status_code == 403
    client.cookies.clear()
    assert client.get("/staff/budget", follow_redirects=False).status_code in (302, 303)
