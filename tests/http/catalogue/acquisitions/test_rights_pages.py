"""The staff pages of the rights workflow: a curator proposes through a form, the budget holder commits and signs
from the licence page, and the expiry, weeding and summary pages show the state; every page has one h1, labelled
fields and captioned tables."""

from __future__ import annotations

import re
from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from catalogue.films.models import Film
from cinedoc.kernel.accounts import Role
from rights.models import BudgetLine, Licence
from tests.conftest import csrf_token
from tests.rights_helpers import Staff, make_line, set_today

PROPOSAL = {
    "new_title": "Le Monde sans fin", "new_year": "2021", "licensor": "Docks 66", "uses": ["streaming"],
    "territories": "FR, BE", "start_date": "2024-01-01", "end_date": "2024-05-31", "price": "3 250,50",
}


def assert_accessible(html: str) -> None:
    assert html.count("<h1") == 1
    for field_id in re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, f"field {field_id} has no label"
    assert html.count("<table") == html.count("<caption>")
    assert html.count("<th scope=") >= html.count("<table")


@pytest.fixture
def staff(client: TestClient, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Staff:
    set_today(monkeypatch, date(2024, 2, 15))
    with Session(db_engine) as db:
        make_line(db, label="Contemporain 2024")
        db.commit()
    return Staff(client, db_engine)


def licence_id_from(location: str) -> int:
    match = re.search(r"/staff/acquisitions/(\d+)", location)
    assert match, location
    return int(match.group(1))


def test_from_proposal_form_to_signature_on_the_licence_page(client: TestClient, db_engine: Engine,
                                                             staff: Staff) -> None:
    staff.as_(Role.CURATOR)
    page = client.get("/staff/acquisitions")
    assert page.status_code == 200
    assert_accessible(page.text)
    proposed = client.post("/staff/acquisitions", data={**PROPOSAL, "_csrf_token": csrf_token(client)},
                           follow_redirects=False)
    assert proposed.status_code == 303, proposed.text
    licence_id = licence_id_from(proposed.headers["location"])
    detail = client.get(f"/staff/acquisitions/{licence_id}")
    assert "3\u202f250,50\u00a0€" in detail.text and "relèvent du responsable budgétaire" in detail.text
    assert f'action="/staff/acquisitions/{licence_id}/commit"' not in detail.text  # not the curator's step
    assert_accessible(detail.text)

    staff.as_(Role.BUDGET_HOLDER)
    token = csrf_token(client)
    detail = client.get(f"/staff/acquisitions/{licence_id}")
    line_id = re.search(r'<option value="(\d+)"[^>]*>2024 · Contemporain 2024', detail.text).group(1)
    committed = client.post(f"/staff/acquisitions/{licence_id}/commit", data={"budget_line_id": line_id,
                                                                             "_csrf_token": token},
                            follow_redirects=False)
    assert committed.status_code == 303
    unsigned = client.post(f"/staff/acquisitions/{licence_id}/sign", data={"contract_reference": "",
                                                                          "_csrf_token": token})
    assert unsigned.status_code == 400 and "référence de son contrat" in unsigned.text
    signed = client.post(f"/staff/acquisitions/{licence_id}/sign", data={"contract_reference": "CNC-24-003",
                                                                        "_csrf_token": token},
                         follow_redirects=False)
    assert signed.status_code == 303
    with Session(db_engine) as db:
        licence = db.get(Licence, licence_id)
        assert licence is not None and licence.status == "active"
        film = db.get(Film, licence.film_id)
        assert film is not None and (film.status, film.year) == ("available", 2021)

    expiring = client.get("/staff/expiring", params={"days": 180})
    assert expiring.status_code == 200 and "Le Monde sans fin" in expiring.text
    assert_accessible(expiring.text)
    assert "Le Monde sans fin" not in client.get("/staff/expiring", params={"days": 30}).text
    assert client.get("/staff/expiring", params={"days": 45}).status_code == 400


def test_the_proposal_form_names_each_wrong_field_and_saves_nothing(client: TestClient, db_engine: Engine,
                                                                    staff: Staff) -> None:
    staff.as_(Role.CURATOR)
    wrong = {**PROPOSAL, "end_date": "2023-12-31", "price": "12,345", "territories": "FR, QQ", "uses": []}
    response = client.post("/staff/acquisitions", data={**wrong, "_csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert 'id="price-error"' in response.text and "deux décimales" in response.text
    assert 'value="12,345"' in response.text  # what the curator typed is kept
    response = client.post("/staff/acquisitions", data={**PROPOSAL, "end_date": "2023-12-31",
                                                        "_csrf_token": csrf_token(client)})
    assert response.status_code == 400 and "se termine avant de commencer" in response.text
    response = client.post("/staff/acquisitions", data={**PROPOSAL, "territories": "FR, QQ",
                                                        "_csrf_token": csrf_token(client)})
    assert response.status_code == 400 and "QQ" in response.text
    response = client.post("/staff/acquisitions", data={**PROPOSAL, "new_title": "", "film_id": "",
                                                        "_csrf_token": csrf_token(client)})
    assert response.status_code == 400 and 'id="film_id-error"' in response.text
    with Session(db_engine) as db:
        assert db.exec(select(Licence)).all() == []
        assert db.exec(select(Film)).all() == []


def test_weeding_and_summary_pages(client: TestClient, db_engine: Engine, staff: Staff,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    staff.as_(Role.CURATOR)
    client.post("/staff/acquisitions", data={**PROPOSAL, "_csrf_token": csrf_token(client)})
    staff.as_(Role.BUDGET_HOLDER)
    token = csrf_token(client)
    with Session(db_engine) as db:
        licence = db.exec(select(Licence)).one()
        line_id = db.exec(select(BudgetLine.id)).one()
    client.post(f"/staff/acquisitions/{licence.id}/commit", data={"budget_line_id": str(line_id),
                                                                  "_csrf_token": token})
    client.post(f"/staff/acquisitions/{licence.id}/sign", data={"contract_reference": "C", "_csrf_token": token})
    staff.as_(Role.CURATOR)
    token = csrf_token(client)
    refused = client.post("/staff/weedings", data={"film_id": str(licence.film_id), "reason": "",
                                                   "_csrf_token": token})
    assert refused.status_code == 400 and "Indiquez pourquoi" in refused.text
    decided = client.post("/staff/weedings", data={"film_id": str(licence.film_id), "reason": "Doublon",
                                                   "weeding_date": "2024-03-01", "_csrf_token": token},
                          follow_redirects=False)
    assert decided.status_code == 303, decided.text
    page = client.get("/staff/weedings")
    assert_accessible(page.text)
    assert "Le Monde sans fin" in page.text
    # The notice comes a month before the weeding at most, and never before the decision.
    assert "<td>15 février 2024</td><td>1 mars 2024</td>" in page.text
    summary = client.get("/staff/rights-summary", params={"year": 2024})
    assert summary.status_code == 200
    assert_accessible(summary.text)
    assert "3\u202f250,50\u00a0€" in summary.text
    assert client.get("/staff/rights-summary", params={"year": "20x4"}).status_code == 400


def test_librarians_do_not_reach_the_rights_pages(client: TestClient, db_engine: Engine, staff: Staff) -> None:
    staff.as_(Role.LIBRARIAN)
    for path in ("/staff/acquisitions", "/staff/expiring", "/staff/weedings", "/staff/rights-summary",
                 "/staff/budget"):
        assert client.get(path).status_code == 403, path
