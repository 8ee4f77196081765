"""The catalogue's JSON API: thin handlers that parse, call one service, and return a schema."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from sqlmodel import Session

from catalogue.acquisitions import weeding
from catalogue.films import search, services
from catalogue.films.schemas import (
    FilmCreate,
    FilmPublic,
    FilmRetire,
    FilmUpdate,
    PersonPublic,
    SearchResults,
    SubjectCreate,
    SubjectPublic,
)
from cinedoc.kernel.errors import InvalidInput
from cinedoc.kernel.guards import curators, load_staff_user


def _results(page: search.SearchPage) -> SearchResults:
    return SearchResults(query=page.query.text, total=page.total, page=page.query.page,
                         per_page=page.query.per_page, results=page.results, facets=page.facets)


class PublicFilmController(Controller):
    path = "/api/films"
    tags = ["catalogue"]

    @get("/", sync_to_thread=True, summary="Search the available films (full text, accent-insensitive, with facets)")
    def search_films(self, request: Request[Any, Any, Any], db: Session) -> SearchResults:
        query = search.parse_search_query(dict(request.query_params.dict()))
        return _results(search.search_films(db, query))

    @get("/{film_id:int}", sync_to_thread=True, summary="One available film")
    def get_film(self, db: Session, film_id: int) -> FilmPublic:
        return services.film_record(db, services.get_film(db, film_id, public=True))


class StaffFilmController(Controller):
    path = "/api/staff/films"
    tags = ["catalogue (staff)"]
    guards = [curators]

    @get("/", sync_to_thread=True, summary="Search every film, drafts and weeded ones included")
    def search_films(self, request: Request[Any, Any, Any], db: Session) -> SearchResults:
        query = search.parse_search_query(dict(request.query_params.dict()), staff=True)
        return _results(search.search_films(db, query))

    @post("/", sync_to_thread=True, summary="Create a film")
    def create_film(self, db: Session, data: FilmCreate) -> FilmPublic:
        return services.film_record(db, services.create_film(db, data))

    @get("/{film_id:int}", sync_to_thread=True, summary="One film, whatever its status")
    def get_film(self, db: Session, film_id: int) -> FilmPublic:
        return services.film_record(db, services.get_film(db, film_id))

    @put("/{film_id:int}", sync_to_thread=True, summary="Replace a film's editable fields")
    def update_film(self, db: Session, film_id: int, data: FilmUpdate) -> FilmPublic:
        return services.film_record(db, services.update_film(db, film_id, data))

    @post("/{film_id:int}/retire", sync_to_thread=True, summary="Take a film out of the public catalogue")
    def retire_film(self, request: Request[Any, Any, Any], db: Session, film_id: int, data: FilmRetire) -> FilmPublic:
        user = load_staff_user(request)
        weeding.retire_now(db, film_id, data.reason, actor_id=user.id if user else None)
        return services.film_record(db, services.get_film(db, film_id))


@get("/api/subjects", sync_to_thread=True, tags=["catalogue"], summary="Subjects with their film counts")
def list_subjects(db: Session) -> list[SubjectPublic]:
    return services.list_subjects(db)


@post("/api/staff/subjects", sync_to_thread=True, guards=[curators], tags=["catalogue (staff)"],
      summary="Add a subject to the controlled vocabulary")
def create_subject(db: Session, data: SubjectCreate) -> SubjectPublic:
    return services.create_subject(db, data.label)


@get("/api/people", sync_to_thread=True, tags=["catalogue"], summary="People whose name starts with the text given")
def find_people(db: Session, name: str = "") -> list[PersonPublic]:
    if len(name) > 200:
        raise InvalidInput("The name is limited to {n} characters.", field="name", n=200)
    return services.find_people(db, name)
