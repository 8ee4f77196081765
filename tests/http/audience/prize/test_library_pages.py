"""The librarians' prize pages: their ballot cast and changed through the form, refusals said with nothing stored,
their own patrons' participation only, and the kit for the public vote."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from audience.prize.models import LibrarianBallot, LibrarianChoice, PrizeAudit
from cinedoc.kernel.accounts import Role
from rights.models import LicenceGrant
from tests.conftest import csrf_token, log_in
from tests.playback_helpers import add_licence
from tests.prize_helpers import edition_json, librarian, library, nominated_films, patron_grant
from tests.rights_helpers import Staff, set_today


class Edition:
    """The 2024 edition (4 of 8, shortlist of 3) with two libraries, one librarian each."""

    def __init__(self, client: TestClient, db: Session, engine: Engine, app: Litestar,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.client, self.engine, self.app, self.monkeypatch = client, engine, app, monkeypatch
        self.films = nominated_films(db)
        self.lyon = library(db, "Médiathèque de Lyon")
        self.lille = library(db, "BU de Lille", category="university")
        librarian(engine, self.lyon, "anne@lyon.fr")
        librarian(engine, self.lille, "lea@lille.fr")
        set_today(monkeypatch, date(2023, 9, 15))
        self.staff = Staff(client, engine)
        created = client.post("/api/prize/editions", json=edition_json(self.films),
                              headers=self.staff.as_(Role.CURATOR))
        assert created.status_code == 201, created.text
        self.id = created.json()["id"]

    def cast(self, films: list[object]) -> object:
        return self.client.post(f"/staff/library-prize/{self.id}/ballot", follow_redirects=False, data={
            "_csrf_token": csrf_token(self.client), "films": [str(film) for film in films]})

    def stored(self) -> tuple[int, int, int]:
        with Session(self.engine) as session:
            return tuple(session.exec(select(func.count()).select_from(table)).one()  # type: ignore[return-value]
                         for table in (LibrarianBallot, LibrarianChoice, PrizeAudit))

    def choices(self) -> list[int]:
        with Session(self.engine) as session:
            return sorted(session.exec(select(LibrarianChoice.film_id)).all())


@pytest.fixture
def edition(client: TestClient, db: Session, db_engine: Engine, app: Litestar,
            monkeypatch: pytest.MonkeyPatch) -> Edition:
    return Edition(client, db, db_engine, app, monkeypatch)


def _checked(page: str) -> list[int]:
    return sorted(int(n) for n in re.findall(r'name="films" value="(\d+)" checked', page))


def test_a_librarian_casts_then_changes_their_ballot_through_the_form(edition: Edition) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    log_in(edition.client, "anne@lyon.fr")
    page = edition.client.get("/staff/library-prize")
    assert page.status_code == 200
    assert "Choisissez exactement 4 films parmi les 8 films nommés." in page.text
    assert _checked(page.text) == []
    f = edition.films
    answer = edition.cast(f[:4])
    assert answer.status_code == 303
    page = edition.client.get(answer.headers["location"])
    assert "Votre bulletin est enregistré." in page.text
    assert _checked(page.text) == sorted(f[:4])
    assert edition.cast([f[0], f[5], f[6], f[7]]).status_code == 303
    assert edition.choices() == sorted([f[0], f[5], f[6], f[7]])
    assert _checked(edition.client.get("/staff/library-prize").text) == sorted([f[0], f[5], f[6], f[7]])
    with Session(edition.engine) as session:
        actions = session.exec(select(PrizeAudit.action).where(PrizeAudit.round == "librarians")
                               .order_by(PrizeAudit.id)).all()  # type: ignore[arg-type]
    assert list(actions) == ["cast", "change"]


@pytest.mark.parametrize(("films", "message"), [
    ([0, 1, 2], "Choisissez exactement 4 films (3 choisis)"),
    ([0, 1, 2, 3, 4], "Choisissez exactement 4 films (5 choisis)"),
    ([0, 1, 2, 2], "choisi deux fois"),
    ([], "Choisissez exactement 4 films (0 choisis)"),
    (["x", 1, 2, 3], "Choisissez les films dans la liste."),
])
def test_a_wrong_ballot_is_refused_with_a_message_the_form_kept_and_nothing_stored(
        edition: Edition, films: list[object], message: str) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    log_in(edition.client, "anne@lyon.fr")
    f = edition.films
    answer = edition.cast([f[n] if isinstance(n, int) else n for n in films])
    assert answer.status_code == 400
    assert message in html.unescape(answer.text), answer.text[-2000:]
    assert 'role="alert"' in answer.text
    assert _checked(answer.text) == sorted({f[n] for n in films if isinstance(n, int)})  # the form is kept
    assert edition.stored() == (0, 0, 1)  # the edition's own "terms" entry only


def test_a_refused_change_leaves_the_previous_ballot_as_it_was(edition: Edition) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    log_in(edition.client, "anne@lyon.fr")
    f = edition.films
    edition.cast(f[:4])
    assert edition.cast(f[:3]).status_code == 400
    assert edition.choices() == sorted(f[:4])
    assert edition.stored() == (1, 4, 2)


def test_after_the_round_the_ballot_is_read_only_and_a_late_post_is_refused(edition: Edition) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    log_in(edition.client, "anne@lyon.fr")
    f = edition.films
    edition.cast(f[:4])
    set_today(edition.monkeypatch, date(2023, 12, 31))
    page = edition.client.get("/staff/library-prize").text
    assert 'name="films"' not in page and "Votre bulletin :" in page
    assert all(f"Documentaire {n}</li>" in page for n in (1, 2, 3, 4))
    late = edition.cast(f[4:])
    assert late.status_code == 409
    assert "n’est pas ouvert" in late.text or "pas aujourd" in late.text
    assert edition.choices() == sorted(f[:4])


def test_a_library_whose_subscription_lapsed_cannot_vote(client: TestClient, db: Session, db_engine: Engine,
                                                         app: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    prize = Edition(client, db, db_engine, app, monkeypatch)
    lapsed = library(db, "Bibliothèque de Brest", subscription=(date(2020, 1, 1), date(2023, 6, 30)))
    librarian(db_engine, lapsed, "yann@brest.fr")
    set_today(monkeypatch, date(2023, 10, 20))
    log_in(client, "yann@brest.fr")
    answer = prize.cast(prize.films[:4])
    assert answer.status_code == 403
    assert "abonnement" in answer.text
    assert prize.stored() == (0, 0, 1)


def test_a_librarian_sees_only_their_own_institutions_participation(edition: Edition) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    for email in ("anne@lyon.fr", "lea@lille.fr"):
        log_in(edition.client, email)
        edition.cast(edition.films[:4])
    set_today(edition.monkeypatch, date(2024, 3, 8))
    shortlist = edition.client.get(f"/api/prize/editions/{edition.id}").json()["shortlist"]
    for n in range(2):
        grant = patron_grant(edition.app, edition.lyon, f"lyon-{n}")
        edition.client.post(f"/api/prize/editions/{edition.id}/votes", json={"grant": grant, "film_id": shortlist[0]})
    set_today(edition.monkeypatch, date(2024, 3, 9))
    for n in range(5):
        grant = patron_grant(edition.app, edition.lille, f"lille-{n}")
        edition.client.post(f"/api/prize/editions/{edition.id}/votes", json={"grant": grant, "film_id": shortlist[1]})
    log_in(edition.client, "anne@lyon.fr")
    for path in ("/staff/library-prize", f"/staff/library-prize?institution={edition.lille}"):
        page = edition.client.get(path).text
        assert "Médiathèque de Lyon : 2 bulletins du public à ce jour." in page, path
        bars = re.findall(r'data-ballots="(\d+)"', page)
        assert bars == ["2"], path
        assert "BU de Lille" not in page and "5 bulletins" not in page and "7 bulletins" not in page
    log_in(edition.client, "lea@lille.fr")
    assert "BU de Lille : 5 bulletins du public à ce jour." in edition.client.get("/staff/library-prize").text


def test_the_kit_shows_the_shortlist_the_screening_suggestions_and_the_embed_snippet(
        edition: Edition, db: Session) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    log_in(edition.client, "anne@lyon.fr")
    f = edition.films
    edition.cast(f[:4])
    set_today(edition.monkeypatch, date(2024, 1, 10))
    early = edition.client.get(f"/staff/library-prize/{edition.id}/kit")
    shortlist = edition.client.get(f"/api/prize/editions/{edition.id}").json()["shortlist"]
    assert early.status_code == 200 and len(shortlist) == 3
    screenable = shortlist[0]
    licence = add_licence(db, screenable, ("FR",), window=(date(2023, 1, 1), date(2025, 12, 31)))
    db.add(LicenceGrant(licence_id=licence, use="public_screening", territory="FR", film_id=screenable))
    db.commit()
    page = edition.client.get(f"/staff/library-prize/{edition.id}/kit")
    assert page.status_code == 200
    text = html.unescape(page.text)
    for film_id in shortlist:
        assert f'id="film-{film_id}-title"' in page.text
    assert text.count("Ses droits permettent aujourd’hui une projection publique") == 1
    assert text.count("Ses droits ne permettent pas de projection publique aujourd’hui") == 2
    assert re.search(r'id="film-\d+-title">Documentaire', page.text)
    assert f"/embed/prize/{edition.id}?institution={edition.lyon}" in text
    assert 'class="copy-button"' in page.text
    assert "poster-placeholder" in page.text
    assert "du 8 mars 2024 au 7 avril 2024" in text
    home = edition.client.get("/staff/library-prize").text
    assert f'href="/staff/library-prize/{edition.id}/kit"' in home


def test_before_the_shortlist_the_kit_says_when_it_will_be_ready(edition: Edition) -> None:
    set_today(edition.monkeypatch, date(2023, 10, 20))
    log_in(edition.client, "anne@lyon.fr")
    page = edition.client.get(f"/staff/library-prize/{edition.id}/kit")
    assert page.status_code == 200
    assert "Le kit sera prêt une fois le vote des bibliothécaires dépouillé" in html.unescape(page.text)
    assert "/embed/prize/" not in page.text


def test_without_any_edition_started_the_page_says_so(
        client: TestClient, login_as: Callable[[Role], dict[str, str]]) -> None:
    login_as(Role.LIBRARIAN)
    page = client.get("/staff/library-prize")
    assert page.status_code == 200
    assert "Aucune édition du prix du public n’a encore commencé" in html.unescape(page.text)


@pytest.mark.parametrize("role", [Role.CURATOR, Role.BUDGET_HOLDER])
def test_the_librarians_pages_refuse_other_roles(edition: Edition, role: Role) -> None:
    edition.staff.as_(role)
    assert edition.client.get("/staff/library-prize").status_code == 403
    assert edition.client.get(f"/staff/library-prize/{edition.id}/kit").status_code == 403
    assert edition.cast(edition.films[:4]).status_code == 403
