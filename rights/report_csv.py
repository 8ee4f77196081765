"""The yearly budget report as CSV for the finance office: one row per line, then the totals, amounts in euros."""

from __future__ import annotations

import csv
import io

from rights.schemas import BudgetReport

HEADER = ("year", "collection", "label", "status", "allocated_eur", "committed_eur", "spent_eur", "remaining_eur",
          "films", "licences", "average_price_eur")


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
