"""Live participation in a prize edition, for the cinema service's and the librarians' pages: ballots by day, by
category of institution and per institution, the latest audit entries, and the edition a librarian works on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from audience.prize.models import LibrarianBallot, PrizeAudit, PrizeEdition, PublicBallot
from cinedoc.kernel import clock
from streaming.media.models import Institution, InstitutionCategory


@dataclass(frozen=True)
class DayCount:
    day: date
    ballots: int


@dataclass(frozen=True)
class CategoryCount:
    category: str
    ballots: int


@dataclass(frozen=True)
class InstitutionParticipation:
    institution_id: int
    name: str
    category: str
    librarian_ballots: int
    public_ballots: int


def _days(start: date, end: date, counts: Counter[date], today: date) -> list[DayCount]:
    """Every day of the round up to today (a day without ballots is a zero on the chart, not a gap)."""
    last = min(end, today)
    span = (last - start).days + 1
    return [DayCount(start + timedelta(days=n), counts.get(start + timedelta(days=n), 0)) for n in range(max(span, 0))]


def public_by_day(session: Session, edition: PrizeEdition, institution_id: int | None = None,
                  today: date | None = None) -> list[DayCount]:
    """New public ballots per Paris day of the public round (a changed vote stays on the day it was first cast);
    only the given institution's when one is named."""
    statement = select(PublicBallot.cast_day, func.count()).where(PublicBallot.edition_id == edition.id)
    if institution_id is not None:
        statement = statement.where(PublicBallot.institution_id == institution_id)
    counts = Counter(dict(session.exec(statement.group_by(col(PublicBallot.cast_day))).all()))
    return _days(edition.public_start, edition.public_end, counts, today or clock.paris_today())


def librarians_by_day(session: Session, edition: PrizeEdition, today: date | None = None) -> list[DayCount]:
    """New librarians' ballots per Paris day of their round (a few hundred rows at most: counted in Python, where
    the UTC time becomes a Paris day the same way on both databases)."""
    cast = session.exec(select(LibrarianBallot.cast_at).where(LibrarianBallot.edition_id == edition.id)).all()
    # SQLite hands back naive datetimes; they are UTC like every stored time.
    counts = Counter((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(clock.PARIS).date()
                     for moment in cast)
    return _days(edition.librarians_start, edition.librarians_end, counts, today or clock.paris_today())


def public_by_category(session: Session, edition_id: int) -> list[CategoryCount]:
    """Public ballots per category of institution, every category listed (zero included)."""
    rows = dict(session.exec(select(Institution.category, func.count())
                             .join(PublicBallot, col(PublicBallot.institution_id) == col(Institution.id))
                             .where(PublicBallot.edition_id == edition_id)
                             .group_by(col(Institution.category))).all())
    return [CategoryCount(category.value, int(rows.get(category.value, 0))) for category in InstitutionCategory]


def per_institution(session: Session, edition_id: int) -> list[InstitutionParticipation]:
    """Ballots of each institution that took part in either round, by name."""
    librarians = dict(session.exec(select(LibrarianBallot.institution_id, func.count())
                                   .where(LibrarianBallot.edition_id == edition_id)
                                   .group_by(col(LibrarianBallot.institution_id))).all())
    public = dict(session.exec(select(PublicBallot.institution_id, func.count())
                               .where(PublicBallot.edition_id == edition_id)
                               .group_by(col(PublicBallot.institution_id))).all())
    ids = set(librarians) | set(public)
    if not ids:
        return []
    institutions = session.exec(select(Institution).where(col(Institution.id).in_(ids))
                                .order_by(col(Institution.name))).all()
    return [InstitutionParticipation(institution.id, institution.name, institution.category,  # type: ignore[arg-type]
                                     int(librarians.get(institution.id, 0)), int(public.get(institution.id, 0)))
            for institution in institutions]


def latest_audit(session: Session, edition_id: int, limit: int) -> list[PrizeAudit]:
    """The trail's latest entries first (the page shows a few; the CSV export has them all)."""
    return list(session.exec(select(PrizeAudit).where(PrizeAudit.edition_id == edition_id)
                             .order_by(col(PrizeAudit.id).desc()).limit(limit)))


def audit_size(session: Session, edition_id: int) -> int:
    return session.exec(select(func.count()).select_from(PrizeAudit)
                        .where(PrizeAudit.edition_id == edition_id)).one()


def librarians_edition(session: Session, day: date | None = None) -> PrizeEdition | None:
    """The edition librarians work on: the latest whose nominations have started."""
    day = day or clock.paris_today()
    return session.exec(select(PrizeEdition).where(PrizeEdition.nominations_start <= day)
                        .order_by(col(PrizeEdition.year).desc())).first()
