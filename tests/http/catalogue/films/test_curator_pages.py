"""A curator works through the staff pages; patrons see the result in the public pages."""

from __future__ import annotations

import re

from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from catalogue.films.models import Film
from cinedoc.kernel.accounts import Role
from tests.conftest import csrf_token, log_in, make_staff

FORM = {
    "title": "Les Voix de l'estuaire",
    "directors": "Jeanne Lemoine\nMoussa Diallo",
    "credits": "image: Paul Girard\nmusic: Inès Ferreira",
    "year": "2019",
    "duration_minutes": "74",
    "synopsis": "Sur l'estuaire de la Loire, des pêcheurs racontent l'écologie fragile des marées.",
    "subjects": ["Écologie", "Travail"],
    "countries": "FR, BE",
    "languages": "fr",
    "has_sme_captions": "on",
    "status": "available",
}


def test_a_curator_creates_a_film_that_patrons_find_by_a_synopsis_word_without_accents(
    client: TestClient, db_engine: Engine, subjects: list[str]
) -> None:
    log_in(client, make_staff(db_engine, Role.CURATOR))
    assert "<form" in client.get("/staff/films/new").text
    created = client.post("/staff/films/new", data={**FORM, "_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert created.status_code == 303, created.text
    film_id = int(re.search(r"/staff/films/(\d+)", created.headers["location"]).group(1))

    results = client.get("/films", params={"q": "ecologie marees"})
    assert results.status_code == 200
    assert "Les Voix de l&#39;estuaire" in results.text
    page = client.get(f"/films/{film_id}")
    assert page.status_code == 200
    for expected in ("Jeanne Lemoine", "Moussa Diallo", "Paul Girard", "Belgique", "SME", "2019"):
        assert expected in page.text, expected


def test_the_film_form_shows_each_wrong_field_and_saves_nothing(
    client: TestClient, db_engine: Engine, subjects: list[str]
) -> None:
    log_in(client, make_staff(db_engine, Role.CURATOR))
    wrong = {**FORM, "title": "", "year": "3000", "duration_minutes": "-4", "countries": "XX",
             "credits": "chef: Someone"}
    response = client.post("/staff/films/new", data={**wrong, "_csrf_token": csrf_token(client)})
    assert response.status_code == 400
    for field in ("title", "year", "duration_minutes", "countries", "credits"):
        assert f'id="{field}-error"' in response.text, field
    assert 'value="3000"' in response.text  # what the curator typed is kept
    # The messages speak the interface's language (French by default), not pydantic's English.
    assert "L’année doit être comprise entre 1895 et" in response.text
    assert "Code(s) de pays ISO 3166 inconnu(s) : XX" in response.text
    assert "Field required" not in response.text and "Input should" not in response.text
    with Session(db_engine) as session:
        assert session.exec(select(func.count()).select_from(Film)).one() == 0


def test_a_curator_edits_then_retires_a_film_and_it_leaves_the_public_catalogue(
    client: TestClient, db_engine: Engine, subjects: list[str]
) -> None:
    log_in(client, make_staff(db_engine, Role.CURATOR))
    location = client.post("/staff/films/new", data={**FORM, "_csrf_token": csrf_token(client)},
                           follow_redirects=False).headers["location"]
    film_id = int(re.search(r"/staff/films/(\d+)", location).group(1))
    edit = client.get(f"/staff/films/{film_id}")
    assert 'value="Les Voix de l&#39;estuaire"' in edit.text
    updated = client.post(f"/staff/films/{film_id}", data={**FORM, "title": "Estuaire",
                                                           "_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert updated.status_code == 303
    assert "Estuaire" in client.get(f"/films/{film_id}").text

    no_reason = client.post(f"/staff/films/{film_id}/retire", data={"reason": "", "_csrf_token": csrf_token(client)})
    assert no_reason.status_code == 400
    assert client.get(f"/films/{film_id}").status_code == 200
    retired = client.post(f"/staff/films/{film_id}/retire",
                          data={"reason": "Fin des droits", "_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert retired.status_code == 303
    assert client.get(f"/films/{film_id}").status_code == 404
    assert "Fin des droits" in client.get(f"/staff/films/{film_id}").text
    assert client.get("/films", params={"q": "estuaire"}).text.count(f"/films/{film_id}") == 0


def test_a_patron_browses_and_filters_without_javascript(client: TestClient, curator: dict[str, str],
                                                         subjects: list[str]) -> None:
    for number, (title, year) in enumerate((("Les Mains de la terre", 1968), ("Après la marée", 2021))):
        client.post("/api/staff/films", headers=curator, json={
            "title": title, "year": year, "duration_minutes": 52, "subjects": ["Histoire"], "countries": ["FR"],
            "languages": ["fr"], "status": "available", "national_number": f"N-{number}"})
    home = client.get("/")
    assert home.status_code == 200 and "Les Mains de la terre" in home.text
    page = client.get("/films", params={"decade": "1960"})
    assert "Les Mains de la terre" in page.text and "Après la marée" not in page.text
    assert re.search(r'value="1960"\s+checked', page.text), "the chosen filter stays ticked"
    bad = client.get("/films", params={"decade": "soixante"})
    assert bad.status_code == 400 and "<html" in bad.text
