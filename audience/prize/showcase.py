"""What patrons and the public see of a prize edition: its phases, its films, its published result, its distinctions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from audience.prize.count import Count, frozen_count, shortlist
from audience.prize.editions import PHASE_LABELS, nominee_ids, phase_on, phases
from audience.prize.models import PrizeEdition, PrizeNominee, PrizeRound
from audience.prize.records import result_published
from catalogue.films.models import Film, FilmStatus
from catalogue.films.page import Distinction
from catalogue.films.summaries import summaries
from cinedoc.kernel import clock
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.templating import money
from streaming.media.models import Institution
from streaming.media.presentations import PresentationVideo, presentation_videos


@dataclass(frozen=True)
class FilmCard:
    id: int
    title: str
    directors: list[str]
    year: int | None
    synopsis: str
    public: bool  # the public catalogue shows it: its page can be linked
    presentation: PresentationVideo | None


@dataclass(frozen=True)
class PhaseLine:
    name: str
    label: str  # an English msgid
    start: date | None
    end: date | None
    current: bool


@dataclass(frozen=True)
class RankedFilm:
    rank: int
    film: FilmCard
    ballots: int
    institutions: int


@dataclass(frozen=True)
class Participation:
    institution: str
    ballots: int


@dataclass
class Showcase:
    edition: PrizeEdition
    today: date
    phase: str
    phases: list[PhaseLine]
    nominees: list[FilmCard]
    shortlist: list[FilmCard] = field(default_factory=list)
    librarians: list[RankedFilm] = field(default_factory=list)
    published: bool = False
    ranking: list[RankedFilm] = field(default_factory=list)
    winner: FilmCard | None = None
    participation: list[Participation] = field(default_factory=list)
    total_ballots: int = 0

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase]


def film_cards(session: Session, film_ids: list[int]) -> dict[int, FilmCard]:
    if not film_ids:
        return {}
    films = list(session.exec(select(Film).where(col(Film.id).in_(film_ids))))
    directors = {summary.id: summary.directors for summary in summaries(session, films)}
    videos = presentation_videos(session, film_ids)
    return {film.id: FilmCard(film.id, film.title, directors.get(film.id, []), film.year, film.synopsis or "",
                              film.status == FilmStatus.AVAILABLE, videos.get(film.id))
            for film in films if film.id is not None}


def current_edition(session: Session, day: date | None = None) -> PrizeEdition | None:
    """The edition the /prix page shows: the latest whose nominations have started."""
    day = day or clock.paris_today()
    return session.exec(select(PrizeEdition).where(col(PrizeEdition.nominations_start) <= day)
                        .order_by(col(PrizeEdition.year).desc())).first()


def edition_of_year(session: Session, year: int) -> PrizeEdition | None:
    return session.exec(select(PrizeEdition).where(PrizeEdition.year == year)).first()


def _ranked(count: Count, cards: dict[int, FilmCard]) -> list[RankedFilm]:
    return [RankedFilm(row.rank, cards[row.film_id], row.ballots, row.institutions)
            for row in count.tally if row.film_id in cards]


def showcase(session: Session, edition: PrizeEdition, day: date | None = None) -> Showcase:
    """Everything a public page may show of the edition on that day: nothing of the public count before the result
    is published (result_date, once frozen)."""
    assert edition.id is not None
    day = day or clock.paris_today()
    phase = phase_on(edition, day).name
    nominees = nominee_ids(session, edition.id)
    cards = film_cards(session, nominees)
    shown = Showcase(
        edition=edition, today=day, phase=phase,
        phases=[PhaseLine(line.name, PHASE_LABELS[line.name], line.start, line.end, line.name == phase)
                for line in phases(edition)],
        nominees=[cards[film_id] for film_id in nominees if film_id in cards])
    if edition.shortlisted_at is not None:
        shown.shortlist = [cards[film_id] for film_id in shortlist(session, edition.id) if film_id in cards]
        librarians = frozen_count(session, edition.id, PrizeRound.LIBRARIANS)
        if librarians is not None:
            shown.librarians = _ranked(librarians, cards)
    if result_published(edition, day):
        public = frozen_count(session, edition.id, PrizeRound.PUBLIC)
        if public is not None:
            shown.published = True
            shown.ranking = _ranked(public, cards)
            shown.winner = cards.get(edition.winner_film_id) if edition.winner_film_id else None
            names = dict(session.exec(select(Institution.id, Institution.name).where(
                col(Institution.id).in_(list(public.participation)))).all()) if public.participation else {}
            shown.participation = sorted(
                (Participation(names.get(institution, str(institution)), ballots)
                 for institution, ballots in public.participation.items()),
                key=lambda line: (-line.ballots, line.institution))
            shown.total_ballots = sum(public.participation.values())
    return shown


def film_distinctions(session: Session, film_id: int) -> list[Distinction]:
    """For catalogue.films.page.FILM_DISTINCTIONS: the film won an edition (once its result is published), or was
    shortlisted (once the librarians' round is counted), or is nominated (once the nominations have started)."""
    today = clock.paris_today()
    editions = session.exec(select(PrizeEdition).join(PrizeNominee, col(PrizeNominee.edition_id) == PrizeEdition.id)
                            .where(PrizeNominee.film_id == film_id, col(PrizeEdition.nominations_start) <= today)
                            .order_by(col(PrizeEdition.year).desc())).all()
    found = []
    for edition in editions:
        assert edition.id is not None
        link = f"/prix/{edition.year}"
        if result_published(edition, today) and edition.winner_film_id == film_id:
            text = translate("Winner of the {title} ({award})", title=edition.title, award=money(edition.award_cents))
        elif edition.shortlisted_at is not None and film_id in shortlist(session, edition.id):
            text = translate("Shortlisted for the {title}", title=edition.title)
        else:
            text = translate("Nominated for the {title}", title=edition.title)
        found.append(Distinction(text, link))
    return found
