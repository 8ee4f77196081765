"""The app factory: the one place that lists every context's route handlers."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncGenerator

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from sqlalchemy import Engine
from sqlmodel import Session

from audience import routes as audience
from catalogue import routes as catalogue
from cinedoc.kernel import pages
from cinedoc.kernel.database import make_engine, request_session
from cinedoc.kernel.errors import exception_handlers
from cinedoc.kernel.schema_version import ensure_schema_current
from cinedoc.kernel.settings import Settings, get_settings
from cinedoc.kernel.templating import STATIC_DIR, make_template_engine, request_locale_hook
from rights import routes as rights
from streaming import routes as streaming
from streaming.media.jobs import start_packaging_worker, stop_runners
from streaming.playback.player_assets import check_player_assets

SESSION_MAX_AGE = 8 * 3600  # one working day


async def provide_db(state: State) -> AsyncGenerator[Session, None]:
    async with request_session(state.engine) as session:
        yield session


def start_workers(app: Litestar) -> None:
    """The embedded default runs packaging jobs in the app process, picking up what an earlier process left."""
    settings: Settings = app.state.settings
    if settings.packaging_worker:
        start_packaging_worker(app.state.engine, settings.data_dir)


def create_app(
    settings: Settings | None = None, *, engine: Engine | None = None, check_schema: bool = True
) -> Litestar:
    settings = settings or get_settings()
    settings.require_safe_secret()
    check_player_assets()
    # A start refused for want of a database leaves no empty folder behind.
    engine = engine or make_engine(settings.effective_database_url, create=not check_schema)
    if check_schema:
        ensure_schema_current(engine)
    # Derive separate keys for the cookie cipher and CSRF so that one leaked token reveals nothing of the other.
    session_key = hashlib.sha256(b"session:" + settings.secret_key.encode()).digest()
    csrf_secret = hashlib.sha256(b"csrf:" + settings.secret_key.encode()).hexdigest()
    session_config = CookieBackendConfig(
        secret=session_key, key="cinedoc_session", max_age=SESSION_MAX_AGE, httponly=True, samesite="lax",
        secure=settings.secure_cookies,
    )
    route_handlers = [
        *pages.route_handlers,
        *catalogue.route_handlers,
        *rights.route_handlers,
        *streaming.route_handlers,
        *audience.route_handlers,
        create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
    ]
    return Litestar(
        route_handlers=route_handlers,
        dependencies={"db": Provide(provide_db)},
        exception_handlers=exception_handlers,
        middleware=[session_config.middleware],
        csrf_config=CSRFConfig(
            secret=csrf_secret, cookie_name="cinedoc_csrf", cookie_secure=settings.secure_cookies,
            cookie_samesite="lax", header_name="x-csrftoken",
        ),
        template_config=TemplateConfig(engine=make_template_engine()),
        openapi_config=OpenAPIConfig(title="cinedoc", version="0.1.0", path="/schema"),
        before_request=request_locale_hook,
        on_startup=[start_workers],
        on_shutdown=[lambda: stop_runners()],
        state=State({"engine": engine, "settings": settings}),
        debug=False,
    )
