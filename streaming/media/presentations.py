"""Presentation videos: the short promotional clip of a film, packaged like any media and served to anyone.

A presentation is public (no token, no subscription): it is served from /media/presentations/{film}/ for films the
public catalogue shows, from the READY version its own pointer (presentation_media) names. It never becomes the
film's playable media: entitlement reads film_media only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Response
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from catalogue.films.models import Film, FilmStatus
from streaming.media.models import FilmMedia, MediaAsset, MediaStatus, PresentationMedia
from streaming.media.packaging import MASTER_PLAYLIST, clock_duration
from streaming.playback.gateway import CachePolicy, not_found, safe_relative_path, serve_stored
from streaming.runtime import runtime_for

PUBLIC_ROOT = "/media/presentations"
POSTER_ROOT = "/media/posters"
POSTER = "poster.jpg"
# Public and shared-cacheable; playlists briefly, since a new version replaces the pointer's target.
PUBLIC = CachePolicy(playlist={"Cache-Control": "public, max-age=60"},
                     segment={"Cache-Control": "public, max-age=86400, immutable"})


@dataclass(frozen=True)
class PresentationVideo:
    """What a page needs to show a film's presentation video (paths are absolute on this site)."""

    film_id: int
    playlist_url: str
    duration_seconds: float | None
    has_captions: bool
    poster_url: str | None

    @property
    def length(self) -> str:
        return clock_duration(self.duration_seconds or 0)


def _published(film_ids: Sequence[int]) -> Any:
    return (select(PresentationMedia.film_id, MediaAsset.storage_prefix, MediaAsset.duration_seconds,
                   MediaAsset.has_captions)
            .join(MediaAsset, col(MediaAsset.id) == PresentationMedia.asset_id)
            .join(Film, col(Film.id) == PresentationMedia.film_id)
            .where(col(PresentationMedia.film_id).in_(list(film_ids)),
                   col(MediaAsset.status) == MediaStatus.READY.value,
                   col(Film.status) == FilmStatus.AVAILABLE.value))


def presentation_videos(session: Session, film_ids: Sequence[int]) -> dict[int, PresentationVideo]:
    """film_id -> its published presentation video, for the films of `film_ids` that have one and that the public
    catalogue shows (drafts and weeded films have none to show)."""
    ids = sorted({int(film_id) for film_id in film_ids})
    if not ids:
        return {}
    rows = session.connection().execute(_published(ids)).all()
    # Every packaged version has a poster (streaming.media.packaging.check_complete requires it).
    return {film_id: PresentationVideo(film_id, f"{PUBLIC_ROOT}/{film_id}/{MASTER_PLAYLIST}", duration,
                                       bool(captions), f"{PUBLIC_ROOT}/{film_id}/{POSTER}")
            for film_id, _prefix, duration, captions in rows}


def presentation_prefix(session: Session, film_id: int) -> str | None:
    """The storage prefix anyone may read for the film's presentation video, or None."""
    row = session.connection().execute(_published([film_id])).first()
    return row[1] if row else None


def film_poster_prefix(session: Session, film_id: int) -> str | None:
    """The prefix of the film's published media when the film is public: its poster.jpg may be shown to anyone."""
    return session.connection().execute(
        select(MediaAsset.storage_prefix)
        .join(FilmMedia, col(FilmMedia.asset_id) == MediaAsset.id)
        .join(Film, col(Film.id) == FilmMedia.film_id)
        .where(col(FilmMedia.film_id) == film_id, col(MediaAsset.status) == MediaStatus.READY.value,
               col(Film.status) == FilmStatus.AVAILABLE.value)
    ).scalar_one_or_none()


def film_page_media(session: Session, film_id: int) -> dict[str, Any] | None:
    """For catalogue.films.page.FILM_PAGE_MEDIA: the presentation video and the packaged poster of a public film."""
    found: dict[str, Any] = {}
    video = presentation_videos(session, [film_id]).get(film_id)
    if video is not None:
        found["presentation"] = video
    if film_poster_prefix(session, film_id) is not None:
        found["poster_url"] = f"{POSTER_ROOT}/{film_id}/{POSTER}"
    return found or None


class PresentationMediaController(Controller):
    """Public files: presentation videos, and the poster frame of a film's published media."""

    include_in_schema = False

    @get(f"{PUBLIC_ROOT}/{{film_id:int}}/{{path:path}}", sync_to_thread=True)
    def presentation_file(self, request: Request[Any, Any, Any], film_id: int, path: str) -> Response[Any]:
        relative = safe_relative_path(path, request.scope.get("raw_path") or b"")
        if relative is None:
            return not_found()
        runtime = runtime_for(request.app.state)
        prefix = runtime.cache.get(("presentation", film_id), lambda: _load(runtime.engine, presentation_prefix,
                                                                            film_id))
        if prefix is None:
            return not_found()
        return serve_stored(runtime, prefix, relative, request.headers.get("range"), cache=PUBLIC)

    @get(f"{POSTER_ROOT}/{{film_id:int}}/{POSTER}", sync_to_thread=True)
    def film_poster(self, request: Request[Any, Any, Any], film_id: int) -> Response[Any]:
        # The film's own media stays behind tokens; only its poster frame is public.
        runtime = runtime_for(request.app.state)
        prefix = runtime.cache.get(("film-poster", film_id), lambda: _load(runtime.engine, film_poster_prefix,
                                                                          film_id))
        if prefix is None:
            return not_found()
        return serve_stored(runtime, prefix, POSTER, request.headers.get("range"), cache=PUBLIC)


def _load(engine: Engine, query: Callable[[Session, int], str | None], film_id: int) -> str | None:
    with Session(engine) as session:
        return query(session, film_id)
