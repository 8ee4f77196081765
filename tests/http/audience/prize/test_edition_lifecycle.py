"""A whole edition, the 2024 prize's calendar, lived one day at a time: the daily job runs every morning, the
librarians and the patrons act on their days, and each day the edition says the phase it is in."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.prize.models import PrizeRound, PublicBallot
from cinedoc.cli import main
from cinedoc.kernel.settings import get_settings
from streaming.access.models import Subscription
from tests.prize_helpers import CALENDAR_2024, Prize, audit_entries, librarian, library, patron_grant
from tests.rights_helpers import set_today

FIRST_DAY, LAST_DAY = date(2023, 8, 25), date(2024, 4, 20)


def expected_phase(day: date) -> str:
    c = CALENDAR_2024
    for name in ("nominations", "librarians", "preparation", "public"):
        if c[f"{name}_start"] <= day <= c[f"{name}_end"]:
            return name
    if day < c["nominations_start"]:
        return "upcoming"
    if c["public_end"] < day < c["result_date"]:
        return "counting"
    return "result" if day >= c["result_date"] else "between"


def days() -> Iterator[date]:
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += timedelta(days=1)


@pytest.fixture
def cron(database_url: str) -> Iterator[CliRunner]:
    env = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    env.update(CINEDOC_DATABASE_URL=database_url, CINEDOC_SECRET_KEY="a-test-secret-that-is-long-enough-0123456789")
    get_settings.cache_clear()
    runner = CliRunner(env=env)
    yield runner
    get_settings.cache_clear()


def test_an_edition_runs_through_its_phases_day_by_day(
        client: TestClient, db: Session, db_engine: Engine, app: Litestar, cron: CliRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, FIRST_DAY)
    prize = Prize(client, db, db_engine, app)
    lille = library(db, "Médiathèque de Lille", category="departmental")
    librarian(db_engine, lille, "lea@lille.example.fr")
    with Session(db_engine) as session:  # Lille's subscription ends on 30 November 2023.
        subscription = session.exec(select(Subscription).where(Subscription.institution_id == lille)).one()
        subscription.end_date = date(2023, 11, 30)
        session.add(subscription)
        session.commit()
    films = prize.films
    librarian_days = {
        date(2023, 10, 9): ("anne@lyon.example.fr", films[:4], 200),
        date(2023, 11, 15): ("marc@lyon.example.fr", films[1:5], 200),
        date(2023, 11, 30): ("lea@lille.example.fr", films[2:6], 200),
        date(2023, 12, 1): ("lea@lille.example.fr", films[1:5], 403),  # the subscription ended the day before
        date(2023, 12, 20): ("anne@lyon.example.fr", films[1:5], 200),  # changes her ballot
        date(2023, 12, 30): ("yann@brest.example.fr", [films[1], films[2], films[6], films[7]], 200),
        date(2023, 12, 31): ("yann@brest.example.fr", films[:4], 409),
        date(2023, 10, 8): ("anne@lyon.example.fr", films[:4], 409),
    }
    closings: dict[date, str] = {}
    final_votes: dict[tuple[int, str], int] = {}
    shortlist: list[int] = []
    patron = 0
    for day in days():
        set_today(monkeypatch, day)
        morning = cron.invoke(main, ["audience", "prize-close"])
        assert morning.exit_code == 0, morning.output
        if "closed" in morning.output:
            closings[day] = morning.output.strip()
        edition = client.get(f"/api/prize/editions/{prize.id}").json()
        assert edition["current_phase"] == expected_phase(day), day
        assert bool(edition["shortlist"]) == (day > CALENDAR_2024["librarians_end"]), day
        assert (edition["winner_film_id"] is not None) == (day >= CALENDAR_2024["result_date"]), day
        if day in librarian_days:
            email, picks, status = librarian_days[day]
            assert prize.ballot(email, picks).status_code == status, (day, email)
        shortlist = edition["shortlist"]
        if CALENDAR_2024["public_start"] - timedelta(days=1) <= day <= CALENDAR_2024["public_end"] + timedelta(days=1):
            # One new patron a day, alternating libraries; every third one changes their mind the same day.
            patron += 1
            institution = (prize.lyon, prize.brest)[patron % 2]
            grant = patron_grant(app, institution, f"carte-{patron}")
            choice = shortlist[0] if patron % 5 else shortlist[1]
            answer = prize.vote(grant, choice)
            open_today = CALENDAR_2024["public_start"] <= day <= CALENDAR_2024["public_end"]
            assert answer.status_code == (200 if open_today else 409), (day, answer.text)
            if open_today:
                final_votes[(institution, f"carte-{patron}")] = choice
                if patron % 3 == 0:
                    assert prize.vote(grant, shortlist[2]).json()["outcome"] == "changed"
                    final_votes[(institution, f"carte-{patron}")] = shortlist[2]
        public_count = client.get(f"/api/prize/editions/{prize.id}/counts/public")
        assert public_count.status_code == (200 if day >= CALENDAR_2024["result_date"] else 404), day

    # The daily job closed each round once, the morning after its last day.
    assert list(closings) == [date(2023, 12, 31), date(2024, 4, 8)]
    # The librarians' count holds each librarian's last ballot: Anne's change counts, Léa's refused one does not.
    librarians = client.get(f"/api/prize/editions/{prize.id}/counts/librarians").json()
    ballots = {row["film_id"]: row["ballots"] for row in librarians["tally"]}
    assert ballots == {films[0]: 0, films[1]: 3, films[2]: 4, films[3]: 3, films[4]: 3, films[5]: 1, films[6]: 1,
                       films[7]: 1}
    assert librarians["tally"][0]["film_id"] == films[2]
    assert librarians["participation"] == {str(prize.lyon): 2, str(prize.brest): 1, str(lille): 1}
    # The result: every patron's last choice, once.
    result = client.get(f"/api/prize/editions/{prize.id}/counts/public").json()
    expected = Counter(final_votes.values())
    assert {row["film_id"]: row["ballots"] for row in result["tally"]} == {film: expected[film] for film in shortlist}
    assert result["tally"][0]["film_id"] == expected.most_common(1)[0][0]
    assert client.get(f"/api/prize/editions/{prize.id}").json()["winner_film_id"] == result["tally"][0]["film_id"]
    per_library = Counter(institution for institution, _ in final_votes)
    assert result["participation"] == {str(key): value for key, value in per_library.items()}
    with Session(db_engine) as session:
        assert len(session.exec(select(PublicBallot)).all()) == len(final_votes)
    # The recount from the stored ballots, by the operator's command, gives the same result.
    recount = cron.invoke(main, ["audience", "prize-recount", str(prize.id), "public"])
    assert recount.exit_code == 0 and "matches" in recount.output, recount.output
    # The trail: every cast and change, in order, with its round and time.
    trail = audit_entries(db_engine)
    public = [entry for entry in trail if entry.round == PrizeRound.PUBLIC and entry.action in ("cast", "change")]
    assert len(public) == len(final_votes) + sum(1 for _, card in final_votes if int(card.split("-")[1]) % 3 == 0)
    assert [entry.action for entry in trail if entry.round == PrizeRound.LIBRARIANS] == [
        "cast", "cast", "cast", "change", "cast", "shortlist"]
    assert all(earlier.at <= later.at for earlier, later in zip(trail, trail[1:], strict=False))
