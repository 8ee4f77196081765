"""Shared steps of the prize tests: nominated films with rights, subscribing libraries with librarians, patrons'
grants, and the 2024 edition's calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.prize.models import PrizeAudit, PublicBallot
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.staff_accounts import create_staff_user
from streaming.playback.sessions import PatronIdentity, issue_grant
from streaming.runtime import runtime_for
from tests.conftest import PASSWORD, csrf_token, log_in
from tests.playback_helpers import add_licence, make_institution
from tests.rights_helpers import Staff, set_today

# The 2024 prize's calendar (the librarians' vote from 9 October to 30 December 2023, the public's from 8 March to
# 7 April 2024).
CALENDAR_2024: dict[str, date] = {
    "nominations_start": date(2023, 9, 1), "nominations_end": date(2023, 9, 30),
    "librarians_start": date(2023, 10, 9), "librarians_end": date(2023, 12, 30),
    "preparation_start": date(2024, 1, 8), "preparation_end": date(2024, 3, 7),
    "public_start": date(2024, 3, 8), "public_end": date(2024, 4, 7),
    "result_date": date(2024, 4, 12),
}


def nominated_films(db: Session, count: int = 8, *, licensed: bool = True) -> list[int]:
    films = []
    for number in range(1, count + 1):
        film = create_film(db, FilmCreate(title=f"Documentaire {number}", status="available"))
        db.flush()
        assert film.id is not None
        films.append(film.id)
    db.commit()
    if licensed:
        for film_id in films:
            add_licence(db, film_id, ("FR",), window=(date(2023, 1, 1), date(2025, 12, 31)))
    return films


def edition_json(films: list[int], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "year": 2024, "title": "Prix du public 2024", "partners": "Images en bibliothèques",
        "award_cents": 100_000, "nominees": films, "pick_count": 4, "shortlist_size": 3,
        **{name: day.isoformat() for name, day in CALENDAR_2024.items()},
    }
    values.update(changes)
    return values


def librarian(engine: Engine, institution_id: int, email: str) -> str:
    with Session(engine) as session:
        create_staff_user(session, email=email, display_name=email.split("@")[0], password=PASSWORD,
                          role=Role.LIBRARIAN, institution_id=institution_id)
        session.commit()
    return email


def library(db: Session, name: str, **options: Any) -> int:
    return make_institution(db, name, **options).institution_id


def patron_grant(app: Litestar, institution_id: int, patron: str = "patron-1", *, on_site: bool = False) -> str:
    """The grant the ballot page or the player gets once the library vouched for the patron."""
    runtime = runtime_for(app.state)
    with Session(runtime.engine) as session:
        viewer = None if on_site else runtime.ring.patron_pseudonym(institution_id, patron)
        grant = issue_grant(runtime, session, PatronIdentity(institution_id, viewer,
                                                             "on_site" if on_site else "assertion"))
        session.commit()
    return grant


def public_ballots(engine: Engine) -> list[PublicBallot]:
    with Session(engine) as session:
        return list(session.exec(select(PublicBallot)))


def audit_entries(engine: Engine, round_: str | None = None) -> list[PrizeAudit]:
    with Session(engine) as session:
        statement = select(PrizeAudit)
        if round_ is not None:
            statement = statement.where(PrizeAudit.round == round_)
        return list(session.exec(statement.order_by(PrizeAudit.id)))  # type: ignore[arg-type]


class Prize:
    """An edition of 8 nominees (4 of 8, shortlist of 3) and two subscribing libraries with a librarian each."""

    def __init__(self, client: TestClient, db: Session, engine: Engine, app: Litestar, **terms: Any) -> None:
        self.client, self.db, self.engine, self.app = client, db, engine, app
        self.staff = Staff(client, engine)
        self.films = nominated_films(db)
        self.lyon = library(db, "Médiathèque de Lyon")
        self.brest = library(db, "Bibliothèque de Brest", category="university")
        librarian(engine, self.lyon, "anne@lyon.example.fr")
        librarian(engine, self.lyon, "marc@lyon.example.fr")
        librarian(engine, self.brest, "yann@brest.example.fr")
        headers = self.staff.as_(Role.CURATOR)
        created = client.post("/api/prize/editions", json=edition_json(self.films, **terms), headers=headers)
        assert created.status_code == 201, created.text
        self.id = created.json()["id"]

    def as_librarian(self, email: str) -> dict[str, str]:
        log_in(self.client, email)
        return {"x-csrftoken": csrf_token(self.client)}

    def ballot(self, email: str, films: list[int]) -> Any:
        return self.client.post(f"/api/prize/editions/{self.id}/librarian-ballot", json={"films": films},
                                headers=self.as_librarian(email))

    def vote(self, grant: str, film_id: int) -> Any:
        return self.client.post(f"/api/prize/editions/{self.id}/votes", json={"grant": grant, "film_id": film_id})

    def settle(self) -> Any:
        return self.client.post(f"/api/prize/editions/{self.id}/settle", headers=self.staff.as_(Role.CURATOR))

    def shortlist(self) -> list[int]:
        return self.client.get(f"/api/prize/editions/{self.id}").json()["shortlist"]


def shortlisted(prize: Prize, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Lyon's two librarians and Brest's vote; films 3 and 4 lead, 1 and 2 tie on ballots and institutions."""
    set_today(monkeypatch, date(2023, 10, 20))
    prize.ballot("anne@lyon.example.fr", prize.films[:4])
    prize.ballot("marc@lyon.example.fr", prize.films[2:6])
    prize.ballot("yann@brest.example.fr", [*prize.films[2:4], *prize.films[6:8]])
    set_today(monkeypatch, date(2024, 3, 8))
    shortlist = prize.shortlist()
    assert set(shortlist[:2]) == set(prize.films[2:4])
    return shortlist
