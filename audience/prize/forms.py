"""The cinema service's edition form: from posted fields to EditionTerms, with one message per wrong field, and the
films it may offer as nominees."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from audience.prize.schemas import EditionTerms
from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.validation_messages import localized_message

DATE_FIELDS = ("nominations_start", "nominations_end", "librarians_start", "librarians_end", "preparation_start",
               "preparation_end", "public_start", "public_end", "result_date")
TEXT_FIELDS = ("year", "title", "partners", "award", "pick_count", "shortlist_size", "ballot_scope", *DATE_FIELDS)
BOOLEAN_FIELDS = ("allow_vote_change", "require_watched")
# What can still change once the librarians' vote has opened (editions.update_edition enforces it).
OPEN_FIELDS = ("title", "partners", "award")
_EUROS = re.compile(r"(\d{1,9})(?:[.,](\d{1,2}))?")


def form_values(form: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The raw values as the form shows them back after an error."""
    values: dict[str, Any] = {key: (form.get(key) or [""])[-1].strip() for key in TEXT_FIELDS}
    values.update({key: (form.get(key) or [""])[-1] in ("on", "true", "1") for key in BOOLEAN_FIELDS})
    values["nominees"] = [value for value in form.get("nominees", []) if value]
    return values


def values_from_terms(terms: EditionTerms) -> dict[str, Any]:
    values: dict[str, Any] = terms.model_dump(mode="json")
    cents = terms.award_cents
    values["award"] = f"{cents // 100}" if cents % 100 == 0 else f"{cents // 100},{cents % 100:02d}"
    values["year"] = str(terms.year)
    values["nominees"] = [str(film_id) for film_id in terms.nominees]
    return values


def blank_values(today: date) -> dict[str, Any]:
    return {**{key: "" for key in TEXT_FIELDS}, "year": str(today.year + 1), "ballot_scope": "librarian",
            "allow_vote_change": True, "require_watched": False, "nominees": []}


def parse_edition_form(values: dict[str, Any]) -> tuple[EditionTerms | None, dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict[str, Any] = {key: values[key] for key in TEXT_FIELDS if values.get(key) not in (None, "")}
    data.pop("award", None)
    award = str(values.get("award") or "").replace(" ", "").replace("\u202f", "")
    match = _EUROS.fullmatch(award)
    if not award:
        errors["award"] = translate("This field is required.")
    elif match is None:
        errors["award"] = translate("Write an amount in euros, such as 1000 or 1000,50.")
    else:
        data["award_cents"] = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    nominees = []
    for raw in values.get("nominees", []):
        if not str(raw).isdigit() or len(str(raw)) > 9:
            errors["nominees"] = translate("Choose the nominees in the list.")
            break
        nominees.append(int(raw))
    data["nominees"] = nominees
    data.update({key: bool(values.get(key)) for key in BOOLEAN_FIELDS})
    try:
        terms = EditionTerms.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            key = str(item["loc"][0]) if item["loc"] else "form"
            key = "award" if key == "award_cents" else key
            if key == "nominees" and item["type"] == "too_short":
                errors.setdefault(key, translate("Choose at least two nominees."))
            errors.setdefault(key, localized_message(item))
        return None, errors
    return (terms, {}) if not errors else (None, errors)


def keep_fixed_terms(posted: dict[str, Any], stored: EditionTerms) -> dict[str, Any]:
    """Once the librarians' vote opened the form shows the fixed terms disabled (browsers do not send them): they
    are taken from the stored edition, only the open fields from the post."""
    kept = values_from_terms(stored)
    kept.update({key: posted[key] for key in OPEN_FIELDS})
    return kept


def candidate_films(session: Session, first: Sequence[int] = ()) -> list[tuple[int, str]]:
    """The films on offer, the current nominees first in their order, then the others by title."""
    films = list(session.exec(select(Film.id, Film.title).where(Film.status == FilmStatus.AVAILABLE.value)
                              .order_by(col(Film.title), col(Film.id))).all())
    position = {film_id: index for index, film_id in enumerate(first)}
    return [(film_id, title) for film_id, title in  # type: ignore[misc]
            sorted(films, key=lambda row: position.get(row[0], len(position)))]
