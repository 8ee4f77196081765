"""Two hundred submissions of one patron's vote at the same moment, through a real server: exactly one ballot."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize.models import PrizeRound
from streaming.access.config import AccessSettings
from tests.browser.live_server import live_server
from tests.prize_helpers import Prize, audit_entries, patron_grant, public_ballots, shortlisted

SUBMISSIONS = 200


async def _submit_all(base: str, path: str, bodies: list[dict]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=SUBMISSIONS, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        return await asyncio.gather(*(client.post(path, json=body) for body in bodies))


def _run(app: Litestar, prize: Prize, bodies: list[dict]) -> list[httpx.Response]:
    # A thread of its own for the event loop: a session-wide browser fixture may already run one in this thread.
    with live_server(app) as base, ThreadPoolExecutor(1) as thread:
        path = f"/api/prize/editions/{prize.id}/votes"
        return thread.submit(asyncio.run, _submit_all(base, path, bodies)).result()


@pytest.fixture
def concurrent_app(app: Litestar) -> Litestar:
    # No access cache: each request sees the database as it is, as a second process would.
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0)
    return app


def test_two_hundred_simultaneous_votes_of_one_patron_count_once_when_changing_is_forbidden(
        client: TestClient, db: Session, db_engine: Engine, concurrent_app: Litestar,
        monkeypatch: pytest.MonkeyPatch) -> None:
    prize = Prize(client, db, db_engine, concurrent_app, allow_vote_change=False)
    shortlist = shortlisted(prize, monkeypatch)
    grant = patron_grant(concurrent_app, prize.lyon, "carte-2024")
    # Half for one film, half for another, all at once: whichever lands first is the vote.
    bodies = [{"grant": grant, "film_id": shortlist[number % 2]} for number in range(SUBMISSIONS)]
    answers = _run(concurrent_app, prize, bodies)
    (ballot,) = public_ballots(db_engine)
    outcomes = Counter((answer.status_code, answer.json().get("outcome"), body["film_id"] == ballot.film_id)
                       for answer, body in zip(answers, bodies, strict=True))
    # The same vote sent again is acknowledged ("unchanged", a double click); the other film is refused.
    assert outcomes == {(200, "cast", True): 1, (200, "unchanged", True): SUBMISSIONS // 2 - 1,
                        (409, None, False): SUBMISSIONS // 2}, outcomes
    assert ballot.institution_id == prize.lyon
    assert [entry.action for entry in audit_entries(db_engine, PrizeRound.PUBLIC)] == ["cast"]


def test_two_hundred_simultaneous_changing_votes_leave_one_ballot_and_an_audit_that_explains_it(
        client: TestClient, db: Session, db_engine: Engine, concurrent_app: Litestar,
        monkeypatch: pytest.MonkeyPatch) -> None:
    prize = Prize(client, db, db_engine, concurrent_app)
    shortlist = shortlisted(prize, monkeypatch)
    grant = patron_grant(concurrent_app, prize.lyon, "carte-2025")
    bodies = [{"grant": grant, "film_id": shortlist[number % 3]} for number in range(SUBMISSIONS)]
    answers = _run(concurrent_app, prize, bodies)
    assert {answer.status_code for answer in answers} <= {200, 409}, [a.text for a in answers if a.status_code >= 500]
    outcomes = Counter(answer.json()["outcome"] for answer in answers if answer.status_code == 200)
    assert outcomes["cast"] == 1
    (ballot,) = public_ballots(db_engine)
    trail = audit_entries(db_engine, PrizeRound.PUBLIC)
    # One entry per real change, in order: each starts from the film the previous one ended on.
    assert [entry.action for entry in trail] == ["cast"] + ["change"] * outcomes["changed"]
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.previous_films == before.films
    assert trail[-1].films == str(ballot.film_id)
