"""Statistics pages: the cinema service's (every film, institution, category, month), each librarian's (their own
institution only), cost per consultation, and a CSV download of every table."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template
from sqlmodel import Session

from audience.statistics import figures as statistics
from audience.statistics.chart import annotations_for, monthly_chart
from audience.statistics.counter import REPORTS, CounterError, ReportRequest, build_report, reporting_window
from audience.statistics.counter_api import Customer, issue_api_key, report_request
from audience.viewing.models import CounterApiKey
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.errors import Forbidden, InvalidInput, NotFound
from cinedoc.kernel.guards import load_staff_user, requires_role
from streaming.media.models import Institution

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SERVICE_TABLES = ("months", "institutions", "categories", "films", "never-watched", "cost")
LIBRARY_TABLES = ("months", "films")


def _year(raw: str | None) -> int:
    if raw in (None, ""):
        return clock.paris_today().year
    try:
        year = int(raw)
    except ValueError:
        raise InvalidInput("A year is written like 2024.", field="year") from None
    if not 2000 <= year <= 2100:
        raise InvalidInput("A year is written like 2024.", field="year")
    return year


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (a film titled "=HYPERLINK(...)") is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(name: str, header: list[str], rows: list[list[Any]]) -> Response[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


SHARE_HEADER = ["key", "label", "consultations", "investigations", "watched_seconds", "average_watch_seconds",
                "average_completion"]


def _share_rows(shares: list[statistics.Share]) -> list[list[Any]]:
    return [[s.key, s.label, s.consultations, s.investigations, s.watched_seconds,
             "" if s.average_watch_seconds is None else round(s.average_watch_seconds),
             "" if s.average_completion is None else f"{s.average_completion:.3f}"] for s in shares]


def _cents(value: int | None) -> str:
    return "" if value is None else f"{value // 100}.{value % 100:02d}"


def _chart(db: Session, year: int, institution_id: int | None = None) -> tuple[Any, list[statistics.Share]]:
    months = statistics.by_month(db, year, institution_id)
    previous = statistics.by_month(db, year - 1, institution_id)
    counts = [m.consultations for m in months]
    notes = annotations_for(db, year, counts) if institution_id is None else []
    return monthly_chart(year, counts, [m.consultations for m in previous], notes), months


class ServiceStatisticsViews(Controller):
    path = "/staff/statistics"
    guards = [requires_role(Role.CURATOR, Role.BUDGET_HOLDER)]
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def statistics_page(self, db: Session, year: str | None = None) -> Template:
        chosen = _year(year)
        chart, months = _chart(db, chosen)
        return Template("audience/statistics.html", context={
            "year": chosen, "comparison": statistics.compare_years(db, chosen), "chart": chart, "months": months,
            "totals": statistics.totals(db, chosen), "institutions": statistics.by_institution(db, chosen),
            "categories": statistics.by_category(db, chosen), "films": statistics.by_film(db, chosen, limit=20),
            "never_watched": statistics.never_watched(db, chosen, limit=50),
        })

    @get("/cost", sync_to_thread=True)
    def cost_page(self, db: Session, days: int | None = None) -> Template:
        if days is not None and not 1 <= days <= 3650:
            raise InvalidInput("Choose a number of days between 1 and 3650.", field="days")
        return Template("audience/cost.html", context={
            "rows": statistics.cost_per_consultation(db, clock.paris_today(), days), "days": days})

    @get("/csv/{table:str}", sync_to_thread=True)
    def table_csv(self, db: Session, table: str, year: str | None = None) -> Response[str]:
        chosen = _year(year)
        if table == "months":
            return as_csv(f"consultations-{chosen}-months", SHARE_HEADER, _share_rows(statistics.by_month(db, chosen)))
        if table == "institutions":
            return as_csv(f"consultations-{chosen}-institutions", SHARE_HEADER,
                        _share_rows(statistics.by_institution(db, chosen)))
        if table == "categories":
            return as_csv(f"consultations-{chosen}-categories", SHARE_HEADER,
                        _share_rows(statistics.by_category(db, chosen)))
        if table == "films":
            return as_csv(f"consultations-{chosen}-films", SHARE_HEADER, _share_rows(statistics.by_film(db, chosen)))
        if table == "never-watched":
            return as_csv(f"never-watched-{chosen}", ["film_id", "title"],
                        [list(row) for row in statistics.never_watched(db, chosen, limit=100_000)])
        if table == "cost":
            rows = statistics.cost_per_consultation(db, clock.paris_today())
            return as_csv("cost-per-consultation", ["film_id", "title", "licence_id", "start_date", "end_date",
                                                   "price_eur", "consultations", "cost_per_consultation_eur"],
                        [[r.film_id, r.title, r.licence_id, r.start_date, r.end_date, _cents(r.price_cents),
                          r.consultations, _cents(r.cost_cents)] for r in rows])
        raise NotFound("No statistics table {table}.", table=table[:40])


def _library(request: Request[Any, Any, Any], db: Session, institution: int | None) -> Institution:
    """A librarian's own institution, whatever they ask for; an administrator names one."""
    user = load_staff_user(request)
    assert user is not None
    if user.role == Role.LIBRARIAN:
        if user.institution_id is None:
            raise Forbidden("Your account is not attached to a library.")
        wanted = user.institution_id
    elif institution is None:
        raise InvalidInput("Choose an institution.", field="institution")
    else:
        wanted = institution
    found = db.get(Institution, wanted)
    if found is None:
        raise NotFound("No institution {institution_id}.", institution_id=wanted)
    return found


