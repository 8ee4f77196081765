"""Every attack of the issue is refused: tampered, truncated or expired tokens, film A's token on film B, a token after
the subscription ended, path traversal (also with encoded separators), forged, replayed or revoked assertions, a flood
of openings. Refusals are one bare 403 that says nothing of whether a film exists, and none reaches the storage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, select

from cinedoc.app import create_app
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.settings import Settings
from streaming.access.assertions import sign_assertion
from streaming.access.config import AccessSettings
from streaming.access.models import AssertionKey, KeyStatus, OpeningWindow, PlaybackSession, Subscription
from streaming.media.storage import LocalStorage
from streaming.runtime import runtime_for
from tests.conftest import TEST_SECRET
from tests.playback_helpers import PortalKey, make_institution, make_playable_film, media_path, token_of


class StorageSpy(LocalStorage):
    """Local storage that records every key it is asked about: a refused request must not appear here."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.touched: list[str] = []

    def local_path(self, key: str) -> Path | None:
        self.touched.append(key)
        return super().local_path(key)

    def read_bytes(self, key: str) -> bytes:
        self.touched.append(key)
        return super().read_bytes(key)


@pytest.fixture
def spy(playback_app: Litestar, media_root: Path) -> StorageSpy:
    storage = StorageSpy(media_root)
    runtime_for(playback_app.state).storage = storage
    return storage


@pytest.fixture
def session_url(open_session: Callable[..., Any], portal: PortalKey, film: int) -> str:
    response = open_session(film, assertion=portal.assertion())
    assert response.status_code == 201, response.text
    return media_path(response.json()["playlist_url"])


def refused_quietly(response: Any) -> bool:
    return response.status_code == 403 and response.content == b"Forbidden\n" and \
        response.headers["cache-control"] == "no-store"


def with_token(url: str, token: str) -> str:
    parts = url.split("/")
    parts[3] = token
    return "/".join(parts)


# --- tokens ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("change", ["kid", "expires", "institution", "session", "mac"])
def test_a_tampered_token_is_refused_before_the_storage(
    client: TestClient, session_url: str, spy: StorageSpy, change: str
) -> None:
    fields = token_of(session_url).split(".")
    index = ["kid", "expires", "institution", "session", "mac"].index(change)
    fields[index] = fields[index][:-1] + ("2" if fields[index][-1] != "2" else "3")
    assert refused_quietly(client.get(with_token(session_url, ".".join(fields))))
    assert spy.touched == []
    assert client.get(session_url).status_code == 200 and spy.touched  # the untouched token still works


@pytest.mark.parametrize("cut", [1, 20, 44, 80])
def test_a_truncated_token_is_refused(client: TestClient, session_url: str, spy: StorageSpy, cut: int) -> None:
    assert refused_quietly(client.get(with_token(session_url, token_of(session_url)[:-cut])))
    assert spy.touched == []


