"""Domain errors raised by services, and the one place that turns them into HTTP responses."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import IntegrityError

from cinedoc.kernel.i18n import translate
from cinedoc.kernel.templating import select_request_locale


class DomainError(Exception):
    """A rule of the domain refused the request; the message is an English msgid with named parameters."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.field = field
        self.params = params

    def localized(self) -> str:
        return translate(self.message, **self.params)


class InvalidInput(DomainError):
    status_code = 400


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403


class LoginRequired(NotAuthorizedException):
    """Raised by guards for anonymous requests to staff routes."""


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/r51/", "/schema", "/health")):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error_page(request: Request, status_code: int, message: str, extra: list[dict[str, Any]] | None) -> Response:
    return Template(
        template_name="errors/error.html",
        context={"status_code": status_code, "message": message, "extra": extra or []},
        status_code=status_code,
    )


def _respond(request: Request, status_code: int, message: str, extra: list[dict[str, Any]] | None = None) -> Response:
    if wants_json(request):
        body: dict[str, Any] = {"status_code": status_code, "detail": message}
        if extra:
            body["extra"] = extra
        return Response(body, status_code=status_code)
    return _error_page(request, status_code, message, extra)


def handle_domain_error(request: Request, exc: DomainError) -> Response:
    extra = [{"key": exc.field, "message": exc.localized()}] if exc.field else None
    return _respond(request, exc.status_code, exc.localized(), extra)


def handle_integrity_error(request: Request, exc: IntegrityError) -> Response:
    # Services check uniqueness first; this catches the race where two requests pass that check at once.
    return _respond(request, 409, translate("This record conflicts with an existing one."))


def handle_login_required(request: Request, exc: NotAuthorizedException) -> Response:
    if wants_json(request):
        return _respond(request, 401, translate("Authentication required."))
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path="/login", query_params={"next": target}, status_code=303)


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    # Routing errors (404, 405) happen before the locale hook runs: choose the language here too.
    select_request_locale(request)
    status_code = exc.status_code
    if isinstance(exc, ValidationException):
        extra = exc.extra if isinstance(exc.extra, list) else None
        return _respond(request, status_code, translate("The request is invalid."), extra)
    if isinstance(exc, NotFoundException):
        return _respond(request, 404, translate("This page does not exist."))
    if isinstance(exc, PermissionDeniedException):
        if "CSRF" in (exc.detail or ""):
            return _respond(request, 403, translate("This form has expired: reload the page and try again."))
        return _respond(request, 403, translate("Your role does not allow this."))
    if status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return _respond(request, status_code, translate("Something went wrong on our side."))
    return _respond(request, status_code, translate(exc.detail) if exc.detail else str(status_code))


exception_handlers: dict[Any, Any] = {
    DomainError: handle_domain_error,
    IntegrityError: handle_integrity_error,
    NotAuthorizedException: handle_login_required,
    HTTPException: handle_http_exception,
}
