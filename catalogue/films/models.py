"""Catalogue tables: films, the people who made them, subjects, and the film's countries and languages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cinedoc.kernel.clock import utcnow


class FilmStatus(StrEnum):
    DRAFT = "draft"
    AVAILABLE = "available"
    WEEDED = "weeded"


class CreditRole(StrEnum):
    DIRECTOR = "director"
    IMAGE = "image"
    EDITING = "editing"
    SOUND = "sound"
    MUSIC = "music"
    PRODUCTION = "production"


def _utc_column(nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class Film(SQLModel, table=True):
    __tablename__ = "film"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(String(300), nullable=False, index=True))
    original_title: str | None = Field(default=None, max_length=300)
    year: int | None = Field(default=None, index=True)
    duration_minutes: int | None = Field(default=None)
    synopsis: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    age_advice: str | None = Field(default=None, max_length=60)
    has_sme_captions: bool = Field(default=False)
    has_audio_description: bool = Field(default=False)
    has_lsf: bool = Field(default=False)
    isan: str | None = Field(default=None, sa_column=Column(String(40), unique=True))
    national_number: str | None = Field(default=None, sa_column=Column(String(40), unique=True))
    poster_url: str | None = Field(default=None, max_length=500)
    trailer_url: str | None = Field(default=None, max_length=500)
    status: str = Field(default=FilmStatus.DRAFT, sa_column=Column(String(16), nullable=False, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    retired_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    retired_reason: str | None = Field(default=None, max_length=500)
    retired_by_id: int | None = Field(default=None, foreign_key="staff_user.id")


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))


class Credit(SQLModel, table=True):
    __tablename__ = "credit"
    __table_args__ = (UniqueConstraint("film_id", "person_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id", ondelete="CASCADE"), nullable=False,
                                          index=True))
    person_id: int = Field(sa_column=Column(Integer, ForeignKey("person.id"), nullable=False, index=True))
    role: str = Field(sa_column=Column(String(20), nullable=False))
    position: int = Field(default=0)


class Subject(SQLModel, table=True):
    __tablename__ = "subject"

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(sa_column=Column(String(100), unique=True, nullable=False))


class FilmSubject(SQLModel, table=True):
    __tablename__ = "film_subject"

    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id", ondelete="CASCADE"), primary_key=True))
    subject_id: int = Field(sa_column=Column(Integer, ForeignKey("subject.id"), primary_key=True, index=True))


class FilmCountry(SQLModel, table=True):
    __tablename__ = "film_country"

    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id", ondelete="CASCADE"), primary_key=True))
    code: str = Field(sa_column=Column(String(2), primary_key=True, index=True))


class FilmLanguage(SQLModel, table=True):
    __tablename__ = "film_language"

    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id", ondelete="CASCADE"), primary_key=True))
    code: str = Field(sa_column=Column(String(3), primary_key=True, index=True))


class CatalogueRevision(SQLModel, table=True):
    """One row whose token changes with every change to a film, so that each process knows when its search
    index is stale without keeping anything that another process needs."""

    __tablename__ = "catalogue_revision"

    id: int = Field(default=1, primary_key=True)
    token: str = Field(max_length=32)
