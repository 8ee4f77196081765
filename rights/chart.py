"""The budget-use chart drawn on the server as SVG: cumulative commitments per line and month, against allocations."""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import get_month_names
from markupsafe import Markup, escape

from cinedoc.kernel.chart_scale import axis_top
from cinedoc.kernel.i18n import babel_locale, translate
from cinedoc.kernel.templating import money
from rights.schemas import MonthlyUse

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 92, 16, 20, 44
# Colours that stay apart for the common colour-vision deficiencies; each line also gets its own dash and marker,
# so colour is never the only cue.
COLOURS = ("#0b5394", "#b45f06", "#38761d", "#741b47", "#434343", "#990000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")




def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" '
                f'fill="{colour}"/>')
    if kind == "triangle":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" '
                f'fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def budget_use_chart(year: int, series: Sequence[MonthlyUse]) -> Markup:
    """An accessible SVG (role img, title and description); the page shows the same figures in a table."""
    title = translate("Budget use in {year}: cumulative commitments per line and month", year=year)
    summary = "; ".join(
        translate("{line}: {committed} committed of {allocated}", line=item.label,
                  committed=money(item.cumulative_cents[-1]), allocated=money(item.allocated_cents))
        for item in series
    ) or translate("No budget line for this year.")
    highest = max([0, *(max(item.allocated_cents, item.cumulative_cents[-1]) for item in series)])
    top_value = axis_top(highest, empty=100_00)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(month: int) -> float:
        return LEFT + plot_w * (month + 0.5) / 12

    def y_of(cents: int) -> float:
        return TOP + plot_h * (1 - cents / top_value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="budget-chart-title budget-chart-desc">',
        f'<title id="budget-chart-title">{escape(title)}</title>',
        f'<desc id="budget-chart-desc">{escape(summary)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#767676"/>',
    ]
    for step in range(5):
        value = top_value * step // 4
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{escape(money(value))}</text>')
    months = get_month_names("abbreviated", locale=babel_locale())
    for month in range(12):
        parts.append(f'<text x="{x_of(month):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11">'
                     f'{escape(months[month + 1])}</text>')
    for index, item in enumerate(series):
        colour, dash, marker = (COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)],
                                MARKERS[index % len(MARKERS)])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y_alloc = y_of(item.allocated_cents)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y_alloc:.1f}" y2="{y_alloc:.1f}" '
                     f'stroke="{colour}" stroke-width="1" stroke-dasharray="2 6" opacity="0.8"/>')
        points = " ".join(f"{x_of(m):.1f},{y_of(v):.1f}" for m, v in enumerate(item.cumulative_cents))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        parts.extend(_marker(marker, x_of(m), y_of(v), colour) for m, v in enumerate(item.cumulative_cents))
    legend_y = HEIGHT - 12
    x = LEFT
    for index, item in enumerate(series):
        colour, marker = COLOURS[index % len(COLOURS)], MARKERS[index % len(MARKERS)]
        parts.append(_marker(marker, x + 4, legend_y - 4, colour))
        label = escape(item.label[:40])
        parts.append(f'<text x="{x + 12}" y="{legend_y}" font-size="11">{label}</text>')
        x += 24 + 6.5 * len(item.label[:40])
    parts.append("</svg>")
    return Markup("\n".join(parts))
