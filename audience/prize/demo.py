"""The audience prize in the demo: last year's edition with its published result, and this year's in its public round
on the day the demo is built (its librarians' round already counted, the first patrons' votes in)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from audience.prize import audit as prize_audit
from audience.prize.ballots import cast_librarian_ballot
from audience.prize.count import settle, shortlist
from audience.prize.editions import PRIZE_TERRITORY, create_edition, nominee_ids
from audience.prize.models import PrizeEdition, PrizeRound, PublicBallot
from audience.prize.schemas import EditionTerms
from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.passwords import hash_password
from rights.access import covers_period
from rights.models import LicenceUse
from streaming.access.entitlement import subscription_active
from streaming.access.models import Subscription
from streaming.media.models import Institution
from streaming.playback.signing import KeyRing

AWARD_CENTS = 100_000
PARTNERS = "Images en bibliothèques, la Cinémathèque du documentaire"
# Last year's terms were the 2024 report's (4 of 8, shortlist of 5); this year's are 3 of 6 (DESIGN.md).
PAST_RULE = (8, 4, 5)
CURRENT_RULE = (6, 3, 3)
SYNTHETIC_LIBRARIANS = 60
PAST_PUBLIC_BALLOTS = 3_400
CURRENT_PUBLIC_BALLOTS = 3_000  # over the whole round; only the days up to today are cast
CHANGED_SHARE = 0.03
DAY_HOURS = (8, 23)  # patrons vote between 8:00 and 23:00, Paris time


@dataclass(frozen=True)
class DemoPrize:
    past_edition_id: int
    current_edition_id: int
    past_public_ballots: int
    current_public_ballots: int


def demo_calendar(public_start: date) -> dict[str, date]:
    """The 2024 calendar's rhythm around a public round of 31 days: nominations a month, a librarians' round of
    eleven weeks, a week off, two months of preparation, the result five days after the close."""
    preparation_start = public_start - timedelta(days=60)
    librarians_end = preparation_start - timedelta(days=7)
    librarians_start = librarians_end - timedelta(days=76)
    nominations_end = librarians_start - timedelta(days=8)
    public_end = public_start + timedelta(days=30)
    return {
        "nominations_start": nominations_end - timedelta(days=29), "nominations_end": nominations_end,
        "librarians_start": librarians_start, "librarians_end": librarians_end,
        "preparation_start": preparation_start, "preparation_end": public_start - timedelta(days=1),
        "public_start": public_start, "public_end": public_end, "result_date": public_end + timedelta(days=5),
    }


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(
        year=day.year - 1)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _nominees(session: Session, calendar: dict[str, date], count: int, taken: set[int],
              rng: random.Random) -> list[int]:
    """Films on offer whose French streaming rights cover the whole edition, as create_edition demands."""
    films = list(session.exec(select(Film.id).where(Film.status == FilmStatus.AVAILABLE).order_by(col(Film.id))))
    rng.shuffle(films)
    chosen: list[int] = []
    for film_id in films:
        if film_id is None or film_id in taken:
            continue
        if covers_period(session, film_id, LicenceUse.STREAMING.value, PRIZE_TERRITORY,
                         calendar["nominations_start"], calendar["result_date"]):
            chosen.append(film_id)
            if len(chosen) == count:
                return chosen
    raise RuntimeError(f"the demo catalogue has only {len(chosen)} films with rights over the whole "
                       f"{calendar['public_start'].year} edition ({count} needed)")


def _subscribe_earlier_years(session: Session, first_day: date, today: date) -> None:
    """The demo's institutions were subscribers before this year (the viewing history says so); only this year's
    and, for three of them, last year's conventions exist. Earlier years' are added, so that the editions' voters
    were subscribed on the days they voted."""
    institution_ids = list(session.exec(select(Institution.id)))
    for year in range(first_day.year, today.year):
        for institution_id in institution_ids:
            assert institution_id is not None
            if not subscription_active(session, institution_id, date(year, 6, 30)):
                session.add(Subscription(institution_id=institution_id, start_date=date(year, 1, 1),
                                         end_date=date(year, 12, 31), note="Convention annuelle"))
    session.flush()


def _librarians(session: Session, rng: random.Random) -> list[StaffUser]:
    """The demo librarian and colleagues at about half the network (synthetic accounts that cannot sign in: one
    hash of a random password, computed once, since Argon2 takes a noticeable time per hash)."""
    institutions = list(session.exec(select(Institution.id).order_by(col(Institution.id))))
    unusable = hash_password(rng.randbytes(24).hex())
    for number in range(1, SYNTHETIC_LIBRARIANS + 1):
        institution_id = institutions[rng.randrange(min(len(institutions), 56))]
        session.add(StaffUser(email=f"bibliothecaire-{number:02d}@reseau.demo.cinedoc.fr",
                              display_name=f"Bibliothécaire {number:02d}", password_hash=unusable,
                              role=Role.LIBRARIAN, institution_id=institution_id))
    session.flush()
    return list(session.exec(select(StaffUser).where(StaffUser.role == Role.LIBRARIAN).order_by(col(StaffUser.id))))


def _librarians_round(session: Session, edition: PrizeEdition, librarians: list[StaffUser], nominees: list[int],
                      today: date, rng: random.Random) -> None:
    """Most librarians vote, through the service, on a day of the round; some films appeal more than others."""
    assert edition.id is not None
    appeal = {film: rng.uniform(0.5, 2.0) for film in nominees}
    days = _days(edition.librarians_start, min(edition.librarians_end, today))
    for user in librarians:
        day = rng.choice(days)
        if rng.random() < 0.15 or not subscription_active(session, user.institution_id or 0, day):
            continue
        picks = sorted(nominees, key=lambda film: -appeal[film] * rng.random())[:edition.pick_count]
        cast_librarian_ballot(session, edition.id, user, picks, day=day)


def _day_weights(days: list[date]) -> list[float]:
    """Votes crowd the first days (the libraries' announcements) and the last ones (the reminders)."""
    length = len(days)
    return [1 + 6 * math.exp(-n / 2) + 5 * math.exp(-(length - 1 - n) / 2) for n in range(length)]


def _moment(day: date, rng: random.Random, now: datetime) -> datetime:
    """A moment of that Paris day, and not later than now (today's ballots)."""
    moment = datetime.combine(day, time(rng.randrange(*DAY_HOURS), rng.randrange(60), rng.randrange(60)),
                              tzinfo=clock.PARIS).astimezone(UTC)
    if moment < now:
        return moment
    midnight = datetime.combine(day, time(0), tzinfo=clock.PARIS).astimezone(UTC)
    return max(midnight, now - timedelta(seconds=rng.randrange(1, 3600)))


def _public_round(session: Session, edition: PrizeEdition, ring: KeyRing, total: int, today: date,
                  rng: random.Random) -> int:
    """Ballots of pseudonymous patrons ("lecteur-<n>" at their library, pseudonymised as the player would) written
    in bulk, each with its audit entry at the moment it was cast; a few patrons changed their mind."""
    assert edition.id is not None
    films = shortlist(session, edition.id)
    days = _days(edition.public_start, edition.public_end)
    weights = _day_weights(days)
    cast_days = [day for day in days if day <= today]
    count = round(total * sum(weights[:len(cast_days)]) / sum(weights))
    institutions = [row for row in session.exec(select(Institution.id, Institution.category))
                    if all(subscription_active(session, row[0], day) for day in (cast_days[0], cast_days[-1]))]
    institution_weights = [rng.uniform(0.2, 2.0) * (0.3 if category == "works_council" else 1.0)
                           for _, category in institutions]
    film_weights = [rng.uniform(0.6, 1.6) for _ in films]
    now = clock.utcnow()
    ballots, entries = [], []
    picked_days = rng.choices(cast_days, weights[:len(cast_days)], k=count)
    picked_institutions = rng.choices([i for i, _ in institutions], institution_weights, k=count)
    for number, (day, institution_id) in enumerate(zip(picked_days, picked_institutions, strict=True), start=1):
        voter = ring.patron_pseudonym(institution_id, f"lecteur-{number}")
        first = rng.choices(films, film_weights)[0]
        cast_at = _moment(day, rng, now)
        final, updated_at = first, cast_at
        entries.append((cast_at, "cast", voter, institution_id, first, None))
        if rng.random() < CHANGED_SHARE and len(films) > 1:
            final = rng.choice([film for film in films if film != first])
            updated_at = min(cast_at + timedelta(hours=rng.randrange(1, 72)), now)
            entries.append((updated_at, "change", voter, institution_id, final, first))
        ballots.append({"edition_id": edition.id, "institution_id": institution_id, "voter": voter,
                        "film_id": final, "cast_at": cast_at, "cast_day": day, "updated_at": updated_at})
    connection = session.connection()
    for start in range(0, len(ballots), 2000):
        connection.execute(insert(PublicBallot.__table__), ballots[start:start + 2000])  # type: ignore[attr-defined]
    for at, action, voter, institution_id, film, previous in sorted(entries, key=lambda entry: entry[0]):
        prize_audit.record(session, edition.id, PrizeRound.PUBLIC, action, voter=voter, institution_id=institution_id,
                           films=[film], previous=[previous] if previous else [], at=at)
    return len(ballots)


def _edition(session: Session, calendar: dict[str, date], rule: tuple[int, int, int], taken: set[int],
             rng: random.Random) -> PrizeEdition:
    nominee_count, pick_count, shortlist_size = rule
    year = calendar["public_start"].year
    nominees = _nominees(session, calendar, nominee_count, taken, rng)
    taken.update(nominees)
    return create_edition(session, EditionTerms(
        year=year, title=f"Prix du public Les yeux doc {year}", partners=PARTNERS, award_cents=AWARD_CENTS,
        nominees=nominees, pick_count=pick_count, shortlist_size=shortlist_size, **calendar))


def add_demo_prize(session: Session, ring: KeyRing, seed: int = 2024) -> DemoPrize:
    """Two editions: last year's, counted and published, and this year's, whose public round includes today."""
    rng = random.Random(seed)
    today = clock.paris_today()
    current_calendar = demo_calendar(today - timedelta(days=14))
    past_calendar = {name: _year_before(day) for name, day in current_calendar.items()}
    _subscribe_earlier_years(session, past_calendar["nominations_start"], today)
    librarians = _librarians(session, rng)
    taken: set[int] = set()
    figures, editions = [], []
    for calendar, rule, ballots in ((past_calendar, PAST_RULE, PAST_PUBLIC_BALLOTS),
                                    (current_calendar, CURRENT_RULE, CURRENT_PUBLIC_BALLOTS)):
        edition = _edition(session, calendar, rule, taken, rng)
        assert edition.id is not None
        _librarians_round(session, edition, librarians, nominee_ids(session, edition.id), today, rng)
        settle(session, edition.id, edition.librarians_end + timedelta(days=1))
        figures.append(_public_round(session, edition, ring, ballots, today, rng))
        if edition.public_end < today:
            settle(session, edition.id, edition.public_end + timedelta(days=1))
        editions.append(edition.id)
    return DemoPrize(editions[0], editions[1], figures[0], figures[1])

