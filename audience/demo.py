"""Two years of plausible viewing history for the demo, written as monthly figures directly (no raw events):
12,993 consultations two years ago, 12,742 last year (the 2024 report's figures), the current year so far, with a
summer dip and peaks around the audience prize's votes and the national documentary month (November)."""

from __future__ import annotations

import random
from collections import Counter

from sqlmodel import Session, col, select

from audience.prize.models import PrizeEdition
from audience.viewing.models import MonthlyUsage
from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel import clock
from streaming.media.models import Institution

YEAR_TOTALS = (12_993, 12_742)
# January..December: the summer dip, the documentary month (November). The prize's votes add their own peaks in the
# months the demo's editions hold them (PRIZE_PEAKS), so the figures and the prize's calendar tell one story.
MONTH_WEIGHTS = (1.00, 1.05, 1.05, 1.05, 1.00, 0.95, 0.55, 0.45, 0.95, 1.05, 1.40, 0.85)
PRIZE_PEAKS = {"librarians": 1.25, "public": 1.35}
CATEGORY_WEIGHTS = {"local_authority": 1.0, "departmental": 1.6, "university": 1.2, "works_council": 0.4}


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers proportional to the weights that add up to the total exactly (largest remainders)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[:total - sum(parts)]:
        parts[index] += 1
    return parts


def _prize_peaks(session: Session, year: int) -> list[float]:
    """A factor per month of the year: the opening months of the editions' librarians' and public votes."""
    factors = [1.0] * 12
    for edition in session.exec(select(PrizeEdition)):
        for phase, factor in PRIZE_PEAKS.items():
            opening = getattr(edition, f"{phase}_start")
            if opening.year == year:
                factors[opening.month - 1] = max(factors[opening.month - 1], factor)
    return factors


def add_demo_history(session: Session, seed: int = 2024) -> int:
    """Monthly usage rows for every month of the last two years and the current year to date; returns how many."""
    rng = random.Random(seed)
    institutions = session.exec(select(Institution.id, Institution.category)).all()
    films = list(session.exec(select(Film.id).where(col(Film.status) != FilmStatus.DRAFT)).all())
    if not institutions or not films:
        return 0
    institution_weights = [CATEGORY_WEIGHTS.get(category, 1.0) * rng.uniform(0.3, 2.0) for _, category in institutions]
    # A few films draw most views (prize nominees, films in cinemas), a long tail is rarely watched, some never.
    film_weights = [0.0 if rng.random() < 0.08 else 1 / (rank + 3) ** 0.9 for rank in range(len(films))]
    rng.shuffle(film_weights)
    today = clock.paris_today()
    years = [(today.year - 2, YEAR_TOTALS[0]), (today.year - 1, YEAR_TOTALS[1])]
    this_year_months = today.month - 1  # complete months only
    if this_year_months:
        rate = YEAR_TOTALS[1] / sum(MONTH_WEIGHTS)
        years.append((today.year, round(rate * 1.03 * sum(MONTH_WEIGHTS[:this_year_months]))))
    rows: list[dict[str, int | str]] = []
    for year, total in years:
        month_count = 12 if year < today.year else this_year_months
        weights = [w * peak * rng.uniform(0.92, 1.08)
                   for w, peak in zip(MONTH_WEIGHTS[:month_count], _prize_peaks(session, year), strict=False)]
        for month_index, month_total in enumerate(_split(total, weights)):
            draws = Counter(zip(rng.choices([i for i, _ in institutions], institution_weights, k=month_total),
                                rng.choices(films, film_weights, k=month_total), strict=True))
            for (institution_id, film_id), requests in draws.items():
                watch = requests * rng.randint(900, 4200)
                rows.append({
                    "month": f"{year:04d}-{month_index + 1:02d}", "institution_id": institution_id, "film_id": film_id,
                    "total_item_requests": requests, "unique_item_requests": max(1, requests - rng.randint(0, 1)),
                    "total_item_investigations": requests + rng.randint(0, 2),
                    "unique_item_investigations": requests + rng.randint(0, 1), "watched_seconds": watch,
                    "completion_permille": requests * rng.randint(350, 900),
                    "no_license": 1 if rng.random() < 0.01 else 0, "limit_exceeded": 1 if rng.random() < 0.01 else 0,
                })
    table = MonthlyUsage.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), 2000):
        session.connection().execute(table.insert(), rows[start:start + 2000])
    return len(rows)
