"""Shared steps of the prize tests: nominated films with rights, subscribing libraries with librarians, patrons'
grants, and the 2024 edition's calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Litestar
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.prize_models import PrizeAudit, PublicBallot
from catalogue.schemas import FilmCreate
from catalogue.services import create_film
from cinedoc.accounts import Role
from cinedoc.staff_accounts import create_staff_user
from streaming.access_runtime import runtime_for
from streaming.playback import PatronIdentity, issue_grant
from tests.conftest import PASSWORD
from tests.playback_helpers import add_licence, make_institution

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
