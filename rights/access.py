"""Rights rules: the licence status machine, budget lines and their derived figures, and the access question.

Playability is evaluated on read: `may_use` says yes for a signed or active licence whose window covers the day,
so a film stops being playable on the day after its window ends even if no daily job has run. The daily job
(`cinedoc rights activate`, also run by `cinedoc rights weed`) only records the transitions (signed -> active,
active -> expired) and lets the catalogue publish or weed films.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, Select, String, and_, bindparam, exists, func, literal_column, or_
from sqlmodel import Session, col, select

from cinedoc import clock
from cinedoc.clock import PARIS
from cinedoc.errors import Conflict, InvalidInput, NotFound
from cinedoc.i18n import iso_country_codes, translate
from cinedoc.templating import money
from rights.models import (
    BudgetLine,
    BudgetLineStatus,
    Licence,
    LicenceGrant,
    LicenceKind,
    LicenceStatus,
    LicenceUse,
)
from rights.schemas import (
    BudgetLineCreate,
    BudgetLinePublic,
    BudgetLineUpdate,
    BudgetReport,
    BudgetTotals,
    KindSummary,
    LicencePublic,
    LicenceTerms,
    MonthlyUse,
    RenewalTerms,
)

S = LicenceStatus

# CLDR (behind babel) also names regions that are no ISO 3166-1 country: EU, UN, ZZ "unknown region", XK, the
# pseudo-locales XA/XB, and the exceptionally reserved AC, CP, CQ, DG, EA, IC, TA. A territory must be assigned.
NOT_ISO_TERRITORIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB", "XK", "AC", "CP", "CQ", "DG", "EA", "IC",
                                 "TA"})


@cache
def territory_codes() -> frozenset[str]:
    """The 249 officially assigned ISO 3166-1 alpha-2 codes."""
    return iso_country_codes() - NOT_ISO_TERRITORIES


# The only moves a licence can make; anything else (negotiating -> signed, expired -> active...) is refused.
TRANSITIONS: Mapping[LicenceStatus, frozenset[LicenceStatus]] = {
    S.NEGOTIATING: frozenset({S.COMMITTED, S.TERMINATED}),
    S.COMMITTED: frozenset({S.SIGNED, S.TERMINATED}),
    S.SIGNED: frozenset({S.ACTIVE, S.TERMINATED}),
    S.ACTIVE: frozenset({S.EXPIRED, S.TERMINATED}),
    S.EXPIRED: frozenset(),
    S.TERMINATED: frozenset(),
}
STATUS_ORDER = list(LicenceStatus)
# Statuses whose window grants the rights; "signed" counts from the first day so playback never waits for a job.
GRANTING = (S.SIGNED.value, S.ACTIVE.value)
# Statuses that hold a film's rights now or later: a film is weeded only when none of these reaches today.
HOLDING = (S.COMMITTED.value, S.SIGNED.value, S.ACTIVE.value, S.EXPIRED.value)

# A licence is charged to its line from its commitment; cancelling it before signature releases the money,
# terminating it after signature does not (the contract was paid).
CHARGED = and_(col(Licence.committed_at).is_not(None),
               or_(col(Licence.status) != S.TERMINATED.value, col(Licence.signed_at).is_not(None)))
SPENT = col(Licence.signed_at).is_not(None)


def in_paris(moment: datetime) -> datetime:
    """A stored UTC time as Paris time; SQLite hands timestamps back without their zone, and they are UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)


# --- the access question -------------------------------------------------------------------------------------------

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


# --- licences ------------------------------------------------------------------------------------------------------

def get_licence(session: Session, licence_id: int, *, for_update: bool = False) -> Licence:
    statement = select(Licence).where(Licence.id == licence_id).execution_options(populate_existing=True)
    if for_update and session.get_bind().dialect.name != "sqlite":
        statement = statement.with_for_update()
    licence = session.exec(statement).first()
    if licence is None:
        raise NotFound("No licence number {licence_id}.", licence_id=licence_id)
    return licence


