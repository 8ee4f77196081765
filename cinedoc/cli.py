"""The `cinedoc` command: serve, build and serve a demo, migrate the database, create staff accounts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from audience.commands import audience as audience_commands
from cinedoc.kernel.settings import InsecureSettingsError, Settings, get_settings
from streaming.access.commands import access as access_commands
from streaming.media.commands import media as media_commands


def _base_settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        problems = "; ".join(
            (f"CINEDOC_{'_'.join(map(str, e['loc'])).upper()}: " if e["loc"] else "") + e["msg"] for e in error.errors()
        )
        raise click.ClickException(f"Invalid configuration: {problems}") from error


def _settings(**overrides: object) -> Settings:
    base = _base_settings()
    values = {key: value for key, value in overrides.items() if value is not None}
    return base.model_copy(update=values) if values else base


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """cinedoc: documentary films on demand for library networks.

    Configuration comes from CINEDOC_* environment variables (see the README); the defaults run everything
    from ./data with SQLite.
    """
    from migrations.model_registry import import_all_models

    # Foreign keys name tables of every context: all models must be known before any session opens.
    import_all_models()


def _record_address(settings: Settings) -> None:
    """Commands run later with this data folder (embed URLs) default to where this server answers."""
    from cinedoc.kernel.server_address import record_server_address, server_url
    from streaming.access.config import get_access_settings

    record_server_address(settings.data_dir, get_access_settings().public_url or server_url(settings.host,
                                                                                           settings.port))


@main.command()
@click.option("--host", help="Address to listen on (default CINEDOC_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (default CINEDOC_PORT, 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the platform (the database must be at the current schema: see `cinedoc db upgrade`)."""
    import uvicorn

    from cinedoc.app import create_app
    from cinedoc.kernel.schema_version import SchemaBehindError
    from streaming.playback.player_assets import PlayerAssetMissing

    settings = _settings(host=host, port=port)
    try:
        app = create_app(settings)
    except (SchemaBehindError, InsecureSettingsError, PlayerAssetMissing) as error:
        raise click.ClickException(str(error)) from error
    _record_address(settings)
    click.echo(f"cinedoc listening on http://{settings.host}:{settings.port}/")
    if workers > 1:
        # Several processes need an import string; they rebuild the app from the same environment.
        os.environ.update(CINEDOC_HOST=settings.host, CINEDOC_PORT=str(settings.port))
        uvicorn.run("cinedoc.asgi:app", host=settings.host, port=settings.port, workers=workers, log_level="warning")
    else:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


@main.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (default 8000).")
@click.option("--portal-port", type=click.IntRange(1, 65535),
              help="Port of the sample library portal that frames the player (default: the demo's port + 1).")
