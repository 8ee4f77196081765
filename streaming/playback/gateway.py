"""The media gateway of the embedded default: every playlist, segment, caption and key request shows its path token.

Checks run cheapest first and none touches the storage until all have passed: the path's shape (no traversal, no
encoded separators), the token's MAC for this film's prefix and its expiry, then (from a short cache of the database)
the key id, the session and the institution's subscription. Every refusal is the same bare 403, so a caller learns
nothing about whether a film or a file exists. Playlists are `private, no-store` (each carries one patron's token);
segments are `private` and immutable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Redirect, Response
from sqlalchemy import select
from sqlmodel import col

from cinedoc.kernel import clock
from streaming.access.entitlement import subscription_active
from streaming.access.models import KeyStatus, PlaybackSession
from streaming.media.storage import content_type
from streaming.playback.cdn import presigned_playlist
from streaming.playback.sessions import key_statuses
from streaming.playback.signing import check_media_token
from streaming.runtime import AccessRuntime, runtime_for

_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
_SUFFIXES = (".m3u8", ".m4s", ".mp4", ".m4a", ".aac", ".ts", ".vtt", ".webvtt", ".jpg", ".png", ".key")
_ENCODED = re.compile(rb"%(2[fFeE]|5[cC]|00)")
MAX_DEPTH = 4
PLAYLIST_HEADERS = {"Cache-Control": "private, no-store"}
SEGMENT_HEADERS = {"Cache-Control": "private, max-age=86400, immutable"}
COMMON_HEADERS = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff",
                  "Referrer-Policy": "no-referrer", "Accept-Ranges": "bytes"}


@dataclass(frozen=True)
class CachePolicy:
    """The Cache-Control of what serve_stored sends: playlists (and redirects to presigned URLs) and the rest."""

    playlist: dict[str, str]
    segment: dict[str, str]


# Behind a patron's token: nothing shared caches may keep (public presentation videos use their own policy).
PRIVATE = CachePolicy(PLAYLIST_HEADERS, SEGMENT_HEADERS)


def forbidden() -> Response[bytes]:
    return Response(b"Forbidden\n", status_code=403, media_type="text/plain",
                    headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})


def safe_relative_path(path: str, raw_path: bytes) -> str | None:
    """The path under the film's prefix, or None for anything but plain names in at most four folders."""
    if _ENCODED.search(raw_path) or b"\\" in raw_path:
        return None
    path = path[1:] if path.startswith("/") else path
    parts = path.split("/")
    if not 1 <= len(parts) <= MAX_DEPTH or not all(_SEGMENT.fullmatch(part) for part in parts):
        return None
    if ".." in path or not path.lower().endswith(_SUFFIXES):
        return None
    return path


@dataclass(frozen=True)
class SessionFacts:
    institution_id: int
    film_id: int
    storage_prefix: str
    revoked: bool


def _session_facts(runtime: AccessRuntime, session_id: str) -> SessionFacts | None:
    def load() -> SessionFacts | None:
        with runtime.engine.connect() as connection:
            row = connection.execute(
                select(PlaybackSession.institution_id, PlaybackSession.film_id, PlaybackSession.storage_prefix,
                       PlaybackSession.revoked_at).where(col(PlaybackSession.id) == session_id)
            ).first()
        return None if row is None else SessionFacts(row[0], row[1], row[2], row[3] is not None)

    return runtime.cache.get(("session", session_id), load)


def _subscribed(runtime: AccessRuntime, institution_id: int) -> bool:
    today = clock.paris_today()

    def load() -> bool:
        from sqlmodel import Session

        with Session(runtime.engine) as session:
            return subscription_active(session, institution_id, today)

    return runtime.cache.get(("subscribed", institution_id, today), load)


def _key_active(runtime: AccessRuntime, kid: str) -> bool:
    def load() -> dict[str, str]:
        from sqlmodel import Session

        with Session(runtime.engine) as session:
            return key_statuses(session)

    return runtime.cache.get(("playback-keys",), load).get(kid) == KeyStatus.ACTIVE


