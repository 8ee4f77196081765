"""The public round's stage for the patrons' tests: the 2024 edition with its shortlist counted, two subscribing
libraries with portal keys, and readers for the ballot page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.prize.ballots import cast_librarian_ballot
from audience.prize.count import settle
from audience.prize.editions import create_edition
from audience.prize.schemas import EditionTerms
from cinedoc.kernel.accounts import StaffUser
from tests.playback_helpers import PortalKey, make_institution
from tests.prize_helpers import edition_json, librarian, nominated_films

PUBLIC_DAY = date(2024, 3, 20)
PORTAL = "https://portail.example.fr"
OTHER_PORTAL = "https://bu.example.fr"


@dataclass(frozen=True)
class PrizeStage:
    edition_id: int
    films: list[int]  # the 8 nominees
    shortlist: set[int]  # films[0:3]
    lyon: PortalKey
    lille: PortalKey

    @property
    def outsider(self) -> int:
        """A nominee the librarians did not shortlist."""
        return self.films[7]


def prize_stage(db: Session, engine: Engine, *, portal: str = PORTAL, **changes: Any) -> PrizeStage:
    """The librarians' round of 2023 is counted: two librarians both picked films 1-3, so those three are the
    shortlist whatever the seed draws between them."""
    films = nominated_films(db)
    lyon = make_institution(db, "Médiathèque de Lyon", origins=(portal,))
    lille = make_institution(db, "BU de Lille", category="university", origins=(OTHER_PORTAL,))
    edition = create_edition(db, EditionTerms.model_validate(edition_json(films, **changes)))
    db.commit()
    assert edition.id is not None
    edition_id = edition.id
    for institution, email, fourth in ((lyon, "bib-lyon@example.org", films[3]),
                                       (lille, "bib-lille@example.org", films[4])):
        librarian(engine, institution.institution_id, email)
        with Session(engine) as session:
            user = session.exec(select(StaffUser).where(StaffUser.email == email)).one()
            cast_librarian_ballot(session, edition_id, user, [*films[:3], fourth], day=date(2023, 10, 20))
            session.commit()
    with Session(engine) as session:
        settle(session, edition_id, day=date(2024, 1, 2))
        session.commit()
    return PrizeStage(edition_id, films, set(films[:3]), lyon, lille)


def grant_in(page: str) -> str:
    found = re.search(r'name="grant" value="([^"]+)"', page)
    assert found, "the ballot page carries no grant"
    return found.group(1)


def checked_film(page: str) -> int | None:
    found = re.search(r'name="film_id" id="choice-\d+" value="(\d+)" checked', page)
    return int(found.group(1)) if found else None


def radio_films(page: str) -> list[int]:
    return [int(value) for value in re.findall(r'type="radio" name="film_id" id="choice-\d+" value="(\d+)"', page)]
