"""The curator's film form: from posted fields to a FilmCreate, with one message per wrong field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from catalogue.films.models import CreditRole
from catalogue.films.schemas import FilmCreate, FilmPublic, FilmUpdate
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.validation_messages import localized_message

BOOLEAN_FIELDS = ("has_sme_captions", "has_audio_description", "has_lsf")
TEXT_FIELDS = ("title", "original_title", "synopsis", "age_advice", "isan", "national_number", "poster_url",
               "trailer_url", "status")
INT_FIELDS = ("year", "duration_minutes")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r", "").split("\n") if line.strip()]


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.replace(";", ",").replace(" ", ",").split(",") if code.strip()]


def form_values(form: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The raw values as the form shows them back (strings), for re-displaying after an error."""
    def one(key: str) -> str:
        values = form.get(key) or [""]
        return values[-1]

    values: dict[str, Any] = {key: one(key) for key in (*TEXT_FIELDS, *INT_FIELDS, "directors", "credits",
                                                          "countries", "languages")}
    values.update({key: one(key) in ("on", "true", "1") for key in BOOLEAN_FIELDS})
    values["subjects"] = [value for value in form.get("subjects", []) if value]
    return values


def values_from_record(record: FilmPublic) -> dict[str, Any]:
    directors = [credit.name for credit in record.credits if credit.role == CreditRole.DIRECTOR]
    crew = [f"{credit.role}: {credit.name}" for credit in record.credits if credit.role != CreditRole.DIRECTOR]
    values = record.model_dump()
    values.update(
        directors="\n".join(directors), credits="\n".join(crew), countries=", ".join(record.countries),
        languages=", ".join(record.languages), year=record.year or "", duration_minutes=record.duration_minutes or "",
    )
    return {key: ("" if value is None else value) for key, value in values.items()}


def parse_film_form(
    values: dict[str, Any], model: type[FilmCreate] | type[FilmUpdate] = FilmCreate
) -> tuple[FilmCreate | FilmUpdate | None, dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict[str, Any] = {key: values[key] for key in TEXT_FIELDS if values.get(key) not in (None, "")}
    for key in INT_FIELDS:
        raw = str(values.get(key) or "").strip()
        if raw:
            try:
                data[key] = int(raw)
            except ValueError:
                errors[key] = translate("Enter a whole number.")
    data.update({key: bool(values.get(key)) for key in BOOLEAN_FIELDS})
    data["directors"] = _lines(values.get("directors", ""))
    credits = []
    for line in _lines(values.get("credits", "")):
        role, _, name = line.partition(":")
        if not name.strip() or role.strip() not in {role.value for role in CreditRole}:
            errors["credits"] = translate("Write one credit per line as role: name (roles: {roles}).",
                                          roles=", ".join(role.value for role in CreditRole))
            break
        credits.append({"role": role.strip(), "name": name.strip()})
    data["credits"] = credits
    data["subjects"] = values.get("subjects", [])
    data["countries"] = _codes(values.get("countries", ""))
    data["languages"] = _codes(values.get("languages", ""))
    try:
        film = model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            key = str(item["loc"][0]) if item["loc"] else "form"
            errors.setdefault(key, localized_message(item))
        return None, errors
    return (film, {}) if not errors else (None, errors)
