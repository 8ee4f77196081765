"""Through the API: a curator proposes, the budget holder commits and signs, and the film is on offer and playable
from the first day of its streaming window, not before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from catalogue.acquisitions import weeding
from cinedoc.kernel.accounts import Role
from tests.rights_helpers import Staff, set_today

LICENCE: dict[str, Any] = {
    "licensor": "Les Films du Sillage", "uses": ["streaming", "public_screening"], "territories": ["FR", "BE"],
    "start_date": "2024-03-01", "end_date": "2027-02-28", "price_cents": 448_064,
}


@pytest.fixture
def staff(client: TestClient, db_engine: Engine) -> Staff:
    return Staff(client, db_engine)


def open_line(client: TestClient, staff: Staff, **changes: Any) -> int:
    headers = staff.as_(Role.BUDGET_HOLDER)
    body = {"year": 2024, "collection": "contemporary", "label": "Acquisitions contemporaines 2024",
            "allocated_cents": 13_000_000, **changes}
    response = client.post("/api/rights/budget-lines", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_new_film_goes_from_proposal_to_the_public_catalogue_on_its_first_day(
    client: TestClient, staff: Staff, monkeypatch: pytest.MonkeyPatch, db_engine: Engine
) -> None:
    set_today(monkeypatch, date(2024, 2, 10))
    line = open_line(client, staff)
    curator = staff.as_(Role.CURATOR)
    proposed = client.post("/api/staff/acquisitions", headers=curator, json={
        "film": {"title": "Les Glaneurs et la glaneuse", "year": 2000, "directors": ["Agnès Varda"]},
        "licence": {**LICENCE, "budget_line_id": line},
    })
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    licence_id, film_id = body["licence"]["id"], body["film"]["id"]
    assert body["film"]["status"] == "draft"
    assert body["licence"]["status"] == "negotiating"
    assert body["licence"]["next_statuses"] == ["committed", "terminated"]
    assert body["licence"]["uses"] == ["streaming", "public_screening"]

    holder = staff.as_(Role.BUDGET_HOLDER)
    committed = client.post(f"/api/staff/acquisitions/{licence_id}/commit", json={}, headers=holder)
    assert committed.status_code == 200, committed.text
    assert committed.json()["licence"]["status"] == "committed"
    line_now = client.get(f"/api/rights/budget-lines/{line}", headers=holder).json()
    assert (line_now["committed_cents"], line_now["spent_cents"], line_now["remaining_cents"]) == (
        448_064, 0, 13_000_000 - 448_064)

    signed = client.post(f"/api/staff/acquisitions/{licence_id}/sign", json={"contract_reference": "CNC-2024-017"},
                         headers=holder)
    assert signed.status_code == 200, signed.text
    assert signed.json()["licence"]["status"] == "signed"  # the window opens on 1 March
    assert signed.json()["film"]["status"] == "draft"
    assert client.get(f"/api/films/{film_id}").status_code == 404
    access = client.get("/api/rights/access", params={"film_id": film_id, "use": "streaming", "territory": "FR"},
                        headers=holder).json()
    assert access["allowed"] is False and "2024-03-01" in access["reason"]

    set_today(monkeypatch, date(2024, 3, 1))
    with Session(db_engine) as session:
        report = weeding.run_daily(session)
        session.commit()
    assert report.activated_licences == [licence_id] and report.published_films == [film_id]
    assert client.get(f"/api/films/{film_id}").json()["title"] == "Les Glaneurs et la glaneuse"
    access = client.get("/api/rights/access", params={"film_id": film_id, "use": "streaming", "territory": "BE"},
                        headers=holder).json()
    assert access["allowed"] is True and access["licence_id"] == licence_id
    assert client.get(f"/api/staff/acquisitions/{licence_id}", headers=holder).json()["licence"]["status"] == "active"


def test_an_existing_film_signed_inside_its_window_is_on_offer_at_once(
    client: TestClient, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, date(2024, 4, 2))
    line = open_line(client, staff)
    curator = staff.as_(Role.CURATOR)
    film = client.post("/api/staff/films", json={"title": "Sans soleil", "status": "draft"}, headers=curator).json()
    licence = client.post("/api/staff/acquisitions", headers=curator, json={
        "film_id": film["id"], "licence": {**LICENCE, "contract_reference": "CT-88"}}).json()["licence"]
    holder = staff.as_(Role.BUDGET_HOLDER)
    assert client.post(f"/api/staff/acquisitions/{licence['id']}/commit", json={"budget_line_id": line},
                       headers=holder).status_code == 200
    signed = client.post(f"/api/staff/acquisitions/{licence['id']}/sign", json={}, headers=holder)
    assert signed.status_code == 200, signed.text
    assert signed.json()["licence"]["status"] == "active"
    assert signed.json()["licence"]["contract_reference"] == "CT-88"
    assert signed.json()["film"]["status"] == "available"


def test_a_renewal_follows_the_same_flow_and_starts_the_day_after(
    client: TestClient, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, date(2024, 4, 2))
    line = open_line(client, staff)
    renewals = open_line(client, staff, collection="renewals", label="Renouvellements 2024", allocated_cents=500_000)
    curator = staff.as_(Role.CURATOR)
    first = client.post("/api/staff/acquisitions", headers=curator, json={
        "film": {"title": "Le Joli Mai"}, "licence": {**LICENCE, "end_date": "2024-06-30", "budget_line_id": line,
                                                      "contract_reference": "CT-1"}}).json()["licence"]
    holder = staff.as_(Role.BUDGET_HOLDER)
    client.post(f"/api/staff/acquisitions/{first['id']}/commit", json={}, headers=holder)
    client.post(f"/api/staff/acquisitions/{first['id']}/sign", json={}, headers=holder)
    expiring = client.get("/api/staff/expiring", params={"days": 90}, headers=holder).json()
    assert [(row["licence"]["id"], row["days_left"], row["renewal_id"]) for row in expiring] == [
        (first["id"], 89, None)]

    curator = staff.as_(Role.CURATOR)
    renewal = client.post(f"/api/staff/acquisitions/{first['id']}/renew", headers=curator, json={
        "end_date": "2027-06-30", "price_cents": 220_000, "budget_line_id": renewals})
    assert renewal.status_code == 201, renewal.text
    assert renewal.json()["licence"]["kind"] == "renewal"
    assert renewal.json()["licence"]["start_date"] == "2024-07-01"
    assert renewal.json()["licence"]["territories"] == ["BE", "FR"]
    assert renewal.json()["licence"]["renews_licence_id"] == first["id"]
    holder = staff.as_(Role.BUDGET_HOLDER)
    expiring = client.get("/api/staff/expiring", params={"days": 90}, headers=holder).json()
    assert expiring[0]["renewal_id"] == renewal.json()["licence"]["id"]
    assert expiring[0]["renewal_status"] == "negotiating"
    assert client.get("/api/staff/expiring", params={"days": 30}, headers=holder).json() == []
