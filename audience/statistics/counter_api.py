"""The COUNTER_SUSHI API of Release 5.1 (/r51/status, /r51/reports, /r51/reports/{id}, /r51/members): each
institution harvests its own usage with its customer_id and api_key, never recognised by its IP address."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get
from sqlmodel import Session, col, select

from audience.statistics.counter import (
    DATA_TYPE,
    MULTIMEDIA_TYPES,
    REPORTS,
    CounterError,
    CounterException,
    ReportRequest,
    build_report,
    insufficient,
    reporting_window,
)
from audience.viewing.models import CounterApiKey, MonthlyUsage
from cinedoc.kernel import clock
from cinedoc.kernel.errors import NotFound
from streaming.media.models import Institution

AUTH_PARAMS = {"customer_id", "api_key", "requestor_id", "platform"}
REPORT_PARAMS = {"begin_date", "end_date", "metric_type", "data_type", "access_method", "attributes_to_show",
                 "exclude_monthly_details", "item_id", "format"}
IGNORED_FILTERS = {"access_type", "yop", "include_parent_details", "include_component_details", "author",
                   "attributed", "country_code", "subdivision_code", "granularity"}


@dataclass(frozen=True)
class Customer:
    institution_id: int
    name: str
    customer_id: str
    isil: str | None


def _hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def issue_api_key(session: Session, institution_id: int) -> tuple[str, str]:
    """A new api_key for the institution (the old one stops working); only its hash is kept."""
    if session.get(Institution, institution_id) is None:
        raise NotFound("No institution {institution_id}.", institution_id=institution_id)
    api_key = secrets.token_urlsafe(24)
    row = session.get(CounterApiKey, institution_id)
    if row is None:
        row = CounterApiKey(institution_id=institution_id, customer_id=f"cd{institution_id:05d}", key_hash="")
    row.key_hash = _hash(api_key)
    row.created_at = clock.utcnow()
    session.add(row)
    session.flush()
    return row.customer_id, api_key


def authenticate(session: Session, params: dict[str, str]) -> Customer:
    customer_id = params.get("customer_id", "")
    if not customer_id:
        raise insufficient("customer_id is required")
    if customer_id == "0000000000000000":
        raise CounterError(CounterException(2011, "Global Reports Not Supported", http_status=403))
    row = session.exec(select(CounterApiKey).where(col(CounterApiKey.customer_id) == customer_id)).first()
    api_key = params.get("api_key", "")
    # The same answer for an unknown customer and a wrong key: nothing tells which customer ids exist.
    if row is None or not api_key or not hmac.compare_digest(row.key_hash, _hash(api_key)):
        raise CounterError(CounterException(2020, "APIKey Invalid", http_status=401))
    institution = session.get(Institution, row.institution_id)
    assert institution is not None
    return Customer(row.institution_id, institution.name, row.customer_id, institution.isil)


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def report_request(customer: Customer, report_id: str, params: dict[str, str]) -> ReportRequest:
    kind = REPORTS[report_id]
    begin, end, exceptions = reporting_window(params.get("begin_date"), params.get("end_date"), clock.paris_today())
    unknown = sorted(set(params) - AUTH_PARAMS - REPORT_PARAMS - IGNORED_FILTERS)
    if unknown:
        exceptions.append(CounterException(3050, "Parameter Not Recognized in this Context", ", ".join(unknown)))
    metrics = kind.metrics
    filters: dict[str, list[str]] = {}
    attributes: dict[str, list[str]] = {}
    if kind.header_metrics is None:  # the master reports take filters; Standard Views have them fixed
        asked = _list(params.get("metric_type"))
        if asked:
            bad = [m for m in asked if m not in kind.metrics and m != "Searches_Platform"]
            if bad:
                exceptions.append(CounterException(3060, "Invalid ReportFilter Value", "metric_type=" + "|".join(bad)))
            metrics = tuple(m for m in kind.metrics if m in asked)
        for name, allowed in (("Data_Type", (DATA_TYPE, *MULTIMEDIA_TYPES, "Article", "Book", "Database")),
                              ("Access_Method", ("Regular", "TDM"))):
            values = _list(params.get(name.lower()))
            if values:
                bad = [v for v in values if v not in allowed]
                if bad:
                    exceptions.append(CounterException(3060, "Invalid ReportFilter Value",
                                                       f"{name.lower()}=" + "|".join(bad)))
                filters[name] = [v for v in values if v in allowed]
        shown = _list(params.get("attributes_to_show"))
        if shown:
            good = [a for a in shown if a == "Access_Method" or (kind.item_level and a == "Data_Type")]
            if len(good) != len(shown):
                exceptions.append(CounterException(3062, "Invalid ReportAttribute Value",
                                                   "attributes_to_show=" + "|".join(a for a in shown
                                                                                    if a not in good)))
            if "Access_Method" in good and not kind.item_level:
                attributes["Attributes_To_Show"] = ["Access_Method"]
    ids = {"Proprietary": f"cinedoc:{customer.customer_id}"}
    if customer.isil:
        ids = {"ISIL": customer.isil, **ids}
    return ReportRequest(
        kind=kind, institution_name=customer.name, institution_ids=ids, begin=begin, end=end, metrics=metrics,
        filters=filters, attributes=attributes,
        exclude_monthly=params.get("exclude_monthly_details", "").lower() == "true" and kind.header_metrics is None,
        item_ids=tuple(_list(params.get("item_id"))) if kind.item_level else (), exceptions=exceptions)


def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {key.lower(): value for key, value in request.query_params.items()}


def _exception_response(error: CounterError) -> Response[Any]:
    return Response(error.exception.as_json(), status_code=error.exception.http_status)


class CounterApiController(Controller):
    path = "/r51"
    tags = ["COUNTER"]

    @get("/status", sync_to_thread=True, summary="COUNTER API status (public)")
    def status(self) -> list[dict[str, Any]]:
        return [{"Description": "COUNTER Release 5.1 usage reports of the cinedoc documentary film platform.",
                 "Service_Active": True}]

    @get("/members", sync_to_thread=True, summary="The institution of the customer_id")
    def members(self, request: Request[Any, Any, Any], db: Session) -> Response[Any]:
        try:
            customer = authenticate(db, _params(request))
        except CounterError as error:
            return _exception_response(error)
        member: dict[str, Any] = {"Customer_ID": customer.customer_id, "Institution_Name": customer.name}
        if customer.isil:
            member["Institution_ID"] = {"ISIL": [customer.isil]}
        return Response([member])

    @get("/reports", sync_to_thread=True, summary="The COUNTER reports this platform supports")
    def reports(self, request: Request[Any, Any, Any], db: Session) -> Response[Any]:
        try:
            customer = authenticate(db, _params(request))
        except CounterError as error:
            return _exception_response(error)
        months = db.exec(select(MonthlyUsage.month).where(
            col(MonthlyUsage.institution_id) == customer.institution_id).distinct()).all()
        listing = []
        for key, kind in REPORTS.items():
            entry: dict[str, Any] = {"Report_Name": kind.name, "Report_ID": key.upper(), "Release": "5.1",
                                     "Report_Description": kind.description, "Path": f"/r51/reports/{key}"}
            if months:
                entry["First_Month_Available"], entry["Last_Month_Available"] = min(months), max(months)
            listing.append(entry)
        return Response(listing)

    @get("/reports/{report_id:str}", sync_to_thread=True, summary="One COUNTER report (JSON, or TSV with format=tsv)")
    def report(self, request: Request[Any, Any, Any], db: Session, report_id: str) -> Response[Any]:
        key = report_id.lower()
        if key not in REPORTS:
            # COUNTER: an invalid path is a plain 404.
            return Response({"detail": f"No COUNTER report {report_id[:20]} on this platform."}, status_code=404)
        params = _params(request)
        try:
            customer = authenticate(db, params)
            report = build_report(db, report_request(customer, key, params), customer.institution_id, clock.utcnow())
        except CounterError as error:
            return _exception_response(error)
        if params.get("format", "").lower() == "tsv":
            return Response(report.as_tsv(), media_type="text/tab-separated-values; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="{report.request.kind.report_id}.tsv"'})
        return Response(report.as_json())
