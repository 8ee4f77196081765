"""The acceptance scenario: a year shaped like the 2024 report of the cinema service, played through the API.

A contemporary line of 130,000 EUR receives 28 acquisitions totalling exactly 125,458 EUR; a renewals line pays
2 renewals for 4,400 EUR; the classics line is suspended and refuses a purchase; 11 films are weeded as their rights
end. The yearly report, its CSV and the summary show those counts and amounts to the cent, and the catalogue count
moves by +28 - 11.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

import rights.access
import rights.licences
from catalogue.acquisitions import weeding
from catalogue.acquisitions.workflow import publish_film
from cinedoc.kernel.accounts import Role
from tests.conftest import csrf_token, log_in, make_staff
from tests.rights_helpers import make_film, make_line, set_today, terms

ACQUISITION_TOTAL = 12_545_800
# 28 different prices that add up to 125,458.00 EUR exactly.
PRICES = [400_000 + 3_500 * index for index in range(28)]
PRICES[-1] += ACQUISITION_TOTAL - sum(PRICES)
RENEWAL_PRICES = (200_000, 240_000)


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


@pytest.fixture
def catalogue_before(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """20 films on offer, bought in 2023: 11 with rights ending one per month in 2024, 2 to be renewed, 7 running."""
    set_today(monkeypatch, date(2023, 1, 10))
    with Session(db_engine) as db:
        line = make_line(db, year=2023, allocated_cents=20_000_000, label="Contemporain 2023")
        plans = [month_end(2024, month) for month in range(1, 12)] + [date(2024, 6, 30), date(2024, 9, 30)]
        plans += [date(2026, 12, 31)] * 7
        ids: list[tuple[int, int]] = []
        for number, end in enumerate(plans):
            film = make_film(db, f"Film du fonds {number:02d}", status="draft")
            licence = rights.licences.propose_licence(
                db, film, terms(start_date=date(2023, 1, 10), end_date=end, price_cents=300_000, budget_line_id=line),
                actor_id=None)
            assert licence.id is not None
            rights.licences.commit_licence(db, licence.id, actor_id=None)
            rights.licences.sign_licence(db, licence.id, actor_id=None, contract_reference=f"F-{number}",
                                         today=date(2023, 1, 10))
            ids.append((film, licence.id))
        for _film, licence_id in ids:
            publish_film(db, rights.licences.get_licence(db, licence_id))
        db.commit()
    return {"ending": ids[:11], "renewed": ids[11:13], "running": ids[13:]}


def daily_job(engine: Engine, monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    set_today(monkeypatch, day)
    with Session(engine) as session:
        weeding.run_daily(session)
        session.commit()


def test_a_year_like_2024_adds_up_to_the_cent(app: Litestar, client: TestClient, db_engine: Engine,
                                              monkeypatch: pytest.MonkeyPatch,
                                              catalogue_before: dict[str, Any]) -> None:
    assert client.get("/api/films", params={"per_page": 1}).json()["total"] == 20
    holder = client
    log_in(holder, make_staff(db_engine, Role.BUDGET_HOLDER))
    holder_headers = {"x-csrftoken": csrf_token(holder)}
    set_today(monkeypatch, date(2024, 1, 8))
    lines = {}
    for collection, label, cents, status in (
        ("contemporary", "Acquisitions contemporaines 2024", 13_000_000, "open"),
        ("renewals", "Renouvellements 2024", 500_000, "open"),
        ("classics", "Collection classiques", 0, "suspended"),
    ):
        body = {"year": 2024, "collection": collection, "label": label, "allocated_cents": cents, "status": status}
        if status == "suspended":
            body["status_reason"] = "Aucune ligne provisionnée en 2024"
        response = holder.post("/api/rights/budget-lines", json=body, headers=holder_headers)
        assert response.status_code == 201, response.text
        lines[collection] = response.json()["id"]

    with TestClient(app, base_url="http://cinedoc.test") as curator:
        log_in(curator, make_staff(db_engine, Role.CURATOR))
        curator_headers = {"x-csrftoken": csrf_token(curator)}
        acquired: list[int] = []
        for number, price in enumerate(PRICES):
            month = 2 + number % 9  # February to October
            day = date(2024, month, 5 + number // 9)
            set_today(monkeypatch, day)
            # A few windows open on the first of the next month: the daily job puts those films on offer.
            start = date(2024, month + 1, 1) if number % 7 == 0 else day
            proposed = curator.post("/api/staff/acquisitions", headers=curator_headers, json={
                "film": {"title": f"Acquisition 2024 n° {number + 1}", "year": 2023},
                "licence": {"licensor": "Distributeur", "uses": ["streaming"], "territories": ["FR", "BE"],
                            "start_date": start.isoformat(), "end_date": "2027-12-31", "price_cents": price,
                            "budget_line_id": lines["contemporary"], "contract_reference": f"A24-{number:02d}"},
            })
            assert proposed.status_code == 201, proposed.text
            licence_id = proposed.json()["licence"]["id"]
            for action in ("commit", "sign"):
                response = holder.post(f"/api/staff/acquisitions/{licence_id}/{action}", json={},
                                       headers=holder_headers)
                assert response.status_code == 200, response.text
            acquired.append(proposed.json()["film"]["id"])

        # The classics line is suspended: a purchase is refused, saying why, and charges nothing.
        set_today(monkeypatch, date(2024, 4, 2))
        classic = curator.post("/api/staff/acquisitions", headers=curator_headers, json={
            "film": {"title": "Nanouk l'Esquimau", "year": 1922},
            "licence": {"licensor": "Lobster Films", "uses": ["streaming"], "territories": ["FR"],
                        "start_date": "2024-05-01", "end_date": "2029-04-30", "price_cents": 580_280},
        })
        assert classic.status_code == 201
        refused = holder.post(f"/api/staff/acquisitions/{classic.json()['licence']['id']}/commit",
                              json={"budget_line_id": lines["classics"]}, headers=holder_headers)
        assert refused.status_code == 409
        assert "suspendue" in refused.json()["detail"] and "Collection classiques" in refused.json()["detail"]

        # Two renewals of expiring licences, on the renewals line.
        for (_film, licence_id), price, day in zip(catalogue_before["renewed"], RENEWAL_PRICES,
                                                   (date(2024, 5, 20), date(2024, 8, 20)), strict=True):
            set_today(monkeypatch, day)
            expiring = holder.get("/api/staff/expiring", params={"days": 90}, headers=holder_headers).json()
            assert licence_id in {row["licence"]["id"] for row in expiring}
            renewal = curator.post(f"/api/staff/acquisitions/{licence_id}/renew", headers=curator_headers, json={
                "end_date": "2027-06-30", "price_cents": price, "budget_line_id": lines["renewals"],
                "contract_reference": f"R24-{licence_id}"})
            assert renewal.status_code == 201, renewal.text
            for action in ("commit", "sign"):
                response = holder.post(f"/api/staff/acquisitions/{renewal.json()['licence']['id']}/{action}",
                                       json={}, headers=holder_headers)
                assert response.status_code == 200, response.text

    # The daily job on the first of each month: activations, announcements a month ahead, weedings.
    for month in range(2, 13):
        daily_job(db_engine, monkeypatch, date(2024, month, 1))
    set_today(monkeypatch, date(2024, 12, 15))

    report = holder.get("/api/rights/reports/2024", headers=holder_headers).json()
    by_line = {line["collection"]: line for line in report["lines"]}
    contemporary = by_line["contemporary"]
    assert (contemporary["allocated_cents"], contemporary["committed_cents"], contemporary["spent_cents"],
            contemporary["remaining_cents"], contemporary["film_count"], contemporary["licence_count"],
            contemporary["average_price_cents"]) == (13_000_000, 12_545_800, 12_545_800, 454_200, 28, 28, 448_064)
    renewals = by_line["renewals"]
    assert (renewals["committed_cents"], renewals["spent_cents"], renewals["film_count"],
            renewals["average_price_cents"]) == (440_000, 440_000, 2, 220_000)
    classics = by_line["classics"]
    assert (classics["status"], classics["committed_cents"], classics["film_count"]) == ("suspended", 0, 0)
    assert report["totals"]["committed_cents"] == 12_985_800

    rows = {row["collection"]: row for row in csv.DictReader(io.StringIO(
        holder.get("/api/rights/reports/2024/csv", headers=holder_headers).text))}
    assert (rows["contemporary"]["committed_eur"], rows["contemporary"]["remaining_eur"],
            rows["contemporary"]["films"], rows["contemporary"]["average_price_eur"]) == (
        "125458.00", "4542.00", "28", "4480.64")
    assert (rows["renewals"]["committed_eur"], rows["renewals"]["films"]) == ("4400.00", "2")

    summary = holder.get("/api/staff/rights-summary/2024", headers=holder_headers).json()
    assert summary["acquisitions"] == {"count": 28, "amount_cents": 12_545_800}
    assert summary["renewals"] == {"count": 2, "amount_cents": 440_000}
    assert summary["weedings"] == {"count": 11, "rights_ended": 11, "decision": 0}
    assert summary["available_films"] == 20 + 28 - 11

    assert client.get("/api/films", params={"per_page": 1}).json()["total"] == 37
    weeded = {w["film"]["id"] for w in holder.get("/api/staff/weedings", params={"status": "done"},
                                                  headers=holder_headers).json()}
    assert weeded == {film for film, _ in catalogue_before["ending"]}
    with Session(db_engine) as db:
        today = date(2024, 12, 15)
        assert not any(rights.access.may_use(db, film, "streaming", "FR", today) for film in weeded)
        assert all(rights.access.may_use(db, film, "streaming", "BE", today) for film in acquired)
        assert all(rights.access.may_use(db, film, "streaming", "FR", today) for film, _ in catalogue_before["renewed"])
    page = holder.get("/staff/budget", params={"year": 2024})
    assert "125\u202f458,00\u00a0€" in page.text and "4\u202f542,00\u00a0€" in page.text
