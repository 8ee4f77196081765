"""The prize's phases on the monthly consultations chart: the months its librarians' vote and public vote open and
its result is published, for the year the chart shows."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, or_, select

from audience.prize.models import PrizeEdition
from audience.statistics.chart import Annotation
from cinedoc.kernel.i18n import translate

# Short labels: the chart draws thirty characters above the month at most.
MARKS = (("librarians_start", "Prize: librarians' vote"), ("public_start", "Prize: public vote"),
         ("result_date", "Prize: result"))


def prize_annotations(session: Session, year: int) -> list[Annotation]:
    """One annotation per phase that opens in the year; an edition's librarians' vote may open the year before its
    public vote, and is drawn on that year's chart."""
    dates = [col(getattr(PrizeEdition, name)) for name, _ in MARKS]
    editions = session.exec(select(PrizeEdition).where(or_(*(
        column.between(date(year, 1, 1), date(year, 12, 31)) for column in dates)))).all()
    return [Annotation(getattr(edition, name).month, translate(label))
            for edition in editions for name, label in MARKS if getattr(edition, name).year == year]