def grants_of(session: Session, licence_ids: Sequence[int]) -> dict[int, tuple[list[str], list[str]]]:
    """Uses and territories of each licence, in a stable order."""
    found: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    if licence_ids:
        for licence_id, use, territory in session.exec(
            select(LicenceGrant.licence_id, LicenceGrant.use, LicenceGrant.territory)
            .where(col(LicenceGrant.licence_id).in_(licence_ids))
        ).all():
            found[licence_id][0].add(use)
            found[licence_id][1].add(territory)
    order = {use.value: index for index, use in enumerate(LicenceUse)}
    return {licence_id: (sorted(uses, key=order.__getitem__), sorted(territories))
            for licence_id, (uses, territories) in found.items()}


def licence_records(session: Session, licences: Sequence[Licence]) -> list[LicencePublic]:
    grants = grants_of(session, [licence.id for licence in licences if licence.id is not None])
    records = []
    for licence in licences:
        assert licence.id is not None
        uses, territories = grants.get(licence.id, ([], []))
        records.append(LicencePublic(
            id=licence.id, film_id=licence.film_id, licensor=licence.licensor, kind=licence.kind,
            status=licence.status, uses=uses, territories=territories, start_date=licence.start_date,
            end_date=licence.end_date, price_cents=licence.price_cents, budget_line_id=licence.budget_line_id,
            renews_licence_id=licence.renews_licence_id, contract_reference=licence.contract_reference,
            note=licence.note, proposed_at=licence.proposed_at, committed_at=licence.committed_at,
            signed_at=licence.signed_at, activated_at=licence.activated_at, ended_at=licence.ended_at,
            termination_reason=licence.termination_reason,
            next_statuses=sorted((s.value for s in TRANSITIONS[LicenceStatus(licence.status)]),
                                 key=lambda s: STATUS_ORDER.index(LicenceStatus(s))),
        ))
    return records


def list_licences(session: Session, *, film_id: int | None = None, status: str | None = None,
                  budget_line_id: int | None = None, limit: int = 500) -> list[Licence]:
    statement = select(Licence)
    if film_id is not None:
        statement = statement.where(Licence.film_id == film_id)
    if status:
        if status not in {s.value for s in LicenceStatus}:
            raise InvalidInput("Unknown licence status '{status}'.", field="status", status=status[:40])
        statement = statement.where(Licence.status == status)
    if budget_line_id is not None:
        statement = statement.where(Licence.budget_line_id == budget_line_id)
    return list(session.exec(statement.order_by(col(Licence.id).desc()).limit(limit)).all())


def _check_terms(terms: LicenceTerms) -> list[str]:
    if terms.end_date < terms.start_date:
        raise InvalidInput("The window ends before it starts.", field="end_date")
    if terms.price_cents < 0:
        raise InvalidInput("A price cannot be negative.", field="price_cents")
    territories = [code.strip().upper() for code in terms.territories]
    unknown = [code for code in territories if code not in territory_codes()]
    if unknown:
        raise InvalidInput("Unknown territory code: {codes}.", field="territories", codes=", ".join(unknown))
    return list(dict.fromkeys(territories))


def _check_no_overlap(session: Session, film_id: int, territories: Iterable[str], start: date, end: date,
                      ignore_licence_id: int | None = None) -> None:
    """Two streaming licences of one film and territory may not cover the same day (unless one was terminated)."""
    clash = session.exec(
        select(Licence.id, LicenceGrant.territory, Licence.start_date, Licence.end_date)
        .join(LicenceGrant, col(LicenceGrant.licence_id) == Licence.id)
        .where(
            LicenceGrant.film_id == film_id, LicenceGrant.use == LicenceUse.STREAMING.value,
            col(LicenceGrant.territory).in_(list(territories)), Licence.status != S.TERMINATED.value,
            col(Licence.start_date) <= end, col(Licence.end_date) >= start,
            col(Licence.id) != (ignore_licence_id or -1),
        )
        .order_by(col(Licence.start_date))
    ).first()
    if clash is not None:
        licence_id, territory, other_start, other_end = clash
        raise Conflict(
            "Film {film_id} already has streaming rights in {territory} from {start} to {end} (licence {licence_id}).",
            field="start_date", film_id=film_id, territory=territory, start=other_start, end=other_end,
            licence_id=licence_id,
        )


