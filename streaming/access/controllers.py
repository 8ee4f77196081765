"""The administrators' JSON API for institutions (subscriptions, origins, ranges, contacts, keys, librarians) and for
playback keys and sessions; and the librarians' embed snippet."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel import Session

from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.errors import Forbidden
from cinedoc.kernel.guards import administrators, load_staff_user, requires_role
from streaming.access import institutions as services
from streaming.access.models import KeyStatus
from streaming.access.schemas import (
    AssertionKeyCreate,
    AssertionKeyCreated,
    AssertionKeyPublic,
    ContactCreate,
    ContactPublic,
    EmbedSnippet,
    InstitutionCreate,
    InstitutionDetail,
    InstitutionList,
    InstitutionPublic,
    InstitutionUpdate,
    IpRangeCreate,
    IpRangePublic,
    LibrarianCreate,
    LibrarianPublic,
    OriginCreate,
    OriginPublic,
    PlaybackKeyPublic,
    SubscriptionCreate,
    SubscriptionPublic,
    SubscriptionUpdate,
)
from streaming.playback.player import base_url
from streaming.playback.sessions import end_playback_key, playback_keys, revoke_session, rotate_playback_key
from streaming.runtime import runtime_for

librarians = requires_role(Role.LIBRARIAN)


def _forget_cached(request: Request[Any, Any, Any]) -> None:
    # This process sees an administrator's change at once; the others within CINEDOC_ACCESS_CACHE_SECONDS.
    runtime_for(request.app.state).cache.forget()


class InstitutionController(Controller):
    path = "/api/institutions"
    tags = ["institutions"]
    guards = [administrators]

    @get("/", sync_to_thread=True, summary="Institutions (by category, country or name) with counts per category")
    def list_institutions(self, db: Session, category: str | None = None, country: str | None = None,
                          q: str | None = None) -> InstitutionList:
        found = services.list_institutions(db, category=category, query=q, country=country)
        counts = services.counts_by_category(db)
        return InstitutionList(total=sum(c.count for c in counts), categories=counts,
                               institutions=services.institution_records(db, found))

    @post("/", sync_to_thread=True, summary="Add a subscribing institution")
    def create(self, db: Session, data: InstitutionCreate) -> InstitutionPublic:
        return services.institution_records(db, [services.create_institution(db, data)])[0]

    @get("/{institution_id:int}", sync_to_thread=True, summary="One institution with everything it has")
    def detail(self, db: Session, institution_id: int) -> InstitutionDetail:
        return services.institution_detail(db, institution_id)

    @patch("/{institution_id:int}", sync_to_thread=True, summary="Change an institution's record or limits")
    def update(self, db: Session, institution_id: int, data: InstitutionUpdate) -> InstitutionPublic:
        return services.institution_records(db, [services.update_institution(db, institution_id, data)])[0]

    @post("/{institution_id:int}/subscriptions", sync_to_thread=True, summary="Add a subscription period")
    def add_subscription(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                         data: SubscriptionCreate) -> SubscriptionPublic:
        _forget_cached(request)
        return services.subscription_public(services.add_subscription(db, institution_id, data), clock.paris_today())

    @patch("/{institution_id:int}/subscriptions/{subscription_id:int}", sync_to_thread=True,
           summary="End, suspend, cancel or extend a subscription period")
    def update_subscription(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                            subscription_id: int, data: SubscriptionUpdate) -> SubscriptionPublic:
        _forget_cached(request)
        subscription = services.update_subscription(db, institution_id, subscription_id, data)
        return services.subscription_public(subscription, clock.paris_today())

    @post("/{institution_id:int}/origins", sync_to_thread=True, summary="Allow an origin to frame the player")
    def add_origin(self, db: Session, institution_id: int, data: OriginCreate) -> OriginPublic:
        record = services.add_origin(db, institution_id, data.origin)
        return OriginPublic(id=record.id or 0, origin=record.origin)

    @delete("/{institution_id:int}/origins/{origin_id:int}", sync_to_thread=True, status_code=HTTP_204_NO_CONTENT)
    def remove_origin(self, db: Session, institution_id: int, origin_id: int) -> None:
        services.remove_origin(db, institution_id, origin_id)

    @post("/{institution_id:int}/ip-ranges", sync_to_thread=True, summary="Add an on-site address range (CIDR)")
    def add_ip_range(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                     data: IpRangeCreate) -> IpRangePublic:
        _forget_cached(request)
        record = services.add_ip_range(db, institution_id, data)
        return IpRangePublic(id=record.id or 0, cidr=record.cidr, label=record.label)

    @delete("/{institution_id:int}/ip-ranges/{range_id:int}", sync_to_thread=True, status_code=HTTP_204_NO_CONTENT)
    def remove_ip_range(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                        range_id: int) -> None:
        _forget_cached(request)
        services.remove_ip_range(db, institution_id, range_id)

    @post("/{institution_id:int}/contacts", sync_to_thread=True, summary="Add a contact")
    def add_contact(self, db: Session, institution_id: int, data: ContactCreate) -> ContactPublic:
        record = services.add_contact(db, institution_id, data)
        return ContactPublic(id=record.id or 0, name=record.name, role=record.role, email=record.email,
                             phone=record.phone)

    @delete("/{institution_id:int}/contacts/{contact_id:int}", sync_to_thread=True, status_code=HTTP_204_NO_CONTENT)
    def remove_contact(self, db: Session, institution_id: int, contact_id: int) -> None:
        services.remove_contact(db, institution_id, contact_id)

    @post("/{institution_id:int}/keys", sync_to_thread=True, status_code=HTTP_201_CREATED,
          summary="Create an assertion key (its secret is returned this once)")
    def create_key(self, db: Session, institution_id: int, data: AssertionKeyCreate) -> AssertionKeyCreated:
        key = services.create_assertion_key(db, institution_id, data)
        return AssertionKeyCreated(**services.key_public(key).model_dump(), secret=key.secret)

    @post("/{institution_id:int}/keys/{kid:str}/revoke", sync_to_thread=True,
          summary="Revoke an assertion key: assertions signed with it are refused at once")
    def revoke_key(self, db: Session, institution_id: int, kid: str) -> AssertionKeyPublic:
        return services.key_public(services.revoke_assertion_key(db, institution_id, kid))

    @post("/{institution_id:int}/librarians", sync_to_thread=True, status_code=HTTP_201_CREATED,
          summary="Create a librarian account for this institution")
    def create_librarian(self, db: Session, institution_id: int, data: LibrarianCreate) -> LibrarianPublic:
        user = services.create_librarian(db, institution_id, data)
        return LibrarianPublic(id=user.id or 0, email=user.email, display_name=user.display_name,
                               is_active=user.is_active)


class PlaybackAdminController(Controller):
    path = "/api/playback"
    tags = ["playback"]
    guards = [administrators]

    @get("/keys", sync_to_thread=True, summary="Playback keys, newest first")
    def keys(self, db: Session) -> list[PlaybackKeyPublic]:
        return [PlaybackKeyPublic(kid=k.kid, status=k.status, created_at=k.created_at, retired_at=k.retired_at)
                for k in playback_keys(db)]

    @post("/keys", sync_to_thread=True, status_code=HTTP_201_CREATED,
          summary="Rotate: a new key signs new tokens, older active keys keep verifying theirs")
    def rotate(self, request: Request[Any, Any, Any], db: Session) -> PlaybackKeyPublic:
        _forget_cached(request)
        key = rotate_playback_key(db)
        return PlaybackKeyPublic(kid=key.kid, status=key.status, created_at=key.created_at, retired_at=None)

    @post("/keys/{kid:str}/retire", sync_to_thread=True,
          summary="Retire a key: its media tokens stop working, players fetch fresh sessions")
    def retire(self, request: Request[Any, Any, Any], db: Session, kid: str) -> PlaybackKeyPublic:
        _forget_cached(request)
        key = end_playback_key(db, kid, KeyStatus.RETIRED)
        return PlaybackKeyPublic(kid=key.kid, status=key.status, created_at=key.created_at, retired_at=key.retired_at)

    @post("/keys/{kid:str}/revoke", sync_to_thread=True,
          summary="Revoke a key: its media tokens and the players' grants it signed stop working")
    def revoke(self, request: Request[Any, Any, Any], db: Session, kid: str) -> PlaybackKeyPublic:
        _forget_cached(request)
        key = end_playback_key(db, kid, KeyStatus.REVOKED)
        return PlaybackKeyPublic(kid=key.kid, status=key.status, created_at=key.created_at, retired_at=key.retired_at)

    @post("/sessions/{session_id:str}/revoke", sync_to_thread=True, status_code=HTTP_204_NO_CONTENT,
          summary="Revoke one playback session")
    def revoke_session(self, request: Request[Any, Any, Any], db: Session, session_id: str) -> None:
        _forget_cached(request)
        revoke_session(db, session_id)


class EmbedSnippetController(Controller):
    path = "/api/institutions/{institution_id:int}/embed"
    tags = ["institutions"]
    guards = [librarians]

    @get("/{film_id:int}", sync_to_thread=True,
         summary="The iframe for a film, with a test assertion valid five minutes (librarians of the institution)")
    def snippet(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                film_id: int) -> EmbedSnippet:
        user = load_staff_user(request)
        if user is None or (user.role != Role.ADMINISTRATOR and user.institution_id != institution_id):
            raise Forbidden("You can only embed the player for your own institution.")
        institution = services.get_institution(db, institution_id)
        assertion = services.trial_assertion(db, institution_id, f"test-{user.id}",
                                             lifetime=services.TRIAL_ASSERTION_SECONDS)
        url = services.embed_url(base_url(runtime_for(request.app.state), request), film_id, assertion=assertion)
        return EmbedSnippet(institution_id=institution_id, film_id=film_id, url=url,
                            iframe=services.iframe_snippet(url, institution.name),
                            expires_at=clock.utcnow() + timedelta(seconds=services.TRIAL_ASSERTION_SECONDS))
