"""Shared steps of the audience tests: playback sessions written straight into the access context's table (the
access rules are tested there), and event batches as the player sends them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from streaming.access.models import AccessMethod, PlaybackSession
from streaming.media.models import FilmMedia


def add_session(db: Session, institution_id: int, film_id: int, opened_at: datetime, patron: str | None = "p-1",
                *, session_id: str | None = None, commit: bool = True) -> str:
    media = db.get(FilmMedia, film_id)
    assert media is not None
    sid = session_id or uuid.uuid4().hex
    db.add(PlaybackSession(
        id=sid, institution_id=institution_id, film_id=film_id, asset_id=media.asset_id,
        storage_prefix=f"films/{film_id}/test", patron=patron,
        method=AccessMethod.ASSERTION if patron else AccessMethod.ON_SITE, kid="k1",
        created_at=opened_at, expires_at=opened_at + timedelta(hours=4)))
    if commit:
        db.commit()
    return sid


def batch(film_id: int, opened_at: datetime, watched: list[float], *, first_seq: int = 0,
          batch_id: str | None = None) -> dict[str, Any]:
    """Events as the player sends them: a start, then progress reports; each at the wall time its watch time needs."""
    events = []
    for index, seconds in enumerate(watched):
        kind = "start" if index + first_seq == 0 else "progress"
        events.append({"seq": first_seq + index, "kind": kind, "position": seconds, "watched": seconds,
                       "at": (opened_at + timedelta(seconds=seconds + 1)).isoformat()})
    return {"batch_id": batch_id or uuid.uuid4().hex, "film_id": film_id, "events": events}
