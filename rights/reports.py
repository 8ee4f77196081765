"""Reports: the year's budget report (JSON, and CSV for the finance office), the cumulative monthly commitments
behind the budget-use chart, and the year's acquisitions and renewals.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from cinedoc.kernel.clock import PARIS
from rights.budgets import CHARGED, average_cents, budget_line_records, list_budget_lines
from rights.models import BudgetLine, Licence, LicenceKind
from rights.schemas import BudgetReport, BudgetTotals, KindSummary, MonthlyUse

HEADER = ("year", "collection", "label", "status", "allocated_eur", "committed_eur", "spent_eur", "remaining_eur",
          "films", "licences", "average_price_eur")


def in_paris(moment: datetime) -> datetime:
    """A stored UTC time as Paris time; SQLite hands timestamps back without their zone, and they are UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)


def budget_report(session: Session, year: int) -> BudgetReport:
    lines = budget_line_records(session, list_budget_lines(session, year=year))
    committed = sum(line.committed_cents for line in lines)
    count = sum(line.licence_count for line in lines)
    films = session.exec(
        select(func.count(func.distinct(Licence.film_id)))
        .join(BudgetLine, col(BudgetLine.id) == Licence.budget_line_id)
        .where(BudgetLine.year == year, CHARGED)
    ).one()
    totals = BudgetTotals(
        allocated_cents=sum(line.allocated_cents for line in lines), committed_cents=committed,
        spent_cents=sum(line.spent_cents for line in lines),
        remaining_cents=sum(line.remaining_cents for line in lines), film_count=int(films), licence_count=count,
        average_price_cents=average_cents(committed, count),
    )
    return BudgetReport(year=year, lines=lines, totals=totals)


def monthly_use(session: Session, year: int) -> list[MonthlyUse]:
    """Cumulative commitments per line at the end of each month (Paris time) of the year, for the chart."""
    lines = list_budget_lines(session, year=year)
    per_month: dict[int, list[int]] = {line.id: [0] * 12 for line in lines if line.id is not None}
    if per_month:
        for line_id, committed_at, price in session.exec(
            select(Licence.budget_line_id, Licence.committed_at, Licence.price_cents)
            .where(col(Licence.budget_line_id).in_(list(per_month)), CHARGED)
        ).all():
            assert committed_at is not None
            local = in_paris(committed_at)
            # A commitment made before or after its line's year counts in January or December.
            month = 0 if local.year < year else 11 if local.year > year else local.month - 1
            per_month[line_id][month] += price
    result = []
    for line in lines:
        assert line.id is not None
        running, cumulative = 0, []
        for amount in per_month[line.id]:
            running += amount
            cumulative.append(running)
        result.append(MonthlyUse(budget_line_id=line.id, label=line.label, allocated_cents=line.allocated_cents,
                                 cumulative_cents=cumulative))
    return result


def licence_summary(session: Session, year: int) -> dict[str, KindSummary]:
    """Acquisitions and renewals charged to the year's lines: how many, and for how much."""
    rows = dict((kind, (count, amount)) for kind, count, amount in session.exec(
        select(Licence.kind, func.count(), func.coalesce(func.sum(Licence.price_cents), 0))
        .join(BudgetLine, col(BudgetLine.id) == Licence.budget_line_id)
        .where(BudgetLine.year == year, CHARGED).group_by(col(Licence.kind))
    ).all())
    return {kind.value: KindSummary(count=int(rows.get(kind.value, (0, 0))[0]),
                                    amount_cents=int(rows.get(kind.value, (0, 0))[1]))
            for kind in LicenceKind}


def euros(cents: int | None) -> str:
    """Exact decimal euros from integer cents (no float on the way): 12545800 -> "125458.00"."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"


def budget_report_csv(report: BudgetReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in report.lines:
        writer.writerow((report.year, line.collection, line.label, line.status, euros(line.allocated_cents),
                         euros(line.committed_cents), euros(line.spent_cents), euros(line.remaining_cents),
                         line.film_count, line.licence_count, euros(line.average_price_cents)))
    totals = report.totals
    writer.writerow((report.year, "", "total", "", euros(totals.allocated_cents), euros(totals.committed_cents),
                     euros(totals.spent_cents), euros(totals.remaining_cents), totals.film_count,
                     totals.licence_count, euros(totals.average_price_cents)))
    return buffer.getvalue()
