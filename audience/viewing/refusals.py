"""Refused playback openings counted for COUNTER: No_License (no rights or no subscription that day) and
Limit_Exceeded (the patron's or the institution's monthly limit); added straight to the month's usage row."""

from __future__ import annotations

from sqlmodel import Session

from audience.viewing.log import add_to_month
from audience.viewing.models import MonthlyUsage
from catalogue.films.models import Film
from cinedoc.kernel import clock
from streaming.playback import sessions as playback

METRIC_OF_REFUSAL = {
    "rights": "no_license",
    "subscription": "no_license",
    "patron_limit": "limit_exceeded",
    "institution_limit": "limit_exceeded",
}


def record_refusal(session: Session, institution_id: int, film_id: int, code: str) -> None:
    """Count a refusal in the Paris month it happened; other refusals (unknown film, off site) are not usage."""
    column = METRIC_OF_REFUSAL.get(code)
    if column is None or session.get(Film, film_id) is None:
        return
    month = clock.utcnow().astimezone(clock.PARIS).strftime("%Y-%m")
    add_to_month(session, MonthlyUsage.__table__, month, institution_id, film_id,  # type: ignore[attr-defined]
                 {column: 1})


def register() -> None:
    if record_refusal not in playback.REFUSAL_OBSERVERS:
        playback.REFUSAL_OBSERVERS.append(record_refusal)
