"""The two rounds' integrity: who may vote, when, for what, and how often; every refusal leaves nothing stored."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from audience.prize.models import LibrarianBallot, LibrarianChoice, PrizeRound
from cinedoc.kernel.accounts import Role
from streaming.access.models import Subscription, SubscriptionStatus
from streaming.runtime import runtime_for
from tests.audience_helpers import add_session, batch
from tests.playback_helpers import publish_media
from tests.prize_helpers import Prize, audit_entries, patron_grant, public_ballots, shortlisted
from tests.rights_helpers import set_today


@pytest.fixture
def prize(client: TestClient, db: Session, db_engine: Engine, app: Litestar,
          monkeypatch: pytest.MonkeyPatch) -> Prize:
    set_today(monkeypatch, date(2023, 9, 15))
    return Prize(client, db, db_engine, app)


def _librarian_rows(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.exec(select(func.count()).select_from(LibrarianBallot)).one(),
                session.exec(select(func.count()).select_from(LibrarianChoice)).one())


def test_a_librarian_casts_exactly_n_distinct_nominees_and_may_change_until_the_round_closes(
        prize: Prize, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2023, 10, 9))
    first = prize.ballot("anne@lyon.example.fr", prize.films[:4])
    assert first.status_code == 200, first.text
    assert first.json()["films"] == sorted(prize.films[:4])
    set_today(monkeypatch, date(2023, 12, 30))
    changed = prize.ballot("anne@lyon.example.fr", prize.films[4:])
    assert changed.json()["changed"] is True
    same = prize.ballot("anne@lyon.example.fr", list(reversed(prize.films[4:])))
    assert same.json()["changed"] is False
    assert _librarian_rows(prize.engine) == (1, 4)
    entries = audit_entries(prize.engine, PrizeRound.LIBRARIANS)
    assert [(entry.action, entry.previous_films) for entry in entries] == [
        ("cast", ""), ("change", ",".join(map(str, sorted(prize.films[:4]))))]
    set_today(monkeypatch, date(2023, 12, 31))
    late = prize.ballot("anne@lyon.example.fr", prize.films[:4])
    assert late.status_code == 409
    assert "30 décembre 2023" in late.json()["detail"]


@pytest.mark.parametrize("pick", ["n-1", "n+1", "duplicate", "not nominated", "empty"])
def test_a_wrong_librarian_ballot_is_refused_and_nothing_is_stored(
        prize: Prize, monkeypatch: pytest.MonkeyPatch, pick: str) -> None:
    set_today(monkeypatch, date(2023, 11, 2))
    films = {"n-1": prize.films[:3], "n+1": prize.films[:5], "duplicate": [*prize.films[:3], prize.films[0]],
             "not nominated": [*prize.films[:3], 987_654], "empty": []}[pick]
    answer = prize.ballot("anne@lyon.example.fr", films)
    assert answer.status_code == 400, answer.text
    assert answer.json()["extra"][0]["key"] == "films"
    assert _librarian_rows(prize.engine) == (0, 0)
    assert audit_entries(prize.engine, PrizeRound.LIBRARIANS) == []


def test_librarians_vote_only_in_their_round_only_with_an_active_subscription_and_only_as_librarians(
        prize: Prize, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2023, 10, 8))
    assert prize.ballot("anne@lyon.example.fr", prize.films[:4]).status_code == 409
    set_today(monkeypatch, date(2023, 10, 10))
    with Session(prize.engine) as session:
        subscription = session.exec(select(Subscription).where(Subscription.institution_id == prize.brest)).one()
        subscription.status = SubscriptionStatus.SUSPENDED
        session.add(subscription)
        session.commit()
    suspended = prize.ballot("yann@brest.example.fr", prize.films[:4])
    assert suspended.status_code == 403
    assert "abonnement" in suspended.json()["detail"]
    curator = prize.staff.as_(Role.CURATOR)
    assert prize.client.post(f"/api/prize/editions/{prize.id}/librarian-ballot", json={"films": prize.films[:4]},
                             headers=curator).status_code == 403
    assert _librarian_rows(prize.engine) == (0, 0)


def test_with_one_ballot_per_institution_the_last_librarian_to_vote_speaks_for_the_library(
        client: TestClient, db: Session, db_engine: Engine, app: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2023, 9, 15))
    prize = Prize(client, db, db_engine, app, ballot_scope="institution")
    set_today(monkeypatch, date(2023, 10, 9))
    prize.ballot("anne@lyon.example.fr", prize.films[:4])
    prize.ballot("marc@lyon.example.fr", prize.films[2:6])
    prize.ballot("yann@brest.example.fr", prize.films[2:6])
    assert _librarian_rows(db_engine) == (2, 8)
    set_today(monkeypatch, date(2024, 1, 2))
    assert prize.settle().json() == {"closed": ["librarians"]}
    tally = client.get(f"/api/prize/editions/{prize.id}/counts/librarians").json()
    assert {row["film_id"]: row["ballots"] for row in tally["tally"]}[prize.films[0]] == 0
    assert {row["film_id"]: row["institutions"] for row in tally["tally"]}[prize.films[2]] == 2
    assert tally["participation"] == {str(prize.lyon): 1, str(prize.brest): 1}


def test_the_shortlist_ties_are_broken_by_spread_then_by_the_recorded_draw_and_the_recount_agrees(
        prize: Prize, monkeypatch: pytest.MonkeyPatch) -> None:
    shortlist = shortlisted(prize, monkeypatch)
    assert len(shortlist) == 3
    edition = prize.client.get(f"/api/prize/editions/{prize.id}").json()
    seed = edition["shortlist_seed"]
    tied = [film for film in prize.films if film not in prize.films[2:4]]
    # Films 1 and 2 (Lyon only, one ballot), 5 and 6 (Lyon), 7 and 8 (Brest): all one ballot, one institution.
    expected = sorted(tied, key=lambda film: hashlib.sha256(f"{seed}:{film}".encode()).hexdigest())[0]
    assert shortlist[2] == expected
    recount = prize.client.post(f"/api/prize/editions/{prize.id}/counts/librarians/recount",
                                headers=prize.staff.as_(Role.CURATOR))
    assert recount.json()["matches_frozen"] is True
    assert [row["film_id"] for row in recount.json()["tally"]][:3] == shortlist


def test_a_patron_votes_once_may_change_while_the_round_is_open_and_every_change_is_audited(
        prize: Prize, monkeypatch: pytest.MonkeyPatch) -> None:
    shortlist = shortlisted(prize, monkeypatch)
    grant = patron_grant(prize.app, prize.lyon, "carte-0042")
    assert prize.vote(grant, shortlist[0]).json()["outcome"] == "cast"
    assert prize.vote(grant, shortlist[0]).json()["outcome"] == "unchanged"
    assert prize.vote(grant, shortlist[1]).json()["outcome"] == "changed"
    (ballot,) = public_ballots(prize.engine)
    assert ballot.film_id == shortlist[1]
    assert "carte-0042" not in ballot.voter  # the per-institution pseudonym, never the portal's identifier
    actions = [(entry.action, entry.films, entry.previous_films) for entry in
               audit_entries(prize.engine, PrizeRound.PUBLIC)]
    assert actions == [("cast", str(shortlist[0]), ""), ("change", str(shortlist[1]), str(shortlist[0]))]
    with Session(prize.engine) as session, pytest.raises(Exception, match="append-only"):
        session.connection().execute(text("UPDATE prize_audit SET films = '1'"))
    with Session(prize.engine) as session, pytest.raises(Exception, match="append-only"):
        session.connection().execute(text("DELETE FROM prize_audit"))


def _refused(prize: Prize, answer: Any, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert public_ballots(prize.engine) == []
    assert [entry for entry in audit_entries(prize.engine, PrizeRound.PUBLIC) if entry.action != "result"] == []
    return answer.json()["detail"]


def test_public_votes_outside_the_round_for_unlisted_films_or_from_suspended_libraries_are_refused(
        prize: Prize, monkeypatch: pytest.MonkeyPatch) -> None:
    shortlist = shortlisted(prize, monkeypatch)
    outsider = next(film for film in prize.films if film not in shortlist)
    grant = patron_grant(prize.app, prize.lyon)
    assert "sélection" in _refused(prize, prize.vote(grant, outsider), 400)
    set_today(monkeypatch, date(2024, 3, 7))
    _refused(prize, prize.vote(patron_grant(prize.app, prize.lyon), shortlist[0]), 409)
    set_today(monkeypatch, date(2024, 4, 8))
    _refused(prize, prize.vote(patron_grant(prize.app, prize.lyon), shortlist[0]), 409)
    set_today(monkeypatch, date(2024, 3, 20))
    with Session(prize.engine) as session:
        subscription = session.exec(select(Subscription).where(Subscription.institution_id == prize.brest)).one()
        subscription.end_date = date(2024, 3, 19)
        session.add(subscription)
        session.commit()
    _refused(prize, prize.vote(patron_grant(prize.app, prize.brest), shortlist[0]), 403)
    on_site = _refused(prize, prize.vote(patron_grant(prize.app, prize.lyon, on_site=True), shortlist[0]), 403)
    assert "site" in on_site


def test_a_patron_cannot_vote_twice_when_the_edition_forbids_changing(
        client: TestClient, db: Session, db_engine: Engine, app: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2023, 9, 15))
    prize = Prize(client, db, db_engine, app, allow_vote_change=False)
    shortlist = shortlisted(prize, monkeypatch)
    grant = patron_grant(app, prize.lyon, "carte-7")
    assert prize.vote(grant, shortlist[0]).json()["outcome"] == "cast"
    again = prize.vote(grant, shortlist[1])
    assert again.status_code == 409
    assert [ballot.film_id for ballot in public_ballots(db_engine)] == [shortlist[0]]
    assert len(audit_entries(db_engine, PrizeRound.PUBLIC)) == 1


def test_a_patron_of_one_library_cannot_vote_as_another_librarys_patron(
        prize: Prize, monkeypatch: pytest.MonkeyPatch) -> None:
    shortlist = shortlisted(prize, monkeypatch)
    grant = patron_grant(prize.app, prize.lyon, "carte-1")
    kid, expires, _institution, method, viewer, mac = grant.split(".")
    forged = ".".join([kid, expires, str(prize.brest), method, viewer, mac])
    _refused(prize, prize.vote(forged, shortlist[0]), 403)
    _refused(prize, prize.vote(grant[:-2] + "xx", shortlist[0]), 403)
    # The same card number at two libraries is two different pseudonyms: two patrons, two ballots.
    prize.vote(grant, shortlist[0])
    prize.vote(patron_grant(prize.app, prize.brest, "carte-1"), shortlist[0])
    assert {ballot.institution_id for ballot in public_ballots(prize.engine)} == {prize.lyon, prize.brest}
    assert len({ballot.voter for ballot in public_ballots(prize.engine)}) == 2


def test_an_edition_can_ask_patrons_to_have_watched_the_film_before_voting_for_it(
        client: TestClient, db: Session, db_engine: Engine, app: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2023, 9, 15))
    prize = Prize(client, db, db_engine, app, require_watched=True)
    shortlist = shortlisted(prize, monkeypatch)
    grant = patron_grant(app, prize.lyon, "carte-9")
    refused = _refused(prize, prize.vote(grant, shortlist[0]), 403)
    assert "Documentaire" in refused
    publish_media(db, shortlist[0], "films/test-prize", duration=600)
    pseudonym = runtime_for(app.state).ring.patron_pseudonym(prize.lyon, "carte-9")
    opened = datetime(2024, 3, 8, 8, tzinfo=UTC)
    session_id = add_session(db, prize.lyon, shortlist[0], opened, patron=pseudonym)
    posted = client.post(f"/api/playback/{session_id}/events", json=batch(shortlist[0], opened, [5, 35]))
    assert posted.json()["counted"] is True, posted.text
    assert prize.vote(grant, shortlist[0]).json()["outcome"] == "cast"
    # Having watched one film does not open the vote for another.
    assert prize.vote(grant, shortlist[1]).status_code == 403
