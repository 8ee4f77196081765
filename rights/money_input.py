"""Amounts typed in euros in the staff forms ("4 480,64 €", "4480.64") turned into exact integer cents."""

from __future__ import annotations

import re

from cinedoc.kernel.errors import InvalidInput

_AMOUNT = re.compile(r"^(-?)(\d+)(?:[.,](\d*))?$")


def parse_euros(text: str, *, field: str) -> int:
    """Refuse what is not a whole number of cents (12,345) rather than round it; refuse negative amounts."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text or "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise InvalidInput("Write an amount in euros, like 4480,64.", field=field)
    sign, whole, fraction = match.groups()
    fraction = fraction or ""
    if len(fraction) > 2:
        raise InvalidInput("An amount is a whole number of cents: at most two decimals.", field=field)
    if sign:
        raise InvalidInput("An amount cannot be negative.", field=field)
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