def test_a_token_expires_after_its_expiry_plus_two_minutes_of_skew(
    client: TestClient, session_url: str, spy: StorageSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    expires = int(token_of(session_url).split(".")[1])
    monkeypatch.setattr(clock, "utcnow", lambda: datetime.fromtimestamp(expires + 110, UTC))
    assert client.get(session_url).status_code == 200
    touched = len(spy.touched)
    monkeypatch.setattr(clock, "utcnow", lambda: datetime.fromtimestamp(expires + 121, UTC))
    assert refused_quietly(client.get(session_url))
    assert len(spy.touched) == touched


def test_film_as_token_does_not_open_film_bs_files(
    client: TestClient, session_url: str, spy: StorageSpy, db: Session, media_root: Path, film: int
) -> None:
    other = make_playable_film(db, media_root, "Un autre film")
    for path in (f"/{other}/master.m3u8", f"/{other}/v180/seg_00000.m4s"):
        url = session_url.replace(f"/{film}/master.m3u8", path)
        assert refused_quietly(client.get(url))
    assert spy.touched == []


def test_a_token_says_nothing_about_whether_a_film_exists(
    client: TestClient, session_url: str, spy: StorageSpy, film: int
) -> None:
    missing = client.get(session_url.replace(f"/{film}/", "/987654/"))
    draftlike = client.get(session_url.replace(f"/{film}/", f"/{film + 1}/"))
    assert refused_quietly(missing) and refused_quietly(draftlike)
    assert missing.content == draftlike.content and spy.touched == []


def test_a_token_dies_with_its_institutions_subscription(
    client: TestClient, session_url: str, spy: StorageSpy, db: Session, portal: PortalKey, film: int,
    open_session: Callable[..., Any],
) -> None:
    assert client.get(session_url).status_code == 200
    subscription = db.exec(select(Subscription).where(Subscription.institution_id == portal.institution_id)).one()
    subscription.end_date = clock.paris_today() - timedelta(days=1)
    db.add(subscription)
    db.commit()
    touched = len(spy.touched)
    assert refused_quietly(client.get(session_url))
    assert len(spy.touched) == touched
    refused = open_session(film, assertion=portal.assertion())
    assert refused.status_code == 403 and refused.json()["reason"] == "subscription"


def test_a_revoked_session_is_refused(
    client: TestClient, session_url: str, spy: StorageSpy, db: Session, login_as: Callable[..., dict[str, str]]
) -> None:
    session_id = token_of(session_url).split(".")[3]
    response = client.post(f"/api/playback/sessions/{session_id}/revoke", headers=login_as(Role.ADMINISTRATOR))
    assert response.status_code == 204
    assert refused_quietly(client.get(session_url)) and spy.touched == []


def test_a_token_of_a_revoked_playback_key_is_refused(
    client: TestClient, session_url: str, spy: StorageSpy, login_as: Callable[..., dict[str, str]]
) -> None:
    headers = login_as(Role.ADMINISTRATOR)
    kid = token_of(session_url).split(".")[0]
    assert client.post("/api/playback/keys", headers=headers).status_code == 201
    assert client.post(f"/api/playback/keys/{kid}/revoke", headers=headers).status_code == 201
    assert refused_quietly(client.get(session_url)) and spy.touched == []


# --- paths ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tail", [
    "%2E%2E/%2E%2E/%2E%2E/etc/passwd", "v180/%2E%2E/%2E%2E/0001-test/master.m3u8", "..%2F..%2F..%2Fetc%2Fpasswd",
    "v180%2Fseg_00000.m4s", "v180%2fseg_00000.m4s", "%2Fetc%2Fpasswd", "v180%5Cseg_00000.m4s", "..%5C..%5Cwin.ini",
    ".hidden.m3u8", "v180/.seg.m4s", "master.m3u8%00.jpg", "a/b/c/d/e/f.m4s",
    "v180/seg_00000.m4s.bak", "cinedoc.sqlite3", "v180/seg%2500000.m4s", "%252E%252E/master.m3u8",
])
def test_traversal_and_odd_paths_are_refused_before_the_storage(
    client: TestClient, session_url: str, spy: StorageSpy, tail: str
) -> None:
    url = session_url.replace("master.m3u8", tail)
    response = client.get(url)
    assert response.status_code in (403, 404)  # 404 only when the router itself refuses the shape
    if response.status_code == 403:
        assert refused_quietly(response)
    assert spy.touched == []


def test_traversal_with_raw_dot_segments_is_refused(playback_app: Litestar, session_url: str,
                                                    spy: StorageSpy) -> None:
    # httpx normalises "/../" away, so the request is made at the ASGI level, as a hostile client would send it.
    import asyncio

    path = session_url.replace("master.m3u8", "../../../../etc/passwd")
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": [(b"host", b"cinedoc.test")], "scheme": "http",
             "server": ("cinedoc.test", 80), "client": ("127.0.0.1", 5000), "root_path": "", "state": {}}
    asyncio.run(playback_app(scope, receive, send))  # type: ignore[arg-type]
    start = next(m for m in messages if m["type"] == "http.response.start")
    assert start["status"] in (403, 404)
    assert spy.touched == []


# --- assertions -----------------------------------------------------------------------------------------------------

def test_a_forged_assertion_opens_nothing(open_session: Callable[..., Any], portal: PortalKey, film: int,
                                          db: Session) -> None:
    forged = sign_assertion("guessed-secret", portal.kid, {"iss": str(portal.institution_id), "sub": "x",
                                                           "exp": int(clock.utcnow().timestamp()) + 60,
                                                           "jti": "forged-nonce-0001"})
    response = open_session(film, assertion=forged, headers={"Accept-Language": "en"})
    assert response.status_code == 403 and "signature" in response.json()["detail"]
    assert db.exec(select(PlaybackSession)).first() is None


def test_a_replayed_assertion_is_refused(open_session: Callable[..., Any], portal: PortalKey, film: int) -> None:
    assertion = portal.assertion(nonce="replayed-nonce-0001")
    assert open_session(film, assertion=assertion).status_code == 201
    again = open_session(film, assertion=assertion, headers={"Accept-Language": "en"})
    assert again.status_code == 403 and "already used" in again.json()["detail"]


def test_a_replayed_assertion_is_refused_by_another_app_process(
    open_session: Callable[..., Any], portal: PortalKey, film: int, db_engine: Any, tmp_path: Path
) -> None:
    assertion = portal.assertion(nonce="shared-between-processes")
    assert open_session(film, assertion=assertion).status_code == 201
    other = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path / "other"), engine=db_engine)
    with TestClient(other, base_url="http://cinedoc.test") as second:
        response = second.post("/api/playback/sessions", json={"film_id": film, "assertion": assertion})
    assert response.status_code == 403


