"""From a real playback opening to the figures: events bound to the session the server issued, the per-institution
pseudonym carried into the log, refused openings counted as No_License and Limit_Exceeded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import TestClient
from sqlmodel import Session, select

from audience.viewing.models import MonthlyUsage, ViewingEvent
from cinedoc.kernel import clock
from tests.audience_helpers import batch
from tests.playback_helpers import make_institution, make_playable_film


def months(db: Session) -> list[MonthlyUsage]:
    db.expire_all()
    return list(db.exec(select(MonthlyUsage)))


def test_events_of_an_opened_session_count_with_the_patrons_pseudonym(
        client: TestClient, db: Session, open_session: Callable[..., Any], media_root: Any) -> None:
    portal = make_institution(db, "Médiathèque de Nantes")
    film = make_playable_film(db, media_root, duration=600.0)
    opened = open_session(film, assertion=portal.assertion("carte-123456"))
    assert opened.status_code == 201, opened.text
    session_id = opened.json()["session_id"]
    # The test clock does not move: events dated just before the opening stay within the tolerated skew.
    body = batch(film, clock.utcnow() - timedelta(seconds=15), [0, 12])
    response = client.post(f"/api/playback/{session_id}/events", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["counted"] is True
    db.expire_all()
    patrons = {e.patron for e in db.exec(select(ViewingEvent))}
    assert len(patrons) == 1 and "carte-123456" not in patrons.pop()  # a pseudonym, never the card number
    [usage] = months(db)
    assert (usage.institution_id, usage.film_id, usage.total_item_requests) == (portal.institution_id, film, 1)


def test_refused_openings_count_as_limit_exceeded_and_no_license(
        client: TestClient, db: Session, open_session: Callable[..., Any], media_root: Any) -> None:
    portal = make_institution(db, "Médiathèque de Metz", patron_monthly_limit=1)
    films = [make_playable_film(db, media_root, f"Film {n}") for n in range(2)]
    unlicensed = make_playable_film(db, media_root, "Sans droits", licensed=False)
    assert open_session(films[0], assertion=portal.assertion("p")).status_code == 201
    assert open_session(films[1], assertion=portal.assertion("p")).json()["reason"] == "patron_limit"
    assert open_session(unlicensed, assertion=portal.assertion("q")).json()["reason"] == "rights"
    assert open_session(999_999, assertion=portal.assertion("q")).status_code in (403, 404)
    counts = {(u.film_id, u.limit_exceeded, u.no_license) for u in months(db)}
    assert counts == {(films[1], 1, 0), (unlicensed, 0, 1)}
