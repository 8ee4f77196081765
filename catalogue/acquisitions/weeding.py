"""Weeding: films leave the public catalogue with notice (one month by default) when their rights end or by decision;
the record, licences and history stay, and a new licence brings the film back.

The daily job (`cinedoc rights weed`) runs, in order: licence expiry, licence activation (films go on offer),
the announcement of films whose rights end within a month, and the weedings that are due.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel import Session, col, select

import rights.licences
import rights.reports
from catalogue.acquisitions import workflow as acquisitions
from catalogue.acquisitions.models import FilmWeeding, WeedingCause, WeedingStatus
from catalogue.acquisitions.schemas import DailyRunPublic, RightsSummary, WeedingPublic, WeedingSummary
from catalogue.films import services
from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound
from cinedoc.kernel.i18n import translate

NOTICE_MONTHS = 1


def add_months(day: date, months: int) -> date:
    """The same day n months later (or earlier), on the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def default_notice_date(weeding_date: date, today: date) -> date:
    return max(today, add_months(weeding_date, -NOTICE_MONTHS))


def weeding_records(session: Session, weedings: Sequence[FilmWeeding]) -> list[WeedingPublic]:
    films = acquisitions.film_briefs(session, [weeding.film_id for weeding in weedings])
    return [
        WeedingPublic(
            id=w.id, film=films[w.film_id], cause=w.cause, reason=w.reason, status=w.status,
            weeding_date=w.weeding_date, notice_date=w.notice_date, decided_by_id=w.decided_by_id,
            decided_at=w.decided_at, weeded_at=w.weeded_at, cancelled_at=w.cancelled_at,
            cancel_reason=w.cancel_reason, reinstated_at=w.reinstated_at,
        )
        for w in weedings
    ]


def _scheduled_for(session: Session, film_id: int) -> FilmWeeding | None:
    return session.exec(select(FilmWeeding).where(FilmWeeding.film_id == film_id,
                                                  FilmWeeding.status == WeedingStatus.SCHEDULED.value)).first()


def schedule_weeding(session: Session, film_id: int, reason: str, *, actor_id: int | None,
                     weeding_date: date | None = None, notice_date: date | None = None,
                     today: date | None = None) -> FilmWeeding:
    """Weeding by decision: announced at the notice date, done on the weeding date (today means at once)."""
    today = today or clock.paris_today()
    film = services.get_film(session, film_id)
    if film.status == FilmStatus.WEEDED:
        raise Conflict("Film {film_id} is already weeded.", film_id=film_id)
    if film.status != FilmStatus.AVAILABLE:
        raise Conflict("Only a film on offer can be weeded; film {film_id} is a draft.", film_id=film_id)
    if len(reason.strip()) < 3:
        raise InvalidInput("Say why this film is weeded.", field="reason")
    if _scheduled_for(session, film_id) is not None:
        raise Conflict("A weeding of film {film_id} is already announced.", film_id=film_id)
    weeding_date = weeding_date or add_months(today, NOTICE_MONTHS)
    if weeding_date < today:
        raise InvalidInput("A weeding cannot be dated in the past.", field="weeding_date")
    notice_date = notice_date or default_notice_date(weeding_date, today)
    if notice_date < today:
        raise InvalidInput("The notice date cannot be in the past.", field="notice_date")
    if notice_date > weeding_date:
        raise InvalidInput("The notice must come before the weeding.", field="notice_date")
    weeding = FilmWeeding(film_id=film_id, cause=WeedingCause.DECISION.value, reason=reason.strip(),
                          weeding_date=weeding_date, notice_date=notice_date, decided_by_id=actor_id)
    session.add(weeding)
    session.flush()
    if weeding_date == today:
        _weed(session, weeding, today, actor_id=actor_id)
    return weeding


def retire_now(session: Session, film_id: int, reason: str, *, actor_id: int | None) -> FilmWeeding:
    """A curator's "retire": weeding by decision, effective today (recorded, and the film's licences end)."""
    return schedule_weeding(session, film_id, reason, actor_id=actor_id, weeding_date=clock.paris_today())


def cancel_weeding(session: Session, weeding_id: int, reason: str, *, actor_id: int | None) -> FilmWeeding:
    weeding = session.get(FilmWeeding, weeding_id)
    if weeding is None:
        raise NotFound("No weeding number {weeding_id}.", weeding_id=weeding_id)
    if weeding.status != WeedingStatus.SCHEDULED:
        raise Conflict("Only an announced weeding can be cancelled; this one is {status}.",
                       status=translate(weeding.status))
    weeding.status = WeedingStatus.CANCELLED.value
    weeding.cancelled_at = clock.utcnow()
    weeding.cancel_reason = reason.strip()
    session.add(weeding)
    session.flush()
    return weeding


def _weed(session: Session, weeding: FilmWeeding, today: date, *, actor_id: int | None) -> None:
    if weeding.cause == WeedingCause.DECISION:
        # The film leaves the catalogue, so its running streaming licences end too (kept, marked terminated):
        # the access check then says no, and a new licence can bring the film back without overlapping.
        rights.licences.terminate_current_streaming(session, weeding.film_id, today, actor_id=actor_id,
                                                    reason=weeding.reason)
    services.retire_film(session, weeding.film_id, weeding.reason, actor_id)
    weeding.status = WeedingStatus.DONE.value
    weeding.weeded_at = clock.utcnow()
    session.add(weeding)
    session.flush()


def _rights_ended_reason(end: date) -> str:
    return translate("Streaming rights ended on {end}.", end=end.isoformat())


def _available(session: Session, film_ids: Sequence[int]) -> set[int]:
    if not film_ids:
        return set()
    return set(session.exec(select(Film.id).where(col(Film.id).in_(list(film_ids)),
                                                  Film.status == FilmStatus.AVAILABLE.value)).all())


