"""The packaging refusals the shared extraction cannot see (MediaRefused, TranscodeError and the wordings of caption
and chapter files) all have a French translation with the same placeholders: a curator reads them in French."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

from babel.messages.extract import extract_from_file

from streaming.media.captions import CAPTION_WORDING, CHAPTER_WORDING
from tests.unit.cinedoc.test_translations import KEYWORDS, brace_fields, translated

PROJECT_DIR = Path(__file__).resolve().parents[4]
MODULES = ["captions.py", "probe.py", "packaging.py", "transcoder.py", "jobs.py", "services.py"]
# The file labels services.py passes to translate() in "The {label} file {path} does not exist.".
FILE_LABELS = {"master", "captions", "audio description", "subtitle", "chapter track", "sign-language video"}


def packaging_msgids() -> set[str]:
    keywords = {**KEYWORDS, "MediaRefused": None, "_refuse": None, "TranscodeError": None}
    found = set()
    for name in MODULES:
        for _line, message, _comments, _context in extract_from_file(
                "python", str(PROJECT_DIR / "streaming" / "media" / name), keywords=keywords):
            if isinstance(message, str):
                found.add(message)
    return found | set(astuple(CAPTION_WORDING)) | set(astuple(CHAPTER_WORDING)) | FILE_LABELS


def test_the_extraction_sees_the_refusals() -> None:
    found = packaging_msgids()
    assert "The sign-language file has no video stream." in found  # MediaRefused in probe.py
    assert "Chapter {number} ({start}) has no title." in found  # _refuse in captions.py
    assert "The chapter file has no chapters." in found  # a wording
    assert "ffmpeg failed: {reason}" in found  # TranscodeError


def test_every_packaging_refusal_has_a_french_translation_with_its_placeholders() -> None:
    french = translated("fr")
    texts = packaging_msgids()
    missing = sorted(text for text in texts if text not in french)
    assert not missing, missing
    wrong = [text for text in texts if brace_fields(french[text][0]) != brace_fields(text)]
    assert not wrong, wrong
