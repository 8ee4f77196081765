"""Chapter tracks: a WebVTT file whose cues are the film's chapters, checked against the film and published as
plain-text titles in film time."""

from __future__ import annotations

import pytest

from streaming.media.captions import load_chapters, write_webvtt
from streaming.media.packaging import SHORTFALL_TOLERANCE_SECONDS
from streaming.media.probe import MediaRefused
from tests.media_samples import CHAPTERS_VTT, SME_SRT

TOLERANCE = SHORTFALL_TOLERANCE_SECONDS


def chapters(body: str, duration: float = 60.0) -> list[tuple[float, float, str]]:
    return [(cue.start, cue.end, cue.text) for cue in load_chapters(body.encode(), duration, tolerance=TOLERANCE)]


def refusal(body: str | bytes, duration: float = 60.0) -> str:
    data = body.encode() if isinstance(body, str) else body
    with pytest.raises(MediaRefused) as refused:
        load_chapters(data, duration, tolerance=TOLERANCE)
    assert refused.value.field == "chapters"
    return str(refused.value)


def test_titles_are_published_as_plain_text_without_cue_settings_or_timestamp_map() -> None:
    cues = load_chapters(CHAPTERS_VTT.encode(), 8.0, tolerance=TOLERANCE)
    assert [(cue.start, cue.end, cue.text, cue.settings) for cue in cues] == [
        (0.0, 3.0, "Ouverture : les glaneurs", ""), (3.0, 8.0, "Deuxième partie & fin", "")]
    text = write_webvtt(cues)
    assert text.startswith("WEBVTT\n\n") and "X-TIMESTAMP-MAP" not in text and "align:" not in text


def test_a_title_on_several_lines_becomes_one_line_and_angle_brackets_cannot_read_as_markup() -> None:
    body = "WEBVTT\n\n00:00.000 --> 00:10.000\n<i>Partie</i>\n  une &lt;brouillon&gt;\n"
    assert chapters(body) == [(0.0, 10.0, "Partie une ‹brouillon›")]


def test_a_last_chapter_ending_a_little_after_the_film_is_kept_and_stops_with_the_film() -> None:
    body = "WEBVTT\n\n00:00.000 --> 00:05.000\nUn\n\n00:05.000 --> 00:09.500\nDeux\n"
    assert chapters(body, duration=8.0) == [(0.0, 5.0, "Un"), (5.0, 8.0, "Deux")]


def test_chapters_a_frame_apart_are_trimmed_not_refused() -> None:
    body = "WEBVTT\n\n00:00.000 --> 00:05.040\nUn\n\n00:05.000 --> 00:09.000\nDeux\n"
    assert chapters(body)[0][:2] == (0.0, 5.0)


@pytest.mark.parametrize(("body", "message"), [
    ("", "The chapter file is empty."),
    ("   \n", "The chapter file is empty."),
    (SME_SRT, "The chapter file is not WebVTT (its first line must be WEBVTT)."),
    ("WEBVTT\n\nNOTE nothing but a note\n", "The chapter file has no chapters."),
    ("WEBVTT\n\n00:00.000 --> 00:05.000\n\n", "Chapter 1 (00:00:00.000) has no title."),
    ("WEBVTT\n\n00:00.000 --> 00:05.000\n<b> </b>\n", "Chapter 1 (00:00:00.000) has no title."),
    ("WEBVTT\n\n00:00.000 --> 00:05.000\n" + "x" * 201 + "\n",
     "The title of chapter 1 is longer than 200 characters."),
    ("WEBVTT\n\n00:05.000 --> 00:02.000\nÀ l'envers\n", "Chapter 1 ends before it starts."),
    ("WEBVTT\n\n00:10.000 --> 00:20.000\nDeux\n\n00:00.000 --> 00:10.000\nUn\n",
     "Chapter 2 starts at 00:00:00.000, before chapter 1 (00:00:10.000): chapters must be in the order of the film."),
    ("WEBVTT\n\n00:00.000 --> 00:20.000\nUn\n\n00:10.000 --> 00:30.000\nDeux\n",
     "Chapter 2 starts at 00:00:10.000, before chapter 1 ends (00:00:20.000): chapters must not overlap."),
])
def test_a_bad_chapter_file_is_refused_with_the_reason(body: str, message: str) -> None:
    assert refusal(body) == message


def test_a_chapter_file_for_a_longer_cut_does_not_match_the_film_and_says_both_lengths() -> None:
    late_start = "WEBVTT\n\n00:00.000 --> 00:30.000\nUn\n\n01:05.000 --> 01:10.000\nGénérique\n"
    assert refusal(late_start) == ("The chapter file does not match the film's length: its last chapter starts at "
                                   "00:01:05.000, but the film lasts 00:01:00.000.")
    late_end = "WEBVTT\n\n00:00.000 --> 00:30.000\nUn\n\n00:30.000 --> 01:02.500\nDeux\n"
    assert refusal(late_end) == ("The chapter file does not match the film's length: chapter 2 ends at "
                                 "00:01:02.500, but the film lasts 00:01:00.000.")
    # Within the tolerance it is the same film.
    assert chapters("WEBVTT\n\n00:00.000 --> 01:01.900\nTout\n")[0][1] == 60.0


def test_a_binary_file_given_as_chapters_is_refused() -> None:
    assert refusal(b"\xff\xd8\xff\xe0 JFIF") == "The chapter file is not WebVTT (its first line must be WEBVTT)."