def run_daily(session: Session, today: date | None = None, *, dry_run: bool = False,
              actor_id: int | None = None) -> DailyRunPublic:
    """The daily rights job; with dry_run nothing is written and the report says what would happen."""
    today = today or clock.paris_today()
    expired = rights.licences.expire_ended_licences(session, today, dry_run=dry_run)
    activated, published = acquisitions.activate_due(session, today, dry_run=dry_run)
    announced: list[FilmWeeding] = []
    weeded: list[FilmWeeding] = []
    cancelled: list[FilmWeeding] = []
    rights_end = rights.licences.streaming_rights_end(session)
    on_offer = _available(session, list(rights_end))
    already = {w.film_id: w for w in session.exec(
        select(FilmWeeding).where(FilmWeeding.status == WeedingStatus.SCHEDULED.value)).all()}

    # Announce: rights ending within a month with nothing to follow them.
    horizon = add_months(today, NOTICE_MONTHS)
    for film_id, (end, _licence_id) in sorted(rights_end.items()):
        if film_id in on_offer and film_id not in already and today <= end < horizon:
            weeding_date = end + timedelta(days=1)
            weeding = FilmWeeding(film_id=film_id, cause=WeedingCause.RIGHTS_ENDED.value,
                                  reason=_rights_ended_reason(end), weeding_date=weeding_date,
                                  notice_date=default_notice_date(weeding_date, today), decided_by_id=actor_id)
            announced.append(weeding)
            if not dry_run:
                session.add(weeding)

    # Weed what is due; a renewal signed since the announcement cancels a rights-ended weeding.
    for weeding in sorted(already.values(), key=lambda w: (w.weeding_date, w.film_id)):
        if weeding.weeding_date > today:
            continue
        end = rights_end.get(weeding.film_id)
        if weeding.cause == WeedingCause.RIGHTS_ENDED and end is not None and end[0] >= today:
            cancelled.append(weeding)
            if not dry_run:
                cancel_weeding(session, weeding.id, translate("The rights were renewed."),  # type: ignore[arg-type]
                               actor_id=actor_id)
            continue
        if weeding.film_id not in on_offer and weeding.cause == WeedingCause.RIGHTS_ENDED:
            continue
        weeded.append(weeding)
        if not dry_run:
            _weed(session, weeding, today, actor_id=actor_id)

    # Rights that ended while no announcement was made (the job did not run): weed now, recording the notice date
    # the film should have had.
    handled = {w.film_id for w in weeded} | {w.film_id for w in cancelled}
    for film_id, (end, _licence_id) in sorted(rights_end.items()):
        if film_id in on_offer and film_id not in handled and end < today and film_id not in already:
            weeding_date = end + timedelta(days=1)
            weeding = FilmWeeding(film_id=film_id, cause=WeedingCause.RIGHTS_ENDED.value,
                                  reason=_rights_ended_reason(end), weeding_date=weeding_date,
                                  notice_date=add_months(weeding_date, -NOTICE_MONTHS), decided_by_id=actor_id)
            weeded.append(weeding)
            if not dry_run:
                session.add(weeding)
                session.flush()
                _weed(session, weeding, today, actor_id=actor_id)
    session.flush()
    return DailyRunPublic(
        day=today, dry_run=dry_run, activated_licences=[lic.id for lic in activated if lic.id is not None],
        published_films=published, expired_licences=[lic.id for lic in expired if lic.id is not None],
        announced=weeding_records(session, announced), weeded=weeding_records(session, weeded),
        cancelled=weeding_records(session, cancelled),
    )


def list_weedings(session: Session, *, status: str | None = None, noticed_by: date | None = None,
                  limit: int = 500) -> list[FilmWeeding]:
    """Weedings, newest first; `noticed_by` keeps those already announced on that day (what exports publish)."""
    statement = select(FilmWeeding)
    if status:
        if status not in {s.value for s in WeedingStatus}:
            raise InvalidInput("Unknown weeding status '{status}'.", field="status", status=status[:40])
        statement = statement.where(FilmWeeding.status == status)
    if noticed_by is not None:
        statement = statement.where(col(FilmWeeding.notice_date) <= noticed_by)
    return list(session.exec(statement.order_by(col(FilmWeeding.weeding_date).desc(), col(FilmWeeding.id).desc())
                             .limit(limit)).all())


def rights_summary(session: Session, year: int) -> RightsSummary:
    kinds = rights.reports.licence_summary(session, year)
    done = session.exec(
        select(FilmWeeding.cause, FilmWeeding.weeded_at).where(FilmWeeding.status == WeedingStatus.DONE.value,
                                                               col(FilmWeeding.weeded_at).is_not(None))
    ).all()
    # Weeding years are Paris years; filtering in Python keeps one rule on both databases.
    in_year = [cause for cause, weeded_at in done
               if weeded_at is not None and rights.reports.in_paris(weeded_at).year == year]
    reinstated = _reinstated_in(session, year)
    return RightsSummary(
        year=year, acquisitions=kinds["acquisition"], renewals=kinds["renewal"],
        weedings=WeedingSummary(count=len(in_year), rights_ended=in_year.count(WeedingCause.RIGHTS_ENDED.value),
                                decision=in_year.count(WeedingCause.DECISION.value)),
        reinstated=reinstated, available_films=acquisitions.available_film_count(session),
    )


def _reinstated_in(session: Session, year: int) -> int:
    stamps = session.exec(select(FilmWeeding.reinstated_at).where(col(FilmWeeding.reinstated_at).is_not(None))).all()
    return sum(1 for at in stamps if at is not None and rights.reports.in_paris(at).year == year)

