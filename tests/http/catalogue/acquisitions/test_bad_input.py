"""Every bad input of the rights workflow gets a clear 4xx naming the problem, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from catalogue.films.models import Film
from cinedoc.kernel.accounts import Role
from rights.models import BudgetLine, Licence, LicenceGrant
from tests.rights_helpers import Staff, set_today

GOOD: dict[str, Any] = {
    "licensor": "Ad Vitam", "uses": ["streaming"], "territories": ["FR", "BE"],
    "start_date": "2024-01-01", "end_date": "2026-12-31", "price_cents": 350_000,
}


def snapshot(engine: Engine) -> tuple[Any, ...]:
    with Session(engine) as session:
        counts = tuple(session.exec(select(func.count()).select_from(table)).one()
                       for table in (Film, Licence, LicenceGrant, BudgetLine))
        statuses = tuple(session.exec(select(Licence.id, Licence.status, Licence.committed_at)
                                      .order_by(Licence.id)).all())
        return counts, statuses


@pytest.fixture
def world(client: TestClient, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A line, a film with a signed streaming licence in France and Belgium, and a second film being negotiated."""
    set_today(monkeypatch, date(2024, 2, 1))
    staff = Staff(client, db_engine)
    holder = staff.as_(Role.BUDGET_HOLDER)
    line = client.post("/api/rights/budget-lines", headers=holder, json={
        "year": 2024, "collection": "contemporary", "label": "Contemporain 2024", "allocated_cents": 1_000_000,
    }).json()["id"]
    curator = staff.as_(Role.CURATOR)
    signed = client.post("/api/staff/acquisitions", headers=curator, json={
        "film": {"title": "Nénette"}, "licence": {**GOOD, "budget_line_id": line, "contract_reference": "C-1"},
    }).json()
    pending = client.post("/api/staff/acquisitions", headers=curator, json={
        "film": {"title": "Bovines"}, "licence": {**GOOD, "budget_line_id": line},
    }).json()
    holder = staff.as_(Role.BUDGET_HOLDER)
    for action in ("commit", "sign"):
        response = client.post(f"/api/staff/acquisitions/{signed['licence']['id']}/{action}", json={},
                               headers=holder)
        assert response.status_code == 200, response.text
    return {"staff": staff, "line": line, "signed": signed, "pending": pending}


def expect_refusal(client: TestClient, engine: Engine, call: Callable[[], Any], status: int,
                   field: str | None = None, words: str = "") -> dict[str, Any]:
    before = snapshot(engine)
    response = call()
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status_code"] == status
    if field:
        assert field in {item["key"] for item in body.get("extra", [])} or any(
            field in str(item.get("key", "")) for item in body.get("extra", [])), body
    if words:
        assert words in body["detail"] or any(words in item["message"] for item in body.get("extra", [])), body
    assert snapshot(engine) == before, "a refused request changed the database"
    return body


def propose(client: TestClient, world: dict[str, Any], **licence: Any) -> Any:
    headers = world["staff"].as_(Role.CURATOR)
    return client.post("/api/staff/acquisitions", headers=headers, json={
        "film": {"title": "Un film de plus"}, "licence": {**GOOD, **licence}})


def test_a_window_that_ends_before_it_starts_is_refused(client: TestClient, db_engine: Engine,
                                                        world: dict[str, Any]) -> None:
    expect_refusal(client, db_engine, lambda: propose(client, world, start_date="2025-01-01", end_date="2024-12-31"),
                   400, "end_date", "Le contrat se termine avant de commencer.")


@pytest.mark.parametrize(("price", "field"), [(-1, "price_cents"), (12.5, "price_cents"), (0.001, "price_cents")])
def test_a_negative_price_or_one_that_is_not_whole_cents_is_refused(
    client: TestClient, db_engine: Engine, world: dict[str, Any], price: Any, field: str
) -> None:
    expect_refusal(client, db_engine, lambda: propose(client, world, price_cents=price), 400, field)


def test_an_unknown_territory_is_refused_and_named(client: TestClient, db_engine: Engine,
                                                   world: dict[str, Any]) -> None:
    expect_refusal(client, db_engine, lambda: propose(client, world, territories=["FR", "XK", "ZZ", "EU"]), 400,
                   "territories", "XK, ZZ, EU")


def test_overlapping_streaming_licences_for_one_film_and_territory_are_refused(
    client: TestClient, db_engine: Engine, world: dict[str, Any]
) -> None:
    film_id = world["signed"]["film"]["id"]
    headers = world["staff"].as_(Role.CURATOR)

    def overlapping() -> Any:
        return client.post("/api/staff/acquisitions", headers=headers, json={
            "film_id": film_id, "licence": {**GOOD, "territories": ["BE"], "start_date": "2026-12-31",
                                            "end_date": "2028-12-31"}})

    body = expect_refusal(client, db_engine, overlapping, 409, "start_date")
    assert "BE" in body["detail"] and str(world["signed"]["licence"]["id"]) in body["detail"]
    # The day after is free, and another territory or a screening-only licence never clashes.
    for licence in ({"start_date": "2027-01-01", "end_date": "2028-12-31"},
                    {"territories": ["CH"]}, {"uses": ["public_screening"]}):
        response = client.post("/api/staff/acquisitions", headers=headers,
                               json={"film_id": film_id, "licence": {**GOOD, **licence}})
        assert response.status_code == 201, (licence, response.text)


ACTION_BODIES: dict[str, dict[str, Any]] = {"commit": {}, "sign": {"contract_reference": "X"}, "activate": {}}


