"""The cinema service's prize pages: editions created and edited through the form, live participation charts, the
frozen counts with their recount, the audit trail and the CSV exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from audience.prize.models import PrizeAudit, PrizeEdition, PrizeNominee
from cinedoc.kernel.accounts import Role
from tests.conftest import csrf_token, log_in
from tests.prize_helpers import CALENDAR_2024, edition_json, librarian, library, nominated_films, patron_grant
from tests.rights_helpers import Staff, set_today


def _stored(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(session.exec(select(func.count()).select_from(table)).one()  # type: ignore[return-value]
                     for table in (PrizeEdition, PrizeNominee, PrizeAudit))


def edition_form(client: TestClient, films: list[int], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "_csrf_token": csrf_token(client), "year": "2024", "title": "Prix du public 2024",
        "partners": "Images en bibliothèques", "award": "1000", "nominees": [str(film) for film in films],
        "pick_count": "4", "shortlist_size": "3", "ballot_scope": "librarian", "allow_vote_change": "on",
        **{name: day.isoformat() for name, day in CALENDAR_2024.items()},
    }
    values.update(changes)
    return values


def test_a_curator_creates_an_edition_through_the_form(
        client: TestClient, db: Session, db_engine: Engine, curator: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    films = nominated_films(db)
    set_today(monkeypatch, date(2023, 9, 2))
    form = client.get("/staff/prize/new")
    assert form.status_code == 200
    assert 'type="date"' in form.text and 'name="nominees"' in form.text
    saved = client.post("/staff/prize/new", data=edition_form(client, films[::-1]), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with Session(db_engine) as session:
        edition = session.exec(select(PrizeEdition)).one()
        nominees = session.exec(select(PrizeNominee.film_id).where(PrizeNominee.edition_id == edition.id)
                                .order_by(PrizeNominee.position)).all()  # type: ignore[arg-type]
    assert (edition.award_cents, edition.pick_count, edition.allow_vote_change, edition.require_watched) == (
        100_000, 4, True, False)
    assert list(nominees) == films[::-1]
    assert saved.headers["location"].startswith(f"/staff/prize/{edition.id}")
    listed = client.get("/staff/prize")
    assert "Prix du public 2024" in listed.text and "Nominations" in listed.text


@pytest.mark.parametrize(("change", "field", "french"), [
    ({"librarians_start": "2023-09-30"}, "librarians_start", "doit commencer après la fin"),
    ({"pick_count": "8"}, "pick_count", "entre 1 et 7 des 8"),
    ({"shortlist_size": "9"}, "shortlist_size", "entre 1 et 7 des 8"),
    ({"award": "mille"}, "award", "montant en euros"),
    ({"result_date": ""}, "result_date", "obligatoire"),
])
def test_a_bad_form_shows_the_translated_message_next_to_the_field_with_400_and_stores_nothing(
        client: TestClient, db: Session, db_engine: Engine, curator: dict[str, str], change: dict[str, str],
        field: str, french: str) -> None:
    films = nominated_films(db)
    answer = client.post("/staff/prize/new", data=edition_form(client, films, **change))
    assert answer.status_code == 400
    assert re.search(rf'id="{field}-error">[^<]*{french}', answer.text), answer.text[-3000:]
    assert 'value="Prix du public 2024"' in answer.text  # the form keeps what was typed
    assert _stored(db_engine) == (0, 0, 0)


def test_once_the_librarians_vote_opened_the_form_says_so_and_only_the_open_fields_change(
        client: TestClient, db: Session, db_engine: Engine, curator: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    films = nominated_films(db)
    set_today(monkeypatch, date(2023, 9, 2))
    client.post("/staff/prize/new", data=edition_form(client, films), follow_redirects=False)
    with Session(db_engine) as session:
        edition_id = session.exec(select(PrizeEdition.id)).one()
    set_today(monkeypatch, date(2023, 10, 10))
    page = client.get(f"/staff/prize/{edition_id}/edit")
    assert "seuls le titre, les partenaires et la dotation" in page.text
    assert re.search(r'id="pick_count"[^>]*disabled', page.text)
    # A crafted post cannot move the fixed terms: they are kept, and the title changes.
    changed = client.post(f"/staff/prize/{edition_id}/edit", follow_redirects=False, data=edition_form(
        client, films[:5], title="Prix des bibliothèques 2024", pick_count="2", award="1500,50"))
    assert changed.status_code == 303, changed.text
    with Session(db_engine) as session:
        edition = session.get(PrizeEdition, edition_id)
        assert edition is not None
        assert (edition.title, edition.award_cents, edition.pick_count) == ("Prix des bibliothèques 2024", 150_050, 4)
        assert session.exec(select(func.count()).select_from(PrizeNominee)).one() == 8


class Running:
    """A 2024 edition with two libraries (three librarians) who voted, and patrons who voted in the public round."""

    def __init__(self, client: TestClient, db: Session, engine: Engine, app: Litestar,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.client, self.monkeypatch = client, monkeypatch
        self.staff = Staff(client, engine)
        self.films = nominated_films(db)
        self.lyon = library(db, "Médiathèque de Lyon")
        self.lille = library(db, "BU de Lille", category="university")
        for email, institution in (("anne@lyon.fr", self.lyon), ("marc@lyon.fr", self.lyon),
                                   ("lea@lille.fr", self.lille)):
            librarian(engine, institution, email)
        set_today(monkeypatch, date(2023, 9, 15))
        created = client.post("/api/prize/editions", json=edition_json(self.films), headers=self.staff.as_(
            Role.CURATOR))
        self.id = created.json()["id"]
        f = self.films
        set_today(monkeypatch, date(2023, 10, 9))
        self.ballot("anne@lyon.fr", f[:4])
        self.ballot("marc@lyon.fr", f[1:5])
        set_today(monkeypatch, date(2023, 10, 11))
        self.ballot("lea@lille.fr", f[2:6])
        self.ballot("anne@lyon.fr", [f[0], f[2], f[3], f[4]])  # a change
        set_today(monkeypatch, date(2024, 3, 8))  # the shortlist is counted on the first page after the round
        shortlist = client.get(f"/api/prize/editions/{self.id}").json()["shortlist"]
        assert len(shortlist) == 3
        self.shortlist = shortlist
        for n in range(3):
            self.vote(patron_grant(app, self.lyon, f"lyon-{n}"), shortlist[0])
        set_today(monkeypatch, date(2024, 3, 10))
        self.vote(patron_grant(app, self.lyon, "lyon-3"), shortlist[1])
        self.vote(patron_grant(app, self.lille, "lille-0"), shortlist[1])
        self.vote(patron_grant(app, self.lyon, "lyon-0"), shortlist[2])  # a change

    def ballot(self, email: str, films: list[int]) -> None:
        log_in(self.client, email)
        answer = self.client.post(f"/api/prize/editions/{self.id}/librarian-ballot", json={"films": films},
                                  headers={"x-csrftoken": csrf_token(self.client)})
        assert answer.status_code == 200, answer.text

    def vote(self, grant: str, film_id: int) -> None:
        answer = self.client.post(f"/api/prize/editions/{self.id}/votes", json={"grant": grant, "film_id": film_id})
        assert answer.status_code == 200, answer.text


@pytest.fixture
def running(client: TestClient, db: Session, db_engine: Engine, app: Litestar,
            monkeypatch: pytest.MonkeyPatch) -> Running:
    return Running(client, db, db_engine, app, monkeypatch)


def _bars(svg_id: str, page: str) -> list[int]:
    svg = re.search(rf'<svg[^>]*id="{svg_id}".*?</svg>', page, re.S)
    assert svg, f"no chart {svg_id}"
    return [int(n) for n in re.findall(r'data-ballots="(\d+)"', svg.group(0))]


def test_the_edition_page_charts_the_live_participation_with_the_right_totals(running: Running) -> None:
    set_today(running.monkeypatch, date(2024, 3, 12))
    running.staff.as_(Role.CURATOR)
    page = running.client.get(f"/staff/prize/{running.id}")
    assert page.status_code == 200
    assert _bars("public-days", page.text) == [3, 2]  # new ballots on 8 and 10 March (a change is no new ballot)
    assert "5 bulletins du 8 mars 2024 au 12 mars 2024" in page.text
    categories = re.findall(r'data-category="(\w+)" data-ballots="(\d+)"', page.text)
    assert dict(categories) == {"local_authority": "4", "departmental": "0", "university": "1", "works_council": "0"}
    assert _bars("librarian-days", page.text) == [2, 1]
    assert "(aujourd’hui)" in page.text or "(aujourd'hui)" in page.text
    institutions = running.client.get(f"/staff/prize/{running.id}/csv/institutions").text
    rows = list(csv.reader(io.StringIO(institutions)))
    assert [row[1:] for row in rows[1:]] == [["BU de Lille", "university", "1", "1"],
                                             ["Médiathèque de Lyon", "local_authority", "2", "4"]]
    days = list(csv.reader(io.StringIO(running.client.get(f"/staff/prize/{running.id}/csv/public-days").text)))
    assert days[1:] == [["2024-03-08", "3"], ["2024-03-09", "0"], ["2024-03-10", "2"], ["2024-03-11", "0"],
                        ["2024-03-12", "0"]]
    assert running.client.get(f"/staff/prize/{running.id}/csv/everything").status_code == 404


def test_after_the_close_the_page_shows_the_frozen_shortlist_and_result_and_the_recount_matches(
        running: Running) -> None:
    set_today(running.monkeypatch, date(2024, 4, 9))  # the public round closed on 7 April
    running.staff.as_(Role.CURATOR)
    page = running.client.get(f"/staff/prize/{running.id}").text
    assert "Vote des bibliothécaires : la sélection (décompte figé)" in page
    assert "Vote du public : le résultat (décompte figé)" in page
    winner = running.shortlist[1]  # 2 ballots like shortlist[0], but from two institutions: the tie-break's rule
    result = re.search(r"Vote du public : le résultat.*?</table>", page, re.S)
    assert result and re.search(rf"<td>1 <strong>\(lauréat\)</strong></td>\s*<th scope=\"row\">Documentaire "
                                rf"{running.films.index(winner) + 1}</th>", result.group(0))
    assert "publié le 12 avril 2024" in page or "public le 12 avril 2024" in page
    for round_ in ("librarians", "public"):
        answer = running.client.post(f"/staff/prize/{running.id}/recount",
                                     data={"round": round_, "_csrf_token": csrf_token(running.client)})
        assert answer.status_code == 200
        assert "correspond au décompte figé" in answer.text, round_
    refused = running.client.post(f"/staff/prize/{running.id}/recount",
                                  data={"round": "edition", "_csrf_token": csrf_token(running.client)})
    assert refused.status_code == 400


def test_the_recount_button_needs_the_csrf_token(running: Running) -> None:
    set_today(running.monkeypatch, date(2024, 4, 9))
    running.staff.as_(Role.CURATOR)
    assert running.client.post(f"/staff/prize/{running.id}/recount", data={"round": "public"}).status_code == 403


def test_the_audit_csv_lists_every_ballot_cast_and_change_latest_first_on_the_page(running: Running) -> None:
    set_today(running.monkeypatch, date(2024, 3, 12))
    running.staff.as_(Role.CURATOR)
    rows = list(csv.DictReader(io.StringIO(running.client.get(f"/staff/prize/{running.id}/audit.csv").text)))
    ballots = [(row["round"], row["action"], row["institution"]) for row in rows if row["voter"]]
    assert ballots == [
        ("librarians", "cast", "Médiathèque de Lyon"), ("librarians", "cast", "Médiathèque de Lyon"),
        ("librarians", "cast", "BU de Lille"), ("librarians", "change", "Médiathèque de Lyon"),
        ("public", "cast", "Médiathèque de Lyon"), ("public", "cast", "Médiathèque de Lyon"),
        ("public", "cast", "Médiathèque de Lyon"), ("public", "cast", "Médiathèque de Lyon"),
        ("public", "cast", "BU de Lille"), ("public", "change", "Médiathèque de Lyon"),
    ]
    change = next(row for row in rows if row["round"] == "public" and row["action"] == "change")
    assert (change["films"], change["previous_films"]) == (str(running.shortlist[2]), str(running.shortlist[0]))
    assert all(row["at_utc"] for row in rows)
    page = running.client.get(f"/staff/prize/{running.id}").text
    audit = re.search(r'id="audit-title".*?<tbody>(.*?)</tbody>', page, re.S)
    assert audit
    first_rows = re.findall(r"<tr>.*?</tr>", audit.group(1), re.S)
    assert len(first_rows) == len(rows)
    assert ">change<" in first_rows[0] and ">public<" in first_rows[0]  # latest first


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.BUDGET_HOLDER])
def test_other_roles_get_403_on_the_cinema_service_pages(
        client: TestClient, db: Session, login_as: Callable[[Role], dict[str, str]], role: Role) -> None:
    login_as(role)
    for path in ("/staff/prize", "/staff/prize/new", "/staff/prize/1", "/staff/prize/1/audit.csv"):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_the_login_page(client: TestClient) -> None:
    for path in ("/staff/prize", "/staff/prize/1", "/staff/library-prize", "/staff/library-prize/1/kit"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path


def test_the_staff_home_links_to_the_prize_pages(client: TestClient,
                                                 login_as: Callable[[Role], dict[str, str]]) -> None:
    login_as(Role.CURATOR)
    assert 'href="/staff/prize"' in client.get("/staff").text
    login_as(Role.LIBRARIAN)
    assert 'href="/staff/library-prize"' in client.get("/staff").text
