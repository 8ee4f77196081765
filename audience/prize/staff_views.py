"""The prize's staff pages: the cinema service runs editions (terms, live participation, counts, recount, audit);
librarians cast their ballot, follow their own patrons' participation and get the kit for the public round."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize import participation
from audience.prize.audit import trail
from audience.prize.ballots import cast_librarian_ballot, librarian_choices, librarian_voter
from audience.prize.charts import category_chart, daily_chart
from audience.prize.count import Count, draw_key, frozen_count, recount
from audience.prize.count import shortlist as shortlist_of
from audience.prize.editions import (
    PHASE_LABELS,
    create_edition,
    current_phase,
    edition_terms,
    get_edition,
    list_editions,
    nominee_ids,
    phases,
    update_edition,
)
from audience.prize.forms import (
    OPEN_FIELDS,
    blank_values,
    candidate_films,
    form_values,
    keep_fixed_terms,
    parse_edition_form,
    values_from_terms,
)
from audience.prize.models import PrizeEdition, PrizeRound
from audience.prize.records import result_published
from audience.prize.voting import settle_if_due
from audience.statistics.views import as_csv
from catalogue.films.models import Film
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.errors import DomainError, Forbidden, InvalidInput, NotFound
from cinedoc.kernel.guards import load_staff_user, requires_role
from cinedoc.kernel.i18n import translate
from rights.access import may_use
from streaming.access.institutions import CATEGORY_LABELS, iframe_snippet
from streaming.media.models import Institution
from streaming.media.presentations import presentation_videos
from streaming.playback.player import base_url
from streaming.runtime import runtime_for

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
AUDIT_ON_PAGE = 50
ROUNDS = (PrizeRound.LIBRARIANS.value, PrizeRound.PUBLIC.value)


def _multi(form: dict[str, Any]) -> dict[str, list[str]]:
    return {key: [str(v) for v in value] if isinstance(value, list) else [str(value)] for key, value in form.items()}


def _films(db: Session, film_ids: list[int]) -> dict[int, Film]:
    found = {film_id: db.get(Film, film_id) for film_id in film_ids}
    return {film_id: film for film_id, film in found.items() if film is not None}


def _user(request: Request[Any, Any, Any]) -> StaffUser:
    user = load_staff_user(request)
    assert user is not None  # the guard let the request in
    return user


# --- the cinema service ----------------------------------------------------------------------------------------------

def _counted_rounds(edition: PrizeEdition) -> list[str]:
    return [round_ for round_, seed in zip(ROUNDS, (edition.shortlist_seed, edition.result_seed), strict=True) if seed]


def _edition_context(db: Session, edition: PrizeEdition) -> dict[str, Any]:
    assert edition.id is not None
    nominees = nominee_ids(db, edition.id)
    films = _films(db, nominees)
    counts: dict[str, Count | None] = {round_: frozen_count(db, edition.id, round_) for round_ in ROUNDS}
    public_days = participation.public_by_day(db, edition)
    librarian_days = participation.librarians_by_day(db, edition)
    categories = participation.public_by_category(db, edition.id)
    institutions = participation.per_institution(db, edition.id)
    return {
        "edition": edition, "phases": phases(edition), "today_phase": current_phase(edition),
        "phase_labels": PHASE_LABELS, "nominees": [films[film_id] for film_id in nominees if film_id in films],
        "films": films, "counts": counts, "shortlist": shortlist_of(db, edition.id), "draw_key": draw_key,
        "published": result_published(edition),
        "public_days": public_days, "librarian_days": librarian_days, "categories": categories,
        "category_labels": CATEGORY_LABELS, "institutions": institutions,
        "institution_names": {row.institution_id: row.name for row in institutions},
        "public_chart": daily_chart("public-days", translate("Public ballots per day"), public_days)
        if public_days else None,
        "librarian_chart": daily_chart("librarian-days", translate("Librarians' ballots per day"), librarian_days)
        if librarian_days else None,
        "category_chart": category_chart("public-categories",
                                         translate("Public ballots per category of institution"), categories),
        "audit": participation.latest_audit(db, edition.id, AUDIT_ON_PAGE),
        "audit_size": participation.audit_size(db, edition.id), "audit_limit": AUDIT_ON_PAGE,
        "counted_rounds": _counted_rounds(edition), "recounted": None,
    }


class PrizeStaffViews(Controller):
    path = "/staff/prize"
    guards = [requires_role(Role.CURATOR)]
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def editions_page(self, db: Session) -> Template:
        editions = list_editions(db)
        return Template("audience/prize_staff_editions.html", context={
            "editions": [(edition, current_phase(edition)) for edition in editions], "phase_labels": PHASE_LABELS})

    def _form(self, db: Session, values: dict[str, Any], errors: dict[str, str], edition: PrizeEdition | None,
              status_code: int = 200) -> Template:
        chosen = [int(v) for v in values.get("nominees", []) if str(v).isdigit() and len(str(v)) < 10]
        locked = edition is not None and clock.paris_today() >= edition.librarians_start
        return Template("audience/prize_staff_form.html", status_code=status_code, context={
            "values": values, "errors": errors, "edition": edition, "locked": locked, "open_fields": OPEN_FIELDS,
            "candidates": candidate_films(db, chosen), "chosen": {str(film_id) for film_id in chosen}})

    @get("/new", sync_to_thread=True)
    def new_edition(self, db: Session) -> Template:
        return self._form(db, blank_values(clock.paris_today()), {}, None)

    @post("/new", sync_to_thread=True)
    def create_edition(self, db: Session, data: FormData) -> Template | Redirect:
        values = form_values(_multi(data))
        terms, errors = parse_edition_form(values)
        if terms is None:
            return self._form(db, values, errors, None, 400)
        try:
            edition = create_edition(db, terms)
        except DomainError as error:
            db.rollback()
            return self._form(db, values, {_form_field(error.field): error.localized()}, None, error.status_code)
        return Redirect(path=f"/staff/prize/{edition.id}", query_params={"saved": "1"}, status_code=303)

    @get("/{edition_id:int}/edit", sync_to_thread=True)
    def edit_edition(self, db: Session, edition_id: int) -> Template:
        edition = get_edition(db, edition_id)
        return self._form(db, values_from_terms(edition_terms(db, edition)), {}, edition)

    @post("/{edition_id:int}/edit", sync_to_thread=True)
    def update_edition(self, db: Session, edition_id: int, data: FormData) -> Template | Redirect:
        edition = get_edition(db, edition_id)
        values = form_values(_multi(data))
        if clock.paris_today() >= edition.librarians_start:
            values = keep_fixed_terms(values, edition_terms(db, edition))
        terms, errors = parse_edition_form(values)
        if terms is None:
            return self._form(db, values, errors, edition, 400)
        try:
            update_edition(db, edition_id, terms)
        except DomainError as error:
            db.rollback()
            edition = get_edition(db, edition_id)
            return self._form(db, values, {_form_field(error.field): error.localized()}, edition, error.status_code)
        return Redirect(path=f"/staff/prize/{edition_id}", query_params={"saved": "1"}, status_code=303)

    @get("/{edition_id:int}", sync_to_thread=True)
    def edition_page(self, request: Request[Any, Any, Any], db: Session, edition_id: int,
                     saved: str | None = None) -> Template:
        settle_if_due(request.app.state.engine, edition_id)
        context = _edition_context(db, get_edition(db, edition_id))
        context["saved"] = bool(saved)
        return Template("audience/prize_staff_edition.html", context=context)

    @post("/{edition_id:int}/recount", sync_to_thread=True, status_code=200)
    def recount_page(self, request: Request[Any, Any, Any], db: Session, edition_id: int, data: FormData) -> Template:
        round_ = str(_multi(data).get("round", [""])[-1])
        if round_ not in ROUNDS:
            raise InvalidInput("Unknown round '{round}' (expected librarians or public).", field="round",
                               round=round_[:20])
        settle_if_due(request.app.state.engine, edition_id)
        again, matches = recount(db, edition_id, round_)
        context = _edition_context(db, get_edition(db, edition_id))
        context["recounted"] = {"round": round_, "count": again, "matches": matches}
        return Template("audience/prize_staff_edition.html", context=context)

    @get("/{edition_id:int}/audit.csv", sync_to_thread=True)
    def audit_csv(self, db: Session, edition_id: int) -> Response[str]:
        edition = get_edition(db, edition_id)
        names = {row.institution_id: row.name for row in participation.per_institution(db, edition_id)}
        rows = [[entry.id, entry.at.isoformat(), entry.round, entry.action, entry.voter, entry.institution_id or "",
                 names.get(entry.institution_id or 0, ""), entry.films, entry.previous_films, entry.detail]
                for entry in trail(db, edition_id)]
        return as_csv(f"prize-{edition.year}-audit", ["id", "at_utc", "round", "action", "voter", "institution_id",
                                                    "institution", "films", "previous_films", "detail"], rows)

    @get("/{edition_id:int}/csv/{table:str}", sync_to_thread=True)
    def table_csv(self, db: Session, edition_id: int, table: str) -> Response[str]:
        edition = get_edition(db, edition_id)
        name = f"prize-{edition.year}-{table[:40]}"
        if table == "public-days":
            return as_csv(name, ["day", "ballots"], [[row.day.isoformat(), row.ballots]
                                                   for row in participation.public_by_day(db, edition)])
        if table == "librarian-days":
            return as_csv(name, ["day", "ballots"], [[row.day.isoformat(), row.ballots]
                                                   for row in participation.librarians_by_day(db, edition)])
        if table == "categories":
            return as_csv(name, ["category", "ballots"], [[row.category, row.ballots]
                                                        for row in participation.public_by_category(db, edition_id)])
        if table == "institutions":
            return as_csv(name, ["institution_id", "institution", "category", "librarian_ballots", "public_ballots"],
                        [[row.institution_id, row.name, row.category, row.librarian_ballots, row.public_ballots]
                         for row in participation.per_institution(db, edition_id)])
        raise NotFound("No participation table {table}.", table=table[:40])


def _form_field(field: str | None) -> str:
    if field == "award_cents":
        return "award"
    return field or "form"


# --- librarians ------------------------------------------------------------------------------------------------------

def _institution(request: Request[Any, Any, Any], db: Session, asked: int | None) -> Institution | None:
    """A librarian's own library, whatever they ask for; an administrator may name one (or none)."""
    user = _user(request)
    if user.role == Role.LIBRARIAN:
        if user.institution_id is None:
            raise Forbidden("Your account is not attached to a library.")
        wanted: int | None = user.institution_id
    else:
        wanted = asked
    return db.get(Institution, wanted) if wanted is not None else None