def _line_or_error(session: Session, line_id: int) -> BudgetLine:
    line = session.get(BudgetLine, line_id)
    if line is None:
        raise InvalidInput("No budget line number {line_id}.", field="budget_line_id", line_id=line_id)
    return line


def _check_line_accepts(line: BudgetLine) -> None:
    if line.status == BudgetLineStatus.SUSPENDED:
        raise Conflict("The budget line “{line}” is suspended: it accepts no commitment.", field="budget_line_id",
                       line=line.label)
    if line.status == BudgetLineStatus.CLOSED:
        raise Conflict("The budget line “{line}” is closed: it accepts no commitment.", field="budget_line_id",
                       line=line.label)


def propose_licence(session: Session, film_id: int, terms: LicenceTerms, *, actor_id: int | None,
                    kind: LicenceKind = LicenceKind.ACQUISITION, renews_licence_id: int | None = None) -> Licence:
    """A curator's proposal: status negotiating, nothing charged yet. The caller has checked the film exists."""
    territories = _check_terms(terms)
    if terms.budget_line_id is not None:
        _check_line_accepts(_line_or_error(session, terms.budget_line_id))
    uses = list(dict.fromkeys(use.value for use in terms.uses))
    if LicenceUse.STREAMING.value in uses:
        _check_no_overlap(session, film_id, territories, terms.start_date, terms.end_date)
    now = clock.utcnow()
    licence = Licence(
        film_id=film_id, licensor=terms.licensor, kind=kind.value, status=S.NEGOTIATING.value,
        start_date=terms.start_date, end_date=terms.end_date, price_cents=terms.price_cents,
        budget_line_id=terms.budget_line_id, renews_licence_id=renews_licence_id,
        contract_reference=terms.contract_reference or None, note=terms.note, proposed_by_id=actor_id,
        proposed_at=now, updated_at=now,
    )
    session.add(licence)
    session.flush()
    assert licence.id is not None
    session.add_all(LicenceGrant(licence_id=licence.id, use=use, territory=territory, film_id=film_id)
                    for use in uses for territory in territories)
    session.flush()
    return licence


def propose_renewal(session: Session, licence_id: int, terms: RenewalTerms, *, actor_id: int | None) -> Licence:
    """The same flow as an acquisition, with kind renewal and the renewed licence's uses and territories."""
    previous = get_licence(session, licence_id)
    if previous.status not in (S.SIGNED, S.ACTIVE, S.EXPIRED):
        raise Conflict("Only a signed, active or expired licence can be renewed; licence {licence_id} is {status}.",
                       field="licence_id", licence_id=licence_id, status=translate(previous.status))
    uses, territories = grants_of(session, [licence_id]).get(licence_id, ([], []))
    start = terms.start_date or previous.end_date + timedelta(days=1)
    return propose_licence(
        session, previous.film_id,
        LicenceTerms(licensor=terms.licensor or previous.licensor, uses=[LicenceUse(use) for use in uses],
                     territories=territories, start_date=start, end_date=terms.end_date,
                     price_cents=terms.price_cents, budget_line_id=terms.budget_line_id,
                     contract_reference=terms.contract_reference, note=terms.note),
        actor_id=actor_id, kind=LicenceKind.RENEWAL, renews_licence_id=licence_id,
    )


def check_move(licence: Licence, target: LicenceStatus) -> None:
    """Refuse any move the status machine does not allow (a skipped step, a way back, out of a final status)."""
    current = LicenceStatus(licence.status)
    if target not in TRANSITIONS[current]:
        following = sorted(TRANSITIONS[current], key=STATUS_ORDER.index)
        raise Conflict(
            "Licence {licence_id} is {current}: it can only become {allowed}, not {target}.", field="status",
            licence_id=licence.id, current=translate(current.value), target=translate(target.value),
            allowed=", ".join(translate(s.value) for s in following) or translate("nothing more (it is final)"),
        )


def _move(licence: Licence, target: LicenceStatus) -> None:
    check_move(licence, target)
    licence.status = target.value
    licence.updated_at = clock.utcnow()


