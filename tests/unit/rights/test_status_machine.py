"""The licence status machine allows the documented moves only: no skipped step, no way back, nothing out of a final
status."""

from __future__ import annotations

from datetime import date

import pytest

from cinedoc.kernel.errors import Conflict
from cinedoc.kernel.i18n import current_locale
from rights.licences import TRANSITIONS, check_move
from rights.models import Licence, LicenceStatus

S = LicenceStatus
ALLOWED = {
    (S.NEGOTIATING, S.COMMITTED), (S.NEGOTIATING, S.TERMINATED),
    (S.COMMITTED, S.SIGNED), (S.COMMITTED, S.TERMINATED),
    (S.SIGNED, S.ACTIVE), (S.SIGNED, S.TERMINATED),
    (S.ACTIVE, S.EXPIRED), (S.ACTIVE, S.TERMINATED),
}


def licence_in(status: LicenceStatus) -> Licence:
    return Licence(id=7, film_id=1, licensor="x", kind="acquisition", status=status.value,
                   start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), price_cents=0)


def test_the_machine_lists_exactly_the_documented_moves() -> None:
    assert {(source, target) for source, targets in TRANSITIONS.items() for target in targets} == ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_an_allowed_move_passes(source: LicenceStatus, target: LicenceStatus) -> None:
    check_move(licence_in(source), target)


@pytest.mark.parametrize(
    ("source", "target"),
    sorted((a, b) for a in S for b in S if (a, b) not in ALLOWED),
)
def test_any_other_move_is_a_conflict_naming_what_is_allowed(source: LicenceStatus, target: LicenceStatus) -> None:
    with pytest.raises(Conflict) as caught:
        check_move(licence_in(source), target)
    assert caught.value.field == "status"
    assert "Licence 7" in str(caught.value)


def test_skipping_the_commitment_says_what_comes_next() -> None:
    token = current_locale.set("en")
    try:
        with pytest.raises(Conflict) as caught:
            check_move(licence_in(S.NEGOTIATING), S.SIGNED)
        assert caught.value.localized() == (
            "Licence 7 is Negotiating: it can only become Committed, Terminated, not Signed.")
    finally:
        current_locale.reset(token)
