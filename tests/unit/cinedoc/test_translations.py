"""Every interface text has a French translation that keeps its placeholders, and the language is chosen as promised."""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from catalogue.films.models import CreditRole, FilmStatus
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.i18n import LOCALE_DIR, LOCALES, choose_locale, current_locale, parse_accept_language, translate
from cinedoc.kernel.validation_messages import _MESSAGES as VALIDATION_MSGIDS

PROJECT_DIR = Path(__file__).resolve().parents[3]
BABEL_CFG = PROJECT_DIR / "babel.cfg"

# The Python names that carry a msgid (domain errors are translated at response time from theirs), plus the
# template gettext functions.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "translate": None,
    "translate_plural": (1, 2),
    "DomainError": None,
    "domain_error": None,
    "InvalidInput": None,
    "NotFound": None,
    "Conflict": None,
    "Forbidden": None,
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
}

# Code values the templates pass through _() at run time; extraction cannot see them.
RUNTIME_MSGIDS = sorted({*(s.value for s in FilmStatus), *(r.value for r in CreditRole), *(r.value for r in Role),
                         *VALIDATION_MSGIDS.values()})

MsgId = str | tuple[str, str]


@dataclass(frozen=True)
class Use:
    msgid: MsgId
    where: str

    @property
    def in_template(self) -> bool:
        return self.where.startswith("templates/")


def extracted_messages() -> list[Use]:
    """Every msgid of the code base, found with the extraction map of babel.cfg (the same one pybabel uses)."""
    with BABEL_CFG.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(BABEL_CFG))
    roots = {pattern.split("/")[0] for pattern, method in method_map if method != "ignore"}

    def only_source_roots(path: str) -> bool:
        relative = Path(path).relative_to(PROJECT_DIR)
        return relative.parts[0] in roots and not any(part.startswith((".", "_")) for part in relative.parts)

    uses = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_DIR, method_map, options_map, keywords=KEYWORDS, directory_filter=only_source_roots
    ):
        msgid = message if isinstance(message, str) else (message[0], message[1])
        uses.append(Use(msgid, f"{filename}:{lineno}"))
    return uses


def po_files(locale: str) -> list[Path]:
    return sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))


