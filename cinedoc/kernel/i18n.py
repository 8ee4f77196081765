"""Interface language: French first, English available; gettext catalogues read with babel."""

from __future__ import annotations

import io
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES: tuple[str, ...] = ("fr", "en")
DEFAULT_LOCALE = "fr"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANG_COOKIE = "cinedoc_lang"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def _compiled(po_path: Path, locale: str) -> Translations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@cache
def translations(locale: str) -> Translations:
    """Every .po file of the locale (one per context), merged; compiled in memory so there is no build step."""
    catalogues = [_compiled(path, locale) for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))]
    if not catalogues:
        return Translations()
    # The first catalogue carries the language's plural rule (French counts 0 as singular); merge keeps it.
    merged = catalogues[0]
    for catalogue in catalogues[1:]:
        merged.merge(catalogue)
    return merged


def translate(message: str, **params: Any) -> str:
    text = translations(current_locale.get()).gettext(message)
    return text.format(**params) if params else text


def translate_plural(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(current_locale.get()).ngettext(singular, plural, n)
    return text.format(n=n, **params) if "{n}" in text or params else text


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, best first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, index, tag.lower()))
    return [tag for _, _, tag in sorted(weighted) if tag]


def choose_locale(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LOCALES:
            return candidate
    for tag in parse_accept_language(accept_language or ""):
        primary = tag.split("-")[0]
        if primary in LOCALES:
            return primary
    return DEFAULT_LOCALE


def terminal_locale(environ: Mapping[str, str]) -> str:
    """The language of a command's output, read like gettext does (LANGUAGE, LC_ALL, LC_MESSAGES, then LANG: the first
    one set decides); French when it names a language the interface does not speak (C, POSIX, de_DE...)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            primary = value.split(":")[0].split(".")[0].split("_")[0].split("-")[0].lower()
            return primary if primary in LOCALES else DEFAULT_LOCALE
    return DEFAULT_LOCALE


@cache
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def babel_locale() -> Locale:
    return _babel_locale(current_locale.get())


def country_name(code: str) -> str:
    return babel_locale().territories.get(code.upper(), code)


def language_name(code: str) -> str:
    return babel_locale().languages.get(code.lower(), code)


@cache
def iso_country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha())


@cache
def iso_language_codes() -> frozenset[str]:
    return frozenset(
        code for code in Locale.parse("en").languages if code.isalpha() and code.islower() and len(code) in (2, 3)
    )
