"""Administrators manage the network: institutions by category, subscriptions, origins, on-site ranges, contacts,
assertion keys (secret shown once) and librarian accounts; bad input gets a 4xx that names the field; other roles
get nothing; librarians get the embed snippet of their own institution only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from cinedoc.kernel.accounts import Role, StaffUser
from tests.conftest import csrf_token, log_in, make_staff
from tests.playback_helpers import make_institution

Login = Callable[[Role], dict[str, str]]


@pytest.fixture
def admin(login_as: Login) -> dict[str, str]:
    return {**login_as(Role.ADMINISTRATOR), "Accept-Language": "en"}


def create(client: TestClient, headers: dict[str, str], **fields: Any) -> Any:
    body = {"name": "Médiathèque de Quimper", "category": "local_authority", "country": "FR", **fields}
    return client.post("/api/institutions", json=body, headers=headers)


def test_the_list_counts_institutions_by_category(client: TestClient, admin: dict[str, str]) -> None:
    for n, category in enumerate(["local_authority", "local_authority", "university", "works_council"]):
        assert create(client, admin, name=f"Établissement {n}", category=category).status_code == 201
    body = client.get("/api/institutions", headers=admin).json()
    counts = {item["category"]: item["count"] for item in body["categories"]}
    assert counts == {"local_authority": 2, "departmental": 0, "university": 1, "works_council": 1}
    assert body["total"] == 4 and len(body["institutions"]) == 4
    universities = client.get("/api/institutions", params={"category": "university"}, headers=admin).json()
    assert [i["name"] for i in universities["institutions"]] == ["Établissement 2"]
    assert client.get("/api/institutions", params={"category": "zoo"}, headers=admin).status_code == 400


@pytest.mark.parametrize("fields,field", [
    ({"country": "XX"}, "country"), ({"isil": "not an isil"}, "isil"), ({"cas_server_url": "ftp://cas"}, None),
    ({"category": "museum"}, None), ({"name": ""}, None), ({"patron_monthly_limit": 0}, None),
])
def test_bad_institution_records_are_refused(client: TestClient, admin: dict[str, str], fields: dict[str, Any],
                                             field: str | None) -> None:
    response = create(client, admin, **fields)
    assert response.status_code == 400, response.text
    if field:
        assert response.json()["extra"][0]["key"] == field


def test_names_and_isils_are_unique(client: TestClient, admin: dict[str, str]) -> None:
    assert create(client, admin, isil="FR-751131015").status_code == 201
    duplicate = create(client, admin, name="Médiathèque de Quimper")
    assert duplicate.status_code == 409 and duplicate.json()["extra"][0]["key"] == "name"
    assert create(client, admin, name="Autre", isil="FR-751131015").status_code == 409


def test_an_institution_is_managed_through_the_api(client: TestClient, admin: dict[str, str]) -> None:
    institution = create(client, admin).json()
    base = f"/api/institutions/{institution['id']}"
    assert client.post(f"{base}/subscriptions", json={"start_date": "2024-01-01", "end_date": "2024-12-31"},
                       headers=admin).status_code == 201
    overlap = client.post(f"{base}/subscriptions", json={"start_date": "2024-06-01", "end_date": "2025-05-31"},
                          headers=admin)
    assert overlap.status_code == 409
    backwards = client.post(f"{base}/subscriptions", json={"start_date": "2025-06-01", "end_date": "2025-05-31"},
                            headers=admin)
    assert backwards.status_code == 400 and backwards.json()["extra"][0]["key"] == "end_date"
    origin = client.post(f"{base}/origins", json={"origin": "HTTPS://Portail.Quimper.fr:443/"}, headers=admin)
    assert origin.status_code == 201 and origin.json()["origin"] == "https://portail.quimper.fr"
    for bad in ("portail.quimper.fr", "https://portail.quimper.fr/films", "javascript:alert(1)",
                "https://a.fr; script-src *", "https://*.quimper.fr", "https://user@quimper.fr"):
        assert client.post(f"{base}/origins", json={"origin": bad}, headers=admin).status_code == 400, bad
    ipv6 = client.post(f"{base}/ip-ranges", json={"cidr": "2001:db8:12::/48", "label": "Wi-Fi"}, headers=admin)
    assert ipv6.status_code == 201
    assert client.post(f"{base}/ip-ranges", json={"cidr": "192.0.2.17/24"}, headers=admin).json()["cidr"] == \
        "192.0.2.0/24"
    for bad in ("0.0.0.0/0", "10.0.0.0/8", "::/0", "999.1.1.1", "2001:db8::/16"):
        assert client.post(f"{base}/ip-ranges", json={"cidr": bad}, headers=admin).status_code == 400, bad
    assert client.post(f"{base}/contacts", json={"name": "Anne Lecomte", "role": "Directrice",
                                                 "email": "anne@quimper.fr"}, headers=admin).status_code == 201
    assert client.post(f"{base}/contacts", json={"name": "X Y", "email": "not-an-email"},
                       headers=admin).status_code == 400
    key = client.post(f"{base}/keys", json={"label": "Portail Bibliopolis"}, headers=admin)
    assert key.status_code == 201 and len(key.json()["secret"]) >= 40
    librarian = client.post(f"{base}/librarians", json={"email": "lib@quimper.fr", "display_name": "Lib",
                                                        "password": "long-enough-password"}, headers=admin)
    assert librarian.status_code == 201
    assert client.post(f"{base}/librarians", json={"email": "short@quimper.fr", "password": "short"},
                       headers=admin).status_code == 400
    detail = client.get(base, headers=admin).json()
    assert len(detail["subscriptions"]) == 1 and detail["origins"][0]["origin"] == "https://portail.quimper.fr"
    assert {r["cidr"] for r in detail["ip_ranges"]} == {"2001:db8:12::/48", "192.0.2.0/24"}
    assert detail["keys"][0]["label"] == "Portail Bibliopolis" and "secret" not in detail["keys"][0]
    assert key.json()["secret"] not in client.get(base, headers=admin).text
    assert detail["librarians"][0]["email"] == "lib@quimper.fr"
    revoked = client.post(f"{base}/keys/{key.json()['kid']}/revoke", headers=admin)
    assert revoked.json()["status"] == "revoked"
    limits = client.patch(base, json={"patron_monthly_limit": 4, "monthly_ceiling": 500}, headers=admin)
    assert limits.json()["patron_monthly_limit"] == 4
    assert client.patch(base, json={"patron_monthly_limit": 0}, headers=admin).json()["patron_monthly_limit"] is None


def test_an_ip_range_belongs_to_one_institution(client: TestClient, admin: dict[str, str]) -> None:
    first, second = create(client, admin).json(), create(client, admin, name="Autre").json()
    assert client.post(f"/api/institutions/{first['id']}/ip-ranges", json={"cidr": "198.51.100.0/24"},
                       headers=admin).status_code == 201
    assert client.post(f"/api/institutions/{second['id']}/ip-ranges", json={"cidr": "198.51.100.0/24"},
                       headers=admin).status_code == 409


@pytest.mark.parametrize("role", [Role.CURATOR, Role.BUDGET_HOLDER, Role.LIBRARIAN])
def test_only_administrators_manage_institutions(client: TestClient, login_as: Login, role: Role) -> None:
    headers = login_as(role)
    assert client.get("/api/institutions", headers=headers).status_code == 403
    assert create(client, headers).status_code == 403
    assert client.post("/api/playback/keys", headers=headers).status_code == 403
    assert client.get("/staff/institutions").status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client: TestClient) -> None:
    assert client.get("/api/institutions").status_code == 401
    assert client.get("/staff/institutions", follow_redirects=False).status_code == 303


def test_the_admin_pages_list_create_and_change_institutions(client: TestClient, login_as: Login,
                                                             db: Session) -> None:
    login_as(Role.ADMINISTRATOR)
    token = csrf_token(client)
    page = client.get("/staff/institutions")
    assert page.status_code == 200 and "<caption>" in page.text
    made = client.post("/staff/institutions", data={"name": "BDP de l'Ain", "category": "departmental",
                                                    "country": "FR", "_csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    detail_url = made.headers["location"].split("?")[0]
    bad = client.post("/staff/institutions", data={"name": "X", "category": "departmental", "country": "ZZ",
                                                   "_csrf_token": token})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    assert client.get(detail_url).status_code == 200
    for path, data in [("/origins", {"origin": "https://bdp.ain.fr"}), ("/ip-ranges", {"cidr": "203.0.113.0/25"}),
                       ("/subscriptions", {"start_date": "2024-01-01", "end_date": "2026-12-31"}),
                       ("/contacts", {"name": "Paul", "email": "paul@ain.fr"})]:
        response = client.post(detail_url + path, data={**data, "_csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303, (path, response.text)
    key_page = client.post(detail_url + "/keys", data={"label": "portail", "_csrf_token": token})
    assert key_page.status_code == 200 and 'id="new-secret"' in key_page.text
    wrong = client.post(detail_url + "/origins", data={"origin": "not an origin", "_csrf_token": token})
    assert wrong.status_code == 400
    shown = client.get(detail_url).text
    assert "https://bdp.ain.fr" in shown and "203.0.113.0/25" in shown and 'id="new-secret"' not in shown
    assert client.get("/staff/playback-keys").status_code == 200


def test_a_librarian_gets_a_working_snippet_for_their_own_institution_only(
    client: TestClient, db: Session, db_engine: Any, playback_app: Any, film: int
) -> None:
    own = make_institution(db, "Médiathèque de Lorient")
    other = make_institution(db, "Médiathèque de Vannes")
    email = make_staff(db_engine, Role.LIBRARIAN, "lib@lorient.fr")
    user = db.exec(select(StaffUser).where(StaffUser.email == email)).one()
    user.institution_id = own.institution_id
    db.add(user)
    db.commit()
    log_in(client, email)
    page = client.get(f"/staff/institutions/{own.institution_id}/embed")
    assert page.status_code == 200 and "&lt;iframe" in page.text and "assertion=ey" in page.text
    assert client.get("/staff/embed", follow_redirects=False).headers["location"].endswith(
        f"/staff/institutions/{own.institution_id}/embed")
    assert client.get(f"/staff/institutions/{other.institution_id}/embed").status_code == 403
    snippet = client.get(f"/api/institutions/{own.institution_id}/embed/{film}").json()
    assert snippet["iframe"].startswith("<iframe") and snippet["url"].startswith("http://cinedoc.test/embed/")
    played = client.get(snippet["url"].removeprefix("http://cinedoc.test"))
    assert played.status_code == 200 and "data-grant" in played.text
    assert client.get(f"/api/institutions/{other.institution_id}/embed/{film}").status_code == 403
