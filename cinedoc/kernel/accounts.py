"""Staff accounts and their roles; patrons never have an account (they are pseudonymous)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, String
from sqlmodel import Field, SQLModel

from cinedoc.kernel.clock import utcnow


class Role(StrEnum):
    CURATOR = "curator"
    BUDGET_HOLDER = "budget_holder"
    LIBRARIAN = "librarian"
    ADMINISTRATOR = "administrator"


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False))
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    # A librarian belongs to exactly one institution; other roles belong to the cinema service.
    institution_id: int | None = Field(default=None, foreign_key="institution.id", index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
