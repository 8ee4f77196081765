"""The statistics page's monthly chart marks the prize's phases in the months they open, on their own year's chart."""

from __future__ import annotations

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlmodel import Session

from tests.prize_helpers import edition_json, nominated_films
from tests.rights_helpers import set_today


def _chart_description(client: TestClient, year: int) -> str:
    page = client.get("/staff/statistics", params={"year": str(year)})
    assert page.status_code == 200
    start = page.text.index('<desc id="usage-chart-desc">')
    return page.text[start:page.text.index("</desc>", start)]


def test_an_editions_phases_are_marked_in_their_months_on_their_years_chart(
        client: TestClient, db: Session, curator: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2023, 9, 15))
    created = client.post("/api/prize/editions", json=edition_json(nominated_films(db)), headers=curator)
    assert created.status_code == 201, created.text
    set_today(monkeypatch, date(2024, 6, 1))
    # The 2024 edition: librarians' vote from October 2023, public vote from March 2024, result in April 2024.
    chart_2024 = _chart_description(client, 2024)
    assert "mars: Prix : vote du public" in chart_2024 and "avril: Prix : palmarès" in chart_2024
    assert "bibliothèques" not in chart_2024
    chart_2023 = _chart_description(client, 2023)
    assert "octobre: Prix : vote des bibliothèques" in chart_2023
    assert "vote du public" not in chart_2023 and "palmarès" not in chart_2023
    assert "Prix" not in _chart_description(client, 2025)
    english = client.get("/staff/statistics", params={"year": "2024", "lang": "en"})
    assert "March: Prize: public vote" in english.text
