"""The French Sign Language video: probed and refused before any encoding when it is not the film's, encoded in a
second ffmpeg run as one video-only HLS rendition cut like the ladder, and required by the completeness checks
although the master playlist does not name it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import m3u8
import pytest

from streaming.media import hls
from streaming.media.config import StreamingSettings
from streaming.media.hls import PlaylistError
from streaming.media.packaging import (
    PackagingRequest,
    check_complete,
    package_to_directory,
    prepare,
    transcode,
)
from streaming.media.probe import MediaRefused, VideoFacts, keyframe_times, probe_sign_language
from streaming.media.transcoder import SignPlan, TranscodeError, build_sign_command, plan_sign_rung, run_ffmpeg
from tests.media_samples import MediaSamples

SETTINGS = StreamingSettings(x264_preset="veryfast")
NAMES = {"audio": "Français", "ad": "Français (audiodescription)", "sme": "Français (SME)"}


def video(width: int, height: int, *, rotation: int = 0, sar: str = "1:1") -> VideoFacts:
    return VideoFacts(codec="h264", profile="High", pix_fmt="yuv420p", width=width, height=height, frame_rate=25.0,
                      rotation=rotation, interlaced=False, sample_aspect_ratio=sar, bit_rate=None)


@pytest.mark.parametrize(("facts", "size"), [
    (video(1920, 1080), (480, 270)),
    (video(640, 480), (480, 360)),
    (video(320, 240), (320, 240)),  # never upscaled
    (video(1080, 1920), (480, 854)),  # a signer filmed upright keeps her shape
    (video(1920, 1080, rotation=90), (480, 854)),
    (video(720, 576, sar="16:15"), (480, 360)),  # anamorphic PAL 4:3 shown with square pixels
])
def test_the_sign_rung_is_about_480_px_wide_and_keeps_the_aspect_ratio(facts: VideoFacts,
                                                                       size: tuple[int, int]) -> None:
    rung = plan_sign_rung(facts)
    assert (rung.width, rung.height) == size and rung.name == "sign"
    assert rung.video_kbps >= 150


def test_the_sign_command_is_video_only_h264_cut_like_the_ladder(media_samples: MediaSamples,
                                                                  tmp_path: Path) -> None:
    facts = probe_sign_language(media_samples.sign_language)
    command = build_sign_command(SignPlan(facts, plan_sign_rung(facts.video), 7.5, tmp_path))
    assert command.count("-i") == 1 and "-an" in command
    for flag, value in [("-c:v", "libx264"), ("-hls_time", "6"), ("-hls_segment_type", "fmp4"),
                        ("-force_key_frames", "expr:gte(t,n_forced*2)"), ("-g", "50"), ("-t", "7.500"),
                        ("-hls_playlist_type", "vod")]:
        assert command[command.index(flag) + 1] == value, flag
    assert command[-3:] == ["-progress", "pipe:1", "-nostats"]
    assert str(tmp_path / "sign" / "index.m3u8") in command


@pytest.fixture(scope="module")
def packaged(media_samples: MediaSamples, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    out = tmp_path_factory.mktemp("signed") / "out"
    prepared = prepare(PackagingRequest(media_samples.master, captions=media_samples.captions,
                                        chapters=media_samples.chapters, sign_language=media_samples.sign_language),
                       SETTINGS)
    progress: list[float] = []
    package_to_directory(prepared, out, SETTINGS, names=NAMES, timeout=120, on_progress=progress.append)
    return out, progress


def test_the_signed_video_is_a_video_only_480_px_h264_rendition(packaged: tuple[Path, list[float]]) -> None:
    import ffmpeg

    out, _ = packaged
    streams = ffmpeg.probe(str(out / "sign" / "index.m3u8"))["streams"]
    assert [(s["codec_type"], s["codec_name"], s["profile"], s["width"], s["height"]) for s in streams] == [
        ("video", "h264", "High", 480, 360)]  # the sample's sound is dropped


def test_the_signed_video_cuts_and_keyframes_fall_on_the_films_instants(packaged: tuple[Path, list[float]]) -> None:
    out, _ = packaged
    film = m3u8.load(str(out / "v360" / "index.m3u8"))
    sign = m3u8.load(str(out / "sign" / "index.m3u8"))
    assert sign.playlist_type == "vod" and sign.is_endlist and sign.segment_map[0].uri == "init.mp4"
    assert [round(s.duration, 2) for s in sign.segments] == [round(s.duration, 2) for s in film.segments]
    # Same instants on the media clock, not only the same spacing: a seek lands on a keyframe in both.
    assert keyframe_times(out / "sign" / "index.m3u8") == keyframe_times(out / "v360" / "index.m3u8")


def test_the_master_does_not_name_the_sign_or_chapter_files(packaged: tuple[Path, list[float]]) -> None:
    out, _ = packaged
    master = (out / "master.m3u8").read_text()
    assert "sign/" not in master and "chapters.vtt" not in master
    assert (out / "chapters.vtt").read_text().startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.000\n")


def test_progress_runs_once_from_zero_to_one_over_both_ffmpeg_runs(packaged: tuple[Path, list[float]]) -> None:
    _, progress = packaged
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0, abs=0.05)


def test_a_missing_sign_segment_or_chapter_track_makes_the_package_incomplete(
        packaged: tuple[Path, list[float]], tmp_path: Path) -> None:
    source, _ = packaged
    sides = {"side_playlists": (hls.SIGN_PLAYLIST,), "side_files": (hls.CHAPTERS_TRACK,)}
    files = check_complete(source, **sides)
    assert {"sign/index.m3u8", "sign/init.mp4", "sign/seg_00000.m4s", "sign/seg_00001.m4s", "chapters.vtt"} <= set(
        files)
    for name in ("sign/seg_00001.m4s", "sign/init.mp4", "chapters.vtt", "sign/index.m3u8"):
        copy = tmp_path / name.replace("/", "_")
        shutil.copytree(source, copy)
        (copy / name).unlink()
        with pytest.raises(PlaylistError):
            check_complete(copy, **sides)
        check_complete(copy)  # the master names none of them: only the side lists catch the loss


def test_a_sign_language_video_that_is_not_the_films_is_refused_before_any_encoding(
        media_samples: MediaSamples, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(MediaRefused) as refused:
        prepare(PackagingRequest(media_samples.master, sign_language=media_samples.sign_language_short), SETTINGS)
    assert str(refused.value) == ("The sign-language video does not match the film's length: it lasts "
                                  "00:00:04.000, the film 00:00:08.000.")
    assert refused.value.field == "sign_language" and time.monotonic() - started < 3


@pytest.mark.parametrize(("sample", "reason"), [
    ("audio_only", "The sign-language file has no video stream."),
    ("zero_bytes", "The sign-language video is missing or empty."),
    ("corrupt", "ffmpeg cannot read this file"),
    ("captions", "The sign-language file has no video stream."),  # the SRT given in the wrong field
])
def test_a_sign_language_file_without_a_picture_is_refused_under_its_field(
        media_samples: MediaSamples, sample: str, reason: str) -> None:
    with pytest.raises(MediaRefused) as refused:
        prepare(PackagingRequest(media_samples.master, sign_language=getattr(media_samples, sample)), SETTINGS)
    assert reason in str(refused.value) and refused.value.field == "sign_language"


def test_a_sign_video_within_the_tolerance_is_accepted_and_never_outlasts_the_film(
        media_samples: MediaSamples) -> None:
    # The 8 s sign video against the 8 s master is the plain case; against the 7.5 s cut made here, it is trimmed.
    prepared = prepare(PackagingRequest(media_samples.master, sign_language=media_samples.sign_language), SETTINGS)
    assert prepared.sign_language is not None and prepared.sign_rung is not None
    plan = SignPlan(prepared.sign_language, prepared.sign_rung, 7.5, Path("/unused"))
    assert plan.duration == 7.5


def test_a_stop_request_during_the_sign_run_stops_it(media_samples: MediaSamples, tmp_path: Path) -> None:
    prepared = prepare(PackagingRequest(media_samples.master, sign_language=media_samples.sign_language), SETTINGS)
    out = tmp_path / "out"

    def stop_once_signing() -> str | None:
        return "Cancelled at the curator's request." if (out / "sign").is_dir() else None

    with pytest.raises(TranscodeError, match="Cancelled"):
        transcode(prepared, out, SETTINGS, timeout=60, should_stop=stop_once_signing)
    # The sign folder is made once the ladder's run has ended: the stop reached the second run, and was obeyed.
    assert m3u8.load(str(out / "v360" / "index.m3u8")).is_endlist


def test_the_runs_of_one_package_share_one_timeout() -> None:
    with pytest.raises(TranscodeError) as error:
        run_ffmpeg(["ffmpeg", "-version"], duration=1.0, timeout=30, started=time.monotonic() - 31)
    assert str(error.value) == "Packaging took longer than the 30 s allowed and was stopped."
