"""The counting rules that turn playback sessions into consultations (docs/statistics.md), as pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_WATCH_SECONDS = 10.0
SHORT_FILM_SECONDS = 20.0
DOUBLE_CLICK = timedelta(seconds=30)


def qualifies(watched_seconds: float, duration_seconds: float | None) -> bool:
    """Enough watch time: 10 seconds, or half of a film shorter than 20 seconds."""
    if duration_seconds is not None and 0 < duration_seconds < SHORT_FILM_SECONDS:
        return watched_seconds >= duration_seconds / 2
    return watched_seconds >= MIN_WATCH_SECONDS


def completion(watched_seconds: float, duration_seconds: float | None) -> float | None:
    """The share of the film watched, capped at 1 (a second look does not make it more than complete)."""
    if not duration_seconds or duration_seconds <= 0:
        return None
    return min(1.0, max(0.0, watched_seconds) / duration_seconds)


@dataclass(frozen=True)
class SessionPlay:
    """What the log says about one playback session: when it opened, how long it played, the film's length."""

    session_id: str
    started_at: datetime
    watched_seconds: float
    duration_seconds: float | None


@dataclass(frozen=True)
class Consultation:
    """A counted consultation: the session retained for it and the watch time of every session it absorbed."""

    session_id: str
    started_at: datetime
    watched_seconds: float
    completion: float | None


@dataclass(frozen=True)
class GroupCount:
    """The contribution of one viewer's sessions of one film on one day to the COUNTER metrics."""

    investigations: int = 0
    requests: int = 0
    unique_investigations: int = 0
    unique_requests: int = 0
    watched_seconds: float = 0.0
    completion_sum: float = 0.0
    consultations: tuple[Consultation, ...] = ()


def double_click_chains(plays: Iterable[SessionPlay]) -> list[list[SessionPlay]]:
    """Sessions opened each within 30 s of the previous one are one click repeated (a reload): one chain."""
    chains: list[list[SessionPlay]] = []
    for play in sorted(plays, key=lambda p: (p.started_at, p.session_id)):
        if chains and play.started_at - chains[-1][-1].started_at <= DOUBLE_CLICK:
            chains[-1].append(play)
        else:
            chains.append([play])
    return chains


def count_chain(chain: Sequence[SessionPlay]) -> Consultation | None:
    """A chain counts once if any of its sessions watched enough; COUNTER keeps the last click, so the consultation
    is the chain's last qualifying session, with the watch time of the whole chain (the patron really watched it)."""
    retained = [p for p in chain if qualifies(p.watched_seconds, p.duration_seconds)]
    if not retained:
        return None
    last = retained[-1]
    watched = sum(max(0.0, p.watched_seconds) for p in chain)
    return Consultation(last.session_id, last.started_at, watched, completion(watched, last.duration_seconds))


def count_group(plays: Iterable[SessionPlay]) -> GroupCount:
    """Count one viewer's sessions of one film on one Paris day (for on-site seats, one session alone).

    Investigations: every chain with any playback; requests: chains that qualify (the consultations). The unique
    metrics count the item once for the viewer's day, COUNTER's session surrogate (user + day)."""
    chains = double_click_chains(plays)
    consultations = tuple(c for c in (count_chain(chain) for chain in chains) if c is not None)
    return GroupCount(
        investigations=len(chains),
        requests=len(consultations),
        unique_investigations=1 if chains else 0,
        unique_requests=1 if consultations else 0,
        watched_seconds=sum(c.watched_seconds for c in consultations),
        completion_sum=sum(c.completion or 0.0 for c in consultations),
        consultations=consultations,
    )


def viewer_key(patron: str | None, session_id: str) -> str:
    """Who a session belongs to for counting: the pseudonymous patron, or on site (no patron id) the session itself.
    Never an IP address: many patrons of one library share one."""
    return f"p:{patron}" if patron else f"s:{session_id}"


def percent_change(previous: int, current: int) -> float | None:
    """Year-on-year change in percent, one decimal; none when there was nothing the year before."""
    if previous == 0:
        return None
    return round((current - previous) * 100.0 / previous, 1)
