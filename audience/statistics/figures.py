"""Consultation figures read from the monthly usage table: by year, month, film, institution and category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from audience.viewing.counting import percent_change
from audience.viewing.models import MonthlyUsage
from catalogue.films.models import Film, FilmStatus
from rights.models import Licence, LicenceStatus
from streaming.media.models import Institution


@dataclass(frozen=True)
class YearComparison:
    year: int
    consultations: int
    previous_consultations: int
    change_percent: float | None


@dataclass(frozen=True)
class Share:
    """One row of a breakdown: what it is (an id and a label) and its consultations, watch time and completion."""

    key: str
    label: str
    consultations: int
    investigations: int
    watched_seconds: int
    completion_permille: int

    @property
    def average_watch_seconds(self) -> float | None:
        return self.watched_seconds / self.consultations if self.consultations else None

    @property
    def average_completion(self) -> float | None:
        return self.completion_permille / 1000 / self.consultations if self.consultations else None


def _in_year(year: int) -> object:
    return col(MonthlyUsage.month).between(f"{year:04d}-01", f"{year:04d}-12")


def year_consultations(session: Session, year: int, institution_id: int | None = None) -> int:
    statement = select(func.coalesce(func.sum(MonthlyUsage.total_item_requests), 0)).where(_in_year(year))
    if institution_id is not None:
        statement = statement.where(col(MonthlyUsage.institution_id) == institution_id)
    return int(session.exec(statement).one())


def compare_years(session: Session, year: int, institution_id: int | None = None) -> YearComparison:
    current = year_consultations(session, year, institution_id)
    previous = year_consultations(session, year - 1, institution_id)
    return YearComparison(year, current, previous, percent_change(previous, current))


def _sums() -> tuple:
    return (func.sum(MonthlyUsage.total_item_requests), func.sum(MonthlyUsage.total_item_investigations),
            func.sum(MonthlyUsage.watched_seconds), func.sum(MonthlyUsage.completion_permille))


def by_institution(session: Session, year: int) -> list[Share]:
    rows = session.exec(
        select(Institution.id, Institution.name, *_sums())
        .join(MonthlyUsage, col(MonthlyUsage.institution_id) == col(Institution.id))
        .where(_in_year(year)).group_by(col(Institution.id), col(Institution.name))
        .order_by(func.sum(MonthlyUsage.total_item_requests).desc(), col(Institution.name))
    ).all()
    return [Share(str(r[0]), r[1], int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0)) for r in rows]


def by_category(session: Session, year: int) -> list[Share]:
    rows = session.exec(
        select(Institution.category, *_sums())
        .join(MonthlyUsage, col(MonthlyUsage.institution_id) == col(Institution.id))
        .where(_in_year(year)).group_by(col(Institution.category)).order_by(col(Institution.category))
    ).all()
    return [Share(r[0], r[0], int(r[1] or 0), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows]


def by_month(session: Session, year: int, institution_id: int | None = None) -> list[Share]:
    statement = select(MonthlyUsage.month, *_sums()).where(_in_year(year))
    if institution_id is not None:
        statement = statement.where(col(MonthlyUsage.institution_id) == institution_id)
    found = {r[0]: r for r in session.exec(statement.group_by(col(MonthlyUsage.month))).all()}
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    return [Share(m, m, *(int(v or 0) for v in found[m][1:])) if m in found else Share(m, m, 0, 0, 0, 0)
            for m in months]


def totals(session: Session, year: int, institution_id: int | None = None) -> Share:
    statement = select(*_sums()).where(_in_year(year))
    if institution_id is not None:
        statement = statement.where(col(MonthlyUsage.institution_id) == institution_id)
    row = session.exec(statement).one()
    return Share(str(year), str(year), *(int(v or 0) for v in row))


def by_film(session: Session, year: int, institution_id: int | None = None, limit: int | None = None) -> list[Share]:
    statement = (select(Film.id, Film.title, *_sums())
                 .join(MonthlyUsage, col(MonthlyUsage.film_id) == col(Film.id)).where(_in_year(year)))
    if institution_id is not None:
        statement = statement.where(col(MonthlyUsage.institution_id) == institution_id)
    statement = statement.group_by(col(Film.id), col(Film.title)).having(
        func.sum(MonthlyUsage.total_item_requests) > 0
    ).order_by(func.sum(MonthlyUsage.total_item_requests).desc(), col(Film.title))
    if limit is not None:
        statement = statement.limit(limit)
    return [Share(str(r[0]), r[1], *(int(v or 0) for v in r[2:])) for r in session.exec(statement).all()]


def never_watched(session: Session, year: int, limit: int = 200) -> list[tuple[int, str]]:
    """Available films with no consultation in the year: candidates for promotion, or for weeding."""
    watched = (select(MonthlyUsage.film_id).where(_in_year(year), col(MonthlyUsage.total_item_requests) > 0)
               .distinct())
    rows = session.exec(select(Film.id, Film.title).where(
        col(Film.status) == FilmStatus.AVAILABLE, col(Film.id).not_in(watched)).order_by(col(Film.title))
        .limit(limit)).all()
    return [(int(r[0]), r[1]) for r in rows]


@dataclass(frozen=True)
class CostPerConsultation:
    film_id: int
    title: str
    licence_id: int
    start_date: date
    end_date: date
    price_cents: int
    consultations: int

    @property
    def cost_cents(self) -> int | None:
        """Licence price over the consultations so far, in whole cents; None when nobody watched yet."""
        return round(self.price_cents / self.consultations) if self.consultations else None


def cost_per_consultation(session: Session, today: date, ending_within_days: int | None = None
                          ) -> list[CostPerConsultation]:
    """Each film's current licence (active today) against the consultations in that licence's window so far,
    counted in whole months of the monthly table (the raw log may be purged). The most expensive per view first,
    films nobody watched before all."""
    statement = select(Licence.id, Licence.film_id, Licence.start_date, Licence.end_date, Licence.price_cents,
                       Film.title).join(Film, col(Film.id) == col(Licence.film_id)).where(
        col(Licence.status) == LicenceStatus.ACTIVE, col(Licence.start_date) <= today, col(Licence.end_date) >= today)
    if ending_within_days is not None:
        statement = statement.where(col(Licence.end_date) <= today + timedelta(days=ending_within_days))
    licences = session.exec(statement).all()
    found = [
        CostPerConsultation(film_id, title, licence_id, start, end, price,
                            consultations_in_window(session, film_id, start, min(end, today)))
        for licence_id, film_id, start, end, price, title in licences
    ]
    return sorted(found, key=lambda c: (c.cost_cents is not None, -(c.cost_cents or 0), c.title))


def consultations_in_window(session: Session, film_id: int, first: date, last: date) -> int:
    """A film's consultations (all institutions) in the whole months from `first` to `last`."""
    return int(session.exec(select(func.coalesce(func.sum(MonthlyUsage.total_item_requests), 0)).where(
        col(MonthlyUsage.film_id) == film_id,
        col(MonthlyUsage.month).between(first.strftime("%Y-%m"), last.strftime("%Y-%m")))).one())


def expiry_figures(session: Session, licences: Sequence[Licence], today: date) -> dict[int, tuple[int, int | None]]:
    """For the rights expiry list: each licence's consultations in its window so far, and its cost per
    consultation in cents (None while nobody watched)."""
    figures: dict[int, tuple[int, int | None]] = {}
    for licence in licences:
        assert licence.id is not None
        count = consultations_in_window(session, licence.film_id, licence.start_date, min(licence.end_date, today))
        figures[licence.id] = (count, round(licence.price_cents / count) if count else None)
    return figures
