"""Imports every context's tables so that SQLModel.metadata is complete (Alembic, tests, the demo)."""

from __future__ import annotations


def import_all_models() -> None:
    import audience  # noqa: F401
    import catalogue.models  # noqa: F401
    import cinedoc.accounts  # noqa: F401
    import rights  # noqa: F401
    import streaming.models  # noqa: F401