def lock_budget_line(session: Session, line_id: int) -> BudgetLine:
    """Serialise every commitment against one line: the check and the write must see the same money.

    PostgreSQL locks the line's row (SELECT ... FOR UPDATE); SQLite has no row locks, so the transaction takes
    the database's write lock up front (BEGIN IMMEDIATE) before reading the amounts.
    """
    if session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        driver = connection.connection.driver_connection
        # Already in a transaction means this one has written, so it holds the write lock already.
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        statement = select(BudgetLine).where(BudgetLine.id == line_id)
    else:
        statement = select(BudgetLine).where(BudgetLine.id == line_id).with_for_update()
    line = session.exec(statement.execution_options(populate_existing=True)).first()
    if line is None:
        raise InvalidInput("No budget line number {line_id}.", field="budget_line_id", line_id=line_id)
    return line


def charged_cents(session: Session, line_id: int, *, excluding: int | None = None) -> int:
    statement = select(func.coalesce(func.sum(Licence.price_cents), 0)).where(Licence.budget_line_id == line_id,
                                                                             CHARGED)
    if excluding is not None:
        statement = statement.where(Licence.id != excluding)
    return int(session.exec(statement).one())


def commit_licence(session: Session, licence_id: int, *, actor_id: int | None,
                   budget_line_id: int | None = None) -> Licence:
    """The budget holder engages the money: refused on a suspended or closed line, or past the allocation."""
    licence = get_licence(session, licence_id)
    line_id = budget_line_id if budget_line_id is not None else licence.budget_line_id
    if line_id is None:
        raise InvalidInput("Choose the budget line this licence is charged to.", field="budget_line_id")
    line = lock_budget_line(session, line_id)
    licence = get_licence(session, licence_id, for_update=True)  # re-read under the lock
    check_move(licence, S.COMMITTED)
    _check_line_accepts(line)
    committed = charged_cents(session, line_id, excluding=licence_id)
    remaining = line.allocated_cents - committed
    if licence.price_cents > remaining:
        raise Conflict(
            "Committing {price} would take the line “{line}” {excess} past its allocation (only {remaining} left).",
            field="price_cents", price=money(licence.price_cents), line=line.label,
            excess=money(licence.price_cents - remaining), remaining=money(max(remaining, 0)),
        )
    _move(licence, S.COMMITTED)
    licence.budget_line_id = line_id
    licence.committed_at = clock.utcnow()
    licence.committed_by_id = actor_id
    session.add(licence)
    session.flush()
    return licence


def sign_licence(session: Session, licence_id: int, *, actor_id: int | None,
                 contract_reference: str | None = None, today: date | None = None) -> Licence:
    """Signed with its contract reference; a window that has already started makes it active at once."""
    today = today or clock.paris_today()
    licence = get_licence(session, licence_id, for_update=True)
    check_move(licence, S.SIGNED)
    reference = (contract_reference or "").strip() or licence.contract_reference
    if not reference:
        raise InvalidInput("A signed licence needs its contract reference.", field="contract_reference")
    if licence.end_date < today:
        raise InvalidInput("The window ended on {end}: there is nothing left to sign.", field="end_date",
                           end=licence.end_date)
    _move(licence, S.SIGNED)
    licence.contract_reference = reference
    licence.signed_at = clock.utcnow()
    licence.signed_by_id = actor_id
    if licence.start_date <= today:
        _activate(licence)
    session.add(licence)
    session.flush()
    return licence


def _activate(licence: Licence) -> None:
    _move(licence, S.ACTIVE)
    licence.activated_at = clock.utcnow()


def activate_licence(session: Session, licence_id: int, *, today: date | None = None) -> Licence:
    today = today or clock.paris_today()
    licence = get_licence(session, licence_id, for_update=True)
    check_move(licence, S.ACTIVE)
    if licence.start_date > today:
        raise Conflict("The window of licence {licence_id} starts on {start}.", field="status",
                       licence_id=licence_id, start=licence.start_date)
    if licence.end_date < today:
        raise Conflict("The window of licence {licence_id} ended on {end}.", field="status",
                       licence_id=licence_id, end=licence.end_date)
    _activate(licence)
    session.add(licence)
    session.flush()
    return licence


