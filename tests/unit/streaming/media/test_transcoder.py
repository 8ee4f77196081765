"""One ffmpeg run for the whole ladder: aligned 2 s keyframes, 6 s fMP4 segments, progress, and stopping ffmpeg."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import m3u8
import pytest

from streaming.media.config import StreamingSettings
from streaming.media.ladder import plan_ladder
from streaming.media.packaging import PackagingRequest, prepare, transcode
from streaming.media.probe import keyframe_times, probe_master
from streaming.media.transcoder import TranscodeError, TranscodePlan, build_command, run_ffmpeg
from tests.media_samples import MediaSamples

# ultrafast turns off every High-profile tool and x264 then writes Constrained Baseline.
SETTINGS = StreamingSettings(x264_preset="veryfast")


def test_the_whole_ladder_is_one_ffmpeg_command_decoding_once(media_samples: MediaSamples, tmp_path: Path) -> None:
    facts = probe_master(media_samples.master)
    plan = TranscodePlan(media_samples.master, facts, plan_ladder(facts), tmp_path, media_samples.audio_description)
    command = build_command(plan)
    assert command.count("-i") == 2  # the master and the audio-description mix, each read once
    graph = command[command.index("-filter_complex") + 1]
    assert "split=4" in graph  # two rungs, the poster and the thumbnails
    assert "scale=416:234" in graph and "scale=640:360" in graph
    for flag, value in [("-hls_segment_type", "fmp4"), ("-hls_time", "6"), ("-hls_playlist_type", "vod"),
                        ("-hls_flags", "independent_segments"), ("-sc_threshold", "0"),
                        ("-force_key_frames", "expr:gte(t,n_forced*2)")]:
        assert command[command.index(flag) + 1] == value
    assert command[command.index("-var_stream_map") + 1] == "v:0,name:v234 v:1,name:v360 a:0,name:audio a:1,name:ad"
    assert "-profile:v:0" in command and command[command.index("-profile:v:0") + 1] == "high"


@pytest.fixture(scope="module")
def ladder(media_samples: MediaSamples, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ladder") / "out"
    prepared = prepare(PackagingRequest(media_samples.master, audio_description=media_samples.audio_description),
                       SETTINGS)
    progress: list[float] = []
    transcode(prepared, out, SETTINGS, timeout=120, on_progress=progress.append)
    assert progress and progress[-1] == pytest.approx(1.0, abs=0.05)
    assert progress == sorted(progress)
    return out


def test_keyframes_fall_every_two_seconds_on_the_same_instants_in_every_rung(ladder: Path) -> None:
    times = {}
    for rung in ("v234", "v360"):
        times[rung] = [round(t - keyframe_times(ladder / rung / "index.m3u8")[0], 2)
                       for t in keyframe_times(ladder / rung / "index.m3u8")]
    assert times["v234"] == times["v360"] == [0.0, 2.0, 4.0, 6.0]


def test_segments_are_six_second_fmp4_in_a_vod_playlist(ladder: Path) -> None:
    for name in ("v234", "v360", "audio", "ad"):
        playlist = m3u8.load(str(ladder / name / "index.m3u8"))
        assert playlist.playlist_type == "vod" and playlist.is_endlist
        assert playlist.segment_map[0].uri.startswith("init")
        assert [s.uri for s in playlist.segments] == ["seg_00000.m4s", "seg_00001.m4s"]
        assert 5.9 <= playlist.segments[0].duration <= 6.1


def test_renditions_are_h264_high_yuv420p_and_aac_stereo(ladder: Path) -> None:
    import ffmpeg

    video = ffmpeg.probe(str(ladder / "v360" / "index.m3u8"))["streams"][0]
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
    audio = ffmpeg.probe(str(ladder / "ad" / "index.m3u8"))["streams"][0]
    assert (audio["codec_name"], audio["channels"]) == ("aac", 2)


def test_the_audio_description_is_padded_to_the_film_length(ladder: Path) -> None:
    durations = [sum(s.duration for s in m3u8.load(str(ladder / n / "index.m3u8")).segments) for n in ("audio", "ad")]
    assert abs(durations[0] - durations[1]) < 0.1


def test_poster_and_thumbnail_sprite_come_from_the_same_run(ladder: Path) -> None:
    assert (ladder / "poster.jpg").stat().st_size > 1000
    assert (ladder / "thumbnails" / "sprite_001.jpg").stat().st_size > 1000


def test_a_compliant_source_is_copied_not_encoded(media_samples: MediaSamples, tmp_path: Path) -> None:
    prepared = prepare(PackagingRequest(media_samples.compliant), SETTINGS)
    assert [r.remux for r in prepared.rungs] == [True]
    command = build_command(TranscodePlan(media_samples.compliant, prepared.facts, prepared.rungs, tmp_path))
    assert command[command.index("-c:v:0") + 1] == "copy" and command[command.index("-c:a:0") + 1] == "copy"
    transcode(prepared, tmp_path / "out", SETTINGS, timeout=60)
    original = media_samples.compliant.read_bytes()
    assert len(m3u8.load(str(tmp_path / "out" / "v234" / "index.m3u8")).segments) == 2
    assert original  # the source is untouched


def _slow_command(media_samples: MediaSamples, out: Path) -> list[str]:
    facts = probe_master(media_samples.slow)
    out.mkdir(parents=True)
    (out / "thumbnails").mkdir()
    plan = TranscodePlan(media_samples.slow, facts, plan_ladder(facts), out, preset="medium")
    # -re reads at native speed, so the 20 s master takes 20 s: time enough to stop it deterministically.
    command = build_command(plan)
    return [command[0], "-re", *command[1:]]


def test_a_stop_request_kills_ffmpeg_within_a_second_or_two(media_samples: MediaSamples, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(TranscodeError, match="Cancelled"):
        run_ffmpeg(_slow_command(media_samples, tmp_path / "out"), duration=20,
                   timeout=60, should_stop=lambda: "Cancelled" if time.monotonic() - started > 1 else None,
                   poll_seconds=0.2)
    assert time.monotonic() - started < 8


def test_a_job_past_its_timeout_is_stopped(media_samples: MediaSamples, tmp_path: Path) -> None:
    with pytest.raises(TranscodeError) as error:
        run_ffmpeg(_slow_command(media_samples, tmp_path / "out"), duration=20,
                   timeout=1.5, poll_seconds=0.2)
    assert error.value.message.startswith("Packaging took longer than")


def test_ffmpeg_killed_from_outside_is_reported_with_the_signal(media_samples: MediaSamples, tmp_path: Path) -> None:
    command = _slow_command(media_samples, tmp_path / "out")

    def kill_ffmpeg_soon() -> None:
        time.sleep(1.5)
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if str(tmp_path).encode() in cmdline and cmdline.startswith(b"ffmpeg"):
                    os.kill(int(pid), signal.SIGKILL)

    killer = threading.Thread(target=kill_ffmpeg_soon)
    killer.start()
    with pytest.raises(TranscodeError, match="stopped by signal SIGKILL"):
        run_ffmpeg(command, duration=20, timeout=60, poll_seconds=0.2)
    killer.join()
