"""The time-to-first-frame benchmark imports without a browser and reads its command line (no timing here)."""

from __future__ import annotations

import math

import pytest

from bench import first_frame


def test_the_benchmark_runs_thirty_rounds_of_each_by_default() -> None:
    args = first_frame.parse_args([])
    assert args.rounds == 30
    assert args.film_seconds == 40
    assert not args.clone_to_first_page


def test_the_clone_mode_takes_the_demos_port_and_can_keep_the_clone() -> None:
    args = first_frame.parse_args(["--clone-to-first-page", "--port", "9123", "--keep"])
    assert args.clone_to_first_page and args.keep
    assert args.port == 9123


@pytest.mark.parametrize("argv", [["--rounds", "0"], ["--film-seconds", "10"], ["--film-seconds", "90"],
                                  ["--port", "70000"], ["--rounds", "many"]])
def test_impossible_arguments_are_refused_with_a_usage_message(argv: list[str],
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        first_frame.parse_args(argv)
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_the_networks_share_ends_when_the_first_segment_of_every_rendition_has_arrived() -> None:
    resources = [
        {"name": "http://a/media/t/tok/1/master.m3u8", "start": 10.0, "duration": 5.0},
        {"name": "http://a/media/t/tok/1/v360/seg_00000.m4s", "start": 100.0, "duration": 20.0},
        {"name": "http://a/media/t/tok/1/audio/seg_00000.m4s", "start": 105.0, "duration": 30.0},
        {"name": "http://a/media/t/tok/1/v360/seg_00001.m4s", "start": 200.0, "duration": 50.0},
    ]
    assert first_frame.first_segments_received(resources) == 135.0
    assert math.isnan(first_frame.first_segments_received(resources[:1]))  # no segment fetched: no figure
