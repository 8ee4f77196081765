"""Alembic environment: one metadata for every context, one transaction per migration, one migrator at a time."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

from cinedoc.kernel.database import make_throwaway_engine
from migrations.model_registry import import_all_models, include_object

import_all_models()
target_metadata = SQLModel.metadata

def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_throwaway_engine(url, create=True)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes upgrading at once (several app servers starting) must not interleave migrations;
            # a lock timeout keeps a migration from waiting forever behind live traffic.
            connection.execute(text("SELECT pg_advisory_lock(727274)"))
            connection.execute(text("SET lock_timeout = '10s'"))
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
            transaction_per_migration=True,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(727274)"))
                connection.commit()
    engine.dispose()


run_migrations()
