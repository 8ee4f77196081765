"""The `cinedoc audience` commands: the retention purge of the raw viewing log (run it daily or monthly from cron)."""

from __future__ import annotations

import click
from sqlmodel import Session

from cinedoc.settings import get_settings


@click.group("audience")
def audience() -> None:
    """Viewing log and statistics."""


@audience.command("purge")
@click.option("--months", type=int, default=None, help="Months of raw events to keep (default: "
              "CINEDOC_AUDIENCE_RETENTION_MONTHS, or 13).")
@click.option("--dry-run", is_flag=True, help="Count what would go, delete nothing.")
def purge(months: int | None, dry_run: bool) -> None:
    """Delete raw viewing events and per-session rows older than the retention; monthly figures stay as they are."""
    from audience.retention import purge_events
    from cinedoc.database import make_throwaway_engine
    from cinedoc.errors import DomainError
    from cinedoc.schema_version import SchemaBehindError, ensure_schema_current

    engine = make_throwaway_engine(get_settings().effective_database_url)
    try:
        ensure_schema_current(engine)
        with Session(engine) as session:
            result = purge_events(session, months, dry_run=dry_run)
            if not dry_run:
                session.commit()
    except (DomainError, SchemaBehindError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {result.events} events and {result.consultations} session rows before "
               f"{result.cutoff.isoformat()}")
