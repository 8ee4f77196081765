"""Statistics pages: the cinema service sees every institution, a librarian only their own (whatever they ask for),
every table downloads as CSV, cost per consultation ranks current licences."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.viewing.log import add_to_month
from audience.viewing.models import MonthlyUsage
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from tests.conftest import csrf_token, log_in, make_staff
from tests.playback_helpers import add_licence, make_institution, make_playable_film

NOW = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def usage(db: Session) -> dict[str, Any]:
    lyon = make_institution(db, "Médiathèque de Lyon").institution_id
    brest = make_institution(db, "Bibliothèque de Brest", category="university").institution_id
    popular = make_playable_film(db, None, "Le Film Populaire", licensed=False)
    rare = make_playable_film(db, None, "Le Film Rare", licensed=False)
    unseen = make_playable_film(db, None, "Le Film Oublié", licensed=False)
    add_licence(db, popular, window=(date(2024, 1, 1), date(2025, 7, 31)))
    add_licence(db, rare, window=(date(2024, 1, 1), date(2026, 12, 31)))
    table = MonthlyUsage.__table__  # type: ignore[attr-defined]
    for month, institution, film, count in (("2024-02", lyon, popular, 40), ("2025-02", lyon, popular, 30),
                                            ("2025-03", brest, popular, 20), ("2025-04", brest, rare, 4)):
        add_to_month(db, table, month, institution, film, {
            "total_item_requests": count, "total_item_investigations": count + 2, "watched_seconds": count * 600,
            "completion_permille": count * 500})
    db.commit()
    return {"lyon": lyon, "brest": brest, "popular": popular, "rare": rare, "unseen": unseen}


def librarian_of(client: TestClient, db_engine: Engine, institution_id: int) -> None:
    email = make_staff(db_engine, Role.LIBRARIAN, f"lib{institution_id}@example.org")
    with Session(db_engine) as session:
        user = session.exec(select(StaffUser).where(StaffUser.email == email)).one()
        user.institution_id = institution_id
        session.add(user)
        session.commit()
    log_in(client, email)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_service_page_compares_years_and_shows_every_institution(
        client: TestClient, curator: dict[str, str], usage: dict[str, Any]) -> None:
    page = client.get("/staff/statistics", params={"year": "2025"})
    assert page.status_code == 200
    assert "<svg" in page.text and "Médiathèque de Lyon" in page.text and "Bibliothèque de Brest" in page.text
    assert "+35,0 %" in page.text or "+35.0 %" in page.text  # 54 against 40
    assert "Le Film Oublié" in page.text  # never watched in 2025


def test_every_service_table_downloads_as_csv(client: TestClient, curator: dict[str, str],
                                              usage: dict[str, Any]) -> None:
    institutions = rows_of(client.get("/staff/statistics/csv/institutions", params={"year": "2025"}).text)
    assert {(r["label"], r["consultations"]) for r in institutions} == {("Médiathèque de Lyon", "30"),
                                                                        ("Bibliothèque de Brest", "24")}
    months = rows_of(client.get("/staff/statistics/csv/months", params={"year": "2025"}).text)
    assert len(months) == 12 and months[1]["consultations"] == "30"
    assert months[1]["average_watch_seconds"] == "600" and months[1]["average_completion"] == "0.500"
    categories = rows_of(client.get("/staff/statistics/csv/categories", params={"year": "2025"}).text)
    assert {r["key"]: r["consultations"] for r in categories} == {"local_authority": "30", "university": "24"}
    films = rows_of(client.get("/staff/statistics/csv/films", params={"year": "2025"}).text)
    assert [r["label"] for r in films] == ["Le Film Populaire", "Le Film Rare"]
    never = rows_of(client.get("/staff/statistics/csv/never-watched", params={"year": "2025"}).text)
    assert [r["title"] for r in never] == ["Le Film Oublié"]
    assert client.get("/staff/statistics/csv/unknown").status_code == 404
    assert client.get("/staff/statistics", params={"year": "twenty"}).status_code == 400


def test_cost_per_consultation_ranks_current_licences_and_their_window(
        client: TestClient, curator: dict[str, str], usage: dict[str, Any]) -> None:
    rows = rows_of(client.get("/staff/statistics/csv/cost").text)
    # 1,000 EUR each: the rare film cost 250 EUR per consultation, the popular one 1000/90.
    assert [(r["title"], r["consultations"], r["cost_per_consultation_eur"]) for r in rows] == [
        ("Le Film Rare", "4", "250.00"), ("Le Film Populaire", "90", "11.11")]
    page = client.get("/staff/statistics/cost", params={"days": "60"})
    assert "Le Film Populaire" in page.text and "Le Film Rare" not in page.text  # only rights ending soon
    assert client.get("/staff/statistics/cost", params={"days": "0"}).status_code == 400


def test_a_librarian_sees_only_their_own_library(client: TestClient, db_engine: Engine,
                                                 usage: dict[str, Any]) -> None:
    librarian_of(client, db_engine, usage["brest"])
    page = client.get("/staff/library-statistics", params={"year": "2025", "institution": str(usage["lyon"])})
    assert page.status_code == 200
    assert "Bibliothèque de Brest" in page.text and "Médiathèque de Lyon" not in page.text
    films = rows_of(client.get("/staff/library-statistics/csv/films",
                               params={"year": "2025", "institution": str(usage["lyon"])}).text)
    assert {(r["label"], r["consultations"]) for r in films} == {("Le Film Populaire", "20"), ("Le Film Rare", "4")}
    tsv = client.get("/staff/library-statistics/counter/ir_m1",
                     params={"begin_date": "2025-01", "end_date": "2025-05", "institution": str(usage["lyon"])})
    assert tsv.status_code == 200
    assert "Institution_Name\tBibliothèque de Brest" in tsv.text and "Lyon" not in tsv.text
    assert client.get("/staff/statistics").status_code == 403
    assert client.get("/staff/statistics/csv/institutions").status_code == 403


def test_a_librarian_creates_an_api_key_that_opens_the_counter_api(client: TestClient, db_engine: Engine,
                                                                   usage: dict[str, Any]) -> None:
    librarian_of(client, db_engine, usage["brest"])
    page = client.post("/staff/library-statistics/api-key",
                       data={"institution": str(usage["lyon"]), "_csrf_token": csrf_token(client)})
    assert page.status_code == 200
    customer_id = page.text.split("<code>")[1].split("</code>")[0]
    api_key = page.text.split("<code>")[2].split("</code>")[0]
    members = client.get("/r51/members", params={"customer_id": customer_id, "api_key": api_key}).json()
    assert [m["Institution_Name"] for m in members] == ["Bibliothèque de Brest"]


def test_statistics_need_a_login(client: TestClient, usage: dict[str, Any]) -> None:
    assert client.get("/staff/statistics", follow_redirects=False).status_code in (302, 303)
    assert client.get("/staff/library-statistics", follow_redirects=False).status_code in (302, 303)


def test_an_administrator_names_the_library(client: TestClient, login_as: Callable[[Role], dict[str, str]],
                                            usage: dict[str, Any]) -> None:
    login_as(Role.ADMINISTRATOR)
    assert client.get("/staff/library-statistics").status_code == 400
    page = client.get("/staff/library-statistics", params={"institution": str(usage["lyon"]), "year": "2025"})
    assert "Médiathèque de Lyon" in page.text


def test_the_rights_expiry_page_leads_to_the_cost_of_the_films_ending_soon(
        client: TestClient, curator: dict[str, str], usage: dict[str, Any]) -> None:
    page = client.get("/staff/expiring", params={"days": "90"})
    assert page.status_code == 200
    assert 'href="/staff/statistics/cost?days=90"' in page.text
    # The expiry list itself shows the consultations in the licence's window and the cost of each.
    row = page.text[page.text.index("Le Film Populaire"):].split("</tr>")[0]
    assert ">90<" in row and "11,11" in row
    listed = client.get("/api/staff/expiring", params={"days": "90"}).json()
    assert [(r["film"]["title"], r["consultations"], r["cost_per_consultation_cents"]) for r in listed] == [
        ("Le Film Populaire", 90, 1111)]
    cost = client.get("/staff/statistics/cost", params={"days": "90"})
    assert "Le Film Populaire" in cost.text and "11,11" in cost.text


def test_a_film_title_that_looks_like_a_formula_stays_text_in_csv(client: TestClient, curator: dict[str, str],
                                                                   db: Session, usage: dict[str, Any]) -> None:
    trap = make_playable_film(db, None, "=HYPERLINK(\"http://x\")", licensed=False)
    add_to_month(db, MonthlyUsage.__table__, "2025-01", usage["lyon"], trap,  # type: ignore[attr-defined]
                 {"total_item_requests": 1})
    db.commit()
    films = rows_of(client.get("/staff/statistics/csv/films", params={"year": "2025"}).text)
    assert "'=HYPERLINK(\"http://x\")" in {r["label"] for r in films}
