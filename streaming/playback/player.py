"""The embeddable player: the /embed page a portal frames, the session-opening API its script calls, and hls.js
served from the app itself (the page loads nothing from third parties)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlmodel import Session, col, select

from catalogue.films.models import Film
from catalogue.films.services import film_record
from cinedoc.kernel import clock
from cinedoc.kernel.errors import DomainError
from cinedoc.kernel.i18n import translate
from streaming.access.assertions import PatronAssertion, check_assertion, spend_nonce
from streaming.access.config import AccessSettings
from streaming.access.entitlement import Refusal, decide
from streaming.access.institutions import frame_ancestors, normalise_origin, origins_of
from streaming.access.schemas import SessionOpened, SessionRequest
from streaming.access.sign_in import (
    AccessRefused,
    Challenge,
    EntryRequest,
    client_address,
    identify_patron,
    institution_hint,
    patron_refusal,
)
from streaming.media.models import FilmMedia, Institution, MediaAsset
from streaming.media.presentations import presentation_videos
from streaming.media.text_tracks import Chapters, TrackStatus, Transcript, chapters_of, transcript_of
from streaming.playback.player_assets import HLS_JS
from streaming.playback.sessions import (
    OpenedSession,
    PatronIdentity,
    grant_key_usable,
    grant_signed_by,
    issue_grant,
    open_planned_session,
    open_playback_session,
    plan_opening,
    write_transaction,
)
from streaming.playback.signing import check_grant
from streaming.runtime import AccessRuntime, runtime_for

GRANT_REFUSED = Refusal("grant", "Your access has expired: open the film again from your library's website.")


@cache
def _asset_bytes(path: Path) -> bytes:
    return path.read_bytes()


def player_strings() -> dict[str, str]:
    """The texts the player's script shows, in the page's language (the script itself holds none)."""
    return {
        "play": translate("Play"), "pause": translate("Pause"),
        "captions_on": translate("Captions on"), "captions_off": translate("Captions off"),
        "ad_on": translate("Audio description on"), "ad_off": translate("Audio description off"),
        "sign_on": translate("Sign language window shown"), "sign_off": translate("Sign language window hidden"),
        "sign_moved": translate("Sign language window moved"),
        "sign_resized": translate("Sign language window resized"),
        "transcript_shown": translate("Transcript shown"), "transcript_hidden": translate("Transcript hidden"),
        "muted": translate("Sound off"), "unmuted": translate("Sound on"),
        "speed": translate("Speed: {speed}"), "chapter": translate("Chapter: {title}"),
        "preview": translate("Preview of your captions"), "preview_offscreen": translate("(a voice off screen)"),
        "found_none": translate("No line contains these words."), "found_one": translate("One line found."),
        "found_many": translate("{n} lines found."),
        "fullscreen": translate("Full screen"), "exit_fullscreen": translate("Exit full screen"),
        "loading": translate("Loading…"), "playing": translate("Playing"), "paused": translate("Paused"),
        "ended": translate("The film has ended."), "resuming": translate("Reconnecting…"),
        "position": translate("{current} of {total}"),
        "error": translate("The film could not be loaded. Try again in a moment."),
        "sign_error": translate("The sign language video could not be loaded."),
        "captions_error": translate("The captions could not be loaded. The film goes on without them."),
    }


PLAYBACK_SPEEDS = (0.75, 1, 1.25, 1.5, 1.75, 2)


def media_origins(runtime: AccessRuntime) -> list[str]:
    """Where the page may fetch media from besides itself: the CDN, or the bucket's endpoint for presigned URLs."""
    settings: AccessSettings = runtime.settings
    if settings.media_delivery == "cloudfront" and settings.cloudfront_domain:
        return [f"https://{settings.cloudfront_domain.removeprefix('https://').rstrip('/')}"]
    if settings.media_delivery == "s3_presigned" or runtime.storage.local_path("x/y") is None:
        endpoint = getattr(getattr(runtime.storage, "client", None), "meta", None)
        url = getattr(endpoint, "endpoint_url", None)
        if url:
            from urllib.parse import urlsplit

            parts = urlsplit(url)
            bucket = getattr(runtime.storage, "bucket", "")
            return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    return []


def content_security_policy(ancestors: str, extra_media: list[str]) -> str:
    media = " ".join(["'self'", "blob:", *extra_media])
    return "; ".join([
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        f"media-src {media}", f"connect-src 'self' {' '.join(extra_media)}".rstrip(), "worker-src 'self' blob:",
        "font-src 'self'", "base-uri 'none'", "form-action 'self'", f"frame-ancestors {ancestors}",
    ])


def base_url(runtime: AccessRuntime, request: Request[Any, Any, Any]) -> str:
    return (runtime.settings.public_url or str(request.base_url)).rstrip("/")


def request_address(runtime: AccessRuntime, request: Request[Any, Any, Any]) -> str:
    return client_address(request.client.host if request.client else None,
                          request.headers.get("x-forwarded-for"), runtime.settings.trusted_proxies)


