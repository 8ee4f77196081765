"""The `cinedoc audience` commands: the retention purge of the raw viewing log (daily or monthly from cron) and the
prize's daily closing of rounds, and its recount."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlmodel import Session

from cinedoc.kernel.settings import get_settings


@click.group("audience")
def audience() -> None:
    """Viewing log and statistics."""


T = TypeVar("T")


@contextmanager
def _session() -> Iterator[Session]:
    from cinedoc.kernel.database import make_throwaway_engine
    from cinedoc.kernel.errors import DomainError
    from cinedoc.kernel.schema_version import SchemaBehindError, ensure_schema_current

    engine = make_throwaway_engine(get_settings().effective_database_url)
    try:
        ensure_schema_current(engine)
        with Session(engine) as session:
            yield session
    except (DomainError, SchemaBehindError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()


def _run(work: Callable[[Session], T], *, commit: bool) -> T:
    with _session() as session:
        result = work(session)
        if commit:
            session.commit()
        return result


@audience.command("purge")
@click.option("--months", type=int, default=None, help="Months of raw events to keep (default: "
              "CINEDOC_AUDIENCE_RETENTION_MONTHS, or 13).")
@click.option("--dry-run", is_flag=True, help="Count what would go, delete nothing.")
def purge(months: int | None, dry_run: bool) -> None:
    """Delete raw viewing events and per-session rows older than the retention; monthly figures stay as they are."""
    from audience.viewing.retention import purge_events

    result = _run(lambda session: purge_events(session, months, dry_run=dry_run), commit=not dry_run)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {result.events} events and {result.consultations} session rows before "
               f"{result.cutoff.isoformat()}")


@audience.command("prize-close")
def prize_close() -> None:
    """Close the prize rounds whose last day has passed: freeze the shortlist or the result (run it daily)."""
    from audience.prize.count import settle_all

    closed = _run(settle_all, commit=True)
    if not closed:
        click.echo("no round to close today")
    for edition_id, rounds in closed.items():
        click.echo(f"edition {edition_id}: closed {', '.join(rounds)}")


@audience.command("prize-recount")
@click.argument("edition_id", type=int)
@click.argument("round_name", type=click.Choice(["librarians", "public"]))
def prize_recount(edition_id: int, round_name: str) -> None:
    """Count a round again from the stored ballots with its recorded seed and compare with the frozen count."""
    from audience.prize.count import recount

    again, matches = _run(lambda session: recount(session, edition_id, round_name), commit=False)
    for row in again.tally:
        click.echo(f"{row.rank:>3}  film {row.film_id:>6}  {row.ballots:>8} ballots  "
                   f"{row.institutions:>4} institutions")
    if not matches:
        raise click.ClickException("the recount differs from the frozen count")
    click.echo("the recount matches the frozen count")
