"""The filters pages use to show money, durations and times, French first."""

from __future__ import annotations

from datetime import UTC, datetime

from cinedoc.kernel.i18n import current_locale
from cinedoc.kernel.templating import duration, money, paris_datetime


def test_times_are_shown_in_paris_whether_or_not_the_database_kept_their_zone() -> None:
    token = current_locale.set("fr")
    try:
        aware = datetime(2024, 7, 1, 10, 30, tzinfo=UTC)
        naive = datetime(2024, 7, 1, 10, 30)  # what SQLite returns for a UTC time it stored
        assert "12:30" in paris_datetime(aware)
        assert paris_datetime(naive) == paris_datetime(aware)
        assert "11:30" in paris_datetime(datetime(2024, 1, 15, 10, 30, tzinfo=UTC))  # winter time
    finally:
        current_locale.reset(token)


def test_money_is_cents_shown_as_euros_and_durations_as_hours() -> None:
    token = current_locale.set("fr")
    try:
        assert money(12545800).replace("\u202f", " ").replace("\xa0", " ") == "125 458,00 €"
        assert duration(92) == "1 h 32" and duration(52) == "52 min"
    finally:
        current_locale.reset(token)
