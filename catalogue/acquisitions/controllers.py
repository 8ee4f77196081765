"""The JSON API of acquisitions, renewals, expiry lists and weeding: thin handlers over one service each."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from sqlmodel import Session

import rights.licences
from catalogue.acquisitions import weeding
from catalogue.acquisitions import workflow as acquisitions
from catalogue.acquisitions.schemas import (
    AcquisitionProposal,
    AcquisitionPublic,
    CancelIn,
    ExpiringLicencePublic,
    RightsSummary,
    WeedingIn,
    WeedingPublic,
)
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.guards import load_staff_user, requires_role
from rights.schemas import CommitIn, RenewalTerms, SignIn, TerminateIn

budget_holders = requires_role(Role.BUDGET_HOLDER)
rights_staff = requires_role(Role.CURATOR, Role.BUDGET_HOLDER)


def actor_id(request: Request[Any, Any, Any]) -> int | None:
    user = load_staff_user(request)
    return user.id if user else None


class AcquisitionController(Controller):
    path = "/api/staff/acquisitions"
    tags = ["acquisitions"]
    guards = [rights_staff]

    def _one(self, db: Session, licence_id: int) -> AcquisitionPublic:
        return acquisitions.acquisition_records(db, [rights.licences.get_licence(db, licence_id)])[0]

    @get("/", sync_to_thread=True, summary="Licences with their films, newest first")
    def list_acquisitions(self, db: Session, status: str | None = None, film_id: int | None = None,
                          budget_line_id: int | None = None) -> list[AcquisitionPublic]:
        licences = rights.licences.list_licences(db, film_id=film_id, status=status, budget_line_id=budget_line_id)
        return acquisitions.acquisition_records(db, licences)

    @post("/", sync_to_thread=True, summary="Propose an acquisition, for a film of the catalogue or a new one")
    def propose(self, request: Request[Any, Any, Any], db: Session, data: AcquisitionProposal) -> AcquisitionPublic:
        licence = acquisitions.propose_acquisition(db, data, actor_id=actor_id(request))
        return acquisitions.acquisition_records(db, [licence])[0]

    @get("/{licence_id:int}", sync_to_thread=True, summary="One licence and its film")
    def get_acquisition(self, db: Session, licence_id: int) -> AcquisitionPublic:
        return self._one(db, licence_id)

    @post("/{licence_id:int}/commit", sync_to_thread=True, guards=[budget_holders], status_code=200,
          summary="Commit the licence's price on a budget line (refused past the allocation or on a suspended line)")
    def commit(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
               data: CommitIn) -> AcquisitionPublic:
        acquisitions.commit(db, licence_id, actor_id=actor_id(request), budget_line_id=data.budget_line_id)
        return self._one(db, licence_id)

    @post("/{licence_id:int}/sign", sync_to_thread=True, guards=[budget_holders], status_code=200,
          summary="Record the signed contract; the film goes on offer when its window has begun")
    def sign(self, request: Request[Any, Any, Any], db: Session, licence_id: int, data: SignIn) -> AcquisitionPublic:
        acquisitions.sign(db, licence_id, actor_id=actor_id(request), contract_reference=data.contract_reference)
        return self._one(db, licence_id)

    @post("/{licence_id:int}/activate", sync_to_thread=True, guards=[budget_holders], status_code=200,
          summary="Activate a signed licence whose window has begun (the daily job does it too)")
    def activate(self, db: Session, licence_id: int) -> AcquisitionPublic:
        acquisitions.activate(db, licence_id)
        return self._one(db, licence_id)

    @post("/{licence_id:int}/terminate", sync_to_thread=True, guards=[budget_holders], status_code=200,
          summary="Abandon a proposal, cancel a commitment or end a licence early, with a reason")
    def terminate(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
                  data: TerminateIn) -> AcquisitionPublic:
        acquisitions.terminate(db, licence_id, actor_id=actor_id(request), reason=data.reason)
        return self._one(db, licence_id)

    @post("/{licence_id:int}/renew", sync_to_thread=True,
          summary="Propose the renewal of a licence (same flow, kind renewal, starting the day after by default)")
    def renew(self, request: Request[Any, Any, Any], db: Session, licence_id: int,
              data: RenewalTerms) -> AcquisitionPublic:
        licence = acquisitions.propose_renewal(db, licence_id, data, actor_id=actor_id(request))
        return acquisitions.acquisition_records(db, [licence])[0]


@get("/api/staff/expiring", sync_to_thread=True, guards=[rights_staff], tags=["acquisitions"],
     summary="Streaming licences ending within the next N days (30, 90, 180...), with their renewal if any")
def expiring_licences(db: Session, days: int = 90) -> list[ExpiringLicencePublic]:
    return acquisitions.expiring(db, days)


@get("/api/staff/rights-summary/{year:int}", sync_to_thread=True, guards=[rights_staff], tags=["acquisitions"],
     summary="The year's acquisitions, renewals and weedings (counts and amounts)")
def rights_summary(db: Session, year: int) -> RightsSummary:
    return weeding.rights_summary(db, year)


class WeedingController(Controller):
    path = "/api/staff/weedings"
    tags = ["weeding"]
    guards = [rights_staff]

    @get("/", sync_to_thread=True,
         summary="Weedings, newest first; noticed_by=DATE keeps those announced by that day (for library exports)")
    def list_weedings(self, db: Session, status: str | None = None,
                      noticed_by: date | None = None) -> list[WeedingPublic]:
        return weeding.weeding_records(db, weeding.list_weedings(db, status=status, noticed_by=noticed_by))

    @post("/", sync_to_thread=True, summary="Decide to weed a film, with a reason, a date and a notice date")
    def schedule(self, request: Request[Any, Any, Any], db: Session, data: WeedingIn) -> WeedingPublic:
        record = weeding.schedule_weeding(db, data.film_id, data.reason, actor_id=actor_id(request),
                                          weeding_date=data.weeding_date, notice_date=data.notice_date)
        return weeding.weeding_records(db, [record])[0]

    @post("/{weeding_id:int}/cancel", sync_to_thread=True, status_code=200, summary="Cancel an announced weeding")
    def cancel(self, request: Request[Any, Any, Any], db: Session, weeding_id: int, data: CancelIn) -> WeedingPublic:
        record = weeding.cancel_weeding(db, weeding_id, data.reason, actor_id=actor_id(request))
        return weeding.weeding_records(db, [record])[0]
