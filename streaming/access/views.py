"""Administrators' pages for the network of institutions and playback keys; the librarians' embed page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlmodel import Session, col, select

from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.errors import DomainError, Forbidden, InvalidInput
from cinedoc.kernel.guards import administrators, load_staff_user, requires_role
from cinedoc.kernel.i18n import translate
from streaming.access import institutions as services
from streaming.access.models import KeyStatus, SubscriptionStatus
from streaming.access.schemas import (
    AssertionKeyCreate,
    ContactCreate,
    InstitutionCreate,
    InstitutionUpdate,
    IpRangeCreate,
    LibrarianCreate,
    SubscriptionCreate,
    SubscriptionUpdate,
)
from streaming.media.models import FilmMedia, InstitutionCategory, MediaAsset
from streaming.playback.player import base_url
from streaming.playback.sessions import end_playback_key, playback_keys, rotate_playback_key
from streaming.runtime import runtime_for

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
INSTITUTION_FIELDS = ("name", "category", "country", "isil", "patron_monthly_limit", "monthly_ceiling",
                      "cas_server_url")


def _text(form: dict[str, Any], key: str) -> str:
    value = form.get(key, "")
    return str(value[-1] if isinstance(value, list) else value).strip()


def _optional_int(form: dict[str, Any], key: str) -> int | None:
    value = _text(form, key)
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise InvalidInput("Enter a whole number (or leave it empty).", field=key)
    return int(value)


def _validation_errors(error: ValidationError) -> dict[str, str]:
    return {str(item["loc"][0]) if item["loc"] else "form": translate("This value is not valid.")
            for item in error.errors()}


def _institution_values(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": _text(form, "name"), "category": _text(form, "category"), "country": _text(form, "country") or "FR",
        "isil": _text(form, "isil") or None, "patron_monthly_limit": _optional_int(form, "patron_monthly_limit"),
        "monthly_ceiling": _optional_int(form, "monthly_ceiling"), "cas_server_url": _text(form, "cas_server_url"),
    }


class InstitutionViews(Controller):
    path = "/staff/institutions"
    guards = [administrators]
    include_in_schema = False

    def _list(self, db: Session, *, category: str | None, q: str | None) -> Template:
        found = services.list_institutions(db, category=category or None, query=q)
        counts = services.counts_by_category(db)
        return Template("streaming/institutions.html", context={
            "institutions": services.institution_records(db, found), "counts": counts,
            "total": sum(c.count for c in counts), "category": category or "", "q": q or "",
            "categories": services.CATEGORY_LABELS,
        })

    @get("/", sync_to_thread=True)
    def list_page(self, db: Session, category: str | None = None, q: str | None = None) -> Template:
        return self._list(db, category=category, q=q)

    def _form(self, *, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
              status_code: int = 200) -> Template:
        return Template("streaming/institution_form.html", status_code=status_code, context={
            "values": values or {"country": "FR"}, "errors": errors or {}, "categories": services.CATEGORY_LABELS})

    @get("/new", sync_to_thread=True)
    def new_page(self) -> Template:
        return self._form()

    @post("/", sync_to_thread=True)
    def create(self, db: Session, data: FormData) -> Template | Redirect:
        shown = {key: _text(data, key) for key in INSTITUTION_FIELDS}
        try:
            institution = services.create_institution(db, InstitutionCreate(**_institution_values(data)))
        except ValidationError as error:
            return self._form(values=shown, errors=_validation_errors(error), status_code=400)
        except DomainError as error:
            db.rollback()
            return self._form(values=shown, errors={error.field or "form": error.localized()},
                              status_code=error.status_code)
        return Redirect(f"/staff/institutions/{institution.id}", query_params={"saved": "1"}, status_code=303)

    def _detail(self, db: Session, institution_id: int, *, errors: dict[str, str] | None = None,
                saved: bool = False, new_key: Any = None, status_code: int = 200) -> Template:
        return Template("streaming/institution.html", status_code=status_code, context={
            "item": services.institution_detail(db, institution_id), "errors": errors or {}, "saved": saved,
            "new_key": new_key, "categories": services.CATEGORY_LABELS,
            "subscription_statuses": [s.value for s in SubscriptionStatus], "today": clock.paris_today(),
            "subscription_labels": services.SUBSCRIPTION_STATUS_LABELS, "key_labels": services.KEY_STATUS_LABELS,
        })

    @get("/{institution_id:int}", sync_to_thread=True)
    def detail_page(self, db: Session, institution_id: int, saved: str | None = None) -> Template:
        return self._detail(db, institution_id, saved=bool(saved))

    def _act(self, db: Session, institution_id: int, action: Callable[[], Any]) -> Template | Redirect:
        try:
            action()
        except ValidationError as error:
            db.rollback()
            return self._detail(db, institution_id, errors=_validation_errors(error), status_code=400)
        except DomainError as error:
            db.rollback()
            return self._detail(db, institution_id, errors={error.field or "form": error.localized()},
                                status_code=error.status_code)
        return Redirect(f"/staff/institutions/{institution_id}", query_params={"saved": "1"}, status_code=303)

    @post("/{institution_id:int}", sync_to_thread=True)
    def update(self, db: Session, institution_id: int, data: FormData) -> Template | Redirect:
        def change() -> None:
            values = _institution_values(data)
            values["patron_monthly_limit"] = values["patron_monthly_limit"] or 0
            values["monthly_ceiling"] = values["monthly_ceiling"] or 0
            services.update_institution(db, institution_id, InstitutionUpdate(**values))

        return self._act(db, institution_id, change)

    @post("/{institution_id:int}/subscriptions", sync_to_thread=True)
    def add_subscription(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                         data: FormData) -> Template | Redirect:
        runtime_for(request.app.state).cache.forget()
        return self._act(db, institution_id, lambda: services.add_subscription(db, institution_id, SubscriptionCreate(
            start_date=_text(data, "start_date"), end_date=_text(data, "end_date"),  # type: ignore[arg-type]
            status=_text(data, "status") or "active", note=_text(data, "note"))))  # type: ignore[arg-type]

    @post("/{institution_id:int}/subscriptions/{subscription_id:int}", sync_to_thread=True)
    def update_subscription(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                            subscription_id: int, data: FormData) -> Template | Redirect:
        runtime_for(request.app.state).cache.forget()
        return self._act(db, institution_id, lambda: services.update_subscription(
            db, institution_id, subscription_id, SubscriptionUpdate(
                end_date=_text(data, "end_date") or None, status=_text(data, "status") or None)))  # type: ignore[arg-type]

    @post("/{institution_id:int}/origins", sync_to_thread=True)
    def add_origin(self, db: Session, institution_id: int, data: FormData) -> Template | Redirect:
        return self._act(db, institution_id, lambda: services.add_origin(db, institution_id, _text(data, "origin")))

    @post("/{institution_id:int}/origins/{origin_id:int}/remove", sync_to_thread=True)
    def remove_origin(self, db: Session, institution_id: int, origin_id: int) -> Template | Redirect:
        return self._act(db, institution_id, lambda: services.remove_origin(db, institution_id, origin_id))

    @post("/{institution_id:int}/ip-ranges", sync_to_thread=True)
    def add_ip_range(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                     data: FormData) -> Template | Redirect:
        runtime_for(request.app.state).cache.forget()
        return self._act(db, institution_id, lambda: services.add_ip_range(
            db, institution_id, IpRangeCreate(cidr=_text(data, "cidr"), label=_text(data, "label"))))

    @post("/{institution_id:int}/ip-ranges/{range_id:int}/remove", sync_to_thread=True)
    def remove_ip_range(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                        range_id: int) -> Template | Redirect:
        runtime_for(request.app.state).cache.forget()
        return self._act(db, institution_id, lambda: services.remove_ip_range(db, institution_id, range_id))

    @post("/{institution_id:int}/contacts", sync_to_thread=True)
    def add_contact(self, db: Session, institution_id: int, data: FormData) -> Template | Redirect:
        return self._act(db, institution_id, lambda: services.add_contact(db, institution_id, ContactCreate(
            name=_text(data, "name"), role=_text(data, "role"), email=_text(data, "email"),
            phone=_text(data, "phone"))))

    @post("/{institution_id:int}/contacts/{contact_id:int}/remove", sync_to_thread=True)
    def remove_contact(self, db: Session, institution_id: int, contact_id: int) -> Template | Redirect:
        return self._act(db, institution_id, lambda: services.remove_contact(db, institution_id, contact_id))

    @post("/{institution_id:int}/keys", sync_to_thread=True)
    def create_key(self, db: Session, institution_id: int, data: FormData) -> Template:
        # The secret is shown on this response only (never in a URL, never again).
        key = services.create_assertion_key(db, institution_id, AssertionKeyCreate(label=_text(data, "label")[:200]))
        return self._detail(db, institution_id, new_key=key)

    @post("/{institution_id:int}/keys/{kid:str}/revoke", sync_to_thread=True)
    def revoke_key(self, db: Session, institution_id: int, kid: str) -> Template | Redirect:
        return self._act(db, institution_id, lambda: services.revoke_assertion_key(db, institution_id, kid))

    @post("/{institution_id:int}/librarians", sync_to_thread=True)
    def create_librarian(self, db: Session, institution_id: int, data: FormData) -> Template | Redirect:
        return self._act(db, institution_id, lambda: services.create_librarian(db, institution_id, LibrarianCreate(
            email=_text(data, "email"), display_name=_text(data, "display_name"),
            password=str(data.get("password", "")) or " ")))

    @post("/{institution_id:int}/librarians/{user_id:int}/active", sync_to_thread=True)
    def librarian_active(self, db: Session, institution_id: int, user_id: int, data: FormData) -> Template | Redirect:
        active = _text(data, "active") == "1"
        return self._act(db, institution_id, lambda: services.set_librarian_active(db, institution_id, user_id,
                                                                                    active))


def films_with_media(db: Session, limit: int = 200) -> list[tuple[int, str]]:
    """Films a librarian can try, those with captions and audio description first (labelled so)."""
    rows = db.exec(select(Film.id, Film.title, MediaAsset.has_captions, MediaAsset.has_audio_description)
                   .join(FilmMedia, col(FilmMedia.film_id) == Film.id)
                   .join(MediaAsset, col(MediaAsset.id) == FilmMedia.asset_id)
                   .where(Film.status == FilmStatus.AVAILABLE)
                   .order_by(col(MediaAsset.has_captions).desc(), col(MediaAsset.has_audio_description).desc(),
                             col(Film.title)).limit(limit)).all()
    films = []
    for film_id, title, captions, described in rows:
        marks = [mark for mark, present in ((translate("with SME captions"), captions),
                                            (translate("with audio description"), described)) if present]
        films.append((film_id, f"{title} ({', '.join(marks)})" if marks else title))
    return films


class EmbedViews(Controller):
    guards = [requires_role(Role.LIBRARIAN)]
    include_in_schema = False

    @get("/staff/embed", sync_to_thread=True)
    def my_embed(self, request: Request[Any, Any, Any]) -> Redirect:
        user = load_staff_user(request)
        if user is None or user.institution_id is None:
            return Redirect("/staff/institutions", status_code=303)
        return Redirect(f"/staff/institutions/{user.institution_id}/embed", status_code=303)

    @get("/staff/institutions/{institution_id:int}/embed", sync_to_thread=True)
    def embed_page(self, request: Request[Any, Any, Any], db: Session, institution_id: int,
                   film: str | None = None) -> Template:
        user = load_staff_user(request)
        if user is None or (user.role != Role.ADMINISTRATOR and user.institution_id != institution_id):
            raise Forbidden("You can only embed the player for your own institution.")
        detail = services.institution_detail(db, institution_id)
        films = films_with_media(db)
        film_id = int(film) if film and film.isdigit() and len(film) < 10 else (films[0][0] if films else None)
        base = base_url(runtime_for(request.app.state), request)
        context: dict[str, Any] = {"item": detail, "films": films, "film_id": film_id, "base": base,
                                   "trial": None, "trial_error": None, "template_iframe": None, "site_iframe": None}
        if film_id is not None:
            title = next((t for i, t in films if i == film_id), detail.name)
            placeholder = services.embed_url(base, film_id) + "?assertion=ASSERTION"
            context["template_iframe"] = services.iframe_snippet(placeholder, title)
            if detail.ip_ranges or detail.cas_server_url:
                context["site_iframe"] = services.iframe_snippet(
                    services.embed_url(base, film_id, institution_id=institution_id), title)
            try:
                assertion = services.trial_assertion(db, institution_id, f"test-{user.id}",
                                                     lifetime=services.TRIAL_ASSERTION_SECONDS)
                context["trial"] = services.iframe_snippet(services.embed_url(base, film_id, assertion=assertion),
                                                           title)
            except DomainError as error:
                context["trial_error"] = error.localized()
        return Template("streaming/embed.html", context=context)


class PlaybackKeyViews(Controller):
    path = "/staff/playback-keys"
    guards = [administrators]
    include_in_schema = False

    def _page(self, db: Session, *, errors: dict[str, str] | None = None, saved: bool = False,
              status_code: int = 200) -> Template:
        return Template("streaming/playback_keys.html", status_code=status_code,
                        context={"keys": playback_keys(db), "errors": errors or {}, "saved": saved,
                                 "key_labels": services.KEY_STATUS_LABELS})

    @get("/", sync_to_thread=True)
    def keys_page(self, db: Session, saved: str | None = None) -> Template:
        return self._page(db, saved=bool(saved))

    @post("/", sync_to_thread=True)
    def rotate(self, request: Request[Any, Any, Any], db: Session) -> Redirect:
        runtime_for(request.app.state).cache.forget()
        rotate_playback_key(db)
        return Redirect("/staff/playback-keys", query_params={"saved": "1"}, status_code=303)

    @post("/{kid:str}/{action:str}", sync_to_thread=True)
    def end_key(self, request: Request[Any, Any, Any], db: Session, kid: str, action: str) -> Template | Redirect:
        runtime_for(request.app.state).cache.forget()
        status = {"retire": KeyStatus.RETIRED, "revoke": KeyStatus.REVOKED}.get(action)
        if status is None:
            return self._page(db, errors={"form": translate("This page does not exist.")}, status_code=404)
        try:
            end_playback_key(db, kid, status)
        except DomainError as error:
            db.rollback()
            return self._page(db, errors={"form": error.localized()}, status_code=error.status_code)
        return Redirect("/staff/playback-keys", query_params={"saved": "1"}, status_code=303)


__all__ = ["EmbedViews", "InstitutionCategory", "InstitutionViews", "PlaybackKeyViews"]
