"""The staff forms of acquisitions, renewals and weedings: posted fields to schemas, one message per wrong field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from catalogue.acquisitions.schemas import AcquisitionProposal
from cinedoc.kernel.errors import InvalidInput
from cinedoc.kernel.i18n import translate
from rights.money_input import parse_euros
from rights.schemas import RenewalTerms

PROPOSAL_FIELDS = ("film_id", "new_title", "new_year", "licensor", "territories", "start_date", "end_date", "price",
                   "budget_line_id", "contract_reference", "note")


def one(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip()


def many(form: Mapping[str, Any], key: str) -> list[str]:
    value = form.get(key, [])
    return [str(v) for v in (value if isinstance(value, list) else [value]) if str(v).strip()]


def codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(";", ",").replace(" ", ",").split(",") if code.strip()]


def _date(raw: str, field: str, errors: dict[str, str]) -> date | None:
    if not raw:
        errors[field] = translate("Enter a date.")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[field] = translate("Enter a date like 2024-12-31.")
        return None


def _int(raw: str, field: str, errors: dict[str, str]) -> int | None:
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors[field] = translate("Enter a whole number.")
        return None


def _price(raw: str, errors: dict[str, str]) -> int | None:
    try:
        return parse_euros(raw, field="price")
    except InvalidInput as error:
        errors["price"] = error.localized()
        return None


def _validated(model: type[BaseModel], data: dict[str, Any], errors: dict[str, str],
               renames: Mapping[str, str]) -> Any:
    if errors:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            location = [str(part) for part in item["loc"]]
            key = next((renames[part] for part in location if part in renames), location[-1] if location else "form")
            errors.setdefault(key, item["msg"].removeprefix("Value error, "))
        return None


def proposal_values(form: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {key: one(form, key) for key in PROPOSAL_FIELDS}
    values["uses"] = many(form, "uses")
    return values


def parse_proposal(values: Mapping[str, Any]) -> tuple[AcquisitionProposal | None, dict[str, str]]:
    errors: dict[str, str] = {}
    film_id = _int(values["film_id"], "film_id", errors)
    new_title = values["new_title"]
    if (film_id is None) == (not new_title):
        errors["film_id"] = translate("Give the number of a film of the catalogue, or the title of a new film.")
    film = None
    if new_title:
        film = {"title": new_title}
        year = _int(values["new_year"], "new_year", errors)
        if year is not None:
            film["year"] = year  # type: ignore[assignment]
    licence = {
        "licensor": values["licensor"], "uses": values["uses"], "territories": codes(values["territories"]),
        "start_date": _date(values["start_date"], "start_date", errors),
        "end_date": _date(values["end_date"], "end_date", errors),
        "price_cents": _price(values["price"], errors),
        "budget_line_id": _int(values["budget_line_id"], "budget_line_id", errors),
        "contract_reference": values["contract_reference"] or None, "note": values["note"],
    }
    data = {"film_id": film_id, "film": film, "licence": licence}
    proposal = _validated(AcquisitionProposal, data, errors, {"title": "new_title", "year": "new_year",
                                                              "price_cents": "price"})
    return proposal, errors


def parse_renewal(form: Mapping[str, Any]) -> tuple[RenewalTerms | None, dict[str, str]]:
    errors: dict[str, str] = {}
    start = one(form, "start_date")
    data = {
        "start_date": _date(start, "start_date", errors) if start else None,
        "end_date": _date(one(form, "end_date"), "end_date", errors),
        "price_cents": _price(one(form, "price"), errors),
        "budget_line_id": _int(one(form, "budget_line_id"), "budget_line_id", errors),
        "licensor": one(form, "licensor") or None,
        "contract_reference": one(form, "contract_reference") or None,
        "note": one(form, "note"),
    }
    return _validated(RenewalTerms, data, errors, {"price_cents": "price"}), errors


def parse_optional_date(raw: str, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Enter a date like 2024-12-31.", field=field) from None