@pytest.mark.parametrize(("which", "action"), [("pending", "sign"), ("pending", "activate"), ("signed", "commit"),
                                               ("signed", "sign")])
def test_a_transition_that_skips_a_status_or_goes_back_is_refused(
    client: TestClient, db_engine: Engine, world: dict[str, Any], which: str, action: str
) -> None:
    licence_id = world[which]["licence"]["id"]
    headers = world["staff"].as_(Role.BUDGET_HOLDER)
    body = expect_refusal(client, db_engine, lambda: client.post(
        f"/api/staff/acquisitions/{licence_id}/{action}", json=ACTION_BODIES[action], headers=headers), 409,
        "status")
    assert f"{licence_id}" in body["detail"]


@pytest.mark.parametrize("action", ["commit", "sign", "terminate"])
def test_a_curator_cannot_commit_sign_or_terminate(client: TestClient, db_engine: Engine, world: dict[str, Any],
                                                   action: str) -> None:
    licence_id = world["pending"]["licence"]["id"]
    headers = world["staff"].as_(Role.CURATOR)
    expect_refusal(client, db_engine, lambda: client.post(
        f"/api/staff/acquisitions/{licence_id}/{action}", json={"reason": "Parce que"}, headers=headers), 403)


def test_a_librarian_cannot_propose_or_read_the_budget(client: TestClient, db_engine: Engine,
                                                       world: dict[str, Any]) -> None:
    headers = world["staff"].as_(Role.LIBRARIAN)
    expect_refusal(client, db_engine, lambda: client.post("/api/staff/acquisitions", headers=headers, json={
        "film": {"title": "X"}, "licence": GOOD}), 403)
    assert client.get("/api/rights/budget-lines", headers=headers).status_code == 403
    assert client.get("/api/rights/reports/2024/csv", headers=headers).status_code == 403


def test_signing_without_a_contract_reference_is_refused(client: TestClient, db_engine: Engine,
                                                         world: dict[str, Any]) -> None:
    licence_id = world["pending"]["licence"]["id"]
    headers = world["staff"].as_(Role.BUDGET_HOLDER)
    assert client.post(f"/api/staff/acquisitions/{licence_id}/commit", json={}, headers=headers).status_code == 200
    expect_refusal(client, db_engine, lambda: client.post(f"/api/staff/acquisitions/{licence_id}/sign", json={},
                                                          headers=headers), 400, "contract_reference")


@pytest.mark.parametrize(
    ("payload", "status"),
    [({"film_id": 999_999, "licence": GOOD}, 404),
     ({"film_id": 1, "film": {"title": "Both"}, "licence": GOOD}, 400),
     ({"licence": GOOD}, 400),
     ({"film": {"title": "X"}, "licence": {**GOOD, "uses": []}}, 400),
     ({"film": {"title": "X"}, "licence": {**GOOD, "uses": ["download"]}}, 400),
     ({"film": {"title": "X"}, "licence": {**GOOD, "budget_line_id": 999_999}}, 400),
     ({"film": {"title": "X"}, "licence": {**GOOD, "start_date": "2024-02-30"}}, 400),
     ({"film": {"title": "X"}, "licence": {**GOOD, "royalties": 3}}, 400)],
)
def test_malformed_proposals_are_refused(client: TestClient, db_engine: Engine, world: dict[str, Any],
                                         payload: dict[str, Any], status: int) -> None:
    headers = world["staff"].as_(Role.CURATOR)
    expect_refusal(client, db_engine, lambda: client.post("/api/staff/acquisitions", headers=headers, json=payload),
                   status)


def test_bad_budget_line_input_is_refused(client: TestClient, db_engine: Engine, world: dict[str, Any]) -> None:
    headers = world["staff"].as_(Role.BUDGET_HOLDER)
    for body, status in (
        ({"year": 2024, "collection": "contemporary", "label": "Doublon", "allocated_cents": 1}, 409),
        ({"year": 2024, "collection": "docs", "label": "Négatif", "allocated_cents": -100}, 400),
        ({"year": 2024, "collection": "docs", "label": "Centimes", "allocated_cents": 10.5}, 400),
        ({"year": 1850, "collection": "docs", "label": "Trop tôt", "allocated_cents": 100}, 400),
    ):
        expect_refusal(client, db_engine, lambda body=body: client.post("/api/rights/budget-lines", json=body,
                                                                        headers=headers), status)
    line = world["line"]
    expect_refusal(client, db_engine, lambda: client.patch(f"/api/rights/budget-lines/{line}", headers=headers,
                                                           json={"status": "suspended"}), 400, "status_reason")
    expect_refusal(client, db_engine, lambda: client.patch(f"/api/rights/budget-lines/{line}", headers=headers,
                                                           json={"allocated_cents": 1}), 409, "allocated_cents")


@pytest.mark.parametrize(
    ("params", "status"),
    [({"film_id": 1, "use": "download", "territory": "FR"}, 400),
     ({"film_id": 1, "use": "streaming", "territory": "XX"}, 400),
     ({"film_id": "abc", "use": "streaming", "territory": "FR"}, 400),
     ({"film_id": 1, "use": "streaming", "territory": "FR", "day": "2024-13-01"}, 400)],
)
def test_the_access_question_refuses_malformed_parameters(client: TestClient, world: dict[str, Any],
                                                          params: dict[str, Any], status: int) -> None:
    headers = world["staff"].as_(Role.CURATOR)
    response = client.get("/api/rights/access", params=params, headers=headers)
    assert response.status_code == status, response.text
