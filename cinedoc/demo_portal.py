"""The demo's sample library portal: a small municipal library's page on a second loopback port (another origin than
the platform's, registered for a demo institution) that frames the platform's player and prize ballot as a real portal
does, with a fresh assertion signed for a demo patron at each page view."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.response import Template
from litestar.template import TemplateConfig
from markupsafe import Markup
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from audience.prize.editions import phase_on
from audience.prize.showcase import current_edition
from catalogue.films.models import Film, FilmStatus
from catalogue.films.summaries import directors_by_film
from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict, InvalidInput
from cinedoc.kernel.i18n import choose_locale, current_locale, translate
from cinedoc.kernel.server_address import server_url
from cinedoc.kernel.templating import make_template_engine
from streaming.access.demo import FIRST
from streaming.access.institutions import add_origin, embed_url, iframe_snippet, trial_assertion
from streaming.media.models import FilmMedia, Institution

# The portal of the demo librarian's library: its origins are registered at each start, whatever the port.
PORTAL_INSTITUTION = FIRST[0][0]
# The portal's signed-in patron, as the library's system knows them; the platform only keeps a pseudonym of it.
DEMO_PATRON = "lecteur-demo-0042"
FILMS_SHOWN = 4
# The platform's longest accepted lifetime (CINEDOC_ASSERTION_MAX_LIFETIME_SECONDS' default): a frame loads late when
# the visitor lingers on the page; each assertion still works once.
ASSERTION_SECONDS = 600


@dataclass(frozen=True)
class VideoFilm:
    id: int
    title: str
    year: int | None
    directors: list[str]
    synopsis: str


@dataclass(frozen=True)
class PortalFilm:
    film: VideoFilm
    player_url: str

    @property
    def snippet(self) -> Markup:
        # The very frame a librarian pastes (iframe_snippet), so the demo shows what a portal gets.
        return Markup(iframe_snippet(self.player_url, translate("Player: %(title)s") % {"title": self.film.title}))


def films_with_video(session: Session, limit: int | None = None) -> list[VideoFilm]:
    """The available films whose video is published (the demo packages a few), in catalogue order."""
    query = (select(Film).join(FilmMedia, col(FilmMedia.film_id) == Film.id)
             .where(Film.status == FilmStatus.AVAILABLE).order_by(col(Film.id)))
    films = list(session.exec(query.limit(limit) if limit else query))
    directors = directors_by_film(session, [film.id for film in films if film.id is not None])
    return [VideoFilm(film.id, film.title, film.year, directors.get(film.id, []), film.synopsis or "")
            for film in films if film.id is not None]


def portal_institution_id(session: Session) -> int:
    institution_id = session.exec(select(Institution.id).where(Institution.name == PORTAL_INSTITUTION)).first()
    if institution_id is None:
        raise RuntimeError(f"The demo database has no institution named {PORTAL_INSTITUTION!r}: rebuild it with "
                           "`cinedoc demo --reset`.")
    return institution_id


def portal_origins(host: str, port: int) -> list[str]:
    """The origins a browser may give the portal: loopback has two spellings, both registered."""
    origin = server_url(host, port)
    if urlsplit(origin).hostname in ("127.0.0.1", "localhost"):
        return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    return [origin]


def register_portal_origins(engine: Engine, origins: list[str]) -> int:
    """Registers the portal's origins for its institution (kept across starts; a new port adds its own); returns the
    institution's id."""
    with Session(engine) as session:
        institution_id = portal_institution_id(session)
        for origin in origins:
            with contextlib.suppress(Conflict):  # registered by an earlier start
                add_origin(session, institution_id, origin)
        session.commit()
    return institution_id


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As uvicorn binds: a port whose last connections are still closing (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


# --- the pages ------------------------------------------------------------------------------------------------------

async def _select_locale(request: Request[Any, Any, Any]) -> None:
    """A French library's portal: French unless the visitor asks otherwise with ?lang=en. Async for the reason given
    in cinedoc.kernel.templating.request_locale_hook: the choice must reach the handler's thread."""
    current_locale.set(choose_locale(request.query_params.get("lang"), None, None))


def _state(request: Request[Any, Any, Any]) -> tuple[Engine, str, int]:
    state = request.app.state
    return state.engine, state.platform_url, state.institution_id


def _page(template: str, *, status_code: int = 200, **context: Any) -> Template:
    # Never cached: each view carries assertions that work once.
    return Template(template, context={"patron": DEMO_PATRON, **context}, status_code=status_code,
                    headers={"Cache-Control": "no-store"})


@get("/", sync_to_thread=True)
def home(request: Request[Any, Any, Any]) -> Template:
    engine, platform_url, institution_id = _state(request)
    lang = current_locale.get()
    with Session(engine) as session:
        def signed() -> str:  # one per frame: an assertion works once
            return trial_assertion(session, institution_id, DEMO_PATRON, lifetime=ASSERTION_SECONDS)

        institution = session.get(Institution, institution_id)
        films = [PortalFilm(film, embed_url(platform_url, film.id, lang=lang, assertion=signed()))
                 for film in films_with_video(session, FILMS_SHOWN)]
        edition = current_edition(session)
        ballot_url = None
        if edition is not None and edition.id is not None and phase_on(edition, clock.paris_today()).name == "public":
            ballot_url = f"{platform_url}/embed/prize/{edition.id}?lang={lang}&assertion={signed()}"
    return _page("demo/portal.html", institution_name=institution.name if institution else PORTAL_INSTITUTION,
                 films=films, edition=edition, ballot_url=ballot_url)


def player_address(platform_url: str, src: str) -> str:
    """An address this page may frame: one of the platform's player or ballot pages, nothing else."""
    src = src.strip()
    if not src.startswith(f"{platform_url}/embed/"):
        raise InvalidInput("This is not an address of the platform's player: it starts with {prefix}.",
                           field="src", prefix=f"{platform_url}/embed/")
    return src


@get("/essai", sync_to_thread=True)
def try_address(request: Request[Any, Any, Any], src: str = "") -> Template:
    """Frames an address printed by `cinedoc access embed-url`, on this registered origin, as the portal would."""
    _engine, platform_url, _institution_id = _state(request)
    error = framed = None
    if src:
        try:
            framed = player_address(platform_url, src)
        except InvalidInput as refused:
            error = refused.localized()
    snippet = Markup(iframe_snippet(framed, translate("Player in the portal’s frame"))) if framed else None
    return _page("demo/portal_try.html", status_code=400 if error else 200, institution_name=PORTAL_INSTITUTION,
                 src=src, framed=framed, snippet=snippet, error=error, platform_url=platform_url)


def create_portal_app(engine: Engine, platform_url: str, institution_id: int) -> Litestar:
    return Litestar(
        route_handlers=[home, try_address],
        template_config=TemplateConfig(engine=make_template_engine()),
        before_request=_select_locale,
        state=State({"engine": engine, "platform_url": platform_url.rstrip("/"), "institution_id": institution_id}),
        openapi_config=None,
        debug=False,
    )


# --- two servers, one process -----------------------------------------------------------------------------------------

def serve_with_portal(app: Litestar, portal: Litestar, *, host: str, port: int, portal_port: int) -> None:
    """The platform and its sample portal in one event loop; when either stops (Ctrl+C, SIGTERM), both stop."""
    servers = [uvicorn.Server(uvicorn.Config(served, host=host, port=number, log_level="warning"))
               for served, number in ((app, port), (portal, portal_port))]

    async def run(server: uvicorn.Server) -> None:
        try:
            await server.serve()
        finally:
            for other in servers:
                other.should_exit = True

    async def both() -> None:
        await asyncio.gather(*(run(server) for server in servers))

    # uvicorn hands a caught Ctrl+C back once it has shut down; by then there is nothing left to interrupt.
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(both())
