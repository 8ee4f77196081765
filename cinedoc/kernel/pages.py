"""Shell pages: health, login and logout, and the language switch."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template
from msgspec import Struct
from sqlalchemy import text
from sqlmodel import Session

from cinedoc.kernel.guards import SESSION_USER_KEY, load_staff_user
from cinedoc.kernel.i18n import LANG_COOKIE, LOCALES, translate
from cinedoc.kernel.schema_version import current_revision, head_revision
from cinedoc.kernel.staff_accounts import authenticate


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@get("/health", sync_to_thread=True, tags=["shell"], summary="Service and database state")
def health(request: Request) -> Response[dict[str, Any]]:
    engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        revision = current_revision(engine)
    except Exception as error:  # noqa: BLE001 - any database failure means "unhealthy", reported as such
        return Response(
            {"status": "unavailable", "database": {"reachable": False, "error": type(error).__name__}},
            status_code=503,
        )
    head = head_revision()
    state = {
        "reachable": True,
        "dialect": engine.dialect.name,
        "revision": revision,
        "head": head,
        "up_to_date": revision == head,
    }
    return Response({"status": "ok" if revision == head else "degraded", "database": state})


class LoginForm(Struct):
    email: str = ""
    password: str = ""
    next: str = "/staff"


@get("/login", tags=["shell"], include_in_schema=False)
async def login_page(request: Request, next: str | None = None) -> Template:
    return Template("auth/login.html", context={"next": safe_next(next, "/staff"), "error": None, "email": ""})


@post("/login", sync_to_thread=True, include_in_schema=False)
def login(
    request: Request,
    db: Session,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    user = authenticate(db, data.email, data.password)
    if user is None:
        return Template(
            "auth/login.html",
            context={"next": safe_next(data.next, "/staff"), "email": data.email,
                     "error": translate("Unknown e-mail address or wrong password.")},
            status_code=400,
        )
    # A fresh session on login: nothing an anonymous visitor planted survives into the staff session.
    request.clear_session()
    request.set_session({SESSION_USER_KEY: user.id, "name": user.display_name, "role": user.role})
    return Redirect(path=safe_next(data.next, "/staff"), status_code=303)


@post("/logout", include_in_schema=False)
async def logout(request: Request) -> Redirect:
    request.clear_session()
    return Redirect(path="/", status_code=303)


@get("/language/{code:str}", include_in_schema=False)
async def switch_language(code: str, next: str | None = None) -> Redirect:
    response = Redirect(path=safe_next(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


@get("/staff", include_in_schema=False, sync_to_thread=False)
def staff_home(request: Request) -> Redirect | Template:
    user = load_staff_user(request)
    if user is None:
        return Redirect(path="/login", query_params={"next": "/staff"}, status_code=303)
    return Template("staff/home.html", context={"user": user})


route_handlers = [health, login_page, login, logout, switch_language, staff_home]
