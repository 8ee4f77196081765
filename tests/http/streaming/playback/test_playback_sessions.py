"""Opening playback sessions over HTTP: a portal's assertion (or the player's grant) gives a signed playlist URL that
the gateway serves, with byte ranges and cache headers that keep one patron's playlist to that patron."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from cinedoc.kernel import clock
from streaming.access.models import MonthlyPlay, PlaybackKey, PlaybackSession
from tests.playback_helpers import SEGMENT, PortalKey, make_institution, make_playable_film, media_path


def test_an_assertion_opens_a_session_whose_playlist_the_gateway_serves(
    client: TestClient, open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session
) -> None:
    response = open_session(film, assertion=portal.assertion("card-0042"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["delivery"] == "gateway" and body["grant"]
    assert f"/{film}/master.m3u8" in body["playlist_url"]
    assert "?" not in body["playlist_url"]  # the token is in the path, where relative addresses keep it
    master = client.get(media_path(body["playlist_url"]))
    assert master.status_code == 200
    assert master.text.startswith("#EXTM3U") and "v180/index.m3u8" in master.text
    assert master.headers["content-type"].startswith("application/vnd.apple.mpegurl")
    assert "no-store" in master.headers["cache-control"] and "private" in master.headers["cache-control"]
    base = media_path(body["playlist_url"]).rsplit("/", 1)[0]
    segment = client.get(f"{base}/v180/seg_00000.m4s")
    assert segment.status_code == 200 and segment.content == SEGMENT
    assert "private" in segment.headers["cache-control"]
    stored = db.exec(select(PlaybackSession)).one()
    assert stored.patron and "0042" not in stored.patron  # the pseudonym, never the portal's id
    assert stored.film_id == film and stored.institution_id == portal.institution_id


def test_the_token_lives_at_least_twice_the_film_and_some_hours(
    open_session: Callable[..., Any], portal: PortalKey, db: Session, media_root: Any
) -> None:
    long_film = make_playable_film(db, media_root, "Shoah", duration=9.5 * 3600)
    short = open_session(make_playable_film(db, media_root, "Court"), assertion=portal.assertion()).json()
    long = open_session(long_film, assertion=portal.assertion()).json()
    now = datetime.now(UTC)
    assert (datetime.fromisoformat(short["expires_at"]) - now).total_seconds() >= 4 * 3600 - 5
    assert (datetime.fromisoformat(long["expires_at"]) - now).total_seconds() >= 19 * 3600


@pytest.mark.parametrize("header,status,expected", [
    ("bytes=0-99", 206, (0, 99)), ("bytes=100-", 206, (100, len(SEGMENT) - 1)), ("bytes=-10", 206, (10230, 10239)),
    ("bytes=0-999999", 206, (0, len(SEGMENT) - 1)), ("bytes=20000-", 416, None), ("bytes=0-1,5-6", 200, None),
    ("items=0-5", 200, None),
])
def test_segments_are_served_by_byte_range(
    client: TestClient, open_session: Callable[..., Any], portal: PortalKey, film: int, header: str, status: int,
    expected: tuple[int, int] | None,
) -> None:
    url = media_path(open_session(film, assertion=portal.assertion()).json()["playlist_url"])
    response = client.get(url.replace("master.m3u8", "v180/seg_00000.m4s"), headers={"Range": header})
    assert response.status_code == status
    if expected:
        start, end = expected
        assert response.content == SEGMENT[start:end + 1]
        assert response.headers["content-range"] == f"bytes {start}-{end}/{len(SEGMENT)}"
    elif status == 416:
        assert response.headers["content-range"] == f"bytes */{len(SEGMENT)}"
    else:
        assert response.content == SEGMENT


def test_the_grant_opens_fresh_sessions_without_a_new_assertion(
    open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session
) -> None:
    first = open_session(film, assertion=portal.assertion()).json()
    second = open_session(film, grant=first["grant"])
    assert second.status_code == 201, second.text
    assert second.json()["session_id"] != first["session_id"] and second.json()["grant"] is None
    sessions = db.exec(select(PlaybackSession)).all()
    assert len(sessions) == 2 and sessions[0].patron == sessions[1].patron
    assert len(db.exec(select(MonthlyPlay)).all()) == 1  # one film, one patron, one month: counted once


def test_a_retired_playback_key_stops_its_tokens_but_a_rotation_alone_does_not(
    client: TestClient, open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session,
    login_as: Callable[..., dict[str, str]],
) -> None:
    from cinedoc.kernel.accounts import Role

    opened = open_session(film, assertion=portal.assertion()).json()
    url = media_path(opened["playlist_url"])
    headers = login_as(Role.ADMINISTRATOR)
    old_kid = db.exec(select(PlaybackKey.kid)).one()
    assert client.post("/api/playback/keys", headers=headers).status_code == 201
    assert client.get(url).status_code == 200  # rotated: tokens in flight still play
    fresh = open_session(film, grant=opened["grant"]).json()
    assert fresh["playlist_url"].split("/media/t/")[1].split(".")[0] != old_kid  # the new key signs new tokens
    assert client.post(f"/api/playback/keys/{old_kid}/retire", headers=headers).status_code == 201
    assert client.get(url).status_code == 403
    again = open_session(film, grant=opened["grant"])  # the grant signed with the retired key still works
    assert again.status_code == 201
    assert client.get(media_path(again.json()["playlist_url"])).status_code == 200


def test_the_last_active_playback_key_cannot_be_retired_without_a_successor(
    client: TestClient, open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session,
    login_as: Callable[..., dict[str, str]],
) -> None:
    from cinedoc.kernel.accounts import Role

    open_session(film, assertion=portal.assertion())
    kid = db.exec(select(PlaybackKey.kid)).one()
    response = client.post(f"/api/playback/keys/{kid}/retire",
                           headers={**login_as(Role.ADMINISTRATOR), "Accept-Language": "en"})
    assert response.status_code == 409 and "rotate first" in response.json()["detail"]


def test_a_patron_over_the_monthly_limit_is_told_why_in_french_and_in_english(
    open_session: Callable[..., Any], db: Session, media_root: Any
) -> None:
    portal = make_institution(db, "Médiathèque de Brest", patron_monthly_limit=1)
    films = [make_playable_film(db, media_root, f"Film {n}") for n in range(2)]
    assert open_session(films[0], assertion=portal.assertion("p-1")).status_code == 201
    refused = open_session(films[1], assertion=portal.assertion("p-1"))
    assert refused.status_code == 403
    assert refused.json()["reason"] == "patron_limit"
    assert "1" in refused.json()["detail"] and "mois" in refused.json()["detail"]
    english = open_session(films[1], assertion=portal.assertion("p-1"), headers={"Accept-Language": "en"})
    assert "this month" in english.json()["detail"]
    assert open_session(films[0], assertion=portal.assertion("p-1")).status_code == 201  # watching again is free


def test_the_institutions_ceiling_holds_for_all_its_patrons(
    open_session: Callable[..., Any], db: Session, media_root: Any
) -> None:
    portal = make_institution(db, "BU de Rennes", category="university", monthly_ceiling=2)
    films = [make_playable_film(db, media_root, f"Film {n}") for n in range(3)]
    assert open_session(films[0], assertion=portal.assertion("a")).status_code == 201
    assert open_session(films[1], assertion=portal.assertion("b")).status_code == 201
    refused = open_session(films[2], assertion=portal.assertion("c"))
    assert refused.status_code == 403 and refused.json()["reason"] == "institution_limit"


def test_sessions_are_counted_in_the_paris_month(
    open_session: Callable[..., Any], db: Session, media_root: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 23:30 UTC on 31 January is already 1 February in Paris.
    portal = make_institution(db, "Médiathèque de Nice")
    film_id = make_playable_film(db, media_root)
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2025, 1, 31, 23, 30, tzinfo=UTC))
    assertion = portal.assertion(now=datetime(2025, 1, 31, 23, 30, tzinfo=UTC).timestamp())
    assert open_session(film_id, assertion=assertion).status_code == 201
    assert db.exec(select(MonthlyPlay.month)).one() == "2025-02"


def test_openings_now_and_then_clear_past_counts_and_long_spent_nonces(
    open_session: Callable[..., Any], portal: PortalKey, film: int, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streaming.access.models import AssertionNonce, OpeningWindow
    from streaming.playback import sessions as playback

    monkeypatch.setattr(playback, "HOUSEKEEPING_ODDS", 1.0)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    db.add(OpeningWindow(subject="someone", window_start=long_ago, count=3))
    db.add(AssertionNonce(institution_id=portal.institution_id, nonce="spent-long-ago-0001", expires_at=long_ago))
    db.commit()
    assert open_session(film, assertion=portal.assertion(nonce="fresh-nonce-00000001")).status_code == 201
    db.expire_all()
    assert "someone" not in db.exec(select(OpeningWindow.subject)).all()
    assert db.exec(select(AssertionNonce.nonce)).all() == ["fresh-nonce-00000001"]
