"""The cinema service sets up a prize edition: its nominees, its N-of-M rule, its shortlist and its phase dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from audience.prize.models import PrizeAudit, PrizeEdition, PrizeNominee
from catalogue.films.models import FilmStatus
from cinedoc.kernel.accounts import Role
from rights.models import LicenceStatus
from tests.playback_helpers import add_licence, film_status
from tests.prize_helpers import edition_json, nominated_films
from tests.rights_helpers import set_today


def _stored(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(session.exec(select(func.count()).select_from(table)).one()  # type: ignore[return-value]
                     for table in (PrizeEdition, PrizeNominee, PrizeAudit))


def test_curator_creates_the_2024_edition_and_its_page_shows_the_phase_of_the_day(
        client: TestClient, db: Session, curator: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    films = nominated_films(db)
    set_today(monkeypatch, date(2023, 10, 20))
    created = client.post("/api/prize/editions", json=edition_json(films), headers=curator)
    assert created.status_code == 201, created.text
    edition = created.json()
    assert (edition["pick_count"], edition["nominee_count"], edition["shortlist_size"]) == (4, 8, 3)
    assert edition["nominees"] == films
    assert edition["current_phase"] == "librarians"
    assert [phase["name"] for phase in edition["phases"]] == [
        "nominations", "librarians", "preparation", "public", "result"]
    for day, phase in [(date(2023, 8, 31), "upcoming"), (date(2023, 9, 30), "nominations"),
                       (date(2023, 10, 3), "between"), (date(2023, 12, 30), "librarians"),
                       (date(2024, 1, 8), "preparation"), (date(2024, 4, 7), "public"),
                       (date(2024, 4, 8), "counting"), (date(2024, 4, 12), "result")]:
        set_today(monkeypatch, day)
        assert client.get(f"/api/prize/editions/{edition['id']}").json()["current_phase"] == phase, day


BAD_TERMS = [
    ({"pick_count": 8}, "pick_count"),
    ({"pick_count": 0}, "pick_count"),
    ({"shortlist_size": 8}, "shortlist_size"),
    ({"librarians_end": "2023-10-01"}, "librarians_end"),
    ({"preparation_start": "2023-12-30"}, "preparation_start"),
    ({"public_start": "2024-03-07"}, "public_start"),
    ({"result_date": "2024-04-07"}, "result_date"),
    ({"year": 2023}, "year"),
    ({"award_cents": -1}, "award_cents"),
    ({"ballot_scope": "patron"}, "ballot_scope"),
    ({"title": ""}, "title"),
]


@pytest.mark.parametrize(("change", "field"), BAD_TERMS)
def test_inconsistent_terms_are_refused_naming_the_field_and_nothing_is_stored(
        client: TestClient, db: Session, db_engine: Engine, curator: dict[str, str], change: dict, field: str) -> None:
    films = nominated_films(db)
    answer = client.post("/api/prize/editions", json=edition_json(films, **change), headers=curator)
    assert answer.status_code == 400, answer.text
    assert field in answer.text
    assert _stored(db_engine) == (0, 0, 0)


def test_nominees_must_be_distinct_known_available_and_licensed_for_the_whole_edition(
        client: TestClient, db: Session, db_engine: Engine, curator: dict[str, str]) -> None:
    films = nominated_films(db)
    unlicensed = nominated_films(db, 1, licensed=False)[0]
    short = nominated_films(db, 1, licensed=False)[0]
    add_licence(db, short, ("FR",), window=(date(2023, 1, 1), date(2024, 3, 31)))  # ends mid public vote
    renewed = nominated_films(db, 1, licensed=False)[0]
    add_licence(db, renewed, ("FR",), window=(date(2023, 1, 1), date(2023, 12, 31)))
    add_licence(db, renewed, ("FR",), window=(date(2024, 1, 1), date(2026, 12, 31)))
    belgian = nominated_films(db, 1, licensed=False)[0]
    add_licence(db, belgian, ("BE",), window=(date(2020, 1, 1), date(2030, 12, 31)))
    unsigned = nominated_films(db, 1, licensed=False)[0]
    add_licence(db, unsigned, ("FR",), window=(date(2020, 1, 1), date(2030, 12, 31)),
                status=LicenceStatus.NEGOTIATING)
    withdrawn = films[0]
    film_status(db, withdrawn, FilmStatus.WEEDED)
    cases = {
        "twice": [*films[1:], films[1]],
        "unknown": [*films[1:], 999_999],
        "weeded": films,
        "unlicensed": [*films[1:], unlicensed],
        "ends mid-vote": [*films[1:], short],
        "Belgium only": [*films[1:], belgian],
        "negotiating": [*films[1:], unsigned],
    }
    for case, nominees in cases.items():
        answer = client.post("/api/prize/editions", json=edition_json(nominees), headers=curator)
        assert answer.status_code == 400, case
        assert answer.json()["extra"][0]["key"] == "nominees", case
    assert _stored(db_engine) == (0, 0, 0)
    # A renewal that takes over the day after its predecessor ends covers the edition.
    assert client.post("/api/prize/editions", json=edition_json([*films[1:], renewed]),
                       headers=curator).status_code == 201


def test_only_the_cinema_service_creates_editions_and_one_per_year(
        client: TestClient, db: Session, login_as: Callable[[Role], dict[str, str]]) -> None:
    films = nominated_films(db)
    assert client.post("/api/prize/editions", json=edition_json(films),
                       headers=login_as(Role.LIBRARIAN)).status_code == 403
    curator = login_as(Role.CURATOR)
    assert client.post("/api/prize/editions", json=edition_json(films), headers=curator).status_code == 201
    again = client.post("/api/prize/editions", json=edition_json(films), headers=curator)
    assert again.status_code == 409
    assert "2024" in again.json()["detail"]


def test_once_the_librarians_vote_opened_only_title_partners_and_award_change(
        client: TestClient, db: Session, curator: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    films = nominated_films(db, 9)
    set_today(monkeypatch, date(2023, 9, 15))
    edition_id = client.post("/api/prize/editions", json=edition_json(films[:8]), headers=curator).json()["id"]
    # Before the round: anything can change, the nominees included.
    assert client.put(f"/api/prize/editions/{edition_id}", json=edition_json(films[1:]),
                      headers=curator).json()["nominees"] == films[1:]
    set_today(monkeypatch, date(2023, 10, 9))
    moved = client.put(f"/api/prize/editions/{edition_id}", json=edition_json(films[:8]), headers=curator)
    assert moved.status_code == 409
    assert "nominees" in moved.json()["detail"]
    renamed = client.put(f"/api/prize/editions/{edition_id}", headers=curator, json=edition_json(
        films[1:], title="Prix du public des bibliothèques 2024", award_cents=150_000))
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["title"], renamed.json()["award_cents"]) == ("Prix du public des bibliothèques 2024",
                                                                        150_000)
