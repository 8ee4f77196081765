"""The demo network behind `cinedoc demo`: a realistic catalogue and one account per role, on SQLite."""

from __future__ import annotations

import random
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlmodel import Session, select

from audience.demo import add_demo_history
from audience.prize.demo import add_demo_prize
from catalogue.acquisitions.demo import add_demo_rights
from catalogue.films.bulk_load import load_films
from catalogue.films.demo import SUBJECTS, generate_films
from catalogue.films.models import Film, FilmStatus
from catalogue.films.services import ensure_subjects
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.database import make_throwaway_engine
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.schema_version import upgrade
from cinedoc.kernel.settings import Settings
from cinedoc.kernel.staff_accounts import create_staff_user
from streaming.access.demo import add_demo_institutions
from streaming.media.demo import package_demo_media
from streaming.playback.signing import KeyRing


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    name: str


DEMO_ACCOUNTS = (
    DemoAccount(Role.CURATOR, "curatrice@demo.cinedoc.fr", "demo-curatrice", "Claire Programmatrice"),
    DemoAccount(Role.BUDGET_HOLDER, "budget@demo.cinedoc.fr", "demo-budget-2024", "Bruno Comptable"),
    DemoAccount(Role.LIBRARIAN, "bibliothecaire@demo.cinedoc.fr", "demo-bibliotheque", "Léa Médiathécaire"),
    DemoAccount(Role.ADMINISTRATOR, "admin@demo.cinedoc.fr", "demo-administration", "Alex Administrateur"),
)

def _demo_statuses(count: int, seed: int) -> list[str]:
    # A live catalogue has a few drafts being prepared and a few films already weeded.
    rng = random.Random(seed)

    def status(roll: float) -> str:
        if roll < 0.03:
            return FilmStatus.DRAFT.value
        return FilmStatus.WEEDED.value if roll < 0.05 else FilmStatus.AVAILABLE.value

    return [status(rng.random()) for _ in range(count)]


def build_demo(settings: Settings, *, reset: bool = False, film_count: int = 480) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if reset and settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
        settings.data_dir.mkdir(parents=True)
    url = settings.effective_database_url
    # An existing demo database is brought to the current schema and kept: rebuilding takes a while.
    upgrade(url)
    engine = make_throwaway_engine(url)
    with Session(engine) as session:
        if session.exec(select(Film.id).limit(1)).first() is not None:
            print(f"Reusing the demo database in {settings.data_dir} (use --reset to rebuild it).")
            engine.dispose()
            return
    seeds = generate_films(film_count)
    with Session(engine) as session, Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        ensure_subjects(session, SUBJECTS)
        institutions = add_demo_institutions(session)
        for account in DEMO_ACCOUNTS:
            create_staff_user(
                session, email=account.email, display_name=account.name, password=account.password,
                role=account.role, institution_id=institutions[0].id if account.role == Role.LIBRARIAN else None,
            )
        task = progress.add_task("Catalogue", total=len(seeds))
        statuses = _demo_statuses(len(seeds), 7)
        film_ids = load_films(session, seeds, statuses, progress=lambda n: progress.advance(task, n))
        add_demo_rights(session, film_ids, statuses)
        # Before the history, whose monthly figures peak in the months of the prize's votes.
        add_demo_prize(session, KeyRing(settings.secret_key))
        add_demo_history(session)
        session.commit()
    package_demo_media(engine, settings.data_dir)
    engine.dispose()


@dataclass(frozen=True)
class DemoAddresses:
    site: str  # the platform, e.g. http://127.0.0.1:8000
    portal: str  # the sample portal, e.g. http://127.0.0.1:8001
    portal_library: str
    portal_institution_id: int


def cinedoc_command() -> str:
    """How to type this `cinedoc` from the current folder: scripts/demo.sh runs .venv/bin/cinedoc without activating
    the virtual environment, so a bare `cinedoc` would not be found."""
    beside = Path(sys.executable).parent / "cinedoc"
    if not beside.exists():
        return "cinedoc"
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)


def demo_banner(settings: Settings, addresses: DemoAddresses, films: list[tuple[int, str]], *,
                served: bool) -> list[str]:
    """What `cinedoc demo` prints for a newcomer: what to open, who to sign in as, and how to run commands on the
    demo's database (in the terminal's language, French by default)."""
    site, portal = addresses.site, addresses.portal
    # The first line stays the same in every language: scripts wait for it (bench/first_frame.py).
    lines = [f"cinedoc demo: {site}/", translate("The demo is served. Open:") if served else
             translate("The demo is built in {folder}. Served by `cinedoc demo`, it answers at:",
                       folder=settings.data_dir)]
    lines += [
        "  " + translate("the public site (catalogue, audience prize): {url}", url=f"{site}/"),
        "  " + translate("the staff sign-in: {url}", url=f"{site}/login"),
        "  " + translate("a library's portal, {library}, with the embedded player and the prize ballot: {url}",
                         library=addresses.portal_library, url=f"{portal}/"),
        "",
        translate("Staff accounts (e-mail / password):"),
        *(f"  {translate(account.role):<24} {account.email:<32} {account.password}" for account in DEMO_ACCOUNTS),
    ]
    if films:
        lines += ["", translate("Films with a video (number: title):"),
                  *(f"  {film_id}: {title}" for film_id, title in films)]
    prefix = f"CINEDOC_DATA_DIR={shlex.quote(str(settings.data_dir))} {cinedoc_command()}"
    lines += ["", translate("Commands work on the demo's database when pointed at its folder, for example:"),
              f"  {prefix} rights expiring"]
    if films:
        lines += [f"  {prefix} access embed-url --institution {addresses.portal_institution_id} "
                  f"--patron lecteur-42 --film {films[0][0]}",
                  "  " + translate("(the portal's page {url} frames the address it prints)", url=f"{portal}/essai")]
    if served:
        lines += ["", translate("Stop the demo with Ctrl+C.")]
    return lines