def embed_entry(runtime: AccessRuntime, request: Request[Any, Any, Any], path: str) -> EntryRequest:
    """What a page a portal frames (the player, the prize's ballot) gives the access adapters: the portal's
    parameters, the client's address, and the page's own URL with its institution as the CAS service."""
    params = {key: value for key, value in request.query_params.items() if isinstance(value, str)}
    raw_institution = params.get("institution", "")
    institution_id = int(raw_institution) if raw_institution.isdigit() and len(raw_institution) < 10 else None
    service = f"{base_url(runtime, request)}{path}"
    if institution_id is not None:
        service += f"?institution={institution_id}"
    return EntryRequest(params, request_address(runtime, request), service, institution_id)


def _film_context(db: Session, runtime: AccessRuntime, film_id: int) -> dict[str, Any]:
    film = db.get(Film, film_id)
    if film is None:
        return {}
    asset = db.exec(select(MediaAsset).join(FilmMedia, col(FilmMedia.asset_id) == MediaAsset.id)
                    .where(FilmMedia.film_id == film_id)).first()
    transcript, chapters = Transcript(TrackStatus.NONE), Chapters(TrackStatus.NONE)
    if asset is not None:
        transcript = transcript_of(runtime.storage, asset.storage_prefix, has_captions=asset.has_captions)
        chapters = chapters_of(runtime.storage, asset.storage_prefix, has_chapters=asset.has_chapters)
    return {"film": film_record(db, film), "asset": asset, "transcript": transcript, "chapters": chapters,
            "presentation": presentation_videos(db, [film_id]).get(film_id)}


def _page(db: Session, runtime: AccessRuntime, *, film_id: int, institution_id: int | None,
          refusal: str | None = None, grant: str | None = None, status_code: int = 200) -> Template:
    context: dict[str, Any] = {"refusal": refusal, "grant": grant, "film_id": film_id, "strings": player_strings(),
                               "film": None, "asset": None, "institution": None, "presentation": None,
                               "speeds": PLAYBACK_SPEEDS}
    if refusal is None:
        context.update(_film_context(db, runtime, film_id))
        context["institution"] = db.get(Institution, institution_id) if institution_id else None
    ancestors = frame_ancestors(db, institution_id)
    return Template("streaming/player.html", context=context, status_code=status_code, headers={
        "Content-Security-Policy": content_security_policy(ancestors, media_origins(runtime)),
        "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
    })


FRAME_DESTINATIONS = ("iframe", "frame")


def unregistered_portal(db: Session, request: Request[Any, Any, Any], institution_id: int | None) -> str | None:
    """The origin of the portal framing this request, when the browser says it is a frame and names that portal
    (Referer), and the institution has not registered it; None otherwise (no Referer: nothing to tell)."""
    if request.headers.get("sec-fetch-dest", "").lower() not in FRAME_DESTINATIONS:
        return None
    parts = urlsplit(request.headers.get("referer", ""))
    if not parts.scheme or not parts.netloc:
        return None
    try:
        origin = normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except DomainError:
        return None
    registered = {record.origin for record in origins_of(db, institution_id)} if institution_id else set()
    return None if origin in registered else origin


