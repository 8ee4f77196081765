"""The budget holder's page: the year's lines and figures, the budget-use chart, and the forms to manage lines."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlmodel import Session

from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.errors import DomainError, InvalidInput
from cinedoc.kernel.guards import requires_role
from cinedoc.kernel.i18n import translate
from rights import budgets, reports
from rights.chart import budget_use_chart
from rights.models import BudgetLineStatus, LicenceKind
from rights.money_input import parse_euros
from rights.reports import euros
from rights.schemas import BudgetLineCreate, BudgetLineUpdate

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _text(form: dict[str, Any], key: str) -> str:
    value = form.get(key, "")
    return str(value[-1] if isinstance(value, list) else value).strip()


def _year(raw: str | int | None) -> int:
    if raw in (None, ""):
        return clock.paris_today().year
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput("A year is written like 2024.", field="year") from None
    if not 2000 <= year <= 2100:
        raise InvalidInput("A year is written like 2024.", field="year")
    return year


def _validation_errors(error: ValidationError) -> dict[str, str]:
    return {str(item["loc"][0]) if item["loc"] else "form": translate("This value is not valid.")
            for item in error.errors()}


class BudgetViews(Controller):
    path = "/staff/budget"
    guards = [requires_role(Role.BUDGET_HOLDER)]
    include_in_schema = False

    def _page(self, db: Session, year: int, *, errors: dict[str, str] | None = None,
              values: dict[str, str] | None = None, saved: bool = False, status_code: int = 200) -> Template:
        report = reports.budget_report(db, year)
        monthly = reports.monthly_use(db, year)
        return Template("rights/budget.html", status_code=status_code, context={
            "year": year, "report": report, "monthly": monthly, "chart": budget_use_chart(year, monthly),
            "summary": reports.licence_summary(db, year), "kinds": list(LicenceKind),
            "line_statuses": list(BudgetLineStatus), "errors": errors or {}, "values": values or {},
            "saved": saved, "euros": euros,
        })

    @get("/", sync_to_thread=True)
    def budget_page(self, db: Session, year: str | None = None, saved: str | None = None) -> Template:
        return self._page(db, _year(year), saved=bool(saved))

    @post("/lines", sync_to_thread=True)
    def create_line(self, db: Session, data: FormData) -> Template | Redirect:
        values = {key: _text(data, key) for key in ("year", "collection", "label", "allocated", "status_reason")}
        year = clock.paris_today().year
        try:
            year = _year(values["year"])
            line = BudgetLineCreate(year=year, collection=values["collection"], label=values["label"],
                                    allocated_cents=parse_euros(values["allocated"], field="allocated"))
            budgets.create_budget_line(db, line)
        except ValidationError as error:
            return self._page(db, year, errors=_validation_errors(error), values=values, status_code=400)
        except DomainError as error:
            db.rollback()
            return self._page(db, year, errors={error.field or "form": error.localized()}, values=values,
                              status_code=error.status_code)
        return Redirect(path="/staff/budget", query_params={"year": str(year), "saved": "1"}, status_code=303)

    @post("/lines/{line_id:int}", sync_to_thread=True)
    def update_line(self, db: Session, line_id: int, data: FormData) -> Template | Redirect:
        line = budgets.get_budget_line(db, line_id)
        year = line.year
        try:
            allocated = _text(data, "allocated")
            status = _text(data, "status")
            if status and status not in {s.value for s in BudgetLineStatus}:
                raise InvalidInput("Unknown line status '{status}'.", field="status", status=status[:40])
            update = BudgetLineUpdate(
                label=_text(data, "label") or None,
                allocated_cents=parse_euros(allocated, field="allocated") if allocated else None,
                status=BudgetLineStatus(status) if status else None,
                status_reason=_text(data, "status_reason") or None,
            )
            budgets.update_budget_line(db, line_id, update)
        except ValidationError as error:
            db.rollback()
            return self._page(db, year, errors=_validation_errors(error), status_code=400)
        except DomainError as error:
            db.rollback()
            return self._page(db, year, errors={error.field or "form": error.localized()},
                              status_code=error.status_code)
        return Redirect(path="/staff/budget", query_params={"year": str(year), "saved": "1"}, status_code=303)
