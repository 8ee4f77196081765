"""The prize's public pages show what each phase should: the terms and the nominees from the nominations on, the
shortlist once the librarians' round is counted, and the public's count only from the result's day; the winner's film
page names the award only once the result is published."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.numbers import format_currency
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize.ballots import cast_public_vote
from audience.prize.editions import create_edition
from audience.prize.models import PrizeEdition
from audience.prize.schemas import EditionTerms
from streaming.playback.sessions import PatronIdentity
from tests.prize_helpers import edition_json, nominated_films
from tests.prize_public_stage import PrizeStage, prize_stage
from tests.rights_helpers import set_today

AWARD = format_currency(1000, "EUR", locale="fr")  # 1 000,00 € as the French pages write it


def current_phase(page: str) -> str:
    found = re.findall(r'<li aria-current="step" class="current">\s*<strong>([^<]+)</strong>', page)
    assert len(found) == 1, "exactly one phase is marked current"
    return found[0]


def vote_in_public_round(engine: Engine, stage: PrizeStage) -> tuple[int, int]:
    """Two patrons of Lyon vote for one film, one of Lille for another: the first wins 2 to 1."""
    winner, runner_up = sorted(stage.shortlist)[:2]
    with Session(engine) as session:
        for institution, patron, film in ((stage.lyon, "p:a", winner), (stage.lyon, "p:b", winner),
                                          (stage.lille, "p:c", runner_up)):
            cast_public_vote(session, stage.edition_id, PatronIdentity(institution.institution_id, patron, "assertion"),
                             film, day=date(2024, 3, 20))
        session.commit()
    return winner, runner_up


def test_without_an_edition_under_way_the_prize_page_says_so(client: TestClient, db: Session,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Aucun prix du public n'est en cours" in client.get("/prix").text
    create_edition(db, EditionTerms.model_validate(edition_json(nominated_films(db))))
    db.commit()
    set_today(monkeypatch, date(2023, 8, 31))  # the day before the nominations open: still the service's draft
    page = client.get("/prix")
    assert page.status_code == 200 and "Aucun prix du public n'est en cours" in page.text
    assert "Prix du public 2024" not in page.text
    assert client.get("/prix/2024").status_code == 404
    assert client.get("/prix/1999").status_code == 404


def test_during_the_librarians_round_the_page_shows_the_terms_and_the_nominees(
        client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    films = nominated_films(db)
    create_edition(db, EditionTerms.model_validate(edition_json(films)))
    db.commit()
    set_today(monkeypatch, date(2023, 10, 20))
    for path in ("/prix", "/prix/2024"):
        page = client.get(path)
        assert page.status_code == 200, page.text
        text = page.text
        assert "<h1>Prix du public 2024</h1>" in text and "Images en bibliothèques" in text and AWARD in text
        assert current_phase(text) == "Vote des bibliothécaires"
        assert "du 9 octobre 2023 au 30 décembre 2023" in text
        assert all(f'<a href="/films/{film}">Documentaire {n}</a>' in text for n, film in enumerate(films, 1))
        assert "La sélection" not in text and "Graine" not in text
    english = client.get("/prix?lang=en").text
    assert "Librarians' vote" in english and "The nominated films" in english


def test_during_the_public_round_the_shortlist_shows_and_nothing_of_the_public_count(
        client: TestClient, db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    stage = prize_stage(db, db_engine)
    vote_in_public_round(db_engine, stage)
    set_today(monkeypatch, date(2024, 3, 20))
    page = client.get("/prix/2024").text
    assert current_phase(page) == "Vote du public"
    shortlist = page[page.index('id="shortlist-title"'):page.index('id="librarians-title"')]
    assert sorted(int(film) for film in re.findall(r'<h3 id="shortlist-(\d+)-title">', shortlist)) == \
        sorted(stage.shortlist)
    edition = db.get(PrizeEdition, stage.edition_id)
    assert edition is not None and edition.shortlist_seed in page
    assert "empreinte SHA-256" in page
    assert "Participation par bibliothèque" not in page and "Le vote du public : classement" not in page

    set_today(monkeypatch, date(2024, 4, 8))  # the count is frozen on the first page after the close...
    page = client.get("/prix").text
    db.refresh(edition)
    assert edition.frozen_at is not None and edition.result_seed
    # ... and kept back until the result's day.
    assert "Le résultat sera publié le 12 avril 2024." in page
    assert edition.result_seed not in page
    assert "Participation par bibliothèque" not in page and "Le lauréat" not in page
    assert client.get(f"/api/prize/editions/{stage.edition_id}/counts/public").status_code == 404


def test_from_the_result_day_the_ranking_the_winner_and_each_librarys_participation_are_published(
        client: TestClient, db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    stage = prize_stage(db, db_engine)
    winner, runner_up = vote_in_public_round(db_engine, stage)
    set_today(monkeypatch, date(2024, 4, 12))
    page = client.get("/prix").text
    assert current_phase(page) == "Résultat"
    assert f"Le lauréat : Documentaire {stage.films.index(winner) + 1}, qui reçoit la dotation de {AWARD}." in page
    ranking = page[page.index("Le vote du public : classement"):page.index("Participation par bibliothèque")]
    rows = re.findall(r'<tr><td>(\d+)</td><th scope="row"><a href="/films/(\d+)">[^<]+</a></th><td>(\d+)</td>'
                      r'<td>(\d+)</td></tr>', ranking)
    assert [(int(r), int(f), int(b), int(i)) for r, f, b, i in rows][:2] == [(1, winner, 2, 1), (2, runner_up, 1, 1)]
    assert len(rows) == 3
    participation = page[page.index("Participation par bibliothèque"):]
    assert re.search(r'<th scope="row">Médiathèque de Lyon</th><td>2</td>', participation)
    assert re.search(r'<th scope="row">BU de Lille</th><td>1</td>', participation)
    assert '<td id="total-ballots">3</td>' in participation
    edition = db.get(PrizeEdition, stage.edition_id)
    assert edition is not None and edition.result_seed in page


def test_the_winners_film_page_names_the_award_only_once_the_result_is_published(
        client: TestClient, db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    stage = prize_stage(db, db_engine)
    winner, runner_up = vote_in_public_round(db_engine, stage)
    award_line = f'<a href="/prix/2024">Lauréat du Prix du public 2024 ({AWARD})</a>'
    set_today(monkeypatch, date(2024, 4, 8))
    client.get("/prix")  # frozen now, not yet published
    page = client.get(f"/films/{winner}").text
    assert "Lauréat" not in page
    assert '<a href="/prix/2024">Sélectionné pour le Prix du public 2024</a>' in page
    set_today(monkeypatch, date(2024, 4, 12))
    assert award_line in client.get(f"/films/{winner}").text
    runner_page = client.get(f"/films/{runner_up}").text
    assert "Lauréat" not in runner_page and "Sélectionné pour le Prix du public 2024" in runner_page
    assert "Nommé pour le Prix du public 2024" in client.get(f"/films/{stage.outsider}").text
    assert "Winner of the Prix du public 2024" in client.get(f"/films/{winner}?lang=en").text