def terminate_licence(session: Session, licence_id: int, *, actor_id: int | None, reason: str) -> Licence:
    if len(reason.strip()) < 3:
        raise InvalidInput("Say why this licence is terminated.", field="reason")
    licence = get_licence(session, licence_id, for_update=True)
    _move(licence, S.TERMINATED)
    licence.ended_at = clock.utcnow()
    licence.terminated_by_id = actor_id
    licence.termination_reason = reason.strip()
    session.add(licence)
    session.flush()
    return licence


def activate_due_licences(session: Session, today: date, *, dry_run: bool = False) -> list[Licence]:
    """Signed licences whose window has begun become active (the daily job; playback does not wait for it)."""
    due = list(session.exec(
        select(Licence).where(Licence.status == S.SIGNED.value, col(Licence.start_date) <= today,
                              col(Licence.end_date) >= today).order_by(col(Licence.id))
    ).all())
    if not dry_run:
        for licence in due:
            _activate(licence)
            session.add(licence)
        session.flush()
    return due


def expire_ended_licences(session: Session, today: date, *, dry_run: bool = False) -> list[Licence]:
    """Active (or signed, never activated) licences whose last day is past become expired."""
    ended = list(session.exec(
        select(Licence).where(col(Licence.status).in_(GRANTING), col(Licence.end_date) < today)
        .order_by(col(Licence.id))
    ).all())
    if not dry_run:
        for licence in ended:
            if licence.status == S.SIGNED:
                _activate(licence)  # the status machine has no shortcut: it was active for its whole window
            _move(licence, S.EXPIRED)
            licence.ended_at = clock.utcnow()
            session.add(licence)
        session.flush()
    return ended


def terminate_current_streaming(session: Session, film_id: int, today: date, *, actor_id: int | None,
                                reason: str) -> list[Licence]:
    """Weeding by decision ends the film's streaming licences that still run or are pending."""
    licences = list(session.exec(
        select(Licence).where(
            Licence.film_id == film_id,
            col(Licence.status).in_((S.NEGOTIATING.value, S.COMMITTED.value, S.SIGNED.value, S.ACTIVE.value)),
            col(Licence.end_date) >= today,
            exists().where(LicenceGrant.licence_id == Licence.id, LicenceGrant.use == LicenceUse.STREAMING.value),
        )
    ).all())
    for licence in licences:
        _move(licence, S.TERMINATED)
        licence.ended_at = clock.utcnow()
        licence.terminated_by_id = actor_id
        licence.termination_reason = reason[:500]
        session.add(licence)
    session.flush()
    return licences


def streaming_rights_end(session: Session, film_ids: Sequence[int] | None = None) -> dict[int, tuple[date, int]]:
    """For each film with streaming rights held (committed onwards, not terminated), its last day and licence."""
    statement = (
        select(Licence.film_id, Licence.end_date, Licence.id)
        .where(col(Licence.status).in_(HOLDING),
               exists().where(LicenceGrant.licence_id == Licence.id,
                              LicenceGrant.use == LicenceUse.STREAMING.value))
    )
    if film_ids is not None:
        statement = statement.where(col(Licence.film_id).in_(film_ids))
    latest: dict[int, tuple[date, int]] = {}
    for film_id, end_date, licence_id in session.exec(statement).all():
        if film_id not in latest or end_date > latest[film_id][0]:
            latest[film_id] = (end_date, licence_id)
    return latest


def films_with_rights_ended(session: Session, today: date) -> dict[int, tuple[date, int]]:
    """Films whose streaming rights all ended before today, with no renewal committed: weeding candidates."""
    return {film_id: end for film_id, end in streaming_rights_end(session).items() if end[0] < today}


def expiring_licences(session: Session, today: date, days: int) -> list[tuple[Licence, Licence | None]]:
    """Signed or active streaming licences whose last day falls within the next `days` days, with their renewal."""
    if not 1 <= days <= 3660:
        raise InvalidInput("The number of days must be between 1 and 3660.", field="days")
    ending = list(session.exec(
        select(Licence).where(
            col(Licence.status).in_(GRANTING), col(Licence.end_date) >= today,
            col(Licence.end_date) <= today + timedelta(days=days),
            exists().where(LicenceGrant.licence_id == Licence.id, LicenceGrant.use == LicenceUse.STREAMING.value),
        ).order_by(col(Licence.end_date), col(Licence.id))
    ).all())
    renewals: dict[int, Licence] = {}
    ids = [licence.id for licence in ending]
    if ids:
        for renewal in session.exec(
            select(Licence).where(col(Licence.renews_licence_id).in_(ids), Licence.status != S.TERMINATED.value)
        ).all():
            assert renewal.renews_licence_id is not None
            renewals[renewal.renews_licence_id] = renewal
    return [(licence, renewals.get(licence.id)) for licence in ending]  # type: ignore[arg-type]


