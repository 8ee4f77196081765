"""The current time, in one place, so that rules about days can be tested by moving the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    return datetime.now(UTC)


def paris_today() -> date:
    """Rights windows are Europe/Paris calendar days: 'today' is the day it is in Paris."""
    return utcnow().astimezone(PARIS).date()
