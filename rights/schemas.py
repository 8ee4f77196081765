"""What the rights API accepts and returns; table objects never leave the service layer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from rights.models import BudgetLineStatus, LicenceUse

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
ContractReference = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class LicenceTerms(BaseModel):
    """The terms a curator proposes; the window and the price are checked by the service, whatever the client."""

    model_config = ConfigDict(extra="forbid")

    licensor: Text200
    uses: list[LicenceUse] = Field(min_length=1, max_length=3)
    territories: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]] = Field(
        min_length=1, max_length=60
    )
    start_date: date
    end_date: date
    # Strict: 12.5 cents is refused rather than rounded, and so is "12".
    price_cents: StrictInt
    budget_line_id: int | None = None
    contract_reference: ContractReference | None = None
    note: Note = ""


class RenewalTerms(BaseModel):
    """A renewal copies the renewed licence's uses and territories; its window starts the day after by default."""

    model_config = ConfigDict(extra="forbid")

    end_date: date
    price_cents: StrictInt
    start_date: date | None = None
    licensor: Text200 | None = None
    budget_line_id: int | None = None
    contract_reference: ContractReference | None = None
    note: Note = ""


class CommitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    budget_line_id: int | None = None


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contract_reference: ContractReference | None = None


class TerminateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


class LicencePublic(BaseModel):
    id: int
    film_id: int
    licensor: str
    kind: str
    status: str
    uses: list[str]
    territories: list[str]
    start_date: date
    end_date: date
    price_cents: int
    budget_line_id: int | None
    renews_licence_id: int | None
    contract_reference: str | None
    note: str
    proposed_at: datetime
    committed_at: datetime | None
    signed_at: datetime | None
    activated_at: datetime | None
    ended_at: datetime | None
    termination_reason: str | None
    next_statuses: list[str]


class BudgetLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    collection: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    label: Text200
    allocated_cents: StrictInt
    status: BudgetLineStatus = BudgetLineStatus.OPEN
    status_reason: Reason | None = None


class BudgetLineUpdate(BaseModel):
    """Each field is optional: a status change (with its reason) or a new allocation."""

    model_config = ConfigDict(extra="forbid")

    label: Text200 | None = None
    allocated_cents: StrictInt | None = None
    status: BudgetLineStatus | None = None
    status_reason: Reason | None = None


class BudgetLinePublic(BaseModel):
    id: int
    year: int
    collection: str
    label: str
    status: str
    status_reason: str | None
    allocated_cents: int
    committed_cents: int
    spent_cents: int
    remaining_cents: int
    film_count: int
    licence_count: int
    average_price_cents: int | None


class BudgetTotals(BaseModel):
    allocated_cents: int
    committed_cents: int
    spent_cents: int
    remaining_cents: int
    film_count: int
    licence_count: int
    average_price_cents: int | None


class BudgetReport(BaseModel):
    year: int
    lines: list[BudgetLinePublic]
    totals: BudgetTotals


class MonthlyUse(BaseModel):
    """Cumulative committed cents at the end of each month (index 0 is January) for one line."""

    budget_line_id: int
    label: str
    allocated_cents: int
    cumulative_cents: list[int]


class KindSummary(BaseModel):
    count: int
    amount_cents: int


class DecisionPublic(BaseModel):
    film_id: int
    use: str
    territory: str
    day: date
    allowed: bool
    reason: str
    licence_id: int | None
