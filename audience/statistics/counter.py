"""COUNTER Release 5.1 reports for a multimedia platform (PR, PR_P1, IR, IR_M1; data type Audiovisual), built from
the monthly usage table, as the COUNTER_SUSHI JSON and as tab-separated tables with the 13-row header.

A film is both the item and the title, so the Unique_Title metrics equal the Unique_Item ones. The platform keeps no
per-institution search log, so Searches_Platform is never reported (COUNTER allows a requested metric to be absent)."""

from __future__ import annotations

import calendar
import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from audience.viewing.models import MonthlyUsage
from catalogue.films.models import Film

RELEASE = "5.1"
PLATFORM = "cinedoc"
CREATED_BY = "cinedoc"
DATA_TYPE = "Audiovisual"
EARLIEST = date(2000, 1, 1)
MULTIMEDIA_TYPES = ("Audiovisual", "Image", "Interactive_Resource", "Multimedia", "Sound")

ITEM_METRICS = ("Total_Item_Investigations", "Total_Item_Requests", "Unique_Item_Investigations",
                "Unique_Item_Requests")
TITLE_METRICS = ("Unique_Title_Investigations", "Unique_Title_Requests")
DENIAL_METRICS = ("Limit_Exceeded", "No_License")


@dataclass(frozen=True)
class ReportKind:
    report_id: str
    name: str
    description: str
    metrics: tuple[str, ...]  # every metric the report may show, in COUNTER's order
    header_metrics: tuple[str, ...] | None  # a Standard View's fixed list, None for the master report
    item_level: bool


REPORTS: dict[str, ReportKind] = {k.report_id.lower(): k for k in (
    ReportKind("PR", "Platform Report", "Platform-level usage, customisable.", (*ITEM_METRICS, *TITLE_METRICS),
               None, False),
    ReportKind("PR_P1", "Platform Usage", "Platform-level usage summarised by Metric_Type.",
               ("Total_Item_Requests", "Unique_Item_Requests", "Unique_Title_Requests"),
               ("Searches_Platform", "Total_Item_Requests", "Unique_Item_Requests", "Unique_Title_Requests"), False),
    ReportKind("IR", "Item Report", "Film-level usage, customisable.", (*DENIAL_METRICS, *ITEM_METRICS), None, True),
    ReportKind("IR_M1", "Multimedia Item Requests", "Film-level requests.",
               ("Total_Item_Requests", "Unique_Item_Requests"), ("Total_Item_Requests", "Unique_Item_Requests"),
               True),
)}

IR_COLUMNS = ("Item", "Publisher", "Publisher_ID", "Platform", "DOI", "Proprietary_ID", "ISBN", "Print_ISSN",
              "Online_ISSN", "URI", "Data_Type")
IR_M1_COLUMNS = ("Item", "Publisher", "Publisher_ID", "Platform", "DOI", "Proprietary_ID", "URI", "Data_Type")
HEADER_LABELS = ("Report_Name", "Report_ID", "Release", "Institution_Name", "Institution_ID", "Metric_Types",
                 "Report_Filters", "Report_Attributes", "Exceptions", "Reporting_Period", "Created", "Created_By",
                 "Registry_Record")


@dataclass(frozen=True)
class CounterException:
    code: int
    message: str
    data: str = ""
    http_status: int = 200

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"Code": self.code, "Message": self.message}
        if self.data:
            found["Data"] = self.data
        return found

    def as_text(self) -> str:
        return f"{self.code}: {self.message}" + (f" ({self.data})" if self.data else "")


class CounterError(Exception):
    """A request COUNTER answers with one Exception and a non-200 status."""

    def __init__(self, exception: CounterException) -> None:
        super().__init__(exception.message)
        self.exception = exception


def insufficient(data: str) -> CounterError:
    return CounterError(CounterException(1030, "Insufficient Information to Process Request", data, 400))


def bad_dates(data: str) -> CounterError:
    return CounterError(CounterException(3020, "Invalid Date Arguments", data, 400))


@dataclass
class ReportRequest:
    kind: ReportKind
    institution_name: str
    institution_ids: dict[str, str]  # namespace -> value
    begin: date
    end: date
    metrics: tuple[str, ...]
    filters: dict[str, list[str]] = field(default_factory=dict)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    exclude_monthly: bool = False
    item_ids: tuple[str, ...] = ()
    exceptions: list[CounterException] = field(default_factory=list)


def month_keys(begin: date, end: date) -> list[str]:
    months = []
    year, month = begin.year, begin.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def parse_month(value: str, *, end: bool, name: str) -> date:
    """yyyy-mm-dd or yyyy-mm; a begin date falls to the month's first day, an end date to its last."""
    try:
        parsed = (datetime.strptime(value, "%Y-%m-%d") if len(value) == 10 else datetime.strptime(value, "%Y-%m"))
    except ValueError as error:
        raise bad_dates(f"{name}={value[:20]} is not a date (yyyy-mm-dd or yyyy-mm)") from error
    if end:
        return date(parsed.year, parsed.month, calendar.monthrange(parsed.year, parsed.month)[1])
    return date(parsed.year, parsed.month, 1)


