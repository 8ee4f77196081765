"""What the acquisition, expiry and weeding API accepts and returns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from catalogue.films.schemas import FilmCreate
from rights.schemas import KindSummary, LicencePublic, LicenceTerms

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class AcquisitionProposal(BaseModel):
    """Either an existing film (film_id) or a new one (film, created as a draft until its rights begin)."""

    model_config = ConfigDict(extra="forbid")

    film_id: int | None = None
    film: FilmCreate | None = None
    licence: LicenceTerms

    @model_validator(mode="after")
    def _one_film(self) -> AcquisitionProposal:
        if (self.film_id is None) == (self.film is None):
            raise ValueError("give either film_id (a film of the catalogue) or film (a new film), not both")
        return self


class FilmBrief(BaseModel):
    id: int
    title: str
    status: str


class AcquisitionPublic(BaseModel):
    licence: LicencePublic
    film: FilmBrief


class ExpiringLicencePublic(BaseModel):
    licence: LicencePublic
    film: FilmBrief
    days_left: int
    renewal_id: int | None
    renewal_status: str | None
    consultations: int | None = None  # in the licence's window so far, once the audience statistics exist
    cost_per_consultation_cents: int | None = None


class WeedingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    film_id: int
    reason: Reason
    weeding_date: date | None = None
    notice_date: date | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


class WeedingPublic(BaseModel):
    id: int | None  # None in a dry run: nothing was written
    film: FilmBrief
    cause: str
    reason: str
    status: str
    weeding_date: date
    notice_date: date
    decided_by_id: int | None
    decided_at: datetime
    weeded_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    reinstated_at: datetime | None


class WeedingSummary(BaseModel):
    count: int
    rights_ended: int
    decision: int


class RightsSummary(BaseModel):
    """The year at a glance: what was bought, renewed and weeded, and the films on offer today."""

    year: int
    acquisitions: KindSummary
    renewals: KindSummary
    weedings: WeedingSummary
    reinstated: int
    available_films: int


class DailyRunPublic(BaseModel):
    day: date
    dry_run: bool
    activated_licences: list[int] = Field(default_factory=list)
    published_films: list[int] = Field(default_factory=list)
    expired_licences: list[int] = Field(default_factory=list)
    announced: list[WeedingPublic] = Field(default_factory=list)
    weeded: list[WeedingPublic] = Field(default_factory=list)
    cancelled: list[WeedingPublic] = Field(default_factory=list)
