"""The catalogue's JSON API as a curator's tools and a library portal would use it."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from catalogue.films.models import Film

FILM: dict[str, Any] = {
    "title": "Les Glaneurs et la glaneuse",
    "original_title": None,
    "year": 2000,
    "duration_minutes": 82,
    "synopsis": "Un voyage à travers la France des glaneurs, de la récolte au cinéma de la récupération.",
    "directors": ["Agnès Varda"],
    "credits": [{"name": "Didier Rouget", "role": "image"}, {"name": "Joanna Bruzdowicz", "role": "music"}],
    "subjects": ["Cinéma", "Travail"],
    "countries": ["FR"],
    "languages": ["fr"],
    "has_sme_captions": True,
    "national_number": "BPI-DOC-000001",
    "status": "available",
}


def film_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Film)).one()


def test_curator_creates_a_film_and_patrons_find_it_without_accents(
    client: TestClient, curator: dict[str, str], subjects: list[str]
) -> None:
    created = client.post("/api/staff/films", json=FILM, headers=curator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["directors"] == ["Agnès Varda"]
    assert {"name": "Didier Rouget", "role": "image"} in body["credits"]
    assert body["subjects"] == ["Cinéma", "Travail"]

    found = client.get("/api/films", params={"q": "cinema recuperation"}).json()
    assert [film["title"] for film in found["results"]] == ["Les Glaneurs et la glaneuse"]
    assert client.get("/api/films", params={"q": "GLANEUSE"}).json()["total"] == 1
    assert client.get("/api/films", params={"q": "varda"}).json()["total"] == 1
    assert client.get("/api/films", params={"q": "hollywood"}).json()["total"] == 0

    page = client.get(f"/api/films/{body['id']}")
    assert page.status_code == 200
    assert page.json()["synopsis"].startswith("Un voyage")


def test_search_offers_facets_and_filters_by_them(client: TestClient, curator: dict[str, str],
                                                  subjects: list[str]) -> None:
    client.post("/api/staff/films", json=FILM, headers=curator)
    short = {**FILM, "title": "Le Chant des sirènes de l'usine", "year": 1975, "duration_minutes": 26,
             "subjects": ["Musique"], "countries": ["BE"], "languages": ["nl"], "has_sme_captions": False,
             "has_audio_description": True, "national_number": "BPI-DOC-000002", "directors": ["Henri Storck"],
             "credits": []}
    client.post("/api/staff/films", json=short, headers=curator)

    everything = client.get("/api/films").json()
    assert everything["total"] == 2
    facets = {key: {v["value"]: v["count"] for v in values} for key, values in everything["facets"].items()}
    assert facets["decade"] == {"1970": 1, "2000": 1}
    assert facets["country"] == {"BE": 1, "FR": 1}
    assert facets["access"] == {"sme": 1, "ad": 1}
    assert facets["duration"] == {"short": 1, "feature": 1}
    labels = {v["value"]: v["label"] for v in everything["facets"]["country"]}
    assert labels["BE"] == "Belgique"  # French first

    def titles(**params: Any) -> list[str]:
        return [film["title"] for film in client.get("/api/films", params=params).json()["results"]]

    assert titles(decade="1970") == ["Le Chant des sirènes de l'usine"]
    assert titles(country="FR") == ["Les Glaneurs et la glaneuse"]
    assert titles(language="nl") == ["Le Chant des sirènes de l'usine"]
    assert titles(access="ad") == ["Le Chant des sirènes de l'usine"]
    assert titles(duration="feature") == ["Les Glaneurs et la glaneuse"]
    music = [v["value"] for v in everything["facets"]["subject"] if v["label"] == "Musique"][0]
    assert titles(subject=music) == ["Le Chant des sirènes de l'usine"]
    assert titles(q="sirenes", country="FR") == []
    assert titles(sort="year") == ["Les Glaneurs et la glaneuse", "Le Chant des sirènes de l'usine"]
    assert titles(sort="title") == ["Le Chant des sirènes de l'usine", "Les Glaneurs et la glaneuse"]
    assert client.get("/api/films", params={"sort": "popularity"}).status_code == 400


def test_drafts_and_weeded_films_stay_out_of_the_public_catalogue(
    client: TestClient, curator: dict[str, str], subjects: list[str]
) -> None:
    draft = client.post("/api/staff/films", json={**FILM, "status": "draft"}, headers=curator).json()
    assert client.get("/api/films").json()["total"] == 0
    assert client.get(f"/api/films/{draft['id']}").status_code == 404
    assert client.get("/api/staff/films", params={"status": "draft"}).json()["total"] == 1

    shown = client.post("/api/staff/films", json={**FILM, "national_number": "X-2"}, headers=curator).json()
    retired = client.post(f"/api/staff/films/{shown['id']}/retire", json={"reason": "Droits échus"}, headers=curator)
    assert retired.status_code == 201
    assert retired.json()["status"] == "weeded" and retired.json()["retired_reason"] == "Droits échus"
    assert client.get(f"/api/films/{shown['id']}").status_code == 404
    # The record and its history stay for the staff.
    assert client.get(f"/api/staff/films/{shown['id']}", headers=curator).json()["status"] == "weeded"
    again = client.post(f"/api/staff/films/{shown['id']}/retire", json={"reason": "encore"}, headers=curator)
    assert again.status_code == 409


def test_an_edit_replaces_the_film_fields_and_reindexes_it(
    client: TestClient, curator: dict[str, str], subjects: list[str]
) -> None:
    film = client.post("/api/staff/films", json=FILM, headers=curator).json()
    changed = {**FILM, "title": "Les Glaneurs", "synopsis": "Deux ans après, Agnès Varda retrouve ses glaneurs."}
    updated = client.put(f"/api/staff/films/{film['id']}", json=changed, headers=curator)
    assert updated.status_code == 200, updated.text
    assert updated.json()["title"] == "Les Glaneurs"
    assert client.get("/api/films", params={"q": "recuperation"}).json()["total"] == 0
    assert client.get("/api/films", params={"q": "apres"}).json()["total"] == 1


def test_invalid_film_data_gets_a_message_per_field_and_changes_nothing(
    client: TestClient, curator: dict[str, str], subjects: list[str], db: Session
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({**FILM, "title": ""}, "title"),
        ({key: value for key, value in FILM.items() if key != "title"}, "title"),
        ({**FILM, "duration_minutes": -5}, "duration_minutes"),
        ({**FILM, "year": 3000}, "year"),
        ({**FILM, "synopsis": "x" * 6001}, "synopsis"),
        ({**FILM, "countries": ["FR", "XX"]}, "countries"),
        ({**FILM, "languages": ["klingon"]}, "languages"),
        ({**FILM, "isan": "not-an-isan"}, "isan"),
        ({**FILM, "status": "weeded"}, "status"),
        ({**FILM, "credits": [{"name": "A", "role": "catering"}]}, "credits"),
        ({**FILM, "unknown_field": 1}, "unknown_field"),
    ]
    for payload, field in cases:
        response = client.post("/api/staff/films", json=payload, headers=curator)
        assert response.status_code == 400, (field, response.text)
        keys = [item.get("key", "") for item in response.json().get("extra", [])]
        assert any(key.startswith(field) for key in keys), (field, response.json())

    unknown_subject = client.post("/api/staff/films", json={**FILM, "subjects": ["Cuisine moléculaire"]},
                                  headers=curator)
    assert unknown_subject.status_code == 400
    assert unknown_subject.json()["extra"][0]["key"] == "subjects"
    assert "Cuisine moléculaire" in unknown_subject.json()["detail"]
    not_json = client.post("/api/staff/films", content=b"{not json", headers={**curator,
                                                                               "content-type": "application/json"})
    assert not_json.status_code == 400
    assert film_count(db) == 0


def test_a_duplicate_identifier_is_a_conflict(client: TestClient, curator: dict[str, str], subjects: list[str],
                                              db: Session) -> None:
    assert client.post("/api/staff/films", json=FILM, headers=curator).status_code == 201
    again = client.post("/api/staff/films", json={**FILM, "title": "Autre"}, headers=curator)
    assert again.status_code == 409
    assert again.json()["extra"][0]["key"] == "national_number"
    isan = "0000-0001-8CFA-0000-I"
    client.post("/api/staff/films", json={**FILM, "national_number": "A", "isan": isan}, headers=curator)
    clash = client.post("/api/staff/films", json={**FILM, "national_number": "B", "isan": isan}, headers=curator)
    assert clash.status_code == 409
    assert film_count(db) == 2


def test_malformed_search_parameters_get_a_clear_400(client: TestClient) -> None:
    for params in ({"decade": "nineties"}, {"decade": "1995"}, {"page": "0"}, {"per_page": "1000"},
                   {"duration": "forever"}, {"access": "braille"}, {"country": "France"}, {"q": "x" * 500},
                   {"subject": "music"}):
        response = client.get("/api/films", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["detail"]
    assert client.get("/api/films", params={"q": '"unbalanced AND ( NEAR *'}).status_code == 200


def test_an_unknown_film_is_a_404(client: TestClient) -> None:
    assert client.get("/api/films/999999").status_code == 404
    page = client.get("/films/999999", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "<html" in page.text and "cinedoc" in page.text and "Traceback" not in page.text


def test_the_openapi_schema_describes_the_api(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/films" in paths and "/api/staff/films" in paths and "/api/films/{film_id}" in paths


def test_curators_grow_the_subject_vocabulary_and_people_are_found_by_name(
    client: TestClient, curator: dict[str, str], subjects: list[str]
) -> None:
    created = client.post("/api/staff/subjects", json={"label": "Cuisine"}, headers=curator)
    assert created.status_code == 201 and created.json()["label"] == "Cuisine"
    assert client.post("/api/staff/subjects", json={"label": "cuisine"}, headers=curator).status_code == 409
    assert client.post("/api/staff/subjects", json={"label": ""}, headers=curator).status_code == 400
    assert client.post("/api/staff/films", json={**FILM, "subjects": ["Cuisine"]}, headers=curator).status_code == 201
    labels = {subject["label"]: subject["film_count"] for subject in client.get("/api/subjects").json()}
    assert labels["Cuisine"] == 1 and labels["Musique"] == 0
    people = client.get("/api/people", params={"name": "agn"}).json()
    assert people == [{"id": people[0]["id"], "name": "Agnès Varda", "film_count": 1}]
    assert client.get("/api/people", params={"name": "%"}).json() == []


def test_a_change_made_through_one_process_is_seen_by_another_at_its_next_search(
    client: TestClient, curator: dict[str, str], subjects: list[str], database_url: str, settings: Any
) -> None:
    """Several app processes share the database: each one's search index follows the catalogue's revision."""
    from cinedoc.app import create_app
    from cinedoc.kernel.database import make_engine

    other_engine = make_engine(database_url)
    try:
        with TestClient(create_app(settings, engine=other_engine)) as other:
            assert other.get("/api/films").json()["total"] == 0
            client.post("/api/staff/films", json=FILM, headers=curator)
            assert other.get("/api/films", params={"q": "glaneuse"}).json()["total"] == 1
            assert other.get("/api/films", params={"access": "sme"}).json()["total"] == 1
    finally:
        other_engine.dispose()


def test_films_named_after_the_words_come_before_those_that_only_mention_them(
    client: TestClient, curator: dict[str, str], subjects: list[str]
) -> None:
    mention = {**FILM, "title": "Au bord du monde", "national_number": "R-1",
               "synopsis": "Une vie de marins, entre la pêche et la mer."}
    named = {**FILM, "title": "Vivre de la mer", "national_number": "R-2", "synopsis": "Un port breton."}
    other = {**FILM, "title": "Amarres", "national_number": "R-3", "synopsis": "Les marées et la mer du Nord."}
    for film in (mention, named, other):
        assert client.post("/api/staff/films", json=film, headers=curator).status_code == 201
    found = [f["title"] for f in client.get("/api/films", params={"q": "mer"}).json()["results"]]
    assert found == ["Vivre de la mer", "Amarres", "Au bord du monde"]
    by_title = [f["title"] for f in client.get("/api/films", params={"q": "mer", "sort": "title"}).json()["results"]]
    assert by_title == ["Amarres", "Au bord du monde", "Vivre de la mer"]