def _unregistered_page(runtime: AccessRuntime, request: Request[Any, Any, Any], film_id: int,
                       origin: str) -> Template:
    """What a portal whose address is not registered shows in its frame: words the patron can act on (open the
    film in a tab of its own, where no framing rule applies) and the address its webmaster must register. It may
    be framed anywhere: it carries no grant and tells nothing the portal did not send."""
    query = request.url.query
    player_url = f"{base_url(runtime, request)}/embed/{film_id}" + (f"?{query}" if query else "")
    policy = "; ".join(["default-src 'none'", "style-src 'self'", "img-src 'self'", "base-uri 'none'",
                        "form-action 'none'", "frame-ancestors *"])
    return Template("streaming/player.html", status_code=403, context={
        "unregistered": origin, "player_url": player_url, "film": None, "refusal": None, "strings": {},
    }, headers={"Content-Security-Policy": policy, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff"})


class PlayerViews(Controller):
    include_in_schema = False

    @get("/embed/{film_id:int}", sync_to_thread=True)
    def embed(self, request: Request[Any, Any, Any], db: Session, film_id: int) -> Template | Redirect:
        runtime = runtime_for(request.app.state)
        entry = embed_entry(runtime, request, f"/embed/{film_id}")
        hint = institution_hint(db, entry)
        # Answered before the patron's assertion is checked, so that it is not spent: the link opens it at the top.
        portal = unregistered_portal(db, request, hint)
        if portal is not None:
            return _unregistered_page(runtime, request, film_id, portal)
        try:
            identity = identify_patron(runtime, db, entry)
        except DomainError as refused:
            db.rollback()
            return _page(db, runtime, film_id=film_id, institution_id=hint, refusal=patron_refusal(refused),
                         status_code=403)
        if isinstance(identity, Challenge):
            return Redirect(identity.location, status_code=303)
        institution = db.get(Institution, identity.institution_id)
        if institution is None:
            return _page(db, runtime, film_id=film_id, institution_id=None, status_code=403,
                         refusal=translate("Your library is not known to the platform."))
        decision = decide(db, institution, film_id, identity.viewer, clock.paris_today())
        if isinstance(decision, Refusal):
            # Said before the patron presses play; the nonce stays spent (the refusal is an answer, committed).
            return _page(db, runtime, film_id=film_id, institution_id=identity.institution_id,
                         refusal=decision.localized(), status_code=decision.status_code)
        return _page(db, runtime, film_id=film_id, institution_id=identity.institution_id,
                     grant=issue_grant(runtime, db, identity))

    @get("/player-assets/hls.min.js", cache=False)
    async def hls_js(self) -> Response[bytes]:
        return Response(_asset_bytes(HLS_JS), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=86400"})


def _identity(runtime: AccessRuntime, reader: Session,
              data: SessionRequest) -> tuple[PatronIdentity, PatronAssertion | None] | Refusal:
    """Who asks, from reads only (mostly the short cache): the nonce is spent later, in the write transaction."""
    if data.assertion:
        settings = runtime.settings
        assertion = check_assertion(reader, data.assertion, now=runtime.now(), skew=settings.clock_skew_seconds,
                                    max_lifetime=settings.assertion_max_lifetime_seconds,
                                    keys=runtime.assertion_keys(reader))
        pseudonym = runtime.ring.patron_pseudonym(assertion.institution_id, assertion.patron)
        return PatronIdentity(assertion.institution_id, pseudonym, "assertion"), assertion
    grant = check_grant(runtime.ring, data.grant or "", runtime.now())
    if grant is None or not grant_key_usable(runtime, reader, grant.kid):
        return GRANT_REFUSED
    return PatronIdentity(grant.institution_id, grant.viewer, grant.method), None


def _opened(runtime: AccessRuntime, request: Request[Any, Any, Any], opened: OpenedSession,
            grant: str | None) -> SessionOpened:
    url = opened.cdn_url or f"{base_url(runtime, request)}{opened.playlist_path}"
    return SessionOpened(session_id=opened.session_id, film_id=opened.film_id, playlist_url=url,
                         expires_at=opened.expires_at, delivery=runtime.settings.media_delivery,
                         cdn_query=opened.cdn_query, grant=grant)


class PlaybackController(Controller):
    path = "/api/playback"
    tags = ["playback"]

    @post("/sessions", sync_to_thread=True, exclude_from_csrf=True,
          summary="Open a playback session with a portal assertion or the player's grant")
    def open_session(self, request: Request[Any, Any, Any], data: SessionRequest) -> Response[Any]:
        """Refusals (entitlement, limits, 429) are answers, committed with the spent nonce and the opening count.

        The handler owns its transaction instead of the request-scoped session: it is committed in this worker
        thread before the response. Left open until the request's cleanup, a SQLite write lock would wait for a
        worker thread of the same small pool that the openings queued behind that lock are holding (a deadlock only
        SQLite's busy timeout ends). On SQLite the transaction takes the write lock first (BEGIN IMMEDIATE), so that
        openings are serialised instead of failing on a stale read snapshot."""
        runtime = runtime_for(request.app.state)
        if not data.assertion and not data.grant:
            raise AccessRefused("Send an assertion signed by your library, or the player's grant.")
        client_ip = request_address(runtime, request)
        # Signature, claims and the grant are checked before the write transaction, and the usual opening's answer
        # is worked out from the short cache there too: on SQLite that transaction holds the database's write lock,
        # and should hold it for the writes only.
        with Session(runtime.engine, expire_on_commit=False) as reader:
            checked = _identity(runtime, reader, data)
            if isinstance(checked, Refusal):
                return Response(checked.as_json(), status_code=checked.status_code)
            identity, assertion = checked
            planned = plan_opening(runtime, reader, identity, data.film_id, client_ip=client_ip)
        with write_transaction(runtime.engine) as db:
            if planned is not None:
                opened = open_planned_session(runtime, db, planned, assertion)
            else:
                if assertion is not None:
                    spend_nonce(db, assertion, runtime.settings.clock_skew_seconds)
                opened = open_playback_session(runtime, db, identity, data.film_id, client_ip=client_ip)
        if isinstance(opened, Refusal):
            headers = {"Retry-After": "60"} if opened.status_code == 429 else {}
            return Response(opened.as_json(), status_code=opened.status_code, headers=headers)
        # Signed with the session's own key once committed: on SQLite the write lock is not held for it.
        grant = grant_signed_by(runtime, identity, opened.kid) if assertion is not None else None
        return Response(_opened(runtime, request, opened, grant).model_dump(mode="json"), status_code=201,
                        headers={"Cache-Control": "no-store"})
