"""The demo's viewing history: the report's yearly figures exactly, a summer dip, usage spread over institutions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from audience.demo import add_demo_history
from audience.statistics.figures import by_institution, by_month, compare_years
from cinedoc.kernel import clock
from tests.playback_helpers import make_institution, make_playable_film


def test_demo_history_tells_the_reports_story(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2025, 4, 20, 10, 0, tzinfo=UTC))
    for n in range(6):
        make_institution(db, f"Bibliothèque {n}", category=("local_authority", "university")[n % 2])
    for n in range(30):
        make_playable_film(db, None, f"Film {n}", licensed=False)
    assert add_demo_history(db) > 100
    db.commit()
    comparison = compare_years(db, 2024)
    assert (comparison.previous_consultations, comparison.consultations, comparison.change_percent) == (
        12_993, 12_742, -1.9)
    months = [m.consultations for m in by_month(db, 2024)]
    assert min(months) in (months[6], months[7]) and months[10] > months[7] * 2
    assert sum(s.consultations for s in by_institution(db, 2024)) == 12_742
    assert sum(m.consultations for m in by_month(db, 2025)) > 0 and by_month(db, 2025)[3].consultations == 0
