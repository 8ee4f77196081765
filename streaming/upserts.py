"""INSERT ... ON CONFLICT for the one-time records and counters several app processes share (SQLite, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_statement(session: Session, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT; both SQLite (3.35+) and PostgreSQL also know RETURNING."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_once(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert the row unless its key is taken; True when this call inserted it (atomic across processes)."""
    primary = list(table.primary_key.columns)
    statement = insert_statement(session, table).values(**values).on_conflict_do_nothing().returning(primary[0])
    return session.connection().execute(statement).first() is not None


def increment(session: Session, table: Table, key: dict[str, Any], column: str) -> int:
    """Add one to the counter of that key (creating it at 1) and return the new value, in one statement."""
    statement = insert_statement(session, table).values(**key, **{column: 1})
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={column: getattr(table.c, column) + 1}
    ).returning(getattr(table.c, column))
    return int(session.connection().execute(statement).scalar_one())
