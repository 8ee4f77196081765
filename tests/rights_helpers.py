"""Shared steps of the rights and acquisition tests: films, dates, licence terms, and switching staff accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from catalogue.films.models import FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from rights.budgets import create_budget_line
from rights.schemas import BudgetLineCreate, LicenceTerms
from tests.conftest import csrf_token, log_in, make_staff


def set_today(monkeypatch: pytest.MonkeyPatch, day: date, hour: int = 10) -> None:
    """Moves the clock to that day (UTC hour), which is the same calendar day in Paris at 10:00 UTC."""
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(day.year, day.month, day.day, hour, tzinfo=UTC))


def make_film(db: Session, title: str, status: FilmStatus = FilmStatus.AVAILABLE) -> int:
    film = create_film(db, FilmCreate(title=title, status=status))
    db.flush()
    assert film.id is not None
    return film.id


def terms(**changes: Any) -> LicenceTerms:
    values: dict[str, Any] = {
        "licensor": "Les Films du Sillage", "uses": ["streaming"], "territories": ["FR", "BE"],
        "start_date": date(2024, 1, 1), "end_date": date(2026, 12, 31), "price_cents": 450_000,
    }
    values.update(changes)
    return LicenceTerms(**values)


def make_line(db: Session, *, year: int = 2024, collection: str = "contemporary", allocated_cents: int = 13_000_000,
              label: str | None = None, status: str = "open", status_reason: str | None = None) -> int:
    line = create_budget_line(db, BudgetLineCreate(
        year=year, collection=collection, label=label or f"{collection.title()} {year}",
        allocated_cents=allocated_cents, status=status, status_reason=status_reason,
    ))
    db.flush()
    assert line.id is not None
    return line.id


class Staff:
    """One account per role on one client; `as_(role)` logs that account in and returns the JSON headers."""

    def __init__(self, client: TestClient, engine: Engine) -> None:
        self.client = client
        self.engine = engine
        self.emails: dict[Role, str] = {}

    def as_(self, role: Role) -> dict[str, str]:
        if role not in self.emails:
            self.emails[role] = make_staff(self.engine, role)
        log_in(self.client, self.emails[role])
        return {"x-csrftoken": csrf_token(self.client)}
