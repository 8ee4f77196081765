"""The player's event batches through the app: stored once, bound to their session, bad batches refused whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from audience.viewing.models import ConsultationRecord, MonthlyUsage, ViewingEvent
from cinedoc.kernel import clock
from tests.audience_helpers import add_session, batch
from tests.playback_helpers import make_institution, make_playable_film

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
OPENED = NOW - timedelta(hours=1)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def setting(db: Session) -> dict[str, Any]:
    institution = make_institution(db).institution_id
    film = make_playable_film(db, None, duration=5400.0)
    other = make_playable_film(db, None, "Sans soleil", duration=5400.0)
    return {"institution": institution, "film": film, "other": other,
            "session": add_session(db, institution, film, OPENED)}


def post(client: TestClient, session_id: str, body: Any) -> Any:
    return client.post(f"/api/playback/{session_id}/events", json=body)


def event_count(db: Session) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(ViewingEvent)).one()


def usage(db: Session) -> list[tuple[str, int, int]]:
    db.expire_all()
    return [(u.month, u.total_item_requests, u.total_item_investigations) for u in db.exec(select(MonthlyUsage))]


def test_a_batch_is_stored_and_makes_a_consultation_of_the_month(client: TestClient, db: Session,
                                                                 setting: dict[str, Any]) -> None:
    response = post(client, setting["session"], batch(setting["film"], OPENED, [0, 30, 60]))
    assert response.status_code == 200, response.text
    assert response.json() | {"batch_id": None} == {"session_id": setting["session"], "batch_id": None, "stored": 3,
                                                     "duplicates": 0, "watched_seconds": 60.0, "counted": True}
    assert event_count(db) == 3
    assert usage(db) == [("2026-03", 1, 1)]


def test_a_retried_batch_is_not_counted_twice(client: TestClient, db: Session, setting: dict[str, Any]) -> None:
    body = batch(setting["film"], OPENED, [0, 30, 60])
    post(client, setting["session"], body)
    again = post(client, setting["session"], body)
    assert again.status_code == 200
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 3)
    assert event_count(db) == 3
    assert usage(db) == [("2026-03", 1, 1)]


def test_events_arriving_out_of_order_keep_the_largest_watch_time(client: TestClient, db: Session,
                                                                  setting: dict[str, Any]) -> None:
    post(client, setting["session"], batch(setting["film"], OPENED, [90, 120], first_seq=3))
    late = post(client, setting["session"], batch(setting["film"], OPENED, [0, 30, 60]))
    assert late.json()["watched_seconds"] == 120.0
    db.expire_all()
    record = db.get(ConsultationRecord, setting["session"])
    assert record is not None and record.watched_seconds == 120.0 and record.counted
    assert usage(db) == [("2026-03", 1, 1)]


def test_a_too_short_play_becomes_a_consultation_when_more_events_arrive(client: TestClient, db: Session,
                                                                         setting: dict[str, Any]) -> None:
    first = post(client, setting["session"], batch(setting["film"], OPENED, [0, 5]))
    assert first.json()["counted"] is False
    assert usage(db) == [("2026-03", 0, 1)]
    post(client, setting["session"], batch(setting["film"], OPENED, [35], first_seq=2))
    assert usage(db) == [("2026-03", 1, 1)]


def test_a_reload_within_thirty_seconds_counts_once(client: TestClient, db: Session, setting: dict[str, Any]) -> None:
    reload_at = OPENED + timedelta(seconds=20)
    second = add_session(db, setting["institution"], setting["film"], reload_at)
    post(client, setting["session"], batch(setting["film"], OPENED, [0, 12]))
    assert usage(db) == [("2026-03", 1, 1)]
    post(client, second, batch(setting["film"], reload_at, [0, 600]))
    assert usage(db) == [("2026-03", 1, 1)]
    db.expire_all()
    assert [r.session_id for r in db.exec(select(ConsultationRecord).where(ConsultationRecord.counted))] == [second]


def test_the_log_keeps_the_pseudonym_and_no_address(client: TestClient, db: Session, setting: dict[str, Any]) -> None:
    post(client, setting["session"], batch(setting["film"], OPENED, [0, 30]), )
    columns = set(ViewingEvent.__table__.columns.keys())  # type: ignore[attr-defined]
    assert not {c for c in columns if "ip" in c.split("_") or "address" in c}
    db.expire_all()
    assert {e.patron for e in db.exec(select(ViewingEvent))} == {"p-1"}


@pytest.mark.parametrize(("change", "field"), [
    (lambda b, s: b | {"film_id": s["other"]}, "film_id"),
    (lambda b, s: b | {"events": [b["events"][0] | {"at": (NOW + timedelta(minutes=10)).isoformat()}]}, "events"),
    (lambda b, s: b | {"events": [b["events"][0] | {"at": (OPENED - timedelta(minutes=10)).isoformat()}]}, "events"),
    (lambda b, s: b | {"events": [b["events"][0] | {"watched": 4 * 3600}]}, "events"),
    (lambda b, s: b | {"events": [b["events"][0] | {"position": 9000}]}, "events"),
    (lambda b, s: b | {"events": [b["events"][0], b["events"][1] | {"seq": 0}]}, "events"),
    (lambda b, s: b | {"events": []}, "events"),
    (lambda b, s: b | {"events": [b["events"][0] | {"at": "2026-03-10T14:30:00"}]}, "events"),  # no time zone
    (lambda b, s: b | {"events": [b["events"][0] | {"seq": n} for n in range(201)]}, "events"),
])
def test_an_impossible_batch_is_refused_whole_and_nothing_is_stored(client: TestClient, db: Session,
                                                                     setting: dict[str, Any], change: Any,
                                                                     field: str) -> None:
    body = change(batch(setting["film"], OPENED, [0, 30, 60]), setting)
    response = post(client, setting["session"], body)
    assert response.status_code == 400, response.text
    assert [e["key"] for e in response.json()["extra"]] == [field]
    assert event_count(db) == 0
    assert usage(db) == []


@pytest.mark.parametrize("body", [
    {"batch_id": "b", "film_id": 1, "events": [{"seq": 0, "kind": "start", "at": NOW.isoformat(), "position": 0,
                                                 "watched": -1}]},
    {"batch_id": "b", "film_id": 1, "events": [{"seq": 0, "kind": "explode", "at": NOW.isoformat(), "position": 0,
                                                 "watched": 1}]},
    {"batch_id": "", "film_id": 1, "events": []},
    {"film_id": 1},
])
def test_malformed_events_are_a_400(client: TestClient, db: Session, setting: dict[str, Any],
                                    body: dict[str, Any]) -> None:
    response = post(client, setting["session"], body)
    assert response.status_code == 400
    assert event_count(db) == 0


def test_malformed_json_is_a_400(client: TestClient, db: Session, setting: dict[str, Any]) -> None:
    response = client.post(f"/api/playback/{setting['session']}/events", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert event_count(db) == 0


def test_an_unknown_session_is_a_404(client: TestClient, db: Session, setting: dict[str, Any]) -> None:
    response = post(client, "0" * 32, batch(setting["film"], OPENED, [0, 30]))
    assert response.status_code == 404
    assert event_count(db) == 0


def test_a_session_opened_after_a_token_refresh_continues_the_same_consultation(
        client: TestClient, db: Session, setting: dict[str, Any]) -> None:
    refreshed_at = OPENED + timedelta(minutes=20)
    second = add_session(db, setting["institution"], setting["film"], refreshed_at)
    post(client, setting["session"], batch(setting["film"], OPENED, [0, 600, 1190]))
    body = batch(setting["film"], refreshed_at, [0, 300]) | {"continues": setting["session"]}
    assert post(client, second, body).status_code == 200
    assert usage(db) == [("2026-03", 1, 1)]
    db.expire_all()
    [counted] = db.exec(select(ConsultationRecord).where(ConsultationRecord.counted)).all()
    assert counted.counted_watch_seconds == 1490


def test_a_session_cannot_continue_another_patrons_session(client: TestClient, db: Session,
                                                           setting: dict[str, Any]) -> None:
    other = add_session(db, setting["institution"], setting["film"], OPENED + timedelta(minutes=5), "p-2")
    post(client, setting["session"], batch(setting["film"], OPENED, [0, 60]))
    body = batch(setting["film"], OPENED + timedelta(minutes=5), [0, 60]) | {"continues": setting["session"]}
    response = post(client, other, body)
    assert response.status_code == 400 and response.json()["extra"][0]["key"] == "continues"
    assert event_count(db) == 2


def test_two_on_site_seats_opening_the_same_film_at_once_count_twice(client: TestClient, db: Session,
                                                                     setting: dict[str, Any]) -> None:
    """On site nobody is identified and every seat shares the library's address: each session counts alone."""
    seats = [add_session(db, setting["institution"], setting["film"], OPENED + timedelta(seconds=n * 5), None)
             for n in range(2)]
    for n, seat in enumerate(seats):
        assert post(client, seat, batch(setting["film"], OPENED + timedelta(seconds=n * 5), [0, 60])).status_code == 200
    assert usage(db) == [("2026-03", 2, 2)]
