"""What the prize's API and pages show of an edition: its terms, its phase, its shortlist and its published count."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from audience.prize.count import Count, shortlist
from audience.prize.editions import nominee_ids, phase_on, phases
from audience.prize.models import PrizeEdition
from audience.prize.schemas import CountOut, EditionOut, PhaseOut, TallyRow
from catalogue.films.models import Film
from cinedoc.kernel import clock


def result_published(edition: PrizeEdition, day: date | None = None) -> bool:
    return edition.frozen_at is not None and (day or clock.paris_today()) >= edition.result_date


def edition_record(session: Session, edition: PrizeEdition, day: date | None = None) -> EditionOut:
    assert edition.id is not None
    day = day or clock.paris_today()
    nominees = nominee_ids(session, edition.id)
    published = result_published(edition, day)
    return EditionOut(
        id=edition.id, year=edition.year, title=edition.title, partners=edition.partners,
        award_cents=edition.award_cents, pick_count=edition.pick_count, nominee_count=len(nominees),
        shortlist_size=edition.shortlist_size, ballot_scope=edition.ballot_scope,
        allow_vote_change=edition.allow_vote_change, require_watched=edition.require_watched,
        phases=[PhaseOut(name=phase.name, start=phase.start, end=phase.end) for phase in phases(edition)],
        current_phase=phase_on(edition, day).name, nominees=nominees, shortlist=shortlist(session, edition.id),
        shortlist_seed=edition.shortlist_seed, result_seed=edition.result_seed if published else None,
        frozen_at=edition.frozen_at if published else None,
        winner_film_id=edition.winner_film_id if published else None,
    )


def titles(session: Session, film_ids: list[int]) -> dict[int, str]:
    if not film_ids:
        return {}
    return dict(session.exec(select(Film.id, Film.title).where(col(Film.id).in_(film_ids))).all())


def count_record(session: Session, edition_id: int, count: Count, matches: bool | None = None) -> CountOut:
    named = titles(session, [row.film_id for row in count.tally])
    return CountOut(edition_id=edition_id, round=count.round, seed=count.seed, matches_frozen=matches,
                    participation=count.participation,
                    tally=[TallyRow(film_id=row.film_id, title=named.get(row.film_id, ""), ballots=row.ballots,
                                    institutions=row.institutions, rank=row.rank) for row in count.tally])