def _institution_query(request: Request[Any, Any, Any], library: Institution) -> str:
    """Links of an administrator's view keep naming the institution; a librarian's never need to."""
    user = load_staff_user(request)
    return "" if user is None or user.role == Role.LIBRARIAN else f"&institution={library.id}"


class LibraryStatisticsViews(Controller):
    path = "/staff/library-statistics"
    guards = [requires_role(Role.LIBRARIAN)]
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def library_page(self, request: Request[Any, Any, Any], db: Session, year: str | None = None,
                     institution: int | None = None, new_key: str | None = None) -> Template:
        library = _library(request, db, institution)
        assert library.id is not None
        chosen = _year(year)
        chart, months = _chart(db, chosen, library.id)
        return Template("audience/library.html", context={
            "library": library, "year": chosen, "chart": chart, "months": months,
            "comparison": statistics.compare_years(db, chosen, library.id),
            "totals": statistics.totals(db, chosen, library.id),
            "films": statistics.by_film(db, chosen, library.id), "reports": REPORTS,
            "api_key": db.get(CounterApiKey, library.id), "query": _institution_query(request, library),
        })

    @get("/csv/{table:str}", sync_to_thread=True)
    def table_csv(self, request: Request[Any, Any, Any], db: Session, table: str, year: str | None = None,
                  institution: int | None = None) -> Response[str]:
        library = _library(request, db, institution)
        chosen = _year(year)
        if table == "months":
            shares = statistics.by_month(db, chosen, library.id)
        elif table == "films":
            shares = statistics.by_film(db, chosen, library.id)
        else:
            raise NotFound("No statistics table {table}.", table=table[:40])
        return as_csv(f"consultations-{chosen}-{table}", SHARE_HEADER, _share_rows(shares))

    @get("/counter/{report_id:str}", sync_to_thread=True)
    def counter_tsv(self, request: Request[Any, Any, Any], db: Session, report_id: str, begin_date: str = "",
                    end_date: str = "", institution: int | None = None) -> Response[str]:
        """The tabular COUNTER report of the librarian's own institution, for their funders' spreadsheets."""
        library = _library(request, db, institution)
        assert library.id is not None
        key = report_id.lower()
        if key not in REPORTS:
            raise NotFound("No COUNTER report {report_id}.", report_id=report_id[:20])
        try:
            begin, end, _ = reporting_window(begin_date or None, end_date or None, clock.paris_today())
        except CounterError:
            raise InvalidInput("Choose a reporting period of complete past months.", field="begin_date") from None
        customer = Customer(library.id, library.name, f"cd{library.id:05d}", library.isil)
        built: ReportRequest = report_request(customer, key, {"begin_date": begin.isoformat(),
                                                              "end_date": end.isoformat()})
        report = build_report(db, built, library.id, clock.utcnow())
        return Response(report.as_tsv(), media_type="text/tab-separated-values; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{report.request.kind.report_id}-{begin:%Y-%m}.tsv"'})

    @post("/api-key", sync_to_thread=True)
    def new_api_key(self, request: Request[Any, Any, Any], db: Session, data: FormData) -> Template:
        raw = str(data.get("institution") or "")
        library = _library(request, db, int(raw) if raw.isdigit() else None)
        assert library.id is not None
        customer_id, api_key = issue_api_key(db, library.id)
        return Template("audience/api_key.html", context={"library": library, "customer_id": customer_id,
                                                          "api_key": api_key})
