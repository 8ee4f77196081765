"""Prize editions: their terms, their nominees, and which phase a Paris day falls in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from audience.prize import audit as prize_audit
from audience.prize.models import PrizeEdition, PrizeNominee, PrizeRound
from audience.prize.schemas import EditionTerms
from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound
from cinedoc.kernel.i18n import translate
from rights.access import covers_period
from rights.models import LicenceUse

# The prize is national: its nominees need streaming rights in France for the whole edition.
PRIZE_TERRITORY = "FR"
PHASES = ("nominations", "librarians", "preparation", "public")


def _(msgid: str) -> str:
    """Marks a msgid for extraction without translating it (it is translated where shown)."""
    return msgid


PHASE_LABELS = {
    "upcoming": _("Not started yet"),
    "nominations": _("Nominations"),
    "librarians": _("Librarians' vote"),
    "preparation": _("Preparation"),
    "public": _("Public vote"),
    "between": _("Between two phases"),
    "counting": _("Counting"),
    "result": _("Result"),
}


@dataclass(frozen=True)
class Phase:
    name: str
    start: date | None
    end: date | None


def phases(edition: PrizeEdition | EditionTerms) -> list[Phase]:
    dated = [Phase(name, getattr(edition, f"{name}_start"), getattr(edition, f"{name}_end")) for name in PHASES]
    return [*dated, Phase("result", edition.result_date, None)]


def phase_on(edition: PrizeEdition, day: date) -> Phase:
    """The phase a day falls in; the gaps are "upcoming", "between" (say, the new-year break before the
    preparation) and "counting" (after the public vote, before the result's day)."""
    listed = phases(edition)
    if day < listed[0].start:  # type: ignore[operator]
        return Phase("upcoming", None, listed[0].start)
    for phase, following in zip(listed, listed[1:], strict=False):
        if phase.start <= day <= phase.end:  # type: ignore[operator]
            return phase
        if phase.end < day < following.start:  # type: ignore[operator]
            name = "counting" if following.name == "result" else "between"
            return Phase(name, phase.end, following.start)
    return listed[-1]


def current_phase(edition: PrizeEdition) -> Phase:
    return phase_on(edition, clock.paris_today())


def _check_dates(terms: EditionTerms) -> None:
    listed = phases(terms)
    for phase in listed[:-1]:
        if phase.end < phase.start:  # type: ignore[operator]
            raise InvalidInput("The phase “{phase}” ends before it starts.", field=f"{phase.name}_end",
                               phase=translate(PHASE_LABELS[phase.name]))
    for phase, following in zip(listed, listed[1:], strict=False):
        if following.start <= phase.end:  # type: ignore[operator]
            raise InvalidInput("The phase “{phase}” must start after the phase “{previous}” ends: phases may not "
                               "overlap and follow each other in order.", field=f"{following.name}_start"
                               if following.name != "result" else "result_date",
                               phase=translate(PHASE_LABELS[following.name]),
                               previous=translate(PHASE_LABELS[phase.name]))
    if terms.public_start.year != terms.year:
        raise InvalidInput("An edition is named for the year of its public vote ({year}).", field="year",
                           year=terms.public_start.year)


def _check_rules(terms: EditionTerms) -> None:
    nominees = len(terms.nominees)
    if len(set(terms.nominees)) != nominees:
        raise InvalidInput("A film is nominated twice.", field="nominees")
    if not 1 <= terms.pick_count < nominees:
        raise InvalidInput("Each librarian picks between 1 and {most} of the {count} nominees.", field="pick_count",
                           most=nominees - 1, count=nominees)
    if not 1 <= terms.shortlist_size < nominees:
        raise InvalidInput("The shortlist keeps between 1 and {most} of the {count} nominees.",
                           field="shortlist_size", most=nominees - 1, count=nominees)


def _check_nominees(session: Session, terms: EditionTerms) -> None:
    """Every nominee is on offer and its streaming rights in France cover the edition from its first day to its
    result: a film whose rights end mid-vote cannot be watched by the patrons asked to judge it."""
    films = {film.id: film for film in session.exec(select(Film).where(col(Film.id).in_(terms.nominees)))}
    for film_id in terms.nominees:
        film = films.get(film_id)
        if film is None:
            raise InvalidInput("No film with id {film_id}.", field="nominees", film_id=film_id)
        if film.status != FilmStatus.AVAILABLE:
            raise InvalidInput("{title} is not available on the platform: it cannot be nominated.",
                               field="nominees", title=film.title)
        if not covers_period(session, film_id, LicenceUse.STREAMING.value, PRIZE_TERRITORY, terms.nominations_start,
                             terms.result_date):
            raise InvalidInput("The streaming rights to {title} do not cover the whole edition in France "
                               "({start} to {end}).", field="nominees", title=film.title,
                               start=terms.nominations_start.isoformat(), end=terms.result_date.isoformat())


def check_terms(session: Session, terms: EditionTerms) -> None:
    _check_dates(terms)
    _check_rules(terms)
    _check_nominees(session, terms)


def _apply(session: Session, edition: PrizeEdition, terms: EditionTerms) -> None:
    for name, value in terms.model_dump(exclude={"nominees"}).items():
        setattr(edition, name, value)
    session.add(edition)
    session.flush()
    for nominee in session.exec(select(PrizeNominee).where(PrizeNominee.edition_id == edition.id)):
        session.delete(nominee)
    session.flush()
    for position, film_id in enumerate(terms.nominees, start=1):
        session.add(PrizeNominee(edition_id=edition.id, film_id=film_id, position=position))
    session.flush()
    assert edition.id is not None
    prize_audit.record(session, edition.id, PrizeRound.EDITION, "terms", films=terms.nominees,
                       detail=f"{terms.pick_count} of {len(terms.nominees)}, shortlist {terms.shortlist_size}")


def _check_year_free(session: Session, year: int, exclude: int | None = None) -> None:
    other = session.exec(select(PrizeEdition.id).where(PrizeEdition.year == year)).first()
    if other is not None and other != exclude:
        raise Conflict("There is already an edition for {year}.", field="year", year=year)


def create_edition(session: Session, terms: EditionTerms) -> PrizeEdition:
    check_terms(session, terms)
    _check_year_free(session, terms.year)
    edition = PrizeEdition(**terms.model_dump(exclude={"nominees"}))
    _apply(session, edition, terms)
    return edition


def update_edition(session: Session, edition_id: int, terms: EditionTerms) -> PrizeEdition:
    """The terms can change until the librarians' round opens; after that, only the title, the partners and the
    award (the nominees, the rule and the dates are what ballots were cast under)."""
    edition = get_edition(session, edition_id)
    if clock.paris_today() >= edition.librarians_start:
        fixed = terms.model_dump(exclude={"title", "partners", "award_cents"})
        current = edition_terms(session, edition).model_dump(exclude={"title", "partners", "award_cents"})
        changed = sorted(name for name, value in fixed.items() if current[name] != value)
        if changed:
            raise Conflict("The librarians' vote has opened: only the title, the partners and the award can still "
                           "change (not {fields}).", field=changed[0], fields=", ".join(changed))
    check_terms(session, terms)
    _check_year_free(session, terms.year, exclude=edition_id)
    _apply(session, edition, terms)
    return edition


def get_edition(session: Session, edition_id: int) -> PrizeEdition:
    edition = session.get(PrizeEdition, edition_id)
    if edition is None:
        raise NotFound("No prize edition with id {edition_id}.", edition_id=edition_id)
    return edition


def list_editions(session: Session) -> list[PrizeEdition]:
    return list(session.exec(select(PrizeEdition).order_by(col(PrizeEdition.year).desc())))


def nominee_ids(session: Session, edition_id: int) -> list[int]:
    return list(session.exec(select(PrizeNominee.film_id).where(PrizeNominee.edition_id == edition_id)
                             .order_by(col(PrizeNominee.position))))


def edition_terms(session: Session, edition: PrizeEdition) -> EditionTerms:
    values = {name: getattr(edition, name) for name in EditionTerms.model_fields if name != "nominees"}
    assert edition.id is not None
    return EditionTerms(nominees=nominee_ids(session, edition.id), **values)