def read_catalog(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def translated(locale: str) -> dict[MsgId, tuple[str, ...]]:
    """The merged translations of a locale, as the app loads them; fuzzy entries do not count (they are not used)."""
    merged: dict[MsgId, tuple[str, ...]] = {}
    for path in po_files(locale):
        for message in read_catalog(path, locale):
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
                merged[key] = tuple(strings)
    return merged


def all_entries(locale: str) -> Iterator[tuple[Path, MsgId, tuple[str, ...]]]:
    for path in po_files(locale):
        for message in read_catalog(path, locale):
            if message.id and not message.fuzzy:
                key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                yield path, key, tuple(strings)


def brace_fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def percent_fields(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


def msgid_texts(msgid: MsgId) -> tuple[str, ...]:
    return (msgid,) if isinstance(msgid, str) else msgid


class AnyValue(dict[str, int]):
    def __missing__(self, key: str) -> int:
        return 1


@pytest.fixture(scope="module")
def uses() -> list[Use]:
    return extracted_messages()


def test_the_extraction_finds_the_shell_catalogue_and_template_messages(uses: list[Use]) -> None:
    # Guards the test below: a broken babel.cfg that extracts nothing would make it pass vacuously.
    found = {use.msgid for use in uses}
    assert "Unknown e-mail address or wrong password." in found  # translate() in the shell
    assert "No film number {film_id}." in found  # a domain error's msgid
    assert "Skip to content" in found  # _() in the layout
    assert ("%(num)d film", "%(num)d films") in found  # ngettext() in a template
    assert len(found) > 100


def test_every_message_of_the_code_base_has_a_french_translation(uses: list[Use]) -> None:
    french = translated("fr")
    missing = sorted({f"{use.msgid!r} ({use.where})" for use in uses if use.msgid not in french})
    missing += [f"{msgid!r} (rendered with _() at run time)" for msgid in RUNTIME_MSGIDS if msgid not in french]
    assert not missing, (
        "These messages have no French translation; add them to cinedoc/locale/fr/LC_MESSAGES/<context>.po:\n"
        + "\n".join(missing)
    )


def test_plural_messages_have_every_french_plural_form(uses: list[Use]) -> None:
    french = translated("fr")
    plurals = {use.msgid for use in uses if isinstance(use.msgid, tuple)}
    assert plurals
    for msgid in plurals:
        assert len(french.get(msgid, ())) == 2, msgid


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_of_their_msgid(locale: str) -> None:
    wrong = []
    for path, msgid, strings in all_entries(locale):
        expected_braces = set().union(*(brace_fields(text) for text in msgid_texts(msgid)))
        expected_percents = set().union(*(percent_fields(text) for text in msgid_texts(msgid)))
        for text in strings:
            if text and (brace_fields(text) - expected_braces or percent_fields(text) - expected_percents):
                wrong.append(f"{path.name}: {msgid!r} -> {text!r}")
    assert not wrong, "Translations use placeholders their msgid does not provide:\n" + "\n".join(wrong)


@pytest.mark.parametrize("locale", LOCALES)
def test_template_translations_survive_gettext_percent_formatting(uses: list[Use], locale: str) -> None:
    # The Jinja environment uses new-style gettext, which always applies `%` to the translation: a bare "%" there
    # would turn a page into a server error.
    template_ids = {use.msgid for use in uses if use.in_template}
    broken = []
    for path, msgid, strings in all_entries(locale):
        if msgid not in template_ids:
            continue
        for text in strings:
            try:
                text % AnyValue()
            except (ValueError, TypeError) as error:
                broken.append(f"{path.name}: {text!r} ({error})")
    assert not broken, "\n".join(broken)


def test_a_message_translated_in_several_french_files_is_translated_the_same_way() -> None:
    seen: dict[MsgId, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, msgid, strings in all_entries("fr"):
        if all(strings):
            seen[msgid][strings].append(path.name)
    conflicts = [f"{msgid!r}: {dict(versions)}" for msgid, versions in seen.items() if len(versions) > 1]
    assert not conflicts, "The merge order would decide between these:\n" + "\n".join(conflicts)


@pytest.mark.parametrize(
    ("locale", "msgid", "params", "expected"),
    [
        ("fr", "{decade}s", {"decade": 1990}, "Années 1990"),
        ("en", "{decade}s", {"decade": 1990}, "1990s"),
        ("fr", "No film number {film_id}.", {"film_id": 7}, "Aucun film ne porte le numéro 7."),
        ("en", "No film number {film_id}.", {"film_id": 7}, "No film number 7."),
        ("fr", "weeded", {}, "Désherbé"),
        ("en", "budget_holder", {}, "budget holder"),
    ],
)
def test_translate_reads_the_merged_catalogue_of_the_current_language(
    locale: str, msgid: str, params: dict[str, int], expected: str
) -> None:
    token = current_locale.set(locale)
    try:
        assert translate(msgid, **params) == expected
    finally:
        current_locale.reset(token)


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "fr"),
        (None, None, "", "fr"),
        (None, None, "en", "en"),
        (None, None, "en-GB,en;q=0.9", "en"),
        (None, None, "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, None, "de-DE, en;q=0.7, fr;q=0.5", "en"),
        (None, None, "fr;q=0.4, en;q=0.8", "en"),
        (None, None, "de, it", "fr"),
        (None, None, "*", "fr"),
        (None, None, "en;q=abc, fr;q=0.5", "fr"),
        (None, "en", "fr", "en"),
        ("fr", "en", "en", "fr"),
        ("en", None, None, "en"),
        ("xx", "zz", "en", "en"),
        ("EN-evil", None, None, "fr"),
    ],
)
def test_the_language_comes_from_the_query_then_the_cookie_then_the_browser(
    query: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert choose_locale(query, cookie, header) == expected


def test_accept_language_tags_are_ordered_by_quality_then_by_position() -> None:
    assert parse_accept_language("de;q=0.5, en, fr;q=0.9, it") == ["en", "it", "fr", "de"]
