"""Pydantic's validation errors in the interface's language, for forms that show one message per field."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from cinedoc.kernel.i18n import translate

# The msgid for each pydantic error type that a person filling a form can cause.
_MESSAGES: dict[str, str] = {
    "missing": "This field is required.",
    "string_too_short": "This field needs at least {min_length} character(s).",
    "string_too_long": "This field is limited to {max_length} characters.",
    "too_long": "At most {max_length} entries.",
    "greater_than_equal": "The value must be at least {ge}.",
    "less_than_equal": "The value must be at most {le}.",
    "greater_than": "The value must be more than {gt}.",
    "less_than": "The value must be less than {lt}.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "bool_parsing": "Answer yes or no.",
    "enum": "Choose one of: {expected}.",
    "literal_error": "Choose one of: {expected}.",
    "extra_forbidden": "This field is not expected here.",
    "date_from_datetime_parsing": "Enter a date as YYYY-MM-DD.",
    "date_parsing": "Enter a date as YYYY-MM-DD.",
}


def domain_error(msgid: str, **params: Any) -> PydanticCustomError:
    """A validator's refusal whose message is translated when shown (raise it from a field validator)."""
    return PydanticCustomError("cinedoc", msgid, {"msgid": msgid, **params})


def localized_message(error: Any) -> str:
    """One pydantic error (an item of ValidationError.errors()) in the current language."""
    context = dict(error.get("ctx") or {})
    if error.get("type") == "cinedoc" and "msgid" in context:
        return translate(context.pop("msgid"), **context)
    msgid = _MESSAGES.get(error.get("type", ""))
    if msgid is None:
        return str(error.get("msg", "")).removeprefix("Value error, ")
    try:
        return translate(msgid, **{key: value for key, value in context.items() if f"{{{key}}}" in msgid})
    except (KeyError, IndexError):
        return translate(msgid.split("{")[0].strip()) if "{" in msgid else translate(msgid)