def authorise(runtime: AccessRuntime, token_text: str, film_text: str) -> SessionFacts | None:
    """The token's verdict for this film; the pure checks first, the (cached) database ones after."""
    if not film_text.isdigit() or len(film_text) > 10:
        return None
    film_id = int(film_text)
    token = check_media_token(runtime.ring, token_text, film_id, runtime.now(), runtime.settings.clock_skew_seconds)
    if token is None or not _key_active(runtime, token.kid):
        return None
    facts = _session_facts(runtime, token.session_id)
    if (facts is None or facts.revoked or facts.film_id != film_id
            or facts.institution_id != token.institution_id):
        return None
    if not _subscribed(runtime, token.institution_id):
        return None
    return facts


# --- serving --------------------------------------------------------------------------------------------------------

def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """One byte range (start, end included), None to send everything, or "unsatisfiable"."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if match is None:
        return None  # several ranges or another unit: sending the whole file is a valid answer
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


def not_found() -> Response[bytes]:
    return Response(b"Not found\n", status_code=404, media_type="text/plain",
                    headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})


def serve_local_file(path: str, relative: str, range_header: str | None,
                     cache: CachePolicy = PRIVATE) -> Response[bytes]:
    is_playlist = relative.endswith(".m3u8")
    headers = {**COMMON_HEADERS, **(cache.playlist if is_playlist else cache.segment)}
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return not_found()
    try:
        size = os.fstat(descriptor).st_size
        wanted = parse_range(range_header, size)
        if wanted == "unsatisfiable":
            return Response(b"", status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        if wanted is None:
            return Response(os.pread(descriptor, size, 0), status_code=200, media_type=content_type(relative),
                            headers=headers)
        start, end = wanted  # type: ignore[misc]
        body = os.pread(descriptor, end - start + 1, start)
        return Response(body, status_code=206, media_type=content_type(relative),
                        headers={**headers, "Content-Range": f"bytes {start}-{end}/{size}"})
    finally:
        os.close(descriptor)


def serve_stored(runtime: AccessRuntime, prefix: str, relative: str, range_header: str | None,
                 expires: int | None = None, cache: CachePolicy = PRIVATE) -> Response[Any]:
    """The file at prefix/relative: from disk, or from the bucket (playlists rewritten, the rest redirected).
    `relative` must have passed safe_relative_path."""
    key = f"{prefix}/{relative}"
    storage = runtime.storage
    local = storage.local_path(key)
    if local is not None:
        return serve_local_file(str(local), relative, range_header, cache)
    expires_in = max(60, min(7 * 24 * 3600, (expires or int(runtime.now()) + 3600) - int(runtime.now())))
    if relative.endswith(".m3u8"):
        try:
            text = storage.read_bytes(key).decode("utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return Response(b"Not found\n", status_code=404, media_type="text/plain",
                            headers={"Cache-Control": "no-store"})
        body = presigned_playlist(storage, prefix, key, text, expires_in)
        return Response(body.encode("utf-8"), media_type=content_type(relative),
                        headers={**COMMON_HEADERS, **cache.playlist})
    from streaming.playback.cdn import presign_key

    # A presigned address expires: the redirect is cached no longer than a playlist.
    return Redirect(presign_key(storage, key, expires_in), status_code=302, headers=cache.playlist)


class MediaGateway(Controller):
    include_in_schema = False

    @get("/media/t/{token:str}/{film_id:str}/{path:path}", sync_to_thread=True)
    def media(self, request: Request[Any, Any, Any], token: str, film_id: str, path: str) -> Response[Any]:
        relative = safe_relative_path(path, request.scope.get("raw_path") or b"")
        if relative is None:
            return forbidden()
        runtime = runtime_for(request.app.state)
        facts = authorise(runtime, token, film_id)
        if facts is None:
            return forbidden()
        expires = int(token.split(".", 2)[1])
        return serve_stored(runtime, facts.storage_prefix, relative, request.headers.get("range"), expires)
