"""The access texts the shared extraction cannot see (refusals built as values, assertion refusals, the player's
strings, category and status labels) all have a French translation with the same placeholders."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from streaming.access.institutions import CATEGORY_LABELS, KEY_STATUS_LABELS, SUBSCRIPTION_STATUS_LABELS
from streaming.playback.player import player_strings
from tests.unit.cinedoc.test_translations import KEYWORDS, brace_fields, translated

PROJECT_DIR = Path(__file__).resolve().parents[4]
MODULES = ["access/sign_in.py", "access/assertions.py", "access/entitlement.py", "playback/rate_limit.py",
           "playback/sessions.py", "playback/player.py", "access/institutions.py", "access/views.py",
           "access/controllers.py"]


def access_msgids() -> set[str]:
    keywords = {**KEYWORDS, "AssertionRefused": None, "AccessRefused": None, "Refusal": (2,)}
    found = set()
    for name in MODULES:
        for _line, message, _comments, _context in extract_from_file(
                "python", str(PROJECT_DIR / "streaming" / name), keywords=keywords):
            if isinstance(message, str):
                found.add(message)
    return found


def test_the_extraction_sees_the_refusals() -> None:
    found = access_msgids()
    assert "The assertion must be signed with HS256." in found
    assert "Your library's subscription to the platform is not active today." in found


def test_every_access_text_has_a_french_translation_with_its_placeholders() -> None:
    french = translated("fr")
    texts = access_msgids() | set(CATEGORY_LABELS.values()) | set(KEY_STATUS_LABELS.values()) \
        | set(SUBSCRIPTION_STATUS_LABELS.values())
    from cinedoc.kernel.i18n import current_locale

    token = current_locale.set("en")
    try:
        texts |= set(player_strings().values())
    finally:
        current_locale.reset(token)
    missing = sorted(text for text in texts if text not in french)
    assert not missing, missing
    wrong = [text for text in texts if brace_fields(french[text][0]) - brace_fields(text)]
    assert not wrong, wrong