def reporting_window(begin_value: str | None, end_value: str | None, today: date
                     ) -> tuple[date, date, list[CounterException]]:
    if not begin_value or not end_value:
        raise insufficient("begin_date and end_date are required")
    begin = parse_month(begin_value, end=False, name="begin_date")
    end = parse_month(end_value, end=True, name="end_date")
    if end < begin:
        raise bad_dates(f"end_date {end.isoformat()} is before begin_date {begin.isoformat()}")
    this_month = date(today.year, today.month, 1)
    if begin >= this_month:
        raise bad_dates(f"begin_date {begin.isoformat()} is in the current or a future month")
    exceptions = []
    if end < EARLIEST:
        raise bad_dates(f"usage is only available from {EARLIEST.isoformat()}")
    if begin < EARLIEST:
        # Nothing was recorded before the platform existed; a begin_date of 0001-01 must not make 24,000 columns.
        exceptions.append(CounterException(
            3032, "Usage No Longer Available for Requested Dates",
            f"request was for {begin.isoformat()} to {end.isoformat()}; however, usage is only available from "
            f"{EARLIEST.isoformat()}"))
        begin = EARLIEST
    if end >= this_month:
        last = date(this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1)
        last_day = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
        exceptions.append(CounterException(
            3031, "Usage Not Ready for Requested Dates",
            f"request was for {begin.isoformat()} to {end.isoformat()}; however, usage is only available to "
            f"{last_day.isoformat()}"))
        end = last_day
    return begin, end, exceptions


def usage(session: Session, request: ReportRequest, institution_id: int
          ) -> dict[int, dict[str, dict[str, int]]]:
    """film -> metric -> month -> count, from the monthly table only (never the raw log)."""
    statement = select(MonthlyUsage).where(
        col(MonthlyUsage.institution_id) == institution_id,
        col(MonthlyUsage.month).between(request.begin.strftime("%Y-%m"), request.end.strftime("%Y-%m")))
    found: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in session.exec(statement):
        values = {
            "Total_Item_Investigations": row.total_item_investigations,
            "Total_Item_Requests": row.total_item_requests,
            "Unique_Item_Investigations": row.unique_item_investigations,
            "Unique_Item_Requests": row.unique_item_requests,
            "Unique_Title_Investigations": row.unique_item_investigations,
            "Unique_Title_Requests": row.unique_item_requests,
            "Limit_Exceeded": row.limit_exceeded,
            "No_License": row.no_license,
        }
        for metric in request.metrics:
            if values.get(metric):
                found[row.film_id][metric][row.month] = found[row.film_id][metric].get(row.month, 0) + values[metric]
    return found


def _filters_allow(request: ReportRequest) -> bool:
    data_types = request.filters.get("Data_Type")
    methods = request.filters.get("Access_Method")
    return (not data_types or DATA_TYPE in data_types) and (not methods or "Regular" in methods)


