"""Who may watch what: an active subscription today, an available film with published media, streaming rights in the
institution's country today (asked of the rights context), and the institution's optional monthly limits.

A refusal is an answer, not an error: it carries a reason code for the player and a message in the patron's language.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlalchemy import Date, Integer, String, bindparam, func, literal, select
from sqlmodel import Session, col

from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.templating import long_date
from cinedoc.kernel.upserts import insert_once
from rights.access import may_use
from rights.models import LicenceUse
from streaming.access.models import MonthlyPlay, Subscription, SubscriptionStatus
from streaming.media.models import FilmMedia, MediaAsset, MediaPurpose, MediaStatus

T = TypeVar("T")


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str  # an English msgid, translated when shown
    params: dict[str, Any] = field(default_factory=dict)
    status_code: int = 403

    def localized(self) -> str:
        params = {key: long_date(value) if isinstance(value, date) else value for key, value in self.params.items()}
        return translate(self.message, **params)

    def as_json(self) -> dict[str, Any]:
        return {"status_code": self.status_code, "detail": self.localized(), "reason": self.code}


@dataclass(frozen=True)
class Entitled:
    film_id: int
    asset_id: int
    storage_prefix: str
    duration_seconds: float | None


NOT_SUBSCRIBED = Refusal("subscription", "Your library's subscription to the platform is not active today.")
NOT_AVAILABLE = Refusal("film", "This film is not available on the platform.")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# Built once: these run on every session opening (and the subscription check on the gateway's cache misses).
_SUBSCRIBED = select(literal(1)).where(
    col(Subscription.institution_id) == bindparam("institution_id", type_=Integer),
    col(Subscription.status) == SubscriptionStatus.ACTIVE.value,
    col(Subscription.start_date) <= bindparam("day", type_=Date),
    col(Subscription.end_date) >= bindparam("day", type_=Date),
).limit(1)
_PLAYABLE = (
    select(MediaAsset.id, MediaAsset.storage_prefix, MediaAsset.duration_seconds)
    .select_from(Film)
    .join(FilmMedia, col(FilmMedia.film_id) == Film.id)
    .join(MediaAsset, col(MediaAsset.id) == FilmMedia.asset_id)
    .where(col(Film.id) == bindparam("film_id", type_=Integer), col(Film.status) == FilmStatus.AVAILABLE.value,
           col(MediaAsset.status) == MediaStatus.READY.value,
           # film_media only ever names film versions; checked again so a presentation can never be played as one.
           col(MediaAsset.purpose) == MediaPurpose.FILM.value)
)
_MONTH = (col(MonthlyPlay.institution_id) == bindparam("institution_id", type_=Integer),
          col(MonthlyPlay.month) == bindparam("month", type_=String))
_INSTITUTION_FILMS = select(func.count()).select_from(MonthlyPlay).where(*_MONTH)
_VIEWER_FILMS = _INSTITUTION_FILMS.where(col(MonthlyPlay.viewer) == bindparam("viewer", type_=String))
_COUNTED = select(literal(1)).select_from(MonthlyPlay).where(
    *_MONTH, col(MonthlyPlay.viewer) == bindparam("viewer", type_=String),
    col(MonthlyPlay.film_id) == bindparam("film_id", type_=Integer))


def subscription_active(session: Session, institution_id: int, day: date) -> bool:
    return session.connection().execute(_SUBSCRIBED, {"institution_id": institution_id, "day": day}).first() \
        is not None


def playable_media(session: Session, film_id: int) -> Entitled | None:
    """The film's published media, if the film is available; None says 'not available' whatever the cause, so that
    a patron learns nothing about drafts, weeded films or films that do not exist."""
    row = session.connection().execute(_PLAYABLE, {"film_id": film_id}).first()
    if row is None:
        return None
    return Entitled(film_id, row[0], row[1], row[2])


def films_this_month(session: Session, institution_id: int, month: str, viewer: str | None = None) -> int:
    params = {"institution_id": institution_id, "month": month}
    if viewer is None:
        return int(session.connection().execute(_INSTITUTION_FILMS, params).scalar_one())
    return int(session.connection().execute(_VIEWER_FILMS, {**params, "viewer": viewer}).scalar_one())


def already_counted(session: Session, institution_id: int, month: str, viewer: str, film_id: int) -> bool:
    params = {"institution_id": institution_id, "month": month, "viewer": viewer, "film_id": film_id}
    return session.connection().execute(_COUNTED, params).first() is not None


class InstitutionTerms(Protocol):
    """What the rules need of an institution (the table row, or the few columns the opening path reads)."""

    id: int | None
    country: str
    patron_monthly_limit: int | None
    monthly_ceiling: int | None


class FactCache(Protocol):
    def get(self, key: Hashable, load: Callable[[], T]) -> T: ...


class _NoCache:
    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        return load()


def decide(session: Session, institution: InstitutionTerms, film_id: int, viewer: str | None, day: date,
           cache: FactCache | None = None) -> Entitled | Refusal:
    """Every rule in order; the first that fails is the reason given. `viewer` is the patron's pseudonym (None on
    site, where nobody is identified and the per-patron limit cannot apply).

    With a cache (the app's short one), the facts that change rarely (the subscription, the film's media, the rights
    answer) may be a few seconds old; the monthly counts never are."""
    facts = cache or _NoCache()
    institution_id = institution.id
    assert institution_id is not None
    if not facts.get(("subscribed", institution_id, day), lambda: subscription_active(session, institution_id, day)):
        return NOT_SUBSCRIBED
    media = facts.get(("media", film_id), lambda: playable_media(session, film_id))
    if media is None:
        return NOT_AVAILABLE
    rights = facts.get(("rights", film_id, institution.country, day), lambda: bool(
        may_use(session, film_id, LicenceUse.STREAMING.value, institution.country, day)))
    if not rights:
        return Refusal("rights", "The rights to this film do not cover {country} today.",
                       {"country": institution.country})
    if institution.patron_monthly_limit is None and institution.monthly_ceiling is None:
        return media
    month = month_of(day)
    counted = viewer is not None and already_counted(session, institution_id, month, viewer, film_id)
    if counted:
        return media  # watching again a film already counted this month costs nothing
    limit = institution.patron_monthly_limit
    if viewer is not None and limit is not None and films_this_month(session, institution_id, month, viewer) >= limit:
        return Refusal("patron_limit", "You have reached your library's limit of films for this month ({limit}). "
                       "You can watch them again, or new films from {date}.",
                       {"limit": limit, "date": next_month(day)})
    ceiling = institution.monthly_ceiling
    if ceiling is not None and films_this_month(session, institution_id, month) >= ceiling:
        return Refusal("institution_limit", "Your library has used all the films it can offer this month. New films "
                       "can be watched again from {date}.", {"date": next_month(day)})
    return media


def record_play(session: Session, institution_id: int, day: date, viewer: str, film_id: int) -> bool:
    """Count the film for the month (once per viewer and film); True if it was not counted yet."""
    return insert_once(session, MonthlyPlay.__table__, {  # type: ignore[attr-defined]
        "institution_id": institution_id, "month": month_of(day), "viewer": viewer, "film_id": film_id,
    })
