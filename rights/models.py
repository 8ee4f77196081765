"""Rights tables: budget lines, licences, and the flattened grants (film, use, territory) the access check reads."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from cinedoc.kernel import clock


class LicenceUse(StrEnum):
    STREAMING = "streaming"
    PUBLIC_SCREENING = "public_screening"
    ON_SITE = "on_site"


class LicenceKind(StrEnum):
    ACQUISITION = "acquisition"
    RENEWAL = "renewal"


class LicenceStatus(StrEnum):
    NEGOTIATING = "negotiating"
    COMMITTED = "committed"
    SIGNED = "signed"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class BudgetLineStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


def _utc(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


def _staff_fk() -> Column:
    return Column(Integer, ForeignKey("staff_user.id"), nullable=True)


class BudgetLine(SQLModel, table=True):
    """A year's allocation for one collection; what is committed and spent is computed from its licences."""

    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("year", "collection"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    collection: str = Field(sa_column=Column(String(60), nullable=False))
    label: str = Field(sa_column=Column(String(200), nullable=False))
    allocated_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    status: str = Field(default=BudgetLineStatus.OPEN, sa_column=Column(String(16), nullable=False))
    status_reason: str | None = Field(default=None, sa_column=Column(String(500)))
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))
    updated_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))


class Licence(SQLModel, table=True):
    """Rights to one film: uses and territories (in LicenceGrant), a window of Paris calendar days, a price."""

    __tablename__ = "licence"
    __table_args__ = (
        Index("ix_licence_status_end_date", "status", "end_date"),
        Index("ix_licence_status_start_date", "status", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))
    licensor: str = Field(sa_column=Column(String(200), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(default=LicenceStatus.NEGOTIATING, sa_column=Column(String(16), nullable=False))
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    price_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    budget_line_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("budget_line.id"), nullable=True, index=True)
    )
    renews_licence_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("licence.id"), nullable=True, index=True)
    )
    contract_reference: str | None = Field(default=None, sa_column=Column(String(100)))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    proposed_by_id: int | None = Field(default=None, sa_column=_staff_fk())
    proposed_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))
    # Each step keeps who and when: committed and spent amounts are derived from these, never typed in.
    committed_by_id: int | None = Field(default=None, sa_column=_staff_fk())
    committed_at: datetime | None = Field(default=None, sa_column=_utc())
    signed_by_id: int | None = Field(default=None, sa_column=_staff_fk())
    signed_at: datetime | None = Field(default=None, sa_column=_utc())
    activated_at: datetime | None = Field(default=None, sa_column=_utc())
    ended_at: datetime | None = Field(default=None, sa_column=_utc())
    terminated_by_id: int | None = Field(default=None, sa_column=_staff_fk())
    termination_reason: str | None = Field(default=None, sa_column=Column(String(500)))
    updated_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))


class LicenceGrant(SQLModel, table=True):
    """One (use, territory) pair of a licence, with its film repeated so the access check is one index probe."""

    __tablename__ = "licence_grant"
    __table_args__ = (Index("ix_licence_grant_access", "film_id", "use", "territory", "licence_id"),)

    licence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("licence.id", ondelete="CASCADE"), primary_key=True)
    )
    use: str = Field(sa_column=Column(String(20), primary_key=True))
    territory: str = Field(sa_column=Column(String(2), primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False))
