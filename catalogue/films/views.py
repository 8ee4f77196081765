"""Catalogue pages: the public catalogue for patrons, and the curators' film pages."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlmodel import Session

from catalogue.acquisitions import weeding
from catalogue.films import page as film_page
from catalogue.films import search, services
from catalogue.films.forms import form_values, parse_film_form, values_from_record
from catalogue.films.models import CreditRole, FilmStatus
from catalogue.films.schemas import FilmCreate, FilmUpdate
from cinedoc.kernel.errors import DomainError
from cinedoc.kernel.guards import curators, load_staff_user

FACET_LABELS = ("subject", "decade", "country", "language", "access", "duration")
FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _query_params(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    return dict(request.query_params.dict())


class PublicCatalogueViews(Controller):
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def home(self, db: Session) -> Template:
        latest = search.search_films(db, search.SearchQuery(per_page=12, with_facets=False, sort="year"))
        return Template("catalogue/home.html", context={"page": latest, "subjects": services.list_subjects(db)})

    @get("/films", sync_to_thread=True)
    def search_page(self, request: Request[Any, Any, Any], db: Session) -> Template:
        query = search.parse_search_query(_query_params(request))
        page = search.search_films(db, query)
        return Template("catalogue/search.html", context={"page": page, "params": _query_params(request)})

    @get("/films/{film_id:int}", sync_to_thread=True)
    def film_page(self, db: Session, film_id: int) -> Template:
        record = services.film_record(db, services.get_film(db, film_id, public=True))
        media = film_page.film_page_media(db, film_id)
        if not record.poster_url and media.get("poster_url"):
            # A frame of the packaged film rather than the placeholder, when no poster was given.
            record = record.model_copy(update={"poster_url": media["poster_url"]})
        return Template("catalogue/film.html", context={"film": record, "roles": CreditRole, "media": media,
                                                        "distinctions": film_page.film_distinctions(db, film_id)})


class StaffCatalogueViews(Controller):
    path = "/staff/films"
    guards = [curators]
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def list_films(self, request: Request[Any, Any, Any], db: Session) -> Template:
        query = search.parse_search_query(_query_params(request), staff=True)
        page = search.search_films(db, query)
        return Template("staff/films.html", context={"page": page, "params": _query_params(request),
                                                     "statuses": list(FilmStatus)})

    def _form(self, db: Session, values: dict[str, Any], errors: dict[str, str], film_id: int | None,
              status_code: int = 200) -> Template:
        return Template(
            "staff/film_form.html",
            context={"values": values, "errors": errors, "film_id": film_id,
                     "subjects": services.list_subjects(db), "statuses": [FilmStatus.DRAFT, FilmStatus.AVAILABLE],
                     "roles": [role.value for role in CreditRole if role != CreditRole.DIRECTOR]},
            status_code=status_code,
        )

    @get("/new", sync_to_thread=True)
    def new_film(self, db: Session) -> Template:
        return self._form(db, {"status": FilmStatus.DRAFT.value, "subjects": []}, {}, None)

    @post("/new", sync_to_thread=True)
    def create_film(self, db: Session, data: FormData) -> Template | Redirect:
        values = form_values(_multi(data))
        film_data, errors = parse_film_form(values)
        if film_data is None:
            return self._form(db, values, errors, None, 400)
        try:
            assert isinstance(film_data, FilmCreate)
            film = services.create_film(db, film_data)
        except DomainError as error:
            db.rollback()
            return self._form(db, values, {error.field or "form": error.localized()}, None, error.status_code)
        return Redirect(path=f"/staff/films/{film.id}", query_params={"saved": "1"}, status_code=303)

    @get("/{film_id:int}", sync_to_thread=True)
    def edit_film(self, db: Session, film_id: int, saved: str | None = None) -> Template:
        record = services.film_record(db, services.get_film(db, film_id))
        template = self._form(db, values_from_record(record), {}, film_id)
        template.context.update(saved=bool(saved), record=record)
        return template

    @post("/{film_id:int}", sync_to_thread=True)
    def update_film(self, db: Session, film_id: int, data: FormData) -> Template | Redirect:
        values = form_values(_multi(data))
        film_data, errors = parse_film_form(values, FilmUpdate)
        if film_data is None:
            return self._form(db, values, errors, film_id, 400)
        try:
            assert isinstance(film_data, FilmUpdate)
            services.update_film(db, film_id, film_data)
        except DomainError as error:
            if error.status_code == 404:
                raise
            db.rollback()
            return self._form(db, values, {error.field or "form": error.localized()}, film_id, error.status_code)
        return Redirect(path=f"/staff/films/{film_id}", query_params={"saved": "1"}, status_code=303)

    @post("/{film_id:int}/retire", sync_to_thread=True)
    def retire_film(self, request: Request[Any, Any, Any], db: Session, film_id: int, data: FormData) -> Redirect:
        reason = (_multi(data).get("reason") or [""])[-1].strip()
        user = load_staff_user(request)
        weeding.retire_now(db, film_id, reason, actor_id=user.id if user else None)
        return Redirect(path=f"/staff/films/{film_id}", query_params={"saved": "1"}, status_code=303)


def _multi(form: dict[str, Any]) -> dict[str, list[str]]:
    return {key: [str(v) for v in value] if isinstance(value, list) else [str(value)] for key, value in form.items()}