def test_a_nonce_spent_on_a_refused_opening_stays_spent(
    open_session: Callable[..., Any], db: Session, media_root: Path
) -> None:
    portal = make_institution(db, "Médiathèque de Metz", patron_monthly_limit=1)
    films = [make_playable_film(db, media_root, f"Film {n}") for n in range(2)]
    assert open_session(films[0], assertion=portal.assertion("p")).status_code == 201
    assertion = portal.assertion("p", nonce="refused-but-spent-01")
    assert open_session(films[1], assertion=assertion).json()["reason"] == "patron_limit"
    assert open_session(films[0], assertion=assertion).status_code == 403  # not reusable for an allowed film


def test_an_expired_assertion_is_refused(open_session: Callable[..., Any], portal: PortalKey, film: int) -> None:
    old = portal.assertion(now=clock.utcnow().timestamp() - 900, expires_in=300)
    response = open_session(film, assertion=old, headers={"Accept-Language": "en"})
    assert response.status_code == 403 and "expired" in response.json()["detail"]


def test_an_assertion_from_a_revoked_key_is_refused(
    client: TestClient, open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session,
    login_as: Callable[..., dict[str, str]],
) -> None:
    assertion = portal.assertion()
    headers = login_as(Role.ADMINISTRATOR)
    response = client.post(f"/api/institutions/{portal.institution_id}/keys/{portal.kid}/revoke", headers=headers)
    assert response.status_code == 201 and response.json()["status"] == "revoked"
    assert db.exec(select(AssertionKey.status).where(AssertionKey.kid == portal.kid)).one() == KeyStatus.REVOKED
    refused = open_session(film, assertion=assertion, headers={"Accept-Language": "en"})
    assert refused.status_code == 403 and "revoked" in refused.json()["detail"]


def test_an_unusable_grant_is_refused(open_session: Callable[..., Any], portal: PortalKey, film: int) -> None:
    grant = open_session(film, assertion=portal.assertion()).json()["grant"]
    for bad in (grant[:-2], grant.replace(f".{portal.institution_id}.", ".999.", 1), "k1.1.1.assertion.-.xx", ""):
        response = open_session(film, grant=bad)
        assert response.status_code == 403


def test_an_opening_without_credentials_is_refused(open_session: Callable[..., Any], film: int) -> None:
    response = open_session(film)
    assert response.status_code == 403


# --- flood ----------------------------------------------------------------------------------------------------------

def test_a_flood_of_openings_from_one_patron_gets_a_clear_429(
    open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session
) -> None:
    grant = open_session(film, assertion=portal.assertion("flooder")).json()["grant"]
    statuses = [open_session(film, grant=grant).status_code for _ in range(12)]
    assert statuses[:9] == [201] * 9 and statuses[9:] == [429] * 3  # 10 a minute, the first one included
    refused = open_session(film, grant=grant, headers={"Accept-Language": "en"})
    assert refused.json()["reason"] == "rate_limited" and "wait a minute" in refused.json()["detail"]
    assert refused.headers["retry-after"] == "60"
    other = open_session(film, assertion=portal.assertion("someone-else"))
    assert other.status_code == 201  # one patron's flood does not stop the others


def test_the_opening_count_is_shared_by_every_app_process(
    open_session: Callable[..., Any], portal: PortalKey, film: int, db_engine: Any, tmp_path: Path,
    media_root: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2030, 3, 4, 10, 0, 5, tzinfo=UTC))
    now = clock.utcnow().timestamp()
    grant = open_session(film, assertion=portal.assertion("shared", now=now)).json()["grant"]
    other = create_app(Settings(secret_key=TEST_SECRET, data_dir=tmp_path / "other"), engine=db_engine)
    other.state["access_settings"] = AccessSettings(access_cache_seconds=0, session_openings_per_minute=10)
    runtime_for(other.state).storage = LocalStorage(media_root)
    with TestClient(other, base_url="http://cinedoc.test") as second:
        statuses = []
        for turn in range(10):
            if turn % 2:
                statuses.append(open_session(film, grant=grant).status_code)
            else:
                statuses.append(second.post("/api/playback/sessions",
                                            json={"film_id": film, "grant": grant}).status_code)
    assert statuses.count(201) == 9 and statuses[-1] == 429
    assert db_engine is not None
    with Session(db_engine) as session:
        assert session.exec(select(OpeningWindow.count)).all() == [11]
    # The next minute starts a new window.
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2030, 3, 4, 10, 1, 1, tzinfo=UTC))
    assert open_session(film, grant=grant).status_code == 201


def test_subscriptions_that_end_today_still_play_today(
    open_session: Callable[..., Any], db: Session, media_root: Path
) -> None:
    portal = make_institution(db, "Médiathèque de Caen", subscription=(date(2020, 1, 1), clock.paris_today()))
    assert open_session(make_playable_film(db, media_root), assertion=portal.assertion()).status_code == 201
