"""Prize JSON API: editions for the cinema service, the librarians' ballot, the patrons' vote, counts and audit."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from sqlmodel import Session

from audience.prize.audit import trail
from audience.prize.ballots import cast_librarian_ballot, librarian_choices, librarian_voter
from audience.prize.count import frozen_count, recount, settle
from audience.prize.editions import create_edition, get_edition, list_editions, update_edition
from audience.prize.models import PrizeRound
from audience.prize.records import count_record, edition_record, result_published
from audience.prize.schemas import (
    CountOut,
    EditionOut,
    EditionTerms,
    LibrarianBallotIn,
    LibrarianBallotOut,
    PublicVoteIn,
    PublicVoteOut,
)
from audience.prize.voting import settle_if_due, submit_public_vote
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.errors import InvalidInput, NotFound
from cinedoc.kernel.guards import load_staff_user, requires_role
from streaming.runtime import runtime_for

ROUNDS = (PrizeRound.LIBRARIANS.value, PrizeRound.PUBLIC.value)


def _round(name: str) -> str:
    if name not in ROUNDS:
        raise InvalidInput("Unknown round '{round}' (expected librarians or public).", field="round", round=name[:20])
    return name


class PrizeController(Controller):
    path = "/api/prize/editions"
    tags = ["audience prize"]

    @get("/", sync_to_thread=True, summary="Prize editions, latest first, with their phase today")
    def list(self, db: Session) -> list[EditionOut]:
        return [edition_record(db, edition) for edition in list_editions(db)]

    @post("/", sync_to_thread=True, guards=[requires_role(Role.CURATOR)], summary="Create an edition")
    def create(self, db: Session, data: EditionTerms) -> EditionOut:
        return edition_record(db, create_edition(db, data))

    @get("/{edition_id:int}", sync_to_thread=True, summary="One edition: terms, phases, shortlist, winner once public")
    def read(self, request: Request[Any, Any, Any], db: Session, edition_id: int) -> EditionOut:
        settle_if_due(request.app.state.engine, edition_id)
        return edition_record(db, get_edition(db, edition_id))

    @put("/{edition_id:int}", sync_to_thread=True, guards=[requires_role(Role.CURATOR)],
         summary="Change an edition's terms (only title, partners and award once the librarians' vote opened)")
    def update(self, db: Session, edition_id: int, data: EditionTerms) -> EditionOut:
        return edition_record(db, update_edition(db, edition_id, data))

    @get("/{edition_id:int}/librarian-ballot", sync_to_thread=True, guards=[requires_role(Role.LIBRARIAN)],
         summary="The signed-in librarian's ballot (or their institution's, by the edition's scope)")
    def my_ballot(self, request: Request[Any, Any, Any], db: Session, edition_id: int) -> LibrarianBallotOut:
        user = load_staff_user(request)
        assert user is not None
        voter = librarian_voter(get_edition(db, edition_id), user)
        return LibrarianBallotOut(edition_id=edition_id, voter=voter, films=librarian_choices(db, edition_id, voter),
                                  changed=False)

    @post("/{edition_id:int}/librarian-ballot", sync_to_thread=True, status_code=200,
          guards=[requires_role(Role.LIBRARIAN)], summary="Cast or change a librarian's ballot of exactly N nominees")
    def cast_ballot(self, request: Request[Any, Any, Any], db: Session, edition_id: int,
                    data: LibrarianBallotIn) -> LibrarianBallotOut:
        user = load_staff_user(request)
        assert user is not None
        result = cast_librarian_ballot(db, edition_id, user, data.films)
        return LibrarianBallotOut(edition_id=edition_id, voter=result.voter, films=result.films,
                                  changed=result.changed)

    @post("/{edition_id:int}/votes", sync_to_thread=True, exclude_from_csrf=True, status_code=200,
          summary="A patron's vote, with the grant their library's assertion earned (the ballot page holds it)")
    def vote(self, request: Request[Any, Any, Any], edition_id: int, data: PublicVoteIn) -> PublicVoteOut:
        """No cookie reaches us from a portal's iframe, hence no CSRF token: the signed grant names the patron.
        The handler commits its own short transaction (see audience/prize/voting.py)."""
        outcome, _ = submit_public_vote(runtime_for(request.app.state), edition_id, data.grant, data.film_id)
        return PublicVoteOut(edition_id=edition_id, film_id=data.film_id, outcome=outcome)  # type: ignore[arg-type]

    @get("/{edition_id:int}/counts/{round_name:str}", sync_to_thread=True,
         summary="A round's frozen count: the shortlist's once counted, the result once published")
    def count(self, request: Request[Any, Any, Any], db: Session, edition_id: int, round_name: str) -> CountOut:
        round_ = _round(round_name)
        settle_if_due(request.app.state.engine, edition_id)
        edition = get_edition(db, edition_id)
        user = load_staff_user(request)
        staff = user is not None and user.role in (Role.CURATOR, Role.ADMINISTRATOR)
        if round_ == PrizeRound.PUBLIC and not staff and not result_published(edition):
            raise NotFound("The result of this prize is published on {date}.", date=edition.result_date.isoformat())
        count = frozen_count(db, edition_id, round_)
        if count is None:
            raise NotFound("This round has not been counted yet.")
        return count_record(db, edition_id, count)

    @post("/{edition_id:int}/counts/{round_name:str}/recount", sync_to_thread=True, status_code=200,
          guards=[requires_role(Role.CURATOR)], summary="Count the stored ballots again with the recorded seed")
    def recount(self, db: Session, edition_id: int, round_name: str) -> CountOut:
        again, matches = recount(db, edition_id, _round(round_name))
        return count_record(db, edition_id, again, matches)

    @post("/{edition_id:int}/settle", sync_to_thread=True, status_code=200, guards=[requires_role(Role.CURATOR)],
          summary="Close the rounds whose last day has passed (the daily job does it too)")
    def settle(self, db: Session, edition_id: int) -> dict[str, list[str]]:
        return {"closed": settle(db, edition_id)}

    @get("/{edition_id:int}/audit", sync_to_thread=True, guards=[requires_role(Role.CURATOR)],
         summary="The append-only audit trail: every ballot cast or changed, with its time and round")
    def audit(self, db: Session, edition_id: int) -> list[dict[str, Any]]:
        get_edition(db, edition_id)
        return [entry.model_dump(mode="json") for entry in trail(db, edition_id)]



