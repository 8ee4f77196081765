"""The migrations build the schema the models describe, and the app refuses a database that is behind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from cinedoc.app import create_app
from cinedoc.kernel.database import make_throwaway_engine
from cinedoc.kernel.schema_version import SchemaBehindError, current_revision, head_revision, upgrade
from cinedoc.kernel.settings import Settings
from migrations.model_registry import include_object
from tests.conftest import TEST_SECRET


def test_an_empty_database_upgrades_to_head_and_matches_the_models(
    fresh_database_url: Callable[[str], str],
) -> None:
    url = fresh_database_url("migration_check")
    upgrade(url)
    engine = make_throwaway_engine(url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object, "compare_type": True}
            )
            differences = compare_metadata(context, SQLModel.metadata)
            tables = set(inspect(connection).get_table_names())
        assert differences == [], f"models and migrations disagree: {differences}"
        search_table = "film_fts" if engine.dialect.name == "sqlite" else "film_search"
        assert search_table in tables
    finally:
        engine.dispose()


def test_the_app_refuses_to_start_on_a_database_that_is_behind(
    fresh_database_url: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url = fresh_database_url("behind_check")
    settings = Settings(secret_key=TEST_SECRET, database_url=url, data_dir=tmp_path_factory.mktemp("behind"))
    with pytest.raises(SchemaBehindError, match="cinedoc db upgrade"):
        create_app(settings)
    upgrade(url)
    create_app(settings)  # at head it starts
