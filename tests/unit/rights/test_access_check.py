"""may_use: yes only inside a signed or active licence's window (both ends included) for that use and territory,
and every no says why."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from cinedoc.kernel.errors import InvalidInput
from rights import access, licences
from rights.models import LicenceUse
from tests.rights_helpers import make_film, make_line, terms

DAY = date(2024, 6, 15)


def signed_licence(db: Session, film_id: int, line_id: int, **changes: object) -> int:
    licence = licences.propose_licence(db, film_id, terms(budget_line_id=line_id, **changes), actor_id=None)
    assert licence.id is not None
    licences.commit_licence(db, licence.id, actor_id=None)
    licences.sign_licence(db, licence.id, actor_id=None, contract_reference="CT-1", today=date(2024, 1, 1))
    return licence.id


@pytest.fixture
def film(db: Session) -> int:
    return make_film(db, "Le Sel de la terre")


@pytest.fixture
def line(db: Session) -> int:
    return make_line(db)


def test_a_signed_window_allows_streaming_on_its_first_and_last_day_and_not_after(
    db: Session, film: int, line: int
) -> None:
    licence_id = signed_licence(db, film, line, start_date=date(2024, 3, 1), end_date=date(2024, 8, 31))
    assert access.may_use(db, film, "streaming", "FR", date(2024, 3, 1)).allowed
    decision = access.may_use(db, film, "streaming", "fr", date(2024, 8, 31))
    assert decision.allowed and decision.licence_id == licence_id
    after = access.may_use(db, film, "streaming", "FR", date(2024, 9, 1))
    assert not after
    assert after.reason == "The {use} rights of film {film_id} in {territory} ended on {end}."
    assert after.message == f"Les droits « Diffusion en ligne » du film {film} en FR ont pris fin le 2024-08-31."
    before = access.may_use(db, film, "streaming", "FR", date(2024, 2, 29))
    assert not before and before.params["start"] == date(2024, 3, 1)


def test_a_territory_or_use_the_licence_does_not_grant_is_refused_with_its_reason(
    db: Session, film: int, line: int
) -> None:
    signed_licence(db, film, line)
    assert access.may_use(db, film, "streaming", "BE", DAY).allowed
    elsewhere = access.may_use(db, film, "streaming", "CH", DAY)
    assert not elsewhere and elsewhere.reason == "No licence of film {film_id} grants {use} in {territory}."
    screening = access.may_use(db, film, LicenceUse.PUBLIC_SCREENING, "FR", DAY)
    assert not screening and screening.reason == "No licence of film {film_id} grants {use}."


def test_a_film_without_licence_or_with_an_unsigned_one_cannot_be_played(db: Session, film: int, line: int) -> None:
    nothing = access.may_use(db, film, "streaming", "FR", DAY)
    assert not nothing and nothing.reason == "Film {film_id} has no licence."
    proposal = licences.propose_licence(db, film, terms(budget_line_id=line), actor_id=None)
    assert not access.may_use(db, film, "streaming", "FR", DAY)
    assert proposal.id is not None
    licences.commit_licence(db, proposal.id, actor_id=None)
    committed = access.may_use(db, film, "streaming", "FR", DAY)
    assert not committed and committed.reason == "Licence {licence_id} of film {film_id} is not signed yet."


def test_a_terminated_licence_no_longer_allows_playback(db: Session, film: int, line: int) -> None:
    licence_id = signed_licence(db, film, line)
    assert access.may_use(db, film, "streaming", "FR", DAY)
    licences.terminate_licence(db, licence_id, actor_id=None, reason="Le producteur a retiré le film")
    refused = access.may_use(db, film, "streaming", "FR", DAY)
    assert not refused and refused.reason == "Licence {licence_id} of film {film_id} was terminated."


def test_a_signed_licence_plays_from_its_first_day_even_before_the_daily_job(db: Session, film: int, line: int) -> None:
    licence = licences.propose_licence(db, film, terms(budget_line_id=line, start_date=date(2024, 7, 1)), actor_id=None)
    assert licence.id is not None
    licences.commit_licence(db, licence.id, actor_id=None)
    licences.sign_licence(db, licence.id, actor_id=None, contract_reference="CT-9", today=DAY)
    assert licence.status == "signed"  # its window has not begun: not active yet
    assert not access.may_use(db, film, "streaming", "FR", date(2024, 6, 30))
    assert access.may_use(db, film, "streaming", "FR", date(2024, 7, 1)).allowed


def test_the_other_films_licences_never_answer_for_this_one(db: Session, film: int, line: int) -> None:
    other = make_film(db, "Homo sapiens")
    signed_licence(db, other, line)
    assert not access.may_use(db, film, "streaming", "FR", DAY)


@pytest.mark.parametrize(("use", "territory", "field"), [("download", "FR", "use"), ("streaming", "XX", "territory"),
                                                         ("streaming", "FRA", "territory")])
def test_an_unknown_use_or_territory_is_invalid_input(db: Session, film: int, use: str, territory: str,
                                                      field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        access.may_use(db, film, use, territory, DAY)
    assert caught.value.field == field


def test_territories_are_the_249_assigned_iso_codes_not_cldr_regions() -> None:
    codes = access.territory_codes()
    assert len(codes) == 249
    assert {"FR", "BE", "LU", "CH", "CA", "RE", "GP"} <= codes
    assert not {"EU", "UN", "ZZ", "XK", "QO"} & codes
