"""Staff accounts: login and logout, the session cookie, CSRF, and guards by role."""

from __future__ import annotations

from collections.abc import Callable

from litestar.testing import TestClient
from sqlalchemy import Engine

from cinedoc.kernel.accounts import Role
from tests.conftest import PASSWORD, csrf_token, log_in, make_staff


def test_login_sets_a_signed_httponly_samesite_session_cookie_and_logout_ends_it(
    client: TestClient, db_engine: Engine
) -> None:
    email = make_staff(db_engine, Role.CURATOR)
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/staff/films", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/staff/films"
    cookie = [value for key, value in response.headers.multi_items()
              if key == "set-cookie" and value.startswith("cinedoc_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")
    assert email not in cookie  # the cookie is encrypted and authenticated, not readable
    assert client.get("/staff/films", follow_redirects=False).status_code == 200

    client.post("/logout", data={"_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert client.get("/staff/films", follow_redirects=False).status_code == 303


def test_a_tampered_session_cookie_is_not_a_login(client: TestClient, db_engine: Engine) -> None:
    log_in(client, make_staff(db_engine, Role.CURATOR))
    value = client.cookies["cinedoc_session"]
    middle = len(value) // 2
    # Flip one character inside the ciphertext (the end may be base64 padding, which decoders forgive).
    tampered = value[:middle] + ("B" if value[middle] != "B" else "C") + value[middle + 1:]
    client.cookies.set("cinedoc_session", tampered)
    assert client.get("/staff/films", follow_redirects=False).status_code == 303


def test_a_wrong_password_or_unknown_account_shows_the_login_page_again(client: TestClient, db_engine: Engine) -> None:
    email = make_staff(db_engine, Role.CURATOR)
    for attempt in ({"email": email, "password": "wrong-password"}, {"email": "nobody@x.org", "password": PASSWORD}):
        response = client.post("/login", data={**attempt, "_csrf_token": csrf_token(client)}, follow_redirects=False)
        assert response.status_code == 400
        assert "mot de passe" in response.text and 'name="password"' in response.text
        assert "cinedoc_session" not in client.cookies or client.get("/staff/films",
                                                                       follow_redirects=False).status_code == 303


def test_anonymous_staff_pages_lead_to_the_login_page_and_the_api_answers_401(client: TestClient) -> None:
    for path in ("/staff/films", "/staff/films/new", "/staff"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    followed = client.get("/staff/films")
    assert followed.status_code == 200 and 'name="password"' in followed.text
    assert client.get("/api/staff/films").status_code == 401


def test_a_wrong_role_gets_403(client: TestClient, login_as: Callable[[Role], dict[str, str]]) -> None:
    headers = login_as(Role.LIBRARIAN)
    assert client.get("/staff/films", follow_redirects=False).status_code == 403
    assert client.get("/api/staff/films").status_code == 403
    assert client.post("/api/staff/films", json={"title": "X"}, headers=headers).status_code == 403


def test_an_administrator_passes_every_staff_guard(client: TestClient,
                                                   login_as: Callable[[Role], dict[str, str]]) -> None:
    login_as(Role.ADMINISTRATOR)
    assert client.get("/staff/films").status_code == 200


def test_forms_and_json_calls_without_the_csrf_token_are_refused(client: TestClient, db_engine: Engine,
                                                                 subjects: list[str]) -> None:
    email = make_staff(db_engine, Role.CURATOR)
    client.get("/login")
    refused = client.post("/login", data={"email": email, "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 403
    log_in(client, email)
    assert client.post("/api/staff/films", json={"title": "Sans jeton"}).status_code == 403
    assert client.post("/staff/films/new", data={"title": "Sans jeton"}).status_code == 403
    assert client.get("/api/staff/films").json()["total"] == 0


def test_login_never_redirects_to_another_site(client: TestClient, db_engine: Engine) -> None:
    email = make_staff(db_engine, Role.CURATOR)
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "//evil.example/", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/staff"


def test_health_reports_the_database_state(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True and body["database"]["up_to_date"] is True
