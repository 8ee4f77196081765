"""Counting a round: ballots per film, the published tie-break, freezing the count, and the recount.

Tie-break, in order (published on the edition's page): more ballots; then ballots from more institutions; then a
draw. The draw orders the tied films by SHA-256 of "<seed>:<film id>", the seed being drawn at the close and
recorded with the count, so that anyone holding the ballots can redo it and reach the same ranking.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, distinct, func
from sqlmodel import Session, col, select

from audience.prize import audit as prize_audit
from audience.prize.editions import get_edition, nominee_ids
from audience.prize.models import (
    LibrarianBallot,
    LibrarianChoice,
    PrizeEdition,
    PrizeParticipation,
    PrizeRound,
    PrizeTally,
    PublicBallot,
)
from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict


@dataclass(frozen=True)
class Count:
    round: str
    seed: str
    tally: list[PrizeTally]  # every candidate, ranked
    participation: dict[int, int]  # institution id -> ballots

    def ranked_films(self) -> list[int]:
        return [row.film_id for row in self.tally]


def draw_key(seed: str, film_id: int) -> str:
    return hashlib.sha256(f"{seed}:{film_id}".encode()).hexdigest()


def rank(edition_id: int, round_: str, seed: str, candidates: list[int], ballots: dict[int, int],
         institutions: dict[int, int]) -> list[PrizeTally]:
    ordered = sorted(candidates, key=lambda film: (-ballots.get(film, 0), -institutions.get(film, 0),
                                                   draw_key(seed, film)))
    return [PrizeTally(edition_id=edition_id, round=round_, film_id=film, ballots=ballots.get(film, 0),
                       institutions=institutions.get(film, 0), rank=position)
            for position, film in enumerate(ordered, start=1)]


def _librarian_figures(session: Session, edition_id: int) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    choice = (LibrarianChoice.edition_id == edition_id)
    joined = (col(LibrarianBallot.edition_id) == LibrarianChoice.edition_id) & \
        (col(LibrarianBallot.voter) == LibrarianChoice.voter)
    per_film = dict(session.exec(select(LibrarianChoice.film_id, func.count()).where(choice)
                                 .group_by(col(LibrarianChoice.film_id))).all())
    spread = dict(session.exec(select(LibrarianChoice.film_id, func.count(distinct(LibrarianBallot.institution_id)))
                               .join(LibrarianBallot, joined).where(choice)
                               .group_by(col(LibrarianChoice.film_id))).all())
    participation = dict(session.exec(select(LibrarianBallot.institution_id, func.count())
                                      .where(LibrarianBallot.edition_id == edition_id)
                                      .group_by(col(LibrarianBallot.institution_id))).all())
    return per_film, spread, participation


def _public_figures(session: Session, edition_id: int) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """One grouped scan of the ballots' (edition, film, institution) index, which covers it: a few hundred
    (film, institution, ballots) rows reach Python, whatever the number of ballots."""
    per_film: dict[int, int] = defaultdict(int)
    spread: dict[int, int] = defaultdict(int)
    participation: dict[int, int] = defaultdict(int)
    rows = session.exec(select(PublicBallot.film_id, PublicBallot.institution_id, func.count())
                        .where(PublicBallot.edition_id == edition_id)
                        .group_by(col(PublicBallot.film_id), col(PublicBallot.institution_id)))
    for film_id, institution_id, ballots in rows:
        per_film[film_id] += ballots
        spread[film_id] += 1
        participation[institution_id] += ballots
    return dict(per_film), dict(spread), dict(participation)


def shortlist(session: Session, edition_id: int) -> list[int]:
    """The frozen shortlist in rank order (empty until the librarians' round is counted)."""
    edition = get_edition(session, edition_id)
    return list(session.exec(select(PrizeTally.film_id).where(
        PrizeTally.edition_id == edition_id, PrizeTally.round == PrizeRound.LIBRARIANS,
        col(PrizeTally.rank) <= edition.shortlist_size).order_by(col(PrizeTally.rank))))


def count_round(session: Session, edition: PrizeEdition, round_: str, seed: str) -> Count:
    """Count a round from the stored ballots (used both to freeze and to recount)."""
    assert edition.id is not None
    if round_ == PrizeRound.LIBRARIANS:
        candidates = nominee_ids(session, edition.id)
        per_film, spread, participation = _librarian_figures(session, edition.id)
    else:
        candidates = shortlist(session, edition.id)
        per_film, spread, participation = _public_figures(session, edition.id)
    return Count(round_, seed, rank(edition.id, round_, seed, candidates, per_film, spread), participation)


def _freeze(session: Session, edition: PrizeEdition, count: Count) -> None:
    assert edition.id is not None
    for table in (PrizeTally, PrizeParticipation):
        session.connection().execute(delete(table).where(  # type: ignore[arg-type]
            col(table.edition_id) == edition.id, col(table.round) == count.round))
    session.add_all(count.tally)
    session.add_all(PrizeParticipation(edition_id=edition.id, round=count.round, institution_id=institution,
                                       ballots=ballots) for institution, ballots in count.participation.items())
    session.flush()


def _lock(session: Session, edition_id: int) -> PrizeEdition:
    """The edition row, locked on PostgreSQL so that two processes closing the same round count it once; SQLite
    callers hold the database's write lock already (write_transaction)."""
    edition = session.exec(select(PrizeEdition).where(PrizeEdition.id == edition_id)
                           .with_for_update()).one()
    session.refresh(edition)
    return edition


def close_librarians_round(session: Session, edition_id: int, day: date | None = None) -> bool:
    edition = _lock(session, edition_id)
    if edition.shortlisted_at is not None:
        return False
    count = count_round(session, edition, PrizeRound.LIBRARIANS, secrets.token_hex(8))
    _freeze(session, edition, count)
    edition.shortlist_seed = count.seed
    edition.shortlisted_at = prize_audit.moment_on(day or clock.paris_today())
    session.add(edition)
    session.flush()
    prize_audit.record(session, edition_id, PrizeRound.LIBRARIANS, "shortlist",
                       films=count.ranked_films()[:edition.shortlist_size], detail=f"seed {count.seed}",
                       at=edition.shortlisted_at)
    return True


def close_public_round(session: Session, edition_id: int, day: date | None = None) -> bool:
    edition = _lock(session, edition_id)
    if edition.frozen_at is not None or edition.shortlisted_at is None:
        return False
    count = count_round(session, edition, PrizeRound.PUBLIC, secrets.token_hex(8))
    _freeze(session, edition, count)
    edition.result_seed = count.seed
    edition.frozen_at = prize_audit.moment_on(day or clock.paris_today())
    winners = count.ranked_films()
    edition.winner_film_id = winners[0] if winners else None
    session.add(edition)
    session.flush()
    prize_audit.record(session, edition_id, PrizeRound.PUBLIC, "result", films=winners[:1],
                       detail=f"seed {count.seed}, {sum(count.participation.values())} ballots", at=edition.frozen_at)
    return True


def due_closures(edition: PrizeEdition, day: date) -> list[str]:
    due = []
    if edition.shortlisted_at is None and day > edition.librarians_end:
        due.append(PrizeRound.LIBRARIANS)
    if edition.frozen_at is None and day > edition.public_end:
        due.append(PrizeRound.PUBLIC)
    return due


def settle(session: Session, edition_id: int, day: date | None = None) -> list[str]:
    """Close every round whose last day has passed; idempotent (the daily job and the pages both call it)."""
    day = day or clock.paris_today()
    closed = []
    for round_ in due_closures(get_edition(session, edition_id), day):
        closer = close_librarians_round if round_ == PrizeRound.LIBRARIANS else close_public_round
        if closer(session, edition_id, day):
            closed.append(round_)
    return closed


def frozen_count(session: Session, edition_id: int, round_: str) -> Count | None:
    edition = get_edition(session, edition_id)
    seed = edition.shortlist_seed if round_ == PrizeRound.LIBRARIANS else edition.result_seed
    if seed is None:
        return None
    tally = list(session.exec(select(PrizeTally).where(PrizeTally.edition_id == edition_id, PrizeTally.round == round_)
                              .order_by(col(PrizeTally.rank))))
    participation = dict(session.exec(select(PrizeParticipation.institution_id, PrizeParticipation.ballots).where(
        PrizeParticipation.edition_id == edition_id, PrizeParticipation.round == round_)).all())
    return Count(round_, seed, tally, participation)


def recount(session: Session, edition_id: int, round_: str) -> tuple[Count, bool]:
    """Count again from the stored ballots with the recorded seed; True when it matches the frozen count."""
    frozen = frozen_count(session, edition_id, round_)
    if frozen is None:
        raise Conflict("This round has not been counted yet.")
    again = count_round(session, get_edition(session, edition_id), round_, frozen.seed)

    def figures(count: Count) -> list[tuple[int, int, int, int]]:
        return [(row.film_id, row.ballots, row.institutions, row.rank) for row in count.tally]

    return again, figures(again) == figures(frozen) and again.participation == frozen.participation


def settle_all(session: Session, day: date | None = None) -> dict[int, list[str]]:
    """The daily job: close, in every edition, the rounds whose last day has passed."""
    day = day or clock.paris_today()
    closed = {}
    for edition_id in session.exec(select(PrizeEdition.id)).all():
        assert edition_id is not None
        done = settle(session, edition_id, day)
        if done:
            closed[edition_id] = done
    return closed
