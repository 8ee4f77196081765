"""Two budget holders commit, at the same moment, licences that each take the last euros of a line: exactly one
succeeds and the line is never overspent (real concurrent HTTP requests, on SQLite and on PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from cinedoc.kernel.accounts import Role
from rights import budgets, licences
from tests.conftest import csrf_token, log_in, make_staff
from tests.rights_helpers import make_film, make_line, set_today, terms

ALLOCATION = 1_000_000
ALREADY = 900_000


def slowed(original: Callable[..., int], delay: float) -> Callable[..., int]:
    """Widens the gap between reading what is committed and writing the commitment, where a race would slip in."""

    def charged_cents(*args: Any, **kwargs: Any) -> int:
        value = original(*args, **kwargs)
        time.sleep(delay)
        return value

    return charged_cents


@pytest.mark.parametrize("round_number", range(3))
def test_two_commitments_for_the_last_euros_one_succeeds_and_nothing_is_overspent(
    app: Litestar, db_engine: Engine, monkeypatch: pytest.MonkeyPatch, round_number: int
) -> None:
    set_today(monkeypatch, date(2024, 6, 3))
    with Session(db_engine) as db:
        line = make_line(db, allocated_cents=ALLOCATION, label="Contemporain 2024")
        first = licences.propose_licence(db, make_film(db, "Déjà engagé"),
                                         terms(price_cents=ALREADY, budget_line_id=line), actor_id=None)
        assert first.id is not None
        licences.commit_licence(db, first.id, actor_id=None)
        contenders = []
        for title in ("Le Grand Bal", "Les Sentinelles"):
            licence = licences.propose_licence(db, make_film(db, title), terms(
                price_cents=ALLOCATION - ALREADY, budget_line_id=line), actor_id=None)
            contenders.append(licence.id)
        db.commit()
    email = make_staff(db_engine, Role.BUDGET_HOLDER)

    entered: list[float] = []
    left: list[float] = []
    original_commit = licences.commit_licence

    def traced_commit(*args: Any, **kwargs: Any) -> Any:
        entered.append(time.monotonic())
        try:
            return original_commit(*args, **kwargs)
        finally:
            left.append(time.monotonic())

    monkeypatch.setattr(licences, "commit_licence", traced_commit)
    monkeypatch.setattr(budgets, "charged_cents", slowed(budgets.charged_cents, 0.3))

    with TestClient(app, base_url="http://cinedoc.test") as one, TestClient(app, base_url="http://cinedoc.test") as two:
        headers = []
        for client in (one, two):
            log_in(client, email)
            headers.append({"x-csrftoken": csrf_token(client)})
        start = threading.Barrier(2)
        results: dict[int, Any] = {}

        def commit(index: int, client: TestClient) -> None:
            start.wait()
            results[index] = client.post(f"/api/staff/acquisitions/{contenders[index]}/commit", json={},
                                         headers=headers[index])

        threads = [threading.Thread(target=commit, args=(index, client)) for index, client in enumerate((one, two))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    # Both requests were inside the service at the same time: the race really happened.
    assert len(entered) == 2 and max(entered) < min(left)
    statuses = sorted(response.status_code for response in results.values())
    assert statuses == [200, 409], [response.text for response in results.values()]
    refused = next(response for response in results.values() if response.status_code == 409)
    assert "dépasser" in refused.json()["detail"] and "1\u202f000,00\u00a0€" in refused.json()["detail"]
    with Session(db_engine) as db:
        record = budgets.budget_line_records(db, [budgets.get_budget_line(db, line)])[0]
        assert record.committed_cents == ALLOCATION
        assert record.remaining_cents == 0
        statuses_now = sorted(licences.get_licence(db, licence_id).status for licence_id in contenders)
        assert statuses_now == ["committed", "negotiating"]