@dataclass
class Report:
    request: ReportRequest
    months: list[str]
    # One row per (item, metric); items are None for platform reports.
    rows: list[tuple[dict[str, Any] | None, str, dict[str, int]]]
    created: datetime

    def header_json(self) -> dict[str, Any]:
        kind, request = self.request.kind, self.request
        filters: dict[str, Any] = {"Begin_Date": request.begin.isoformat(), "End_Date": request.end.isoformat()}
        if kind.report_id == "PR_P1":
            filters = {"Metric_Type": list(kind.header_metrics or ()), **filters, "Access_Method": ["Regular"]}
        elif kind.report_id == "IR_M1":
            filters = {"Metric_Type": list(kind.header_metrics or ()), **filters,
                       "Data_Type": list(MULTIMEDIA_TYPES), "Access_Method": ["Regular"]}
        else:
            if request.metrics != kind.metrics:
                filters["Metric_Type"] = list(request.metrics)
            filters.update({name: values for name, values in request.filters.items()})
        header: dict[str, Any] = {
            "Release": RELEASE, "Report_ID": kind.report_id, "Report_Name": kind.name,
            "Created": self.created.strftime("%Y-%m-%dT%H:%M:%SZ"), "Created_By": CREATED_BY,
            "Institution_ID": {ns: [value] for ns, value in request.institution_ids.items()},
            "Institution_Name": request.institution_name, "Report_Filters": filters,
        }
        attributes = dict(request.attributes)
        if request.exclude_monthly:
            attributes["Exclude_Monthly_Details"] = ["True"]
        if attributes:
            header["Report_Attributes"] = attributes
        if request.exceptions:
            header["Exceptions"] = [e.as_json() for e in request.exceptions]
        return header

    def as_json(self) -> dict[str, Any]:
        items: list[dict[str, Any]] = []
        if self.request.kind.item_level:
            by_item: dict[str, dict[str, Any]] = {}
            for item, metric, counts in self.rows:
                assert item is not None
                entry = by_item.setdefault(item["Proprietary_ID"], {
                    "Item": item["Item"], "Platform": PLATFORM,
                    "Item_ID": {"Proprietary": item["Proprietary_ID"]},
                    "Attribute_Performance": [{"Data_Type": DATA_TYPE, "Performance": {}}],
                })
                if item["URI"]:
                    entry["Item_ID"]["URI"] = item["URI"]
                entry["Attribute_Performance"][0]["Performance"][metric] = counts
            items = list(by_item.values())
        elif self.rows:
            performance: dict[str, Any] = {metric: counts for _, metric, counts in self.rows}
            attribute: dict[str, Any] = {"Data_Type": DATA_TYPE}
            if "Access_Method" in self.request.attributes.get("Attributes_To_Show", []):
                attribute["Access_Method"] = "Regular"
            items = [{"Platform": PLATFORM, "Attribute_Performance": [attribute | {"Performance": performance}]}]
        return {"Report_Header": self.header_json(), "Report_Items": items}

    def header_rows(self) -> list[list[str]]:
        kind, request = self.request.kind, self.request
        metrics = kind.header_metrics or request.metrics
        if kind.report_id == "PR_P1":
            filters = "Access_Method=Regular"
        elif kind.report_id == "IR_M1":
            filters = "Data_Type=" + "|".join(MULTIMEDIA_TYPES) + "; Access_Method=Regular"
        else:
            filters = "; ".join(f"{name}={'|'.join(values)}" for name, values in request.filters.items())
        attributes = "; ".join(f"{name}={'|'.join(values)}" for name, values in request.attributes.items())
        if request.exclude_monthly:
            attributes = "; ".join(a for a in (attributes, "Exclude_Monthly_Details=True") if a)
        ids = "; ".join(f"{ns}:{value}" for ns, value in request.institution_ids.items())
        values = (kind.name, kind.report_id, RELEASE, request.institution_name, ids, "; ".join(metrics), filters,
                  attributes, "; ".join(e.as_text() for e in request.exceptions),
                  f"Begin_Date={request.begin.isoformat()}; End_Date={request.end.isoformat()}",
                  self.created.strftime("%Y-%m-%dT%H:%M:%SZ"), CREATED_BY, "")
        return [[label, value] for label, value in zip(HEADER_LABELS, values, strict=True)]

    def columns(self) -> list[str]:
        kind = self.request.kind
        if kind.item_level:
            leading = list(IR_COLUMNS if kind.report_id == "IR" else IR_M1_COLUMNS)
        else:
            leading = ["Platform", "Data_Type"]
            if "Access_Method" in self.request.attributes.get("Attributes_To_Show", []):
                leading.append("Access_Method")
        months = [] if self.request.exclude_monthly else [
            datetime.strptime(m, "%Y-%m").strftime("%b-%Y") for m in self.months]
        return [*leading, "Metric_Type", "Reporting_Period_Total", *months]

    def as_tsv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
        writer.writerows(self.header_rows())
        writer.writerow([])
        writer.writerow(self.columns())
        show_method = "Access_Method" in self.request.attributes.get("Attributes_To_Show", [])
        for item, metric, counts in self.rows:
            if item is None:
                leading = [PLATFORM, DATA_TYPE, *(["Regular"] if show_method else [])]
            else:
                names = IR_COLUMNS if self.request.kind.report_id == "IR" else IR_M1_COLUMNS
                leading = [str(item.get(name, "")) for name in names]
            monthly = [] if self.request.exclude_monthly else [str(counts.get(m, 0)) for m in self.months]
            writer.writerow([*leading, metric, str(sum(counts.values())), *monthly])
        return buffer.getvalue()


def build_report(session: Session, request: ReportRequest, institution_id: int, created: datetime) -> Report:
    months = month_keys(request.begin, request.end)
    data = usage(session, request, institution_id) if _filters_allow(request) else {}
    if request.item_ids:
        wanted = {i.removeprefix(f"{PLATFORM}:") for i in request.item_ids}
        data = {film: values for film, values in data.items() if str(film) in wanted}
    rows: list[tuple[dict[str, Any] | None, str, dict[str, int]]] = []
    if request.kind.item_level:
        titles = {f.id: f for f in session.exec(select(Film).where(col(Film.id).in_(list(data))))} if data else {}
        for film_id in sorted(data, key=lambda f: (getattr(titles.get(f), "title", ""), f)):
            film = titles.get(film_id)
            item = {"Item": getattr(film, "title", str(film_id)), "Publisher": "", "Publisher_ID": "",
                    "Platform": PLATFORM, "DOI": "", "Proprietary_ID": f"{PLATFORM}:{film_id}", "ISBN": "",
                    "Print_ISSN": "", "Online_ISSN": "", "URI": "", "Data_Type": DATA_TYPE}
            for metric in request.metrics:
                if metric in data[film_id]:
                    rows.append((item, metric, dict(sorted(data[film_id][metric].items()))))
    else:
        for metric in request.metrics:
            totals: dict[str, int] = defaultdict(int)
            for values in data.values():
                for month, count in values.get(metric, {}).items():
                    totals[month] += count
            if totals:
                rows.append((None, metric, dict(sorted(totals.items()))))
    if not rows:
        request.exceptions.append(CounterException(3030, "No Usage Available for Requested Dates"))
    return Report(request, months, rows, created)
