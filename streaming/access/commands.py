"""The `cinedoc access` commands: a working embed URL for testing, assertion keys, playback key rotation, cleanup."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlmodel import Session

from cinedoc.kernel.settings import get_settings


@contextmanager
def _session() -> Iterator[Session]:
    from cinedoc.kernel.database import make_throwaway_engine
    from cinedoc.kernel.schema_version import SchemaBehindError, ensure_schema_current

    engine = make_throwaway_engine(get_settings().effective_database_url)
    try:
        ensure_schema_current(engine)
        with Session(engine, expire_on_commit=False) as session:
            yield session
            session.commit()
    except SchemaBehindError as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()


def _run(work: Callable[[Session], Any]) -> Any:
    from cinedoc.kernel.errors import DomainError

    try:
        with _session() as session:
            return work(session)
    except DomainError as error:
        raise click.ClickException(str(error)) from error


@click.group("access")
def access() -> None:
    """Patron access: embed URLs for testing, portal assertion keys, playback keys."""


@access.command("embed-url")
@click.option("--institution", "institution_id", type=int, required=True, help="Institution number.")
@click.option("--patron", required=True, help="The portal's pseudonymous patron id (it is never stored).")
@click.option("--film", "film_id", type=int, required=True, help="Film number.")
@click.option("--base-url", help="The platform's address (default CINEDOC_PUBLIC_URL, else the address the server "
                                 "last started on with this data folder, else http://HOST:PORT).")
@click.option("--lifetime", type=click.IntRange(30, 600), default=300, show_default=True,
              help="Seconds the assertion stays valid (it can be used once).")
@click.option("--iframe", is_flag=True, help="Print the iframe snippet instead of the bare URL.")
def embed_url(institution_id: int, patron: str, film_id: int, base_url: str | None, lifetime: int,
              iframe: bool) -> None:
    """Print a player URL with an assertion signed with the institution's newest key, as a portal would."""
    from cinedoc.kernel.server_address import recorded_server_address
    from streaming.access.config import get_access_settings
    from streaming.access.institutions import embed_url as make_url
    from streaming.access.institutions import get_institution, iframe_snippet, trial_assertion

    settings = get_settings()
    base = (base_url or get_access_settings().public_url or recorded_server_address(settings.data_dir)
            or f"http://{settings.host}:{settings.port}")

    def work(session: Session) -> str:
        institution = get_institution(session, institution_id)
        url = make_url(base, film_id, assertion=trial_assertion(session, institution_id, patron, lifetime=lifetime))
        return iframe_snippet(url, institution.name) if iframe else url

    click.echo(_run(work))


@access.command("create-key")
@click.option("--institution", "institution_id", type=int, required=True, help="Institution number.")
@click.option("--label", default="", help="A note, e.g. the portal's name.")
def create_key(institution_id: int, label: str) -> None:
    """Create an assertion key for a portal; prints its id and secret (shown only now)."""
    from streaming.access.institutions import create_assertion_key
    from streaming.access.schemas import AssertionKeyCreate

    key = _run(lambda session: create_assertion_key(session, institution_id, AssertionKeyCreate(label=label)))
    click.echo(f"kid:    {key.kid}\nsecret: {key.secret}")


@access.command("rotate-playback-key")
@click.option("--retire-others", is_flag=True,
              help="Also retire the older keys (their media tokens stop; players fetch fresh sessions).")
def rotate_playback_key(retire_others: bool) -> None:
    """Create a new playback key that signs the new media tokens."""
    from streaming.access.models import KeyStatus
    from streaming.playback.sessions import end_playback_key, playback_keys
    from streaming.playback.sessions import rotate_playback_key as rotate

    def work(session: Session) -> list[str]:
        key = rotate(session)
        lines = [f"New playback key {key.kid}."]
        if retire_others:
            for older in playback_keys(session):
                if older.kid != key.kid and older.status == KeyStatus.ACTIVE:
                    end_playback_key(session, older.kid, KeyStatus.RETIRED)
                    lines.append(f"Retired {older.kid}.")
        return lines

    for line in _run(work):
        click.echo(line)


@access.command("prune")
def prune() -> None:
    """Forget spent nonces and old rate-limit windows (safe to run at any time, e.g. daily)."""
    from cinedoc.kernel import clock
    from streaming.access.assertions import forget_spent_nonces
    from streaming.playback.rate_limit import forget_old_windows

    def work(session: Session) -> tuple[int, int]:
        now = clock.utcnow()
        return forget_spent_nonces(session, now), forget_old_windows(session, now)

    nonces, windows = _run(work)
    click.echo(f"Forgot {nonces} spent nonces and {windows} old rate-limit windows.")
