"""Database engine, per-request sessions and the schema-version check shared by every context."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while one writer commits; busy_timeout makes concurrent writers
    # wait for the lock instead of failing at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def sqlite_file(engine_or_url: Engine | str) -> Path | None:
    """The file of a SQLite database (None for an in-memory one or another backend)."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(url: str, *, create: bool = True) -> Engine:
    """`create`: the SQLite file's folder is made, so that the first connection can create the file."""
    if is_sqlite(url):
        path = sqlite_file(url)
        if path is not None and create:
            path.parent.mkdir(parents=True, exist_ok=True)
        # Handlers run in a thread pool, so a connection may be used from another thread than the
        # one that opened it; the pool still hands each connection to one session at a time.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _configure_sqlite)
        # BEGIN IMMEDIATE on writes would be ideal; pysqlite's implicit transactions are enough here
        # because every write goes through one request-scoped session.
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def make_throwaway_engine(url: str, *, create: bool = False) -> Engine:
    """An engine without pooling, for one-off commands (migrations, CLI). Only migrations (`create`) may bring a SQLite
    file into being: a command pointed at the wrong folder must say there is no database, not leave an empty one
    (schema_version.require_database says so before anything connects)."""
    if is_sqlite(url):
        return make_engine(url, create=create)
    return create_engine(url, poolclass=NullPool)


@asynccontextmanager
async def request_session(engine: Engine) -> AsyncIterator[Session]:
    """One session per request: committed when the handler succeeds, rolled back otherwise.

    An async generator on purpose: its clean-up (the commit) then runs on the event loop, not on the handlers'
    thread pool. With a sync generator, SQLite writers waiting for the write lock could fill the pool while the
    request holding the lock waited for a free thread to commit: a deadlock until the busy timeout.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    else:
        session.commit()
    finally:
        session.close()