# --- budget lines --------------------------------------------------------------------------------------------------

def _check_allocation(cents: int) -> None:
    if cents < 0:
        raise InvalidInput("An allocation cannot be negative.", field="allocated_cents")


def create_budget_line(session: Session, data: BudgetLineCreate) -> BudgetLine:
    _check_allocation(data.allocated_cents)
    collection = data.collection.strip().lower()
    existing = session.exec(select(BudgetLine.id).where(BudgetLine.year == data.year,
                                                        BudgetLine.collection == collection)).first()
    if existing is not None:
        raise Conflict("The year {year} already has a line for the collection “{collection}”.", field="collection",
                       year=data.year, collection=collection)
    if data.status != BudgetLineStatus.OPEN and not data.status_reason:
        raise InvalidInput("Say why this line is suspended or closed.", field="status_reason")
    line = BudgetLine(year=data.year, collection=collection, label=data.label, allocated_cents=data.allocated_cents,
                      status=data.status.value, status_reason=data.status_reason)
    session.add(line)
    session.flush()
    return line


def get_budget_line(session: Session, line_id: int) -> BudgetLine:
    line = session.get(BudgetLine, line_id)
    if line is None:
        raise NotFound("No budget line number {line_id}.", line_id=line_id)
    return line


LINE_TRANSITIONS: Mapping[BudgetLineStatus, frozenset[BudgetLineStatus]] = {
    BudgetLineStatus.OPEN: frozenset({BudgetLineStatus.SUSPENDED, BudgetLineStatus.CLOSED}),
    BudgetLineStatus.SUSPENDED: frozenset({BudgetLineStatus.OPEN, BudgetLineStatus.CLOSED}),
    BudgetLineStatus.CLOSED: frozenset(),
}


def update_budget_line(session: Session, line_id: int, data: BudgetLineUpdate) -> BudgetLine:
    get_budget_line(session, line_id)
    line = lock_budget_line(session, line_id)
    if data.label is not None:
        line.label = data.label
    if data.allocated_cents is not None:
        _check_allocation(data.allocated_cents)
        committed = charged_cents(session, line_id)
        if data.allocated_cents < committed:
            raise Conflict("The allocation cannot go below the {committed} already committed on this line.",
                           field="allocated_cents", committed=money(committed))
        line.allocated_cents = data.allocated_cents
    if data.status is not None and data.status != line.status:
        current = BudgetLineStatus(line.status)
        if data.status not in LINE_TRANSITIONS[current]:
            raise Conflict("A {current} line cannot become {target}.", field="status",
                           current=translate(current.value), target=translate(data.status.value))
        if data.status != BudgetLineStatus.OPEN and not data.status_reason:
            raise InvalidInput("Say why this line is suspended or closed.", field="status_reason")
        line.status = data.status.value
        line.status_reason = data.status_reason if data.status != BudgetLineStatus.OPEN else None
    line.updated_at = clock.utcnow()
    session.add(line)
    session.flush()
    return line


def list_budget_lines(session: Session, *, year: int | None = None, status: str | None = None) -> list[BudgetLine]:
    statement = select(BudgetLine)
    if year is not None:
        statement = statement.where(BudgetLine.year == year)
    if status is not None:
        statement = statement.where(BudgetLine.status == status)
    return list(session.exec(statement.order_by(col(BudgetLine.year).desc(), col(BudgetLine.label))).all())


def _average(total: int, count: int) -> int | None:
    # Half-up rounding on integers: the average of a whole number of cents is shown to the cent.
    return (2 * total + count) // (2 * count) if count else None


