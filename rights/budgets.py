"""Budget lines: per year and collection, open, suspended or closed; their committed and spent amounts derived from
the licences charged to them, never typed in; and the rule a commitment must pass, serialised per line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.templating import money
from rights.models import BudgetLine, BudgetLineStatus, Licence, LicenceStatus
from rights.schemas import BudgetLineCreate, BudgetLinePublic, BudgetLineUpdate

S = LicenceStatus

# A licence is charged to its line from its commitment; cancelling it before signature releases the money,
# terminating it after signature does not (the contract was paid).
CHARGED = and_(col(Licence.committed_at).is_not(None),
               or_(col(Licence.status) != S.TERMINATED.value, col(Licence.signed_at).is_not(None)))
SPENT = col(Licence.signed_at).is_not(None)


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


def line_to_charge(session: Session, line_id: int) -> BudgetLine:
    """The line a licence names, read without a lock (a proposal charges nothing yet)."""
    line = session.get(BudgetLine, line_id)
    if line is None:
        raise InvalidInput("No budget line number {line_id}.", field="budget_line_id", line_id=line_id)
    return line


def check_line_accepts(line: BudgetLine) -> None:
    """A suspended or closed line refuses every commitment, and every proposal charged to it."""
    if line.status == BudgetLineStatus.SUSPENDED:
        raise Conflict("The budget line “{line}” is suspended: it accepts no commitment.", field="budget_line_id",
                       line=line.label)
    if line.status == BudgetLineStatus.CLOSED:
        raise Conflict("The budget line “{line}” is closed: it accepts no commitment.", field="budget_line_id",
                       line=line.label)


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


def check_commitment(session: Session, line: BudgetLine, price_cents: int, *, licence_id: int) -> None:
    """Refuse committing `price_cents` to a line that is not open or would go past its allocation.

    The caller holds the line's lock (lock_budget_line), so the money read here is the money the commitment writes
    against: two commitments arriving at once are checked one after the other.
    """
    assert line.id is not None
    check_line_accepts(line)
    remaining = line.allocated_cents - charged_cents(session, line.id, excluding=licence_id)
    if price_cents > remaining:
        raise Conflict(
            "Committing {price} would take the line “{line}” {excess} past its allocation (only {remaining} left).",
            field="price_cents", price=money(price_cents), line=line.label,
            excess=money(price_cents - remaining), remaining=money(max(remaining, 0)),
        )


def average_cents(total: int, count: int) -> int | None:
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
            film_count=films, licence_count=count, average_price_cents=average_cents(committed, count),
        ))
    return records
