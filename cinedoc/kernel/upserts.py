"""INSERT ... ON CONFLICT for the one-time records and counters several app processes share (SQLite, PostgreSQL).

The statements are built once per dialect and table and take their values at execution: they sit on the path of
every playback session opening, where building a statement costs more than running it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def _dialect_insert(dialect: str, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT; both SQLite (3.35+) and PostgreSQL also know RETURNING."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


@cache
def _insert_once_statement(dialect: str, table: Table) -> Any:
    return _dialect_insert(dialect, table).on_conflict_do_nothing().returning(list(table.primary_key.columns)[0])


@cache
def _increment_statement(dialect: str, table: Table, key: tuple[str, ...], column: str) -> Any:
    counter = getattr(table.c, column)
    return _dialect_insert(dialect, table).on_conflict_do_update(
        index_elements=list(key), set_={column: counter + 1}).returning(counter)


def insert_once(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert the row unless its key is taken; True when this call inserted it (atomic across processes)."""
    statement = _insert_once_statement(session.get_bind().dialect.name, table)
    return session.connection().execute(statement, values).first() is not None


def increment(session: Session, table: Table, key: dict[str, Any], column: str) -> int:
    """Add one to the counter of that key (creating it at 1) and return the new value, in one statement."""
    statement = _increment_statement(session.get_bind().dialect.name, table, tuple(key), column)
    return int(session.connection().execute(statement, {**key, column: 1}).scalar_one())
