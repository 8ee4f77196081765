"""The acquisition workflow: curators propose, the budget holder commits and signs, and the film goes on offer on
the first day of its streaming window (at signing if the window has begun, otherwise by the daily job)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

import rights.licences
from catalogue.acquisitions.models import FilmWeeding, WeedingStatus
from catalogue.acquisitions.schemas import (
    AcquisitionProposal,
    AcquisitionPublic,
    ExpiringLicencePublic,
    FilmBrief,
)
from catalogue.films import search, services
from catalogue.films.models import Film, FilmStatus
from catalogue.films.schemas import FilmCreate
from cinedoc.kernel import clock
from rights.models import Licence, LicenceStatus, LicenceUse
from rights.schemas import RenewalTerms


def film_briefs(session: Session, film_ids: Sequence[int]) -> dict[int, FilmBrief]:
    if not film_ids:
        return {}
    rows = session.exec(select(Film.id, Film.title, Film.status).where(col(Film.id).in_(list(set(film_ids))))).all()
    return {film_id: FilmBrief(id=film_id, title=title, status=status) for film_id, title, status in rows}


def acquisition_records(session: Session, licences: Sequence[Licence]) -> list[AcquisitionPublic]:
    films = film_briefs(session, [licence.film_id for licence in licences])
    return [AcquisitionPublic(licence=record, film=films[record.film_id])
            for record in rights.licences.licence_records(session, licences)]


def propose_acquisition(session: Session, data: AcquisitionProposal, *, actor_id: int | None) -> Licence:
    if data.film is not None:
        # A film new to the catalogue waits as a draft: patrons see it once its rights begin.
        film = services.create_film(session, FilmCreate(**{**data.film.model_dump(), "status": FilmStatus.DRAFT}))
    else:
        assert data.film_id is not None
        film = services.get_film(session, data.film_id)
    assert film.id is not None
    return rights.licences.propose_licence(session, film.id, data.licence, actor_id=actor_id)


def propose_renewal(session: Session, licence_id: int, terms: RenewalTerms, *, actor_id: int | None) -> Licence:
    return rights.licences.propose_renewal(session, licence_id, terms, actor_id=actor_id)


def publish_film(session: Session, licence: Licence) -> bool:
    """Put the licence's film on offer if the licence grants streaming; a weeded film comes back. True if changed."""
    uses, _ = rights.licences.grants_of(session, [licence.id]).get(licence.id, ([], []))  # type: ignore[arg-type]
    if LicenceUse.STREAMING.value not in uses:
        return False
    film = services.get_film(session, licence.film_id)
    if film.status == FilmStatus.AVAILABLE:
        return False
    now = clock.utcnow()
    if film.status == FilmStatus.WEEDED:
        for weeding in session.exec(select(FilmWeeding).where(
            FilmWeeding.film_id == film.id, FilmWeeding.status == WeedingStatus.DONE.value,
            col(FilmWeeding.reinstated_at).is_(None),
        )).all():
            weeding.reinstated_at = now
            session.add(weeding)
        # The weeding record keeps who, when and why; the film itself is on offer again.
        film.retired_at = None
        film.retired_reason = None
        film.retired_by_id = None
    film.status = FilmStatus.AVAILABLE.value
    film.updated_at = now
    session.add(film)
    session.flush()
    assert film.id is not None
    search.index_films(session, [film.id])
    return True


def commit(session: Session, licence_id: int, *, actor_id: int | None, budget_line_id: int | None) -> Licence:
    return rights.licences.commit_licence(session, licence_id, actor_id=actor_id, budget_line_id=budget_line_id)


def sign(session: Session, licence_id: int, *, actor_id: int | None, contract_reference: str | None,
         today: date | None = None) -> Licence:
    licence = rights.licences.sign_licence(session, licence_id, actor_id=actor_id,
                                           contract_reference=contract_reference, today=today)
    if licence.status == LicenceStatus.ACTIVE:
        publish_film(session, licence)
    return licence


def activate(session: Session, licence_id: int, *, today: date | None = None) -> Licence:
    licence = rights.licences.activate_licence(session, licence_id, today=today)
    publish_film(session, licence)
    return licence


def terminate(session: Session, licence_id: int, *, actor_id: int | None, reason: str) -> Licence:
    """The film stays on offer until the daily job finds it has no rights left, then it is weeded with notice."""
    return rights.licences.terminate_licence(session, licence_id, actor_id=actor_id, reason=reason)


def activate_due(session: Session, today: date, *, dry_run: bool = False) -> tuple[list[Licence], list[int]]:
    """Daily: signed licences whose window begins become active, and their films go on offer."""
    licences = rights.licences.activate_due_licences(session, today, dry_run=dry_run)
    published: list[int] = []
    for licence in licences:
        if dry_run:
            film = session.get(Film, licence.film_id)
            if film is not None and film.status != FilmStatus.AVAILABLE:
                published.append(licence.film_id)
        elif publish_film(session, licence):
            published.append(licence.film_id)
    return licences, published


# Figures a later context adds to the expiry list (audience: consultations in the licence's window and the cost per
# consultation). Catalogue may not import audience, so audience registers its function here at import time.
ExpiryFigures = Callable[[Session, Sequence[Licence], date], dict[int, tuple[int, int | None]]]
EXPIRY_FIGURES: list[ExpiryFigures] = []


def expiring(session: Session, days: int, today: date | None = None) -> list[ExpiringLicencePublic]:
    today = today or clock.paris_today()
    pairs = rights.licences.expiring_licences(session, today, days)
    figures: dict[int, tuple[int, int | None]] = {}
    for provider in EXPIRY_FIGURES:
        figures.update(provider(session, [licence for licence, _ in pairs], today))
    records = {record.id: record
               for record in rights.licences.licence_records(session, [licence for licence, _ in pairs])}
    films = film_briefs(session, [licence.film_id for licence, _ in pairs])
    return [
        ExpiringLicencePublic(
            licence=records[licence.id], film=films[licence.film_id],  # type: ignore[index]
            days_left=(licence.end_date - today).days,
            renewal_id=renewal.id if renewal else None, renewal_status=renewal.status if renewal else None,
            consultations=figures.get(licence.id, (None, None))[0],  # type: ignore[arg-type]
            cost_per_consultation_cents=figures.get(licence.id, (None, None))[1],  # type: ignore[arg-type]
        )
        for licence, renewal in pairs
    ]


def available_film_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Film).where(Film.status == FilmStatus.AVAILABLE.value))
               .one())
