"""Euro amounts typed in forms become exact cents, and the CSV writes cents back as exact euros."""

from __future__ import annotations

import pytest

from cinedoc.kernel.errors import InvalidInput
from rights.money_input import parse_euros
from rights.reports import euros


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("125458", 12_545_800), ("125 458,00", 12_545_800), ("4480.64", 448_064), ("4 480,6 €", 448_060),
     ("0", 0), ("0,05", 5), ("130\u202f000", 13_000_000)],
)
def test_typed_euros_become_exact_cents(typed: str, cents: int) -> None:
    assert parse_euros(typed, field="price") == cents


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12,345", "whole number of cents"), ("-5", "negative"), ("", "amount in euros"), ("12e3", "amount in euros"),
     ("1.000,00", "amount in euros"), ("abc", "amount in euros")],
)
def test_amounts_that_are_not_whole_cents_or_positive_are_refused(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_euros(typed, field="price")
    assert caught.value.field == "price"


@pytest.mark.parametrize(("cents", "text"), [(12_545_800, "125458.00"), (5, "0.05"), (-450, "-4.50"), (None, "")])
def test_cents_are_written_as_exact_euros(cents: int | None, text: str) -> None:
    assert euros(cents) == text
