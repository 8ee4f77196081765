"""Audience JSON API: the player's event batches."""

from __future__ import annotations

from litestar import Controller, post
from sqlmodel import Session

from audience.viewing.log import ingest_batch
from audience.viewing.schemas import EventBatchIn, EventBatchOut


class ViewingLogController(Controller):
    path = "/api/playback"
    tags = ["viewing log"]

    @post("/{session_id:str}/events", sync_to_thread=True, exclude_from_csrf=True, status_code=200,
          summary="Log a batch of player events for a playback session (idempotent by session and sequence number)")
    def post_events(self, db: Session, session_id: str, data: EventBatchIn) -> EventBatchOut:
        """The session id, issued by the server inside the media token, is what binds a batch to a session: the
        player sends no cookie from a portal's iframe, hence no CSRF token. The batch is committed at the request
        boundary, before the answer leaves."""
        result = ingest_batch(db, session_id, data)
        return EventBatchOut(session_id=session_id, batch_id=data.batch_id, stored=result.stored,
                             duplicates=result.duplicates, watched_seconds=result.watched_seconds,
                             counted=result.counted)
