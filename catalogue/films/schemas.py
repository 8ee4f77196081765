"""What the catalogue API accepts and returns; table objects never leave the service layer."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from catalogue.films.models import CreditRole, FilmStatus
from cinedoc.kernel.clock import utcnow
from cinedoc.kernel.i18n import iso_country_codes, iso_language_codes
from cinedoc.kernel.validation_messages import domain_error

FIRST_FILM_YEAR = 1895
_ISAN = re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-Z](-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-Z])?$")

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CreditIn(BaseModel):
    name: Name
    role: CreditRole


class FilmFields(BaseModel):
    """Fields shared by creation and update; every one is checked here so the service sees clean data."""

    model_config = ConfigDict(extra="forbid")

    original_title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    year: int | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)
    synopsis: Annotated[str, StringConstraints(strip_whitespace=True, max_length=6000)] = ""
    age_advice: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = None
    has_sme_captions: bool = False
    has_audio_description: bool = False
    has_lsf: bool = False
    isan: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=40)] | None = None
    national_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    poster_url: Annotated[str, StringConstraints(max_length=500)] | None = None
    trailer_url: Annotated[str, StringConstraints(max_length=500)] | None = None
    directors: list[Name] = Field(default_factory=list, max_length=20)
    credits: list[CreditIn] = Field(default_factory=list, max_length=200)
    subjects: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=20
    )
    countries: list[str] = Field(default_factory=list, max_length=30)
    languages: list[str] = Field(default_factory=list, max_length=30)

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, year: int | None) -> int | None:
        if year is not None and not FIRST_FILM_YEAR <= year <= utcnow().year + 1:
            raise domain_error("The year must be between {first} and {last}.", first=FIRST_FILM_YEAR,
                               last=utcnow().year + 1)
        return year

    @field_validator("isan")
    @classmethod
    def _isan_shape(cls, isan: str | None) -> str | None:
        if isan and not _ISAN.match(isan):
            raise domain_error("An ISAN looks like 0000-0001-8CFA-0000-I (optionally with its version part).")
        return isan or None

    @field_validator("national_number", "original_title", "age_advice", "poster_url", "trailer_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("countries")
    @classmethod
    def _iso_countries(cls, codes: list[str]) -> list[str]:
        codes = [code.strip().upper() for code in codes if code.strip()]
        unknown = [code for code in codes if code not in iso_country_codes()]
        if unknown:
            raise domain_error("Unknown ISO 3166 country code(s): {codes}.", codes=", ".join(unknown))
        return list(dict.fromkeys(codes))

    @field_validator("languages")
    @classmethod
    def _iso_languages(cls, codes: list[str]) -> list[str]:
        codes = [code.strip().lower() for code in codes if code.strip()]
        unknown = [code for code in codes if code not in iso_language_codes()]
        if unknown:
            raise domain_error("Unknown ISO 639 language code(s): {codes}.", codes=", ".join(unknown))
        return list(dict.fromkeys(codes))


class FilmCreate(FilmFields):
    title: ShortText
    status: FilmStatus = FilmStatus.DRAFT

    @field_validator("status")
    @classmethod
    def _not_weeded(cls, status: FilmStatus) -> FilmStatus:
        if status == FilmStatus.WEEDED:
            raise domain_error("A film is weeded by retiring it, with a reason.")
        return status


class FilmUpdate(FilmFields):
    """A full replacement of the editable fields (the staff form always sends them all)."""

    title: ShortText
    status: FilmStatus = FilmStatus.DRAFT


class FilmRetire(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class CreditPublic(BaseModel):
    name: str
    role: str


class FilmSummary(BaseModel):
    id: int
    title: str
    original_title: str | None
    year: int | None
    duration_minutes: int | None
    directors: list[str]
    has_sme_captions: bool
    has_audio_description: bool
    has_lsf: bool
    poster_url: str | None
    status: str


class FilmPublic(FilmSummary):
    synopsis: str
    age_advice: str | None
    isan: str | None
    national_number: str | None
    trailer_url: str | None
    credits: list[CreditPublic]
    subjects: list[str]
    countries: list[str]
    languages: list[str]
    created_at: datetime
    updated_at: datetime
    retired_at: datetime | None
    retired_reason: str | None


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class SearchResults(BaseModel):
    query: str
    total: int
    page: int
    per_page: int
    results: list[FilmSummary]
    facets: dict[str, list[FacetValue]]


class SubjectPublic(BaseModel):
    id: int
    label: str
    film_count: int


class SubjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]


class PersonPublic(BaseModel):
    id: int
    name: str
    film_count: int
