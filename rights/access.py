"""The access question: "may film F be used for use U in territory T on day D?", asked by every context before it
plays or screens a film, and whether licences cover a whole period.

Playability is evaluated on read: `may_use` says yes for a signed or active licence whose window covers the day,
so a film stops being playable on the day after its window ends even if no daily job has run (rights.licences).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, Select, String, bindparam, literal_column
from sqlmodel import Session, col, select

from cinedoc.kernel import clock
from cinedoc.kernel.errors import InvalidInput
from cinedoc.kernel.i18n import iso_country_codes, translate
from rights.models import Licence, LicenceGrant, LicenceStatus, LicenceUse

S = LicenceStatus

# CLDR (behind babel) also names regions that are no ISO 3166-1 country: EU, UN, ZZ "unknown region", XK, the
# pseudo-locales XA/XB, and the exceptionally reserved AC, CP, CQ, DG, EA, IC, TA. A territory must be assigned.
NOT_ISO_TERRITORIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB", "XK", "AC", "CP", "CQ", "DG", "EA", "IC",
                                 "TA"})


@cache
def territory_codes() -> frozenset[str]:
    """The 249 officially assigned ISO 3166-1 alpha-2 codes."""
    return iso_country_codes() - NOT_ISO_TERRITORIES


# Statuses whose window grants the rights; "signed" counts from the first day so playback never waits for a job.
GRANTING = (S.SIGNED.value, S.ACTIVE.value)


@dataclass(frozen=True)
class Decision:
    """The answer to "may film F be used for use U in territory T on day D?", with the reason as a msgid."""

    allowed: bool
    reason: str
    params: Mapping[str, Any] = field(default_factory=dict)
    licence_id: int | None = None

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        params = {key: translate(value) if key in ("use", "status") else value for key, value in self.params.items()}
        return translate(self.reason, **params)


def _covering(day_type: type[Date] | type[String]) -> Select[tuple[int]]:
    """The yes-query, built once: a probe of the (film_id, use, territory, licence_id) index, then the licence row.

    The granting statuses are SQL literals because an expanding IN parameter is re-rendered on every execution,
    which cost more than the query itself; SQLite gets the day as the ISO text it stores dates as, skipping a bind
    conversion that is a measurable share of this call.
    """
    return (
        select(LicenceGrant.licence_id)
        .join(Licence, col(Licence.id) == LicenceGrant.licence_id)
        .where(
            col(LicenceGrant.film_id) == bindparam("film_id", type_=Integer),
            col(LicenceGrant.use) == bindparam("use", type_=String),
            col(LicenceGrant.territory) == bindparam("territory", type_=String),
            col(Licence.status).in_([literal_column(f"'{status}'") for status in GRANTING]),
            col(Licence.start_date) <= bindparam("day", type_=day_type),
            col(Licence.end_date) >= bindparam("day", type_=day_type),
        )
        .limit(1)
    )


_COVERING = _covering(Date)
_COVERING_SQLITE = _covering(String)
_USES = frozenset(use.value for use in LicenceUse)


def may_use(session: Session, film_id: int, use: str, territory: str, day: date | None = None) -> Decision:
    """The single answer every context asks before playing or screening a film; one indexed query when allowed."""
    if use not in _USES:
        raise InvalidInput("Unknown use '{use}' (expected one of: {allowed}).", field="use", use=str(use)[:40],
                           allowed=", ".join(sorted(_USES)))
    territory = territory.upper()
    if territory not in territory_codes():
        raise InvalidInput("Unknown territory code: {codes}.", field="territory", codes=territory[:8])
    day = day or clock.paris_today()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        licence_id = connection.execute(_COVERING_SQLITE, {"film_id": film_id, "use": use, "territory": territory,
                                                           "day": day.isoformat()}).scalar()
    else:
        licence_id = connection.execute(_COVERING, {"film_id": film_id, "use": use, "territory": territory,
                                                    "day": day}).scalar()
    params = {"film_id": film_id, "use": use, "territory": territory, "day": day}
    if licence_id is not None:
        return Decision(True, "Licence {licence_id} covers {use} in {territory} on {day}.",
                        {**params, "licence_id": licence_id}, licence_id)
    return _refusal(session, film_id, use, territory, day)


def covers_period(session: Session, film_id: int, use: str, territory: str, start: date, end: date) -> bool:
    """Whether signed or active licences cover every day from start to end (both included) for that use and
    territory, a renewal taking over the day after its predecessor ends."""
    rows = session.exec(
        select(Licence.start_date, Licence.end_date)
        .join(LicenceGrant, col(LicenceGrant.licence_id) == Licence.id)
        .where(col(LicenceGrant.film_id) == film_id, col(LicenceGrant.use) == use,
               col(LicenceGrant.territory) == territory.upper(), col(Licence.status).in_(GRANTING),
               col(Licence.end_date) >= start, col(Licence.start_date) <= end)
        .order_by(col(Licence.start_date))
    ).all()
    covered_until = start - timedelta(days=1)
    for first, last in rows:
        if first > covered_until + timedelta(days=1):
            break
        covered_until = max(covered_until, last)
    return covered_until >= end


def _refusal(session: Session, film_id: int, use: str, territory: str, day: date) -> Decision:
    """Why not: only computed when the answer is no, so the allowed path stays one query."""
    params: dict[str, Any] = {"film_id": film_id, "use": use, "territory": territory, "day": day}
    rows = session.exec(
        select(Licence.id, Licence.status, Licence.start_date, Licence.end_date, LicenceGrant.use,
               LicenceGrant.territory)
        .join(LicenceGrant, col(LicenceGrant.licence_id) == Licence.id)
        .where(LicenceGrant.film_id == film_id)
    ).all()
    if not rows:
        return Decision(False, "Film {film_id} has no licence.", params)
    for_use = [row for row in rows if row[4] == use]
    if not for_use:
        return Decision(False, "No licence of film {film_id} grants {use}.", params)
    here = [row for row in for_use if row[5] == territory]
    if not here:
        return Decision(False, "No licence of film {film_id} grants {use} in {territory}.", params)
    covering = [row for row in here if row[2] <= day <= row[3]]
    for licence_id, status, *_ in covering:
        if status in (S.NEGOTIATING, S.COMMITTED):
            return Decision(False, "Licence {licence_id} of film {film_id} is not signed yet.",
                            {**params, "licence_id": licence_id}, licence_id)
    for licence_id, status, *_ in covering:
        if status == S.TERMINATED:
            return Decision(False, "Licence {licence_id} of film {film_id} was terminated.",
                            {**params, "licence_id": licence_id}, licence_id)
    later = sorted((row for row in here if row[1] in GRANTING and row[2] > day), key=lambda row: row[2])
    if later:
        return Decision(False, "The {use} rights of film {film_id} in {territory} start on {start}.",
                        {**params, "start": later[0][2]}, later[0][0])
    ended = sorted((row for row in here if row[1] in (*GRANTING, S.EXPIRED) and row[3] < day), key=lambda r: r[3])
    if ended:
        return Decision(False, "The {use} rights of film {film_id} in {territory} ended on {end}.",
                        {**params, "end": ended[-1][3]}, ended[-1][0])
    return Decision(False, "No licence of film {film_id} covers {use} in {territory} on {day}.", params)
