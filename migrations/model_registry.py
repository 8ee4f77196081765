"""Every context's tables in one SQLModel.metadata (for Alembic, tests, the demo), and what Alembic leaves alone."""

from __future__ import annotations


def import_all_models() -> None:
    import audience.prize.models  # noqa: F401
    import audience.viewing.models  # noqa: F401
    import catalogue.acquisitions.models  # noqa: F401
    import catalogue.films.models  # noqa: F401
    import cinedoc.kernel.accounts  # noqa: F401
    import rights.models  # noqa: F401
    import streaming.access.models  # noqa: F401
    import streaming.media.models  # noqa: F401
    from audience.wiring import wire

    # What `import audience` used to do on the way: audience's providers in the lower contexts (the figures of
    # `cinedoc rights expiring --json`, refused openings counted in usage).
    wire()


# Objects that a dialect-specific migration creates by hand (full-text indexes) and no model describes.
HAND_MADE_TABLES = {"film_fts", "film_search"}


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    if type_ == "table" and (name in HAND_MADE_TABLES or (name or "").startswith("film_fts_")):
        return False
    # The monthly partitions of the viewing log on PostgreSQL (audience/viewing/partitions.py) are made at run time.
    if type_ == "table" and reflected and compare_to is None and (name or "").startswith("viewing_event_"):
        return False
    return not (type_ in {"index", "column"} and getattr(getattr(obj, "table", None), "name", "") in HAND_MADE_TABLES)
