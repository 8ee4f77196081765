"""Weeding: announced a month ahead when rights end, done on the day after the last day, kept in the history; by
decision with a reason; cancelled by a renewal; and a weeded film comes back with a new licence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

import rights.access
import rights.licences
from catalogue.acquisitions import weeding
from catalogue.acquisitions import workflow as acquisitions
from catalogue.acquisitions.models import FilmWeeding
from catalogue.films.models import Film
from cinedoc.kernel.errors import Conflict, InvalidInput
from rights.schemas import RenewalTerms
from tests.rights_helpers import make_film, make_line, set_today, terms


def licensed_film(db: Session, title: str, line: int, start: date, end: date) -> tuple[int, int]:
    film = make_film(db, title, status="draft")
    licence = rights.licences.propose_licence(db, film, terms(start_date=start, end_date=end, budget_line_id=line,
                                                              price_cents=100_000), actor_id=None)
    assert licence.id is not None
    rights.licences.commit_licence(db, licence.id, actor_id=None)
    acquisitions.sign(db, licence.id, actor_id=None, contract_reference="C", today=start)
    return film, licence.id


def status(db: Session, film_id: int) -> str:
    film = db.get(Film, film_id)
    assert film is not None
    db.refresh(film)
    return film.status


def weedings(db: Session, film_id: int) -> list[FilmWeeding]:
    return list(db.exec(select(FilmWeeding).where(FilmWeeding.film_id == film_id)).all())


@pytest.fixture
def line(db: Session) -> int:
    return make_line(db)


def test_rights_ending_are_announced_a_month_ahead_then_the_film_is_weeded_the_day_after(
    db: Session, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    film, licence = licensed_film(db, "Le Cauchemar de Darwin", line, date(2024, 1, 1), date(2024, 6, 30))
    assert status(db, film) == "available"  # signed inside its window: on offer at once
    assert weeding.run_daily(db, date(2024, 5, 31)).announced == []  # more than a month ahead
    report = weeding.run_daily(db, date(2024, 6, 1))
    assert [(w.film.id, w.weeding_date, w.notice_date) for w in report.announced] == [
        (film, date(2024, 7, 1), date(2024, 6, 1))]
    assert weeding.run_daily(db, date(2024, 6, 2)).announced == []  # announced once
    assert weeding.run_daily(db, date(2024, 6, 30)).weeded == []  # still playable on its last day
    assert status(db, film) == "available"

    set_today(monkeypatch, date(2024, 7, 1))
    report = weeding.run_daily(db, date(2024, 7, 1))
    assert report.expired_licences == [licence]
    assert [w.film.id for w in report.weeded] == [film]
    assert status(db, film) == "weeded"
    [record] = weedings(db, film)
    assert (record.status, record.cause, record.reason) == ("done", "rights_ended", "Droits de diffusion en ligne "
                                                            "échus le 2024-06-30.")
    assert rights.licences.get_licence(db, licence).status == "expired"  # kept, not deleted
    assert not rights.access.may_use(db, film, "streaming", "FR", date(2024, 7, 1))


def test_a_dry_run_lists_what_would_be_weeded_and_changes_nothing(db: Session, line: int) -> None:
    film, licence = licensed_film(db, "Être et avoir", line, date(2024, 1, 1), date(2024, 6, 30))
    report = weeding.run_daily(db, date(2024, 7, 3), dry_run=True)
    assert report.dry_run and report.expired_licences == [licence]
    assert [(w.film.id, w.id) for w in report.weeded] == [(film, None)]
    assert status(db, film) == "available"
    assert weedings(db, film) == []
    assert rights.licences.get_licence(db, licence).status == "active"


def test_a_missed_announcement_is_recorded_with_the_notice_date_it_should_have_had(db: Session, line: int) -> None:
    film, _ = licensed_film(db, "Les Plages d'Agnès", line, date(2024, 1, 1), date(2024, 6, 30))
    report = weeding.run_daily(db, date(2024, 7, 10))
    assert [(w.film.id, w.weeding_date, w.notice_date, w.status) for w in report.weeded] == [
        (film, date(2024, 7, 1), date(2024, 6, 1), "done")]


def test_a_renewal_cancels_the_announced_weeding(db: Session, line: int) -> None:
    film, licence = licensed_film(db, "Sur le quai", line, date(2024, 1, 1), date(2024, 6, 30))
    weeding.run_daily(db, date(2024, 6, 10))
    renewal = acquisitions.propose_renewal(db, licence, RenewalTerms(end_date=date(2025, 6, 30), price_cents=50_000,
                                                                     budget_line_id=line), actor_id=None)
    assert renewal.id is not None and renewal.start_date == date(2024, 7, 1) and renewal.kind == "renewal"
    rights.licences.commit_licence(db, renewal.id, actor_id=None)
    acquisitions.sign(db, renewal.id, actor_id=None, contract_reference="R-1", today=date(2024, 6, 20))
    report = weeding.run_daily(db, date(2024, 7, 1))
    assert report.weeded == [] and [w.film.id for w in report.cancelled] == [film]
    assert status(db, film) == "available"
    assert rights.access.may_use(db, film, "streaming", "FR", date(2024, 7, 1)).licence_id == renewal.id


def test_weeding_by_decision_records_who_when_why_and_ends_the_streaming_rights(
    db: Session, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, date(2024, 3, 10))
    film, licence = licensed_film(db, "La Sociologue et l'ourson", line, date(2024, 1, 1), date(2026, 12, 31))
    record = weeding.schedule_weeding(db, film, "Doublon d'une autre édition", actor_id=None,
                                      weeding_date=date(2024, 3, 10))
    assert (record.status, record.cause, record.notice_date) == ("done", "decision", date(2024, 3, 10))
    assert status(db, film) == "weeded"
    assert rights.licences.get_licence(db, licence).status == "terminated"
    assert not rights.access.may_use(db, film, "streaming", "FR", date(2024, 3, 11))


def test_a_decided_weeding_defaults_to_a_month_of_notice_and_happens_on_its_day(
    db: Session, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, date(2024, 3, 10))
    film, _ = licensed_film(db, "Mafrouza", line, date(2024, 1, 1), date(2026, 12, 31))
    record = weeding.schedule_weeding(db, film, "Qualité technique insuffisante", actor_id=None)
    assert (record.weeding_date, record.notice_date, record.status) == (date(2024, 4, 10), date(2024, 3, 10),
                                                                         "scheduled")
    with pytest.raises(Conflict, match="already announced"):
        weeding.schedule_weeding(db, film, "Encore", actor_id=None)
    assert weeding.run_daily(db, date(2024, 4, 9)).weeded == []
    assert [w.film.id for w in weeding.run_daily(db, date(2024, 4, 10)).weeded] == [film]
    assert status(db, film) == "weeded"


@pytest.mark.parametrize(
    ("weeding_date", "notice_date", "field"),
    [(date(2024, 3, 9), None, "weeding_date"), (date(2024, 5, 1), date(2024, 3, 1), "notice_date"),
     (date(2024, 5, 1), date(2024, 5, 2), "notice_date")],
)
def test_a_weeding_in_the_past_or_announced_after_it_happens_is_refused(
    db: Session, line: int, monkeypatch: pytest.MonkeyPatch, weeding_date: date, notice_date: date | None, field: str
) -> None:
    set_today(monkeypatch, date(2024, 3, 10))
    film, _ = licensed_film(db, "Grands Soirs", line, date(2024, 1, 1), date(2026, 12, 31))
    with pytest.raises(InvalidInput) as caught:
        weeding.schedule_weeding(db, film, "Raison valable", actor_id=None, weeding_date=weeding_date,
                                 notice_date=notice_date)
    assert caught.value.field == field
    assert weedings(db, film) == []


def test_a_weeded_film_comes_back_with_a_new_licence_and_keeps_its_history(
    db: Session, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    film, _ = licensed_film(db, "Dans la maison", line, date(2024, 1, 1), date(2024, 6, 30))
    set_today(monkeypatch, date(2024, 7, 1))
    weeding.run_daily(db, date(2024, 7, 1))
    assert status(db, film) == "weeded"
    set_today(monkeypatch, date(2024, 9, 1))
    comeback = rights.licences.propose_licence(db, film, terms(start_date=date(2024, 9, 1), end_date=date(2025, 8, 31),
                                                               budget_line_id=line, price_cents=80_000), actor_id=None)
    assert comeback.id is not None
    rights.licences.commit_licence(db, comeback.id, actor_id=None)
    acquisitions.sign(db, comeback.id, actor_id=None, contract_reference="C-back")
    assert status(db, film) == "available"
    [record] = weedings(db, film)
    db.refresh(record)
    assert record.status == "done" and record.reinstated_at is not None
    assert weeding.rights_summary(db, 2024).reinstated == 1


def test_exports_see_a_weeding_from_its_notice_date_and_an_announced_one_can_be_cancelled(
    db: Session, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, date(2024, 3, 10))
    film, _ = licensed_film(db, "Les Yeux de la mer", line, date(2024, 1, 1), date(2026, 12, 31))
    record = weeding.schedule_weeding(db, film, "Remplacé par une version restaurée", actor_id=None,
                                      weeding_date=date(2024, 6, 1), notice_date=date(2024, 5, 2))
    assert weeding.list_weedings(db, noticed_by=date(2024, 5, 1)) == []
    assert [w.id for w in weeding.list_weedings(db, noticed_by=date(2024, 5, 2))] == [record.id]
    assert record.id is not None
    cancelled = weeding.cancel_weeding(db, record.id, "La version restaurée n'est pas livrée", actor_id=None)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    with pytest.raises(Conflict, match="Only an announced weeding"):
        weeding.cancel_weeding(db, record.id, "Encore", actor_id=None)
    assert weeding.run_daily(db, date(2024, 6, 1)).weeded == []
    assert status(db, film) == "available"
    with pytest.raises(InvalidInput):
        weeding.list_weedings(db, status="lost")
