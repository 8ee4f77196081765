"""Licences: the status machine (negotiating, committed, signed, active, expired, terminated), proposals and
renewals, commitment against a budget line, signature, and the daily job's transitions.

The daily job (`cinedoc rights activate`, also run by `cinedoc rights weed`) only records the transitions
(signed -> active, active -> expired) and lets the catalogue publish or weed films; playback never waits for it
(rights.access answers from the windows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import exists
from sqlmodel import Session, col, select

from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound
from cinedoc.kernel.i18n import translate
from rights import budgets
from rights.access import GRANTING, territory_codes
from rights.models import Licence, LicenceGrant, LicenceKind, LicenceStatus, LicenceUse
from rights.schemas import LicencePublic, LicenceTerms, RenewalTerms

S = LicenceStatus

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
# Statuses that hold a film's rights now or later: a film is weeded only when none of these reaches today.
HOLDING = (S.COMMITTED.value, S.SIGNED.value, S.ACTIVE.value, S.EXPIRED.value)


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


def propose_licence(session: Session, film_id: int, terms: LicenceTerms, *, actor_id: int | None,
                    kind: LicenceKind = LicenceKind.ACQUISITION, renews_licence_id: int | None = None) -> Licence:
    """A curator's proposal: status negotiating, nothing charged yet. The caller has checked the film exists."""
    territories = _check_terms(terms)
    if terms.budget_line_id is not None:
        budgets.check_line_accepts(budgets.line_to_charge(session, terms.budget_line_id))
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


def commit_licence(session: Session, licence_id: int, *, actor_id: int | None,
                   budget_line_id: int | None = None) -> Licence:
    """The budget holder engages the money: refused on a suspended or closed line, or past the allocation."""
    licence = get_licence(session, licence_id)
    line_id = budget_line_id if budget_line_id is not None else licence.budget_line_id
    if line_id is None:
        raise InvalidInput("Choose the budget line this licence is charged to.", field="budget_line_id")
    line = budgets.lock_budget_line(session, line_id)
    licence = get_licence(session, licence_id, for_update=True)  # re-read under the lock
    check_move(licence, S.COMMITTED)
    budgets.check_commitment(session, line, licence.price_cents, licence_id=licence_id)
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
