"""The rights JSON API: budget lines, the yearly report (JSON and CSV), licences, and the access question."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Response, get, patch, post
from sqlmodel import Session

from cinedoc.kernel.accounts import Role
from cinedoc.kernel.guards import requires_role, requires_staff
from rights import access, budgets, licences, reports
from rights.reports import budget_report_csv
from rights.schemas import (
    BudgetLineCreate,
    BudgetLinePublic,
    BudgetLineUpdate,
    BudgetReport,
    DecisionPublic,
    LicencePublic,
    MonthlyUse,
)

budget_holders = requires_role(Role.BUDGET_HOLDER)
rights_readers = requires_role(Role.BUDGET_HOLDER, Role.CURATOR)


class BudgetLineController(Controller):
    path = "/api/rights/budget-lines"
    tags = ["rights"]
    guards = [rights_readers]

    @get("/", sync_to_thread=True, summary="Budget lines with their derived figures (committed, spent, remaining)")
    def list_lines(self, db: Session, year: int | None = None) -> list[BudgetLinePublic]:
        return budgets.budget_line_records(db, budgets.list_budget_lines(db, year=year))

    @post("/", sync_to_thread=True, guards=[budget_holders], summary="Open a budget line for a year and collection")
    def create_line(self, db: Session, data: BudgetLineCreate) -> BudgetLinePublic:
        return budgets.budget_line_records(db, [budgets.create_budget_line(db, data)])[0]

    @get("/{line_id:int}", sync_to_thread=True, summary="One budget line")
    def get_line(self, db: Session, line_id: int) -> BudgetLinePublic:
        return budgets.budget_line_records(db, [budgets.get_budget_line(db, line_id)])[0]

    @patch("/{line_id:int}", sync_to_thread=True, guards=[budget_holders],
           summary="Suspend, reopen or close a line, relabel it or change its allocation")
    def update_line(self, db: Session, line_id: int, data: BudgetLineUpdate) -> BudgetLinePublic:
        return budgets.budget_line_records(db, [budgets.update_budget_line(db, line_id, data)])[0]


class BudgetReportController(Controller):
    path = "/api/rights/reports"
    tags = ["rights"]
    guards = [budget_holders]

    @get("/{year:int}", sync_to_thread=True, summary="The year's figures per budget line")
    def report(self, db: Session, year: int) -> BudgetReport:
        return reports.budget_report(db, year)

    @get("/{year:int}/csv", sync_to_thread=True, summary="The year's figures per budget line, as CSV for finance",
         media_type="text/csv")
    def report_csv(self, db: Session, year: int) -> Response[str]:
        return Response(
            budget_report_csv(reports.budget_report(db, year)), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="cinedoc-budget-{year}.csv"'},
        )

    @get("/{year:int}/monthly", sync_to_thread=True, summary="Cumulative commitments per line and month")
    def monthly(self, db: Session, year: int) -> list[MonthlyUse]:
        return reports.monthly_use(db, year)


class LicenceController(Controller):
    path = "/api/rights/licences"
    tags = ["rights"]
    guards = [rights_readers]

    @get("/", sync_to_thread=True, summary="Licences, newest first, by film, status or budget line")
    def list_licences(self, db: Session, film_id: int | None = None, status: str | None = None,
                      budget_line_id: int | None = None) -> list[LicencePublic]:
        found = licences.list_licences(db, film_id=film_id, status=status, budget_line_id=budget_line_id)
        return licences.licence_records(db, found)

    @get("/{licence_id:int}", sync_to_thread=True, summary="One licence")
    def get_licence(self, db: Session, licence_id: int) -> LicencePublic:
        return licences.licence_records(db, [licences.get_licence(db, licence_id)])[0]


@get("/api/rights/access", sync_to_thread=True, guards=[requires_staff], tags=["rights"],
     summary="May film F be used for use U in territory T on day D (default today, Paris)?")
def access_check(db: Session, film_id: int, use: str, territory: str, day: date | None = None) -> DecisionPublic:
    decision = access.may_use(db, film_id, use, territory, day)
    params = decision.params
    return DecisionPublic(film_id=film_id, use=use, territory=params["territory"], day=params["day"],
                          allowed=decision.allowed, reason=decision.message, licence_id=decision.licence_id)
