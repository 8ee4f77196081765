"""Entitlement: an active subscription today, an available film with published media, streaming rights in the
institution's country today, then the optional monthly limits; the first rule that fails is the reason given."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from catalogue.films.models import FilmStatus
from cinedoc.kernel.i18n import current_locale
from streaming.access.entitlement import Entitled, Refusal, decide, month_of, next_month, record_play
from streaming.access.models import Subscription
from streaming.media.models import Institution
from tests.playback_helpers import add_licence, film_status, make_institution, make_playable_film

DAY = date(2024, 6, 15)


def institution(db: Session, **options: object) -> Institution:
    key = make_institution(db, **options)  # type: ignore[arg-type]
    found = db.get(Institution, key.institution_id)
    assert found is not None
    return found


def reason(result: Entitled | Refusal) -> str:
    return result.code if isinstance(result, Refusal) else "allowed"


def test_a_subscribed_institution_may_play_a_licensed_available_film(db: Session) -> None:
    film = make_playable_film(db, None)
    result = decide(db, institution(db), film, "p1", DAY)
    assert isinstance(result, Entitled) and result.storage_prefix == f"films/{film}/0001-test"


@pytest.mark.parametrize("period,status,expected", [
    ((date(2024, 1, 1), date(2024, 6, 15)), "active", "allowed"),     # last day included
    ((date(2024, 6, 15), date(2024, 12, 31)), "active", "allowed"),   # first day included
    ((date(2023, 1, 1), date(2024, 6, 14)), "active", "subscription"),  # ended yesterday
    ((date(2024, 6, 16), date(2025, 6, 15)), "active", "subscription"),  # starts tomorrow
    ((date(2024, 1, 1), date(2024, 12, 31)), "suspended", "subscription"),
    ((date(2024, 1, 1), date(2024, 12, 31)), "cancelled", "subscription"),
])
def test_the_subscription_must_cover_today(db: Session, period: tuple[date, date], status: str,
                                           expected: str) -> None:
    film = make_playable_film(db, None)
    place = institution(db, subscription=period)
    if status != "active":
        subscription = db.exec(select(Subscription)).first()
        assert subscription is not None
        subscription.status = status
        db.add(subscription)
        db.commit()
    assert reason(decide(db, place, film, "p1", DAY)) == expected


def test_an_institution_without_subscription_is_refused(db: Session) -> None:
    film = make_playable_film(db, None)
    assert reason(decide(db, institution(db, subscribed=False), film, "p1", DAY)) == "subscription"


@pytest.mark.parametrize("status", [FilmStatus.DRAFT, FilmStatus.WEEDED])
def test_a_film_that_is_not_available_is_refused_like_a_missing_one(db: Session, status: FilmStatus) -> None:
    film = make_playable_film(db, None)
    film_status(db, film, status)
    place = institution(db)
    refused, missing = decide(db, place, film, "p1", DAY), decide(db, place, 999_999, "p1", DAY)
    assert isinstance(refused, Refusal) and isinstance(missing, Refusal)
    assert refused == missing and refused.code == "film"


def test_a_film_without_published_media_is_not_available(db: Session) -> None:
    from catalogue.films.schemas import FilmCreate
    from catalogue.films.services import create_film

    film = create_film(db, FilmCreate(title="Pas encore encodé", status=FilmStatus.AVAILABLE))
    db.commit()
    assert film.id is not None
    add_licence(db, film.id)
    assert reason(decide(db, institution(db), film.id, "p1", DAY)) == "film"


def test_rights_are_asked_for_the_institutions_country(db: Session) -> None:
    film = make_playable_film(db, None, territories=("FR",))
    assert reason(decide(db, institution(db, country="FR"), film, "p1", DAY)) == "allowed"
    belgian = institution(db, name="Bibliothèque de Liège", country="BE")
    refused = decide(db, belgian, film, "p1", DAY)
    assert reason(refused) == "rights"
    token = current_locale.set("en")
    try:
        assert isinstance(refused, Refusal) and "BE" in refused.localized()
    finally:
        current_locale.reset(token)


def test_a_film_whose_licence_ended_is_refused_the_next_day(db: Session) -> None:
    film = make_playable_film(db, None, licensed=False)
    add_licence(db, film, window=(date(2024, 1, 1), date(2024, 6, 14)))
    assert reason(decide(db, institution(db), film, "p1", DAY)) == "rights"
    assert reason(decide(db, institution(db, name="Autre"), film, "p1", date(2024, 6, 14))) == "allowed"


def test_the_monthly_limit_per_patron_counts_distinct_films_and_rewatching_is_free(db: Session) -> None:
    place = institution(db, patron_monthly_limit=2)
    films = [make_playable_film(db, None, f"Film {n}") for n in range(3)]
    assert place.id is not None
    for film in films[:2]:
        assert reason(decide(db, place, film, "p1", DAY)) == "allowed"
        record_play(db, place.id, DAY, "p1", film)
    db.commit()
    refused = decide(db, place, films[2], "p1", DAY)
    assert reason(refused) == "patron_limit"
    assert isinstance(refused, Refusal) and refused.params["date"] == date(2024, 7, 1)
    assert reason(decide(db, place, films[0], "p1", DAY)) == "allowed"  # already counted this month
    assert reason(decide(db, place, films[2], "p2", DAY)) == "allowed"  # another patron
    assert reason(decide(db, place, films[2], "p1", date(2024, 7, 1))) == "allowed"  # a new month


def test_on_site_viewers_are_not_held_to_the_patron_limit(db: Session) -> None:
    place = institution(db, patron_monthly_limit=1)
    assert place.id is not None
    films = [make_playable_film(db, None, f"Film {n}") for n in range(2)]
    record_play(db, place.id, DAY, "session:abc", films[0])
    assert reason(decide(db, place, films[1], None, DAY)) == "allowed"


def test_the_institutions_monthly_ceiling_counts_every_viewer(db: Session) -> None:
    place = institution(db, monthly_ceiling=2)
    assert place.id is not None
    films = [make_playable_film(db, None, f"Film {n}") for n in range(2)]
    record_play(db, place.id, DAY, "p1", films[0])
    record_play(db, place.id, DAY, "session:xyz", films[1])
    db.commit()
    assert reason(decide(db, place, films[1], "p3", DAY)) == "institution_limit"
    assert reason(decide(db, place, films[0], "p1", DAY)) == "allowed"  # p1's film is counted already


def test_a_play_is_counted_once_per_viewer_film_and_month(db: Session) -> None:
    place = institution(db)
    assert place.id is not None
    film = make_playable_film(db, None)
    assert record_play(db, place.id, DAY, "p1", film) is True
    assert record_play(db, place.id, DAY, "p1", film) is False
    assert record_play(db, place.id, date(2024, 7, 2), "p1", film) is True


def test_months_are_paris_calendar_months() -> None:
    assert month_of(date(2024, 12, 31)) == "2024-12"
    assert next_month(date(2024, 12, 31)) == date(2025, 1, 1)
    assert next_month(date(2024, 1, 31)) == date(2024, 2, 1)
