"""Route guards by staff role; the signed session cookie only says who logged in, the database says what they may do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlmodel import Session

from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.errors import LoginRequired

SESSION_USER_KEY = "uid"

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


def load_staff_user(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffUser | None:
    cached = connection.scope.get("state", {}).get("staff_user")
    if cached is not None:
        return cached
    user_id = connection.session.get(SESSION_USER_KEY) if "session" in connection.scope else None
    if not isinstance(user_id, int):
        return None
    with Session(connection.app.state.engine, expire_on_commit=False) as session:
        user = session.get(StaffUser, user_id)
    if user is None or not user.is_active:
        return None
    connection.state.staff_user = user
    return user


def requires_role(*roles: Role) -> Guard:
    allowed = {str(role) for role in roles} | {Role.ADMINISTRATOR.value}

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        user = load_staff_user(connection)
        if user is None:
            raise LoginRequired()
        if user.role not in allowed:
            raise PermissionDeniedException()

    return guard


def requires_staff(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    if load_staff_user(connection) is None:
        raise LoginRequired()


curators = requires_role(Role.CURATOR)
administrators = requires_role(Role.ADMINISTRATOR)
