"""Subscribing institutions (minimal for now: the access issue fills in subscriptions, keys and origins)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel


class InstitutionCategory(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    DEPARTMENTAL = "departmental"
    UNIVERSITY = "university"
    WORKS_COUNCIL = "works_council"


class Institution(SQLModel, table=True):
    __tablename__ = "institution"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    category: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    country: str = Field(default="FR", max_length=2)
