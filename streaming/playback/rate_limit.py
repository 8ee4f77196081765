"""Session openings per patron in fixed one-minute windows, counted in the database so that every process agrees."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlmodel import Session, col

from cinedoc.kernel.upserts import increment
from streaming.access.entitlement import Refusal
from streaming.access.models import OpeningWindow

WINDOW = timedelta(minutes=1)

TOO_MANY = Refusal("rate_limited", "Too many playback requests in a short time: wait a minute and try again.",
                   status_code=429)


_OLD_WINDOWS = delete(OpeningWindow).where(col(OpeningWindow.window_start) < bindparam("before"))


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def count_opening(session: Session, subject: str, now: datetime) -> int:
    """One more opening for the subject in the current window; returns how many it has made in this window."""
    start = window_start(now)
    count = increment(session, OpeningWindow.__table__, {  # type: ignore[attr-defined]
        "subject": subject[:120], "window_start": start,
    }, "count")
    return count


def check_opening(session: Session, subject: str, now: datetime, per_minute: int) -> Refusal | None:
    return TOO_MANY if count_opening(session, subject, now) > per_minute else None


def forget_old_windows(session: Session, now: datetime) -> int:
    result = session.connection().execute(_OLD_WINDOWS, {"before": window_start(now) - WINDOW})
    return int(result.rowcount or 0)