def _current_edition_id(engine: Engine) -> int | None:
    # Read in its own session: the settling that may follow commits a write the request's session must then see.
    with Session(engine) as reader:
        edition = participation.librarians_edition(reader)
        return edition.id if edition else None


def _library_context(request: Request[Any, Any, Any], db: Session, edition: PrizeEdition,
                     library: Institution | None, chosen: list[int] | None = None) -> dict[str, Any]:
    assert edition.id is not None
    user = _user(request)
    nominees = nominee_ids(db, edition.id)
    voter = librarian_voter(edition, user) if user.role == Role.LIBRARIAN else None
    ballot = librarian_choices(db, edition.id, voter) if voter else []
    days = participation.public_by_day(db, edition, library.id) if library and library.id else []
    return {
        "edition": edition, "today_phase": current_phase(edition), "phase_labels": PHASE_LABELS,
        "phases": phases(edition), "films": _films(db, nominees), "nominees": nominees, "ballot": ballot,
        "checked": set(ballot if chosen is None else chosen), "can_vote": voter is not None, "library": library,
        "round_open": edition.librarians_start <= clock.paris_today() <= edition.librarians_end,
        "shortlisted": edition.shortlisted_at is not None, "patron_days": days,
        "patron_total": sum(day.ballots for day in days), "message": None, "saved": False,
        "patron_chart": daily_chart("patron-days", translate("Your patrons' ballots per day"), days) if days else None,
        "query": "" if library is None or user.role == Role.LIBRARIAN else f"?institution={library.id}",
    }


