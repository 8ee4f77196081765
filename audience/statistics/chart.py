"""The monthly consultations chart drawn on the server as SVG: this year's bars, last year's line, and annotations
for what moves the figures (prize phases, a collection's publication, the year's peak and low)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.dates import get_month_names
from markupsafe import Markup, escape
from sqlmodel import Session

from cinedoc.kernel.chart_scale import axis_top
from cinedoc.kernel.i18n import babel_locale, translate

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 48
BAR, PREVIOUS, NOTE = "#0b5394", "#b45f06", "#434343"


@dataclass(frozen=True)
class Annotation:
    month: int  # 1..12
    label: str


# Other parts of the platform (the audience prize, collections) add the events they know of for a year here.
ANNOTATION_SOURCES: list[Callable[[Session, int], list[Annotation]]] = []




def peaks(counts: Sequence[int]) -> list[Annotation]:
    """The year's busiest and quietest month with any usage, named on the chart."""
    used = [(c, m) for m, c in enumerate(counts, start=1) if c]
    if len(used) < 2:
        return []
    high, low = max(used), min(used)
    return [Annotation(high[1], translate("Peak")), Annotation(low[1], translate("Lowest"))]


def monthly_chart(year: int, counts: Sequence[int], previous: Sequence[int],
                  annotations: Sequence[Annotation]) -> Markup:
    """An accessible SVG (role img, title, description); the page shows the same figures in a table."""
    title = translate("Consultations per month in {year}, against {previous}", year=year, previous=year - 1)
    notes = "; ".join(f"{get_month_names('wide', locale=babel_locale())[a.month]}: {a.label}" for a in annotations)
    summary = translate("{total} consultations in {year}, {previous_total} in {previous}.", total=sum(counts),
                        year=year, previous_total=sum(previous), previous=year - 1) + (f" {notes}" if notes else "")
    top = axis_top(max([0, *counts, *previous]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / 12

    def y_of(value: int) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="usage-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="usage-chart-title usage-chart-desc">',
        f'<title id="usage-chart-title">{escape(title)}</title>',
        f'<desc id="usage-chart-desc">{escape(summary)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#767676"/>',
    ]
    for step in range(5):
        value = top * step // 4
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value}</text>')
    months = get_month_names("abbreviated", locale=babel_locale())
    for index, count in enumerate(counts):
        x = LEFT + slot * index
        parts.append(f'<rect x="{x + slot * 0.2:.1f}" y="{y_of(count):.1f}" width="{slot * 0.6:.1f}" '
                     f'height="{TOP + plot_h - y_of(count):.1f}" fill="{BAR}"/>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                     f'font-size="11">{escape(months[index + 1])}</text>')
    if any(previous):
        points = " ".join(f"{LEFT + slot * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(previous))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{PREVIOUS}" stroke-width="2.5" '
                     f'stroke-dasharray="8 4"/>')
        parts.extend(f'<rect x="{LEFT + slot * (i + 0.5) - 3.5:.1f}" y="{y_of(v) - 3.5:.1f}" width="7" height="7" '
                     f'fill="{PREVIOUS}"/>' for i, v in enumerate(previous))
    for index, note in enumerate(annotations):
        x = LEFT + slot * (note.month - 0.5)
        label_y = TOP - 8 - 12 * (index % 2)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{label_y + 3}" y2="{TOP + plot_h}" stroke="{NOTE}" '
                     f'stroke-dasharray="2 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{label_y}" text-anchor="middle" font-size="11" fill="{NOTE}">'
                     f'{escape(note.label[:30])}</text>')
    legend_y = HEIGHT - 10
    parts.append(f'<rect x="{LEFT}" y="{legend_y - 9}" width="10" height="10" fill="{BAR}"/>')
    parts.append(f'<text x="{LEFT + 14}" y="{legend_y}" font-size="11">{year}</text>')
    parts.append(f'<line x1="{LEFT + 70}" x2="{LEFT + 94}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{PREVIOUS}" '
                 f'stroke-width="2.5" stroke-dasharray="8 4"/>')
    parts.append(f'<text x="{LEFT + 100}" y="{legend_y}" font-size="11">{year - 1}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def annotations_for(session: Session, year: int, counts: Sequence[int]) -> list[Annotation]:
    found = [note for source in ANNOTATION_SOURCES for note in source(session, year)]
    return sorted([*found, *peaks(counts)], key=lambda a: a.month)
