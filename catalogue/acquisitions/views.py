"""Staff pages of the rights workflow: acquisitions and licences, expiring rights, weedings, the yearly summary."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlmodel import Session

import rights.budgets
import rights.licences
import rights.reports
from catalogue.acquisitions import weeding
from catalogue.acquisitions import workflow as acquisitions
from catalogue.acquisitions.controllers import actor_id, budget_holders, rights_staff
from catalogue.acquisitions.forms import (
    one,
    parse_optional_date,
    parse_proposal,
    parse_renewal,
    proposal_values,
)
from catalogue.acquisitions.models import WeedingStatus
from cinedoc.kernel import clock
from cinedoc.kernel.errors import DomainError, InvalidInput
from cinedoc.kernel.guards import load_staff_user
from rights.models import BudgetLineStatus, LicenceStatus, LicenceUse

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
EXPIRY_HORIZONS = (30, 90, 180)


def _open_lines(db: Session) -> list[Any]:
    return rights.budgets.list_budget_lines(db, status=BudgetLineStatus.OPEN.value)


def _year(raw: str | None) -> int:
    if not raw:
        return clock.paris_today().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise InvalidInput("A year is written like 2024.", field="year")
    return int(raw)


class AcquisitionViews(Controller):
    path = "/staff/acquisitions"
    guards = [rights_staff]
    include_in_schema = False

    def _list(self, request: Request[Any, Any, Any], db: Session, status: str | None, *,
              values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
              status_code: int = 200) -> Template:
        licences = rights.licences.list_licences(db, status=status or None, limit=300)
        records = acquisitions.acquisition_records(db, licences)
        return Template("catalogue/acquisitions.html", status_code=status_code, context={
            "records": records, "status": status or "", "statuses": list(LicenceStatus), "uses": list(LicenceUse),
            "lines": _open_lines(db), "values": values or {"uses": ["streaming"], "territories": "FR, BE"},
            "errors": errors or {},
        })

    @get("/", sync_to_thread=True)
    def list_page(self, request: Request[Any, Any, Any], db: Session, status: str | None = None) -> Template:
        return self._list(request, db, status)

    @post("/", sync_to_thread=True)
    def propose(self, request: Request[Any, Any, Any], db: Session, data: FormData) -> Template | Redirect:
        values = proposal_values(data)
        proposal, errors = parse_proposal(values)
        if proposal is None:
            return self._list(request, db, None, values=values, errors=errors, status_code=400)
        try:
            licence = acquisitions.propose_acquisition(db, proposal, actor_id=actor_id(request))
        except DomainError as error:
            db.rollback()
            if error.status_code == 404:
                error.field = error.field or "film_id"
            return self._list(request, db, None, values=values, errors={error.field or "form": error.localized()},
                              status_code=error.status_code)
        return Redirect(path=f"/staff/acquisitions/{licence.id}", query_params={"saved": "1"}, status_code=303)

    def _detail(self, request: Request[Any, Any, Any], db: Session, licence_id: int, *,
                errors: dict[str, str] | None = None, saved: bool = False, status_code: int = 200) -> Template:
        record = acquisitions.acquisition_records(db, [rights.licences.get_licence(db, licence_id)])[0]
        user = load_staff_user(request)
        history = acquisitions.acquisition_records(db, rights.licences.list_licences(db, film_id=record.film.id))
        line_id = record.licence.budget_line_id
        line = rights.budgets.get_budget_line(db, line_id) if line_id else None
        return Template("catalogue/licence.html", status_code=status_code, context={
            "record": record, "licence": record.licence, "film": record.film, "history": history, "line": line,
            "lines": _open_lines(db), "errors": errors or {}, "saved": saved,
            "may_decide": user is not None and user.role in ("budget_holder", "administrator"),
        })

    @get("/{licence_id:int}", sync_to_thread=True)
    def detail_page(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
                    saved: str | None = None) -> Template:
        return self._detail(request, db, licence_id, saved=bool(saved))

    def _act(self, request: Request[Any, Any, Any], db: Session, licence_id: int, action: Any) -> Template | Redirect:
        rights.licences.get_licence(db, licence_id)  # 404 before anything else
        try:
            action()
        except DomainError as error:
            db.rollback()
            return self._detail(request, db, licence_id, errors={error.field or "form": error.localized()},
                                status_code=error.status_code)
        return Redirect(path=f"/staff/acquisitions/{licence_id}", query_params={"saved": "1"}, status_code=303)

    @post("/{licence_id:int}/commit", sync_to_thread=True, guards=[budget_holders])
    def commit(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
               data: FormData) -> Template | Redirect:
        raw = one(data, "budget_line_id")

        def action() -> None:
            line_id = int(raw) if raw.isdigit() else None
            acquisitions.commit(db, licence_id, actor_id=actor_id(request), budget_line_id=line_id)

        return self._act(request, db, licence_id, action)

    @post("/{licence_id:int}/sign", sync_to_thread=True, guards=[budget_holders])
    def sign(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
             data: FormData) -> Template | Redirect:
        return self._act(request, db, licence_id, lambda: acquisitions.sign(
            db, licence_id, actor_id=actor_id(request), contract_reference=one(data, "contract_reference")))

    @post("/{licence_id:int}/activate", sync_to_thread=True, guards=[budget_holders])
    def activate(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
                 data: FormData) -> Template | Redirect:
        return self._act(request, db, licence_id, lambda: acquisitions.activate(db, licence_id))

    @post("/{licence_id:int}/terminate", sync_to_thread=True, guards=[budget_holders])
    def terminate(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
                  data: FormData) -> Template | Redirect:
        return self._act(request, db, licence_id, lambda: acquisitions.terminate(
            db, licence_id, actor_id=actor_id(request), reason=one(data, "reason")))

    @post("/{licence_id:int}/renew", sync_to_thread=True)
    def renew(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
              data: FormData) -> Template | Redirect:
        rights.licences.get_licence(db, licence_id)
        terms, errors = parse_renewal(data)
        if terms is None:
            return self._detail(request, db, licence_id, errors=errors, status_code=400)
        try:
            renewal = acquisitions.propose_renewal(db, licence_id, terms, actor_id=actor_id(request))
        except DomainError as error:
            db.rollback()
            return self._detail(request, db, licence_id, errors={error.field or "form": error.localized()},
                                status_code=error.status_code)
        return Redirect(path=f"/staff/acquisitions/{renewal.id}", query_params={"saved": "1"}, status_code=303)


class RightsFollowUpViews(Controller):
    path = "/staff"
    guards = [rights_staff]
    include_in_schema = False

    @get("/expiring", sync_to_thread=True)
    def expiring_page(self, db: Session, days: int = 90) -> Template:
        if days not in EXPIRY_HORIZONS:
            raise InvalidInput("Choose 30, 90 or 180 days.", field="days")
        return Template("catalogue/expiring.html", context={
            "rows": acquisitions.expiring(db, days), "days": days, "horizons": EXPIRY_HORIZONS,
            "today": clock.paris_today(),
        })

    def _weedings(self, db: Session, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                  saved: bool = False, status_code: int = 200) -> Template:
        records = weeding.weeding_records(db, weeding.list_weedings(db, limit=300))
        return Template("catalogue/weedings.html", status_code=status_code, context={
            "scheduled": [r for r in records if r.status == WeedingStatus.SCHEDULED],
            "done": [r for r in records if r.status == WeedingStatus.DONE],
            "cancelled": [r for r in records if r.status == WeedingStatus.CANCELLED],
            "values": values or {}, "errors": errors or {}, "saved": saved, "today": clock.paris_today(),
        })

    @get("/weedings", sync_to_thread=True)
    def weedings_page(self, db: Session, saved: str | None = None) -> Template:
        return self._weedings(db, saved=bool(saved))

    @post("/weedings", sync_to_thread=True)
    def schedule_weeding(self, request: Request[Any, Any, Any], db: Session,
                         data: FormData) -> Template | Redirect:
        values = {key: one(data, key) for key in ("film_id", "reason", "weeding_date", "notice_date")}
        try:
            if not values["film_id"].isdigit():
                raise InvalidInput("Give the number of a film of the catalogue.", field="film_id")
            weeding.schedule_weeding(
                db, int(values["film_id"]), values["reason"], actor_id=actor_id(request),
                weeding_date=parse_optional_date(values["weeding_date"], "weeding_date"),
                notice_date=parse_optional_date(values["notice_date"], "notice_date"),
            )
        except DomainError as error:
            db.rollback()
            return self._weedings(db, values=values, errors={error.field or "form": error.localized()},
                                  status_code=error.status_code)
        return Redirect(path="/staff/weedings", query_params={"saved": "1"}, status_code=303)

    @post("/weedings/{weeding_id:int}/cancel", sync_to_thread=True)
    def cancel_weeding(self, request: Request[Any, Any, Any], db: Session, weeding_id: int,
                       data: FormData) -> Template | Redirect:
        try:
            reason = one(data, "reason")
            if len(reason) < 3:
                raise InvalidInput("Say why this weeding is cancelled.", field="reason")
            weeding.cancel_weeding(db, weeding_id, reason, actor_id=actor_id(request))
        except DomainError as error:
            if error.status_code == 404:
                raise
            db.rollback()
            return self._weedings(db, errors={error.field or "form": error.localized()},
                                  status_code=error.status_code)
        return Redirect(path="/staff/weedings", query_params={"saved": "1"}, status_code=303)

    @get("/rights-summary", sync_to_thread=True)
    def summary_page(self, db: Session, year: str | None = None) -> Template:
        chosen = _year(year)
        return Template("catalogue/rights_summary.html", context={
            "summary": weeding.rights_summary(db, chosen), "report": rights.reports.budget_report(db, chosen),
            "year": chosen,
        })
