"""The demo's rights make sense: every film has a licence, what is on offer is playable today and nothing weeded is,
some rights end soon, the lines hold their allocations and the classics line is suspended."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from catalogue.acquisitions.demo import add_demo_rights
from catalogue.acquisitions.models import FilmWeeding
from catalogue.films.bulk_load import load_films
from catalogue.films.demo import SUBJECTS, generate_films
from catalogue.films.models import FilmStatus
from catalogue.films.services import ensure_subjects
from rights import access, licences, reports
from rights.models import Licence

TODAY = date(2024, 10, 15)


def test_the_demo_rights_cover_every_film_coherently(db: Session) -> None:
    ensure_subjects(db, SUBJECTS)
    statuses = [FilmStatus.WEEDED.value if n % 25 == 3 else FilmStatus.DRAFT.value if n % 30 == 7
                else FilmStatus.AVAILABLE.value for n in range(150)]
    film_ids = load_films(db, generate_films(150, seed=5), statuses)
    summary = add_demo_rights(db, film_ids, statuses, today=TODAY)
    db.commit()

    licensed = set(db.exec(select(Licence.film_id)).all())
    assert licensed == set(film_ids)
    by_status = dict(zip(film_ids, statuses, strict=True))
    for film_id, status in by_status.items():
        playable = access.may_use(db, film_id, "streaming", "FR", TODAY).allowed
        assert playable == (status == FilmStatus.AVAILABLE), (film_id, status)
    assert summary.weeded == statuses.count(FilmStatus.WEEDED.value)
    assert db.exec(select(func.count()).select_from(FilmWeeding).where(FilmWeeding.status == "done")).one() == (
        summary.weeded)
    assert summary.announced > 0  # rights ending within a month are announced
    assert 0 < len(licences.expiring_licences(db, TODAY, 30)) < len(licences.expiring_licences(db, TODAY, 180))

    for year in (2023, 2024):
        lines = {line.collection: line for line in reports.budget_report(db, year).lines}
        assert lines["classics"].status == "suspended" and lines["classics"].committed_cents == 0
        assert 0 < lines["contemporary"].committed_cents <= lines["contemporary"].allocated_cents
    assert reports.budget_report(db, 2024).lines[0].year == 2024
    assert db.exec(select(func.count()).select_from(Licence).where(Licence.kind == "renewal")).one() >= 1
