"""Alembic wiring: upgrade a database to head, and tell whether a database's schema is behind the code."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from cinedoc.kernel.database import MIGRATIONS_DIR, sqlite_file


class SchemaBehindError(RuntimeError):
    """The database was made by an older version of cinedoc (or never initialised)."""


class DatabaseMissing(SchemaBehindError):
    """The SQLite file the settings name does not exist; connecting would create an empty one, so nothing connects."""


def require_database(engine: Engine) -> None:
    path = sqlite_file(engine)
    if path is not None and not path.exists():
        raise DatabaseMissing(
            f"There is no cinedoc database at {path}. Create one with `cinedoc db upgrade` (an empty platform) or "
            "`cinedoc demo` (a demo network, in DATA_DIR/demo), or point CINEDOC_DATA_DIR or CINEDOC_DATABASE_URL "
            "at an existing one (for the demo: `CINEDOC_DATA_DIR=data/demo cinedoc ...`)."
        )


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Percent signs in passwords would otherwise be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema_current(engine: Engine) -> None:
    require_database(engine)
    current, head = current_revision(engine), head_revision()
    if current != head:
        state = f"at revision {current}" if current else "not initialised"
        raise SchemaBehindError(
            f"The database is {state}, but this version of cinedoc needs revision {head}. "
            "Run `cinedoc db upgrade` (with the same CINEDOC_DATABASE_URL / CINEDOC_DATA_DIR) and start again."
        )