def _chosen_films(values: list[str]) -> list[int]:
    if any(not value.isdigit() or len(value) > 9 for value in values):
        raise InvalidInput("Choose the films in the list.", field="films")
    return [int(value) for value in values]


class LibraryPrizeViews(Controller):
    path = "/staff/library-prize"
    guards = [requires_role(Role.LIBRARIAN)]
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def prize_page(self, request: Request[Any, Any, Any], db: Session, institution: int | None = None,
                   saved: str | None = None) -> Template:
        edition_id = _current_edition_id(request.app.state.engine)
        if edition_id is None:
            return Template("audience/prize_library_none.html", context={})
        settle_if_due(request.app.state.engine, edition_id)
        library = _institution(request, db, institution)
        context = _library_context(request, db, get_edition(db, edition_id), library)
        context["saved"] = bool(saved)
        return Template("audience/prize_library_ballot.html", context=context)

    @post("/{edition_id:int}/ballot", sync_to_thread=True)
    def cast_ballot(self, request: Request[Any, Any, Any], db: Session, edition_id: int,
                    data: FormData) -> Template | Redirect:
        user = _user(request)
        posted = [value for value in _multi(data).get("films", []) if value]
        try:
            cast_librarian_ballot(db, edition_id, user, _chosen_films(posted))
        except DomainError as error:
            if error.status_code == 404:
                raise
            db.rollback()
            edition = get_edition(db, edition_id)
            context = _library_context(request, db, edition, _institution(request, db, None),
                                       chosen=[int(v) for v in posted if v.isdigit() and len(v) < 10])
            context["message"] = error.localized()
            return Template("audience/prize_library_ballot.html", context=context, status_code=error.status_code)
        return Redirect(path="/staff/library-prize", query_params={"saved": "1"}, status_code=303)

    @get("/{edition_id:int}/kit", sync_to_thread=True)
    def kit_page(self, request: Request[Any, Any, Any], db: Session, edition_id: int,
                 institution: int | None = None) -> Template:
        settle_if_due(request.app.state.engine, edition_id)
        edition = get_edition(db, edition_id)
        library = _institution(request, db, institution)
        shortlisted = shortlist_of(db, edition_id)
        country = library.country if library else "FR"
        today = clock.paris_today()
        snippet = None
        if library is not None:
            base = base_url(runtime_for(request.app.state), request)
            snippet = iframe_snippet(f"{base}/embed/prize/{edition_id}?institution={library.id}",
                                     translate("Audience prize {year}: vote", year=edition.year))
        return Template("audience/prize_library_kit.html", context={
            "edition": edition, "library": library, "shortlist": shortlisted, "films": _films(db, shortlisted),
            "videos": presentation_videos(db, shortlisted),
            "screenable": {film_id: bool(may_use(db, film_id, "public_screening", country, today))
                           for film_id in shortlisted},
            "snippet": snippet, "today": today})