def budget_line_records(session: Session, lines: Sequence[BudgetLine]) -> list[BudgetLinePublic]:
    ids = [line.id for line in lines]
    figures: dict[int, tuple[int, int, int]] = {}
    if ids:
        for line_id, committed, films, count in session.exec(
            select(
                Licence.budget_line_id,
                func.coalesce(func.sum(Licence.price_cents), 0),
                func.count(func.distinct(Licence.film_id)),
                func.count(),
            ).where(col(Licence.budget_line_id).in_(ids), CHARGED).group_by(col(Licence.budget_line_id))
        ).all():
            figures[line_id] = (int(committed), int(films), int(count))
        spent_by_line = dict(session.exec(
            select(Licence.budget_line_id, func.sum(Licence.price_cents))
            .where(col(Licence.budget_line_id).in_(ids), SPENT).group_by(col(Licence.budget_line_id))
        ).all())
    else:
        spent_by_line = {}
    records = []
    for line in lines:
        assert line.id is not None
        committed, films, count = figures.get(line.id, (0, 0, 0))
        records.append(BudgetLinePublic(
            id=line.id, year=line.year, collection=line.collection, label=line.label, status=line.status,
            status_reason=line.status_reason, allocated_cents=line.allocated_cents, committed_cents=committed,
            spent_cents=int(spent_by_line.get(line.id) or 0), remaining_cents=line.allocated_cents - committed,
            film_count=films, licence_count=count, average_price_cents=_average(committed, count),
        ))
    return records


def budget_report(session: Session, year: int) -> BudgetReport:
    lines = budget_line_records(session, list_budget_lines(session, year=year))
    committed = sum(line.committed_cents for line in lines)
    count = sum(line.licence_count for line in lines)
    films = session.exec(
        select(func.count(func.distinct(Licence.film_id)))
        .join(BudgetLine, col(BudgetLine.id) == Licence.budget_line_id)
        .where(BudgetLine.year == year, CHARGED)
    ).one()
    totals = BudgetTotals(
        allocated_cents=sum(line.allocated_cents for line in lines), committed_cents=committed,
        spent_cents=sum(line.spent_cents for line in lines),
        remaining_cents=sum(line.remaining_cents for line in lines), film_count=int(films), licence_count=count,
        average_price_cents=_average(committed, count),
    )
    return BudgetReport(year=year, lines=lines, totals=totals)


def monthly_use(session: Session, year: int) -> list[MonthlyUse]:
    """Cumulative commitments per line at the end of each month (Paris time) of the year, for the chart."""
    lines = list_budget_lines(session, year=year)
    per_month: dict[int, list[int]] = {line.id: [0] * 12 for line in lines if line.id is not None}
    if per_month:
        for line_id, committed_at, price in session.exec(
            select(Licence.budget_line_id, Licence.committed_at, Licence.price_cents)
            .where(col(Licence.budget_line_id).in_(list(per_month)), CHARGED)
        ).all():
            assert committed_at is not None
            local = in_paris(committed_at)
            # A commitment made before or after its line's year counts in January or December.
            month = 0 if local.year < year else 11 if local.year > year else local.month - 1
            per_month[line_id][month] += price
    result = []
    for line in lines:
        assert line.id is not None
        running, cumulative = 0, []
        for amount in per_month[line.id]:
            running += amount
            cumulative.append(running)
        result.append(MonthlyUse(budget_line_id=line.id, label=line.label, allocated_cents=line.allocated_cents,
                                 cumulative_cents=cumulative))
    return result


def licence_summary(session: Session, year: int) -> dict[str, KindSummary]:
    """Acquisitions and renewals charged to the year's lines: how many, and for how much."""
    rows = dict((kind, (count, amount)) for kind, count, amount in session.exec(
        select(Licence.kind, func.count(), func.coalesce(func.sum(Licence.price_cents), 0))
        .join(BudgetLine, col(BudgetLine.id) == Licence.budget_line_id)
        .where(BudgetLine.year == year, CHARGED).group_by(col(Licence.kind))
    ).all())
    return {kind.value: KindSummary(count=int(rows.get(kind.value, (0, 0))[0]),
                                    amount_cents=int(rows.get(kind.value, (0, 0))[1]))
            for kind in LicenceKind}
