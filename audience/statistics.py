"""Consultation figures read from the monthly usage table: by year, month, film, institution and category."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from audience.counting import percent_change
from audience.models import MonthlyUsage
from streaming.models import Institution


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
