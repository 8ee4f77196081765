"""The scale of the server-drawn SVG charts (statistics, budgets, prize participation)."""

from __future__ import annotations


def axis_top(value: int, empty: int = 10) -> int:
    """A round top for a chart's axis: the first of 1, 2 or 5 times a power of ten that reaches `value`
    (`empty` when there is nothing to draw)."""
    if value <= 0:
        return empty
    step = 1
    while step * 10 <= value:
        step *= 10
    return next(factor * step for factor in (1, 2, 5, 10) if factor * step >= value)
