"""Probing masters: the facts packaging relies on, and a clear refusal for each kind of file that is not a film."""

from __future__ import annotations

from pathlib import Path

import pytest

from streaming.media.probe import MediaRefused, keyframe_times, probe_audio, probe_master
from tests.media_samples import MediaSamples


def test_a_master_reports_duration_streams_codecs_size_and_frame_rate(media_samples: MediaSamples) -> None:
    facts = probe_master(media_samples.master)
    assert abs(facts.duration - 8.0) < 0.1
    assert (facts.video.codec, facts.video.width, facts.video.height) == ("h264", 640, 360)
    assert facts.video.frame_rate == 25.0 and facts.video.rotation == 0 and not facts.video.interlaced
    assert facts.audio is not None and facts.audio.codec == "aac"
    assert facts.warnings == []


def test_a_film_with_the_wrong_extension_is_read_by_its_contents(media_samples: MediaSamples) -> None:
    facts = probe_master(media_samples.video_named_txt)
    assert (facts.video.width, facts.video.height) == (320, 180)


@pytest.mark.parametrize(("sample", "reason"), [
    ("zero_bytes", "empty (0 bytes)"),
    ("corrupt", "ffmpeg cannot read this file"),
    ("text_named_mp4", "ffmpeg cannot read this file"),
    ("truncated_tail", "ffmpeg cannot read this file"),
    ("audio_only", "no video stream"),
    ("huge", "8000×4500, larger than the 8K maximum"),
])
def test_files_that_are_not_usable_masters_are_refused_with_the_reason(
        media_samples: MediaSamples, sample: str, reason: str) -> None:
    with pytest.raises(MediaRefused) as refused:
        probe_master(getattr(media_samples, sample))
    assert reason in str(refused.value)
    assert refused.value.field == "master"


def test_a_missing_master_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MediaRefused, match="does not exist"):
        probe_master(tmp_path / "nowhere.mp4")


def test_a_duration_far_from_the_catalogue_is_a_warning_not_a_refusal(media_samples: MediaSamples) -> None:
    facts = probe_master(media_samples.master, catalogue_minutes=52)
    assert facts.warnings and facts.warnings[0][1]["expected"] == 52
    assert probe_master(media_samples.master, catalogue_minutes=1).warnings == []


def test_a_silent_master_is_accepted_with_a_warning(media_samples: MediaSamples) -> None:
    facts = probe_master(media_samples.silent)
    assert facts.audio is None and "no sound" in facts.warnings[0][0]


def test_an_audio_description_file_without_sound_is_refused(media_samples: MediaSamples) -> None:
    assert abs(probe_audio(media_samples.audio_description) - 6.0) < 0.1
    with pytest.raises(MediaRefused, match="no sound stream"):
        probe_audio(media_samples.silent)


def test_keyframes_are_read_from_packet_flags(media_samples: MediaSamples) -> None:
    assert keyframe_times(media_samples.compliant)[:4] == [0.0, 2.0, 4.0, 6.0]
