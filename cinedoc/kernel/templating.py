"""The Jinja2 environment shared by every context: one layout, gettext, and French-first formatting filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine

from cinedoc.kernel.clock import PARIS
from cinedoc.kernel.i18n import (
    LANG_COOKIE,
    LOCALES,
    babel_locale,
    choose_locale,
    country_name,
    current_locale,
    language_name,
    translate,
    translate_plural,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_DIR / "templates"
STATIC_DIR = PROJECT_DIR / "static"


def money(cents: int | None) -> str:
    if cents is None:
        return ""
    return format_currency(cents / 100, "EUR", locale=babel_locale())


def number(value: float | int | None) -> str:
    return "" if value is None else format_decimal(value, locale=babel_locale())


def paris_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        # SQLite hands stored times back without their zone; they were written in UTC.
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(PARIS), format="medium", tzinfo=PARIS, locale=babel_locale())


def long_date(value: date | None) -> str:
    return "" if value is None else format_date(value, format="long", locale=babel_locale())


def duration(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return translate("{minutes} min", minutes=rest)
    return translate("{hours} h {minutes:02d}", hours=hours, minutes=rest)


def query_with(request: Request, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes them); repeated filters are kept."""
    params = [(key, value) for key, value in request.query_params.multi_items() if key not in changes]
    params += [(key, value) for key, value in changes.items() if value is not None]
    return "?" + urlencode(params) if params else "?"


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: translate(message),
        ngettext=lambda singular, plural, n: translate_plural(singular, plural, n),
        newstyle=True,
    )
    environment.filters.update(
        money=money,
        number=number,
        paris_datetime=paris_datetime,
        long_date=long_date,
        duration=duration,
        country_name=country_name,
        language_name=language_name,
    )
    environment.globals.update(locales=LOCALES, current_locale=current_locale.get, query_with=query_with)
    return environment


def make_template_engine() -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(make_environment())


def select_request_locale(request: Request) -> None:
    """The language for this request, from ?lang=, the cookie, then Accept-Language."""
    current_locale.set(
        choose_locale(
            request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
        )
    )


async def request_locale_hook(request: Request) -> None:
    """before_request hook. Async on purpose: Litestar runs a sync hook in a worker thread, whose copy of the context
    would keep the chosen language to itself, and every page would be rendered in French."""
    select_request_locale(request)
