"""The prize's participation charts, drawn on the server as SVG like the statistics chart
(audience/statistics/chart.py): ballots per day of a round as bars, and ballots per category of institution as
horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import format_date
from markupsafe import Markup, escape

from audience.prize.participation import CategoryCount, DayCount
from cinedoc.kernel.chart_scale import axis_top
from cinedoc.kernel.i18n import babel_locale, translate
from streaming.access.institutions import CATEGORY_LABELS

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 20, 44
BAR = "#0b5394"




def _frame(chart_id: str, title: str, summary: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="usage-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]


def daily_chart(chart_id: str, title: str, days: Sequence[DayCount]) -> Markup:
    """Bars per day; the axis names one day a week so that a three-month round stays legible."""
    total = sum(day.ballots for day in days)
    summary = translate("{total} ballots from {start} to {end}.", total=total,
                        start=format_date(days[0].day, "long", locale=babel_locale()) if days else "",
                        end=format_date(days[-1].day, "long", locale=babel_locale()) if days else "")
    top = axis_top(max([0, *(day.ballots for day in days)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)

    def y_of(value: int) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = _frame(chart_id, title, summary, HEIGHT)
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#767676"/>')
    for step in range(5):
        value = top * step // 4
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value}</text>')
    every = max(1, (len(days) + 9) // 10)
    for index, day in enumerate(days):
        x = LEFT + slot * index
        if day.ballots:
            parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{y_of(day.ballots):.1f}" width="{slot * 0.7:.1f}" '
                         f'height="{TOP + plot_h - y_of(day.ballots):.1f}" fill="{BAR}" data-day="{day.day}" '
                         f'data-ballots="{day.ballots}"/>')
        if index % every == 0:
            label = format_date(day.day, "d MMM", locale=babel_locale())
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def category_chart(chart_id: str, title: str, categories: Sequence[CategoryCount]) -> Markup:
    """One horizontal bar per category of institution, its count written at its end."""
    total = sum(row.ballots for row in categories)
    summary = translate("{total} ballots in all.", total=total) + " " + "; ".join(
        f"{translate(CATEGORY_LABELS.get(row.category, row.category))}: {row.ballots}" for row in categories)
    label_w, row_h = 260, 34
    height = TOP + row_h * len(categories) + 12
    top = axis_top(max([0, *(row.ballots for row in categories)]))
    plot_w = WIDTH - label_w - RIGHT - 40
    parts = _frame(chart_id, title, summary, height)
    for index, row in enumerate(categories):
        y = TOP + row_h * index
        width = plot_w * row.ballots / top
        name = translate(CATEGORY_LABELS.get(row.category, row.category))
        parts.append(f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" font-size="12">'
                     f'{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 6}" width="{width:.1f}" height="{row_h - 12}" fill="{BAR}" '
                     f'data-category="{row.category}" data-ballots="{row.ballots}"/>')
        parts.append(f'<text x="{label_w + width + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="12">'
                     f'{row.ballots}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