@click.option("--reset", is_flag=True, help="Throw the demo database away and build it again.")
@click.option("--films", type=click.IntRange(1, 50_000), default=480, show_default=True, help="Catalogue size.")
@click.option("--no-serve", is_flag=True, help="Build the demo data and stop without serving.")
def demo(host: str | None, port: int | None, portal_port: int | None, reset: bool, films: int,
         no_serve: bool) -> None:
    """Build a demo network on SQLite (films, accounts) in DATA_DIR/demo and serve it, with a sample library portal
    on a second port."""
    from sqlmodel import Session

    from cinedoc.app import create_app
    from cinedoc.demo import DemoAddresses, build_demo, demo_banner
    from cinedoc.demo_portal import (
        PORTAL_INSTITUTION,
        create_portal_app,
        films_with_video,
        port_is_free,
        portal_origins,
        register_portal_origins,
        serve_with_portal,
    )
    from cinedoc.kernel.i18n import current_locale, terminal_locale
    from cinedoc.kernel.server_address import server_url
    from streaming.playback.player_assets import PlayerAssetMissing, check_player_assets

    base = _base_settings()
    settings = base.model_copy(update={
        "demo": True, "data_dir": base.data_dir / "demo", "database_url": None,
        **({"host": host} if host else {}), **({"port": port} if port else {}),
    })
    portal_port = portal_port or (settings.port + 1 if settings.port < 65535 else settings.port - 1)
    if portal_port == settings.port:
        raise click.BadParameter("the portal needs a port of its own.", param_hint="--portal-port")
    # Said before the build, which takes a while: what would stop the demo from serving once built.
    try:
        check_player_assets()
    except PlayerAssetMissing as error:
        raise click.ClickException(str(error)) from error
    if not no_serve:
        for number, option in ((settings.port, "--port"), (portal_port, "--portal-port")):
            if not port_is_free(settings.host, number):
                raise click.ClickException(f"Port {number} is already in use on {settings.host}: choose another "
                                           f"one with {option}.")
    build_demo(settings, reset=reset, film_count=films)
    app = create_app(settings)
    engine = app.state.engine
    site, portal_url = server_url(settings.host, settings.port), server_url(settings.host, portal_port)
    institution_id = register_portal_origins(engine, portal_origins(settings.host, portal_port))
    with Session(engine) as session:
        playable = [(film.id, film.title) for film in films_with_video(session)]
    addresses = DemoAddresses(site, portal_url, PORTAL_INSTITUTION, institution_id)
    chosen = current_locale.set(terminal_locale(os.environ))
    try:
        banner = demo_banner(settings, addresses, playable, served=not no_serve)
    finally:
        current_locale.reset(chosen)
    click.echo("")
    for line in banner:
        click.echo(line)
    if no_serve:
        engine.dispose()
        return
    _record_address(settings)
    serve_with_portal(app, create_portal_app(engine, site, institution_id), host=settings.host, port=settings.port,
                      portal_port=portal_port)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Apply the migrations to the configured database (creates the SQLite file if needed)."""
    from cinedoc.kernel.schema_version import upgrade

    settings = _base_settings()
    if settings.database_url is None:
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url, revision)
    click.echo(f"Database upgraded to {revision}.")


@db.command("current")
def db_current() -> None:
    """Print the database's schema revision and the code's."""
    from cinedoc.kernel.database import make_throwaway_engine
    from cinedoc.kernel.schema_version import SchemaBehindError, current_revision, head_revision, require_database

    engine = make_throwaway_engine(_base_settings().effective_database_url)
    try:
        require_database(engine)
        click.echo(f"database: {current_revision(engine) or 'not initialised'}; code: {head_revision()}")
    except SchemaBehindError as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()


@main.group()
def user() -> None:
    """Staff accounts."""


@user.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", "display_name", default="", help="Name shown in the interface.")
@click.option("--role", required=True, type=click.Choice(["curator", "budget_holder", "librarian", "administrator"]))
@click.option("--institution", "institution_id", type=int, help="Institution id (librarians only).")
@click.password_option(help="Password (asked twice when not given).")
def user_create(email: str, display_name: str, role: str, institution_id: int | None, password: str) -> None:
    """Create a staff account (curator, budget holder, librarian or administrator)."""
    from sqlmodel import Session

    from cinedoc.kernel.database import make_throwaway_engine
    from cinedoc.kernel.errors import DomainError
    from cinedoc.kernel.schema_version import SchemaBehindError, ensure_schema_current
    from cinedoc.kernel.staff_accounts import create_staff_user

    engine = make_throwaway_engine(_base_settings().effective_database_url)
    try:
        ensure_schema_current(engine)
        with Session(engine) as session:
            account = create_staff_user(session, email=email, display_name=display_name, password=password,
                                        role=role, institution_id=institution_id)
            session.commit()
            click.echo(f"Created {account.role} account {account.email} (id {account.id}).")
    except (DomainError, SchemaBehindError) as error:
        raise click.ClickException(str(error)) from error


@main.group("rights")
def rights_group() -> None:
    """Rights: licences ending soon, and the daily job (licence activation and expiry, weeding with notice)."""


def _rights_session_run(work: object) -> None:
    from sqlmodel import Session

    from cinedoc.kernel.database import make_throwaway_engine
    from cinedoc.kernel.errors import DomainError
    from cinedoc.kernel.schema_version import SchemaBehindError, ensure_schema_current

    engine = make_throwaway_engine(_base_settings().effective_database_url)
    try:
        ensure_schema_current(engine)
        with Session(engine, expire_on_commit=False) as session:
            lines = work(session)  # type: ignore[operator]
            session.commit()
        for line in lines:
            click.echo(line)
    except (DomainError, SchemaBehindError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()


@rights_group.command("expiring")
@click.option("--days", type=click.IntRange(1, 3660), default=90, show_default=True, help="Horizon in days.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def rights_expiring(days: int, as_json: bool) -> None:
    """List the streaming licences ending within the next DAYS days (Europe/Paris), with their renewal if any."""
    from catalogue.acquisitions.commands import expiring_lines

    _rights_session_run(lambda session: list(expiring_lines(session, days, as_json=as_json)))


@rights_group.command("activate")
@click.option("--dry-run", is_flag=True, help="Say what would change without writing anything.")
def rights_activate(dry_run: bool) -> None:
    """Activate signed licences whose window begins today and put their films on offer (run daily)."""
    from catalogue.acquisitions.commands import daily_lines, run_daily

    _rights_session_run(lambda session: list(daily_lines(run_daily(session, dry_run=dry_run, activate_only=True))))


@rights_group.command("weed")
@click.option("--dry-run", is_flag=True, help="List what would be weeded today and why, without doing it.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def rights_weed(dry_run: bool, as_json: bool) -> None:
    """The daily rights job: expire and activate licences, announce weedings a month ahead, weed what is due."""
    from catalogue.acquisitions.commands import daily_lines, run_daily

    _rights_session_run(lambda session: list(daily_lines(run_daily(session, dry_run=dry_run), as_json=as_json)))


# The media commands live with the context that owns packaging.
main.add_command(media_commands)
main.add_command(access_commands)
main.add_command(audience_commands)

if __name__ == "__main__":
    sys.exit(main())
