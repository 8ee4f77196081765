"""Caption files: SRT to WebVTT with the SME colour code kept, and refusal of files that are not captions."""

from __future__ import annotations

import pytest

from streaming.media.captions import (
    check_against_film,
    load_captions,
    nearest_colour_class,
    parse_captions,
    write_webvtt,
)
from streaming.media.probe import MediaRefused
from tests.media_samples import EN_VTT, SME_SRT


def test_srt_colours_become_webvtt_colour_classes_and_italics_stay() -> None:
    kind, cues = parse_captions(SME_SRT.encode())
    assert kind == "srt"
    assert [cue.text for cue in cues] == [
        "<c.yellow>Bonjour, tout le monde !</c>",
        "<c.red>[Une porte claque]</c>",
        "<i>Musique douce</i> <c.magenta>♪</c>",
    ]


def test_srt_timings_survive_conversion_to_the_millisecond() -> None:
    _, cues = parse_captions(SME_SRT.encode())
    assert [(cue.start, cue.end) for cue in cues] == [(0.5, 2.0), (2.5, 4.0), (4.5, 7.5)]
    text = write_webvtt(cues)
    assert "00:00:00.500 --> 00:00:02.000" in text and "00:00:04.500 --> 00:00:07.500" in text
    _, reparsed = parse_captions(text.encode())
    for before, after in zip(cues, reparsed, strict=True):
        assert abs(before.start - after.start) < 0.1 and abs(before.end - after.end) < 0.1
        assert before.text == after.text


@pytest.mark.parametrize(("colour", "css_class"), [
    ("#FFFF00", "yellow"), ("#ff0", "yellow"), ("#fefe10", "yellow"), ("#00FF00", "lime"), ("green", "lime"),
    ("#00ffff", "cyan"), ("#FF00FF", "magenta"), ("#ee1111", "red"), ("#ffffff", "white"), ("nonsense", None),
])
def test_sme_colours_map_to_the_nearest_webvtt_class(colour: str, css_class: str | None) -> None:
    assert nearest_colour_class(colour) == css_class


def test_top_position_and_unknown_markup_are_handled() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font face=\"Arial\">Au loin</font> <b>fort</b> a < b & c\n"
    _, cues = parse_captions(srt.encode())
    assert cues[0].settings == "line:0"
    assert cues[0].text == "Au loin <b>fort</b> a &lt; b &amp; c"


def test_windows_1252_srt_files_are_read() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nÉté à Noël\n".encode("cp1252")
    _, cues = parse_captions(srt)
    assert cues[0].text == "Été à Noël"


def test_webvtt_is_read_with_its_cue_settings() -> None:
    kind, cues = parse_captions(EN_VTT.encode())
    assert kind == "vtt"
    assert cues[1].settings == "line:0" and cues[1].text == "A door slams."


def test_timestamp_map_header_is_written_for_hls() -> None:
    _, cues = parse_captions(EN_VTT.encode())
    assert write_webvtt(cues, timestamp_map_mpegts=7200).startswith(
        "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:7200,LOCAL:00:00:00.000\n")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\xff\xd8\xff\xe0 JFIF binary picture", "neither SRT nor WebVTT"),
    (b"Just some notes about the film.\nNothing timed here.\n", "neither SRT nor WebVTT"),
    (b"1\n00:00:05,000 --> 00:00:02,000\nBackwards\n", "ends before it starts"),
    (b"1\n00:00:01,000 --> soon\nHello\n", "unreadable timing"),
    (b"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\nno timing here\n", "no timing line"),
])
def test_invalid_caption_files_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(MediaRefused) as refused:
        parse_captions(data)
    assert reason in str(refused.value)
    assert refused.value.field == "captions"


def test_cues_past_the_end_of_the_film_are_refused() -> None:
    _, cues = parse_captions(SME_SRT.encode())
    check_against_film(cues, 7.0)  # within the one-second tolerance
    with pytest.raises(MediaRefused, match="Caption 3 ends at 00:00:07.500, after the end of the film"):
        load_captions(SME_SRT.encode(), 6.0)


# --- overlapping cues ------------------------------------------------------------------------------------------------

OVERLAPPING_SRT = """1
00:00:01,000 --> 00:00:03,000
<font color="#ffff00">Tu viens ?</font>

2
00:00:02,500 --> 00:00:04,000
<font color="#ffffff">J'arrive.</font>
"""


def test_captions_that_overlap_are_refused_naming_both_cues_and_their_times() -> None:
    with pytest.raises(MediaRefused) as refused:
        load_captions(OVERLAPPING_SRT.encode(), 10.0)
    assert str(refused.value) == (
        "Captions 1 (00:00:01.000 --> 00:00:03.000) and 2 (00:00:02.500 --> 00:00:04.000) overlap: "
        "put people speaking at the same time in one caption.")
    assert refused.value.field == "captions"


def test_a_subtitle_file_with_overlaps_is_refused_under_its_own_field() -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nHello\n\n00:00:02.000 --> 00:00:03.000\nInside\n"
    with pytest.raises(MediaRefused, match="Captions 1 .* and 2 .* overlap") as refused:
        load_captions(vtt.encode(), 10.0, field="subtitles_en")
    assert refused.value.field == "subtitles_en"


def test_an_overlap_with_a_cue_that_is_not_the_previous_one_is_found() -> None:
    # A short cue inside a long one overlaps it, even when the next cue follows the short one cleanly.
    srt = ("1\n00:00:01,000 --> 00:00:09,000\nLong\n\n2\n00:00:05,000 --> 00:00:06,000\nShort\n\n"
           "3\n00:00:07,000 --> 00:00:08,000\nLater\n")
    with pytest.raises(MediaRefused, match=r"Captions 1 \(00:00:01.000 --> 00:00:09.000\) and 2 "):
        load_captions(srt.encode(), 10.0)


def test_cues_out_of_order_are_checked_and_written_in_time_order() -> None:
    srt = "2\n00:00:04,000 --> 00:00:05,000\nDeux\n\n1\n00:00:01,000 --> 00:00:03,500\nUn\n"
    cues = load_captions(srt.encode(), 10.0)
    assert [cue.text for cue in cues] == ["Un", "Deux"]
    shuffled = "2\n00:00:03,000 --> 00:00:05,000\nDeux\n\n1\n00:00:01,000 --> 00:00:03,500\nUn\n"
    with pytest.raises(MediaRefused, match=r"Captions 1 \(00:00:03.000 --> 00:00:05.000\) and 2 \(00:00:01.000"):
        load_captions(shuffled.encode(), 10.0)


def test_an_overlap_of_a_frame_is_rounding_and_the_earlier_cue_is_trimmed() -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,040\nUn\n\n2\n00:00:03,000 --> 00:00:04,000\nDeux\n"
    cues = load_captions(srt.encode(), 10.0)
    assert [(cue.start, cue.end) for cue in cues] == [(1.0, 3.0), (3.0, 4.0)]


def test_cues_that_touch_do_not_overlap() -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,000\nUn\n\n2\n00:00:03,000 --> 00:00:04,000\nDeux\n"
    assert [(cue.start, cue.end) for cue in load_captions(srt.encode(), 10.0)] == [(1.0, 3.0), (3.0, 4.0)]


def test_the_caption_files_of_the_tests_and_the_demo_have_no_overlaps() -> None:
    from streaming.media.demo import SECONDS, SME_CAPTIONS

    assert len(load_captions(SME_SRT.encode(), 8.0)) == 3
    assert len(load_captions(EN_VTT.encode(), 8.0)) == 2
    assert len(load_captions(SME_CAPTIONS.encode(), SECONDS)) == 4
