"""From a master and its side files to a verified HLS folder, then to storage under a version's own prefix.

Side files are checked against the master before any encoding: captions and subtitles (tracks of the master
playlist), an audio-description mix (an audio rendition), a chapter track (``chapters.vtt``) and a French Sign
Language video (``sign/index.m3u8``, a video-only rendition the player plays in a second window). The last two are
not named by the master playlist (HLS has no rendition type for them), so the completeness checks name them.

Nothing here touches the database: jobs (streaming.media.jobs) record progress and flip the published pointer, and the
benchmark calls these functions directly.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from streaming.media import hls
from streaming.media.captions import Cue, format_timestamp, load_captions, load_chapters, write_webvtt
from streaming.media.config import StreamingSettings
from streaming.media.ladder import Rung, plan_ladder
from streaming.media.probe import (
    MediaFacts,
    MediaRefused,
    SignLanguageFacts,
    keyframe_times,
    probe_audio,
    probe_master,
    probe_sign_language,
)
from streaming.media.storage import LocalStorage, MediaStorage, StorageError
from streaming.media.transcoder import (
    SPRITE_COLUMNS,
    SPRITE_ROWS,
    SignPlan,
    TranscodeError,
    TranscodePlan,
    build_command,
    build_sign_command,
    plan_sign_rung,
    run_ffmpeg,
)

MASTER_PLAYLIST = "master.m3u8"
CHAPTERS_TRACK = hls.CHAPTERS_TRACK
SIGN_PLAYLIST = hls.SIGN_PLAYLIST
# A packaged film shorter than its master by more than this lost its end: the master is truncated or damaged.
SHORTFALL_TOLERANCE_SECONDS = 2.0


@dataclass(frozen=True)
class SubtitleFile:
    language: str
    path: Path


@dataclass(frozen=True)
class PackagingRequest:
    master: Path
    captions: Path | None = None
    audio_description: Path | None = None
    subtitles: tuple[SubtitleFile, ...] = ()
    language: str = "fr"
    catalogue_minutes: int | None = None
    top_only: bool = False
    # A ceiling on the master's length (presentation videos): refused after the probe, before any encoding.
    max_seconds: float | None = None
    # A WebVTT chapter track in film time, and a French Sign Language video of the same length as the film.
    chapters: Path | None = None
    sign_language: Path | None = None


@dataclass
class PreparedPackage:
    """What was checked before ffmpeg starts: a bad side file fails in a second, not after an hour of encoding."""

    request: PackagingRequest
    facts: MediaFacts
    rungs: list[Rung]
    captions: list[Cue] | None
    subtitles: list[tuple[str, list[Cue]]]
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    chapters: list[Cue] | None = None
    sign_language: SignLanguageFacts | None = None
    sign_rung: Rung | None = None

    @property
    def side_playlists(self) -> tuple[str, ...]:
        """Media playlists published beside the master without being named by it."""
        return (SIGN_PLAYLIST,) if self.sign_language is not None else ()

    @property
    def side_files(self) -> tuple[str, ...]:
        """Files published beside the master that no playlist names."""
        return (CHAPTERS_TRACK,) if self.chapters is not None else ()


@dataclass
class PackagedMedia:
    prepared: PreparedPackage
    directory: Path
    files: dict[str, int]
    log: str = ""

    @property
    def total_bytes(self) -> int:
        return sum(self.files.values())

    def renditions_summary(self) -> str:
        rows: list[dict[str, Any]] = [{"name": r.name, "width": r.width, "height": r.height, "kbps": r.video_kbps,
                                       "remux": r.remux} for r in self.prepared.rungs]
        sign = self.prepared.sign_rung
        if sign is not None:
            rows.append({"name": sign.name, "width": sign.width, "height": sign.height, "kbps": sign.video_kbps,
                         "remux": False, "sign_language": True})
        return json.dumps(rows)


class PublishError(RuntimeError):
    """The upload or its verification failed: the version's prefix is removed and nothing is published."""


@dataclass(frozen=True)
class CheckedInputs:
    """The master's facts and the side files read and checked against it: all that can be refused in a second."""

    facts: MediaFacts
    captions: list[Cue] | None
    subtitles: list[tuple[str, list[Cue]]]
    chapters: list[Cue] | None
    sign_language: SignLanguageFacts | None
    warnings: list[tuple[str, dict[str, Any]]]


def check_inputs(request: PackagingRequest, settings: StreamingSettings) -> CheckedInputs:
    """Probe the master and check every side file against it (ffprobe reads headers only, nothing is decoded):
    the API runs this before queuing, so that a curator gets the refusal as the answer to the request."""
    facts = probe_master(request.master, ffprobe=settings.ffprobe, catalogue_minutes=request.catalogue_minutes)
    if request.max_seconds is not None and facts.duration > request.max_seconds:
        raise MediaRefused("This master lasts {duration}: a presentation video may last at most {limit}.",
                           field="master", duration=clock_duration(facts.duration),
                           limit=clock_duration(request.max_seconds))
    warnings = list(facts.warnings)
    if request.audio_description:
        ad_duration = probe_audio(request.audio_description, ffprobe=settings.ffprobe)
        if ad_duration > facts.duration + SHORTFALL_TOLERANCE_SECONDS:
            raise MediaRefused("The audio description lasts {ad} s, longer than the film ({film} s).",
                               field="audio_description", ad=round(ad_duration), film=round(facts.duration))
    captions = None
    if request.captions:
        captions = load_captions(_read_side_file(request.captions, "captions"), facts.duration, field="captions")
    subtitles = []
    for subtitle in request.subtitles:
        field_name = f"subtitles_{subtitle.language}"
        cues = load_captions(_read_side_file(subtitle.path, field_name), facts.duration, field=field_name)
        subtitles.append((subtitle.language, cues))
    chapters = None
    if request.chapters:
        chapters = load_chapters(_read_side_file(request.chapters, "chapters"), facts.duration,
                                 tolerance=SHORTFALL_TOLERANCE_SECONDS)
    sign_language = None
    if request.sign_language:
        sign_language = probe_sign_language(request.sign_language, ffprobe=settings.ffprobe)
        if abs(sign_language.duration - facts.duration) > SHORTFALL_TOLERANCE_SECONDS:
            raise MediaRefused("The sign-language video does not match the film's length: it lasts {sign}, the "
                               "film {film}.", field="sign_language", sign=format_timestamp(sign_language.duration),
                               film=format_timestamp(facts.duration))
    return CheckedInputs(facts, captions, subtitles, chapters, sign_language, warnings)


def prepare(request: PackagingRequest, settings: StreamingSettings) -> PreparedPackage:
    """The checked inputs and the plan: the ladder (a rung is copied when the master's keyframes allow it) and the
    sign-language rung."""
    checked = check_inputs(request, settings)
    facts = checked.facts
    keyframes = None
    if facts.video.codec == "h264" and not facts.video.interlaced:
        keyframes = keyframe_times(request.master, ffprobe=settings.ffprobe)
    rungs = plan_ladder(facts, top_only=request.top_only, keyframes=keyframes)
    sign_rung = plan_sign_rung(checked.sign_language.video) if checked.sign_language is not None else None
    return PreparedPackage(request, facts, rungs, checked.captions, checked.subtitles, checked.warnings,
                           checked.chapters, checked.sign_language, sign_rung)


def clock_duration(seconds: float) -> str:
    """A length as people say it (the same in French and English): "12 min 05 s", "45 s"."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _read_side_file(path: Path, field_name: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MediaRefused("The file {name} cannot be read.", field=field_name, name=path.name) from error
    if len(data) > 20 * 1024 * 1024:
        raise MediaRefused("The file {name} is too large for a caption file.", field=field_name, name=path.name)
    return data


def _sign_plan(prepared: PreparedPackage, out_dir: Path, settings: StreamingSettings) -> SignPlan | None:
    if prepared.sign_language is None or prepared.sign_rung is None:
        return None
    return SignPlan(prepared.sign_language, prepared.sign_rung, prepared.facts.duration, out_dir,
                    settings.x264_preset)


def _ladder_share(prepared: PreparedPackage, sign: SignPlan | None) -> float:
    """The part of the encoding time the ladder takes, from the pixels each run decodes and encodes."""
    if sign is None:
        return 1.0
    video = prepared.facts.video
    ladder = prepared.facts.duration * (video.width * video.height
                                        + sum(r.width * r.height for r in prepared.rungs if not r.remux))
    source = sign.source.video
    signing = sign.duration * (source.width * source.height + sign.rung.width * sign.rung.height)
    return ladder / (ladder + signing)


def transcode(prepared: PreparedPackage, out_dir: Path, settings: StreamingSettings, *, timeout: float,
              on_progress: Callable[[float], None] | None = None,
              should_stop: Callable[[], str | None] | None = None) -> str:
    """Run ffmpeg for the whole package (the ladder, then the sign-language video in a second run, both within
    ``timeout``); returns the tail of ffmpeg's log."""
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "thumbnails").mkdir(exist_ok=True)
    plan = TranscodePlan(prepared.request.master, prepared.facts, prepared.rungs, out_dir,
                         prepared.request.audio_description, settings.x264_preset)
    sign = _sign_plan(prepared, out_dir, settings)
    share = _ladder_share(prepared, sign)

    def scaled(offset: float, part: float) -> Callable[[float], None] | None:
        if on_progress is None:
            return None
        return lambda fraction: on_progress(offset + part * fraction)

    log = run_ffmpeg(build_command(plan, settings.ffmpeg), duration=prepared.facts.duration, timeout=timeout,
                     on_progress=scaled(0.0, share), should_stop=should_stop, started=started)
    if sign is None:
        return log
    (out_dir / sign.rung.name).mkdir(exist_ok=True)
    sign_log = run_ffmpeg(build_sign_command(sign, settings.ffmpeg), duration=sign.duration, timeout=timeout,
                          on_progress=scaled(share, 1.0 - share), should_stop=should_stop, started=started)
    return f"{log}{sign_log}"


def write_playlists(prepared: PreparedPackage, out_dir: Path, settings: StreamingSettings,
                    names: dict[str, str]) -> None:
    """Measure what ffmpeg wrote and write the master, subtitle and thumbnail tracks around it."""
    facts = prepared.facts
    variants = []
    for rung in prepared.rungs:
        playlist = out_dir / rung.name / "index.m3u8"
        variants.append(hls.VideoVariant(
            uri=f"{rung.name}/index.m3u8", width=rung.width, height=rung.height,
            frame_rate=facts.video.frame_rate, codec=hls.avc_codec_string(hls.init_segment_of(playlist)),
            bandwidth=hls.measure_bandwidth(playlist),
        ))
    shortfall = facts.duration - _packaged_duration(out_dir / prepared.rungs[0].name / "index.m3u8")
    if shortfall > SHORTFALL_TOLERANCE_SECONDS:
        raise MediaRefused("The master stops {seconds} s before its announced end: it is truncated or damaged.",
                           field="master", seconds=round(shortfall))
    if prepared.sign_language is not None:
        _check_sign_rendition(prepared, out_dir / SIGN_PLAYLIST)
    if prepared.chapters is not None:
        # No X-TIMESTAMP-MAP: chapters are read by the page, in film time, not by the HLS player on media time.
        (out_dir / CHAPTERS_TRACK).write_text(write_webvtt(prepared.chapters), encoding="utf-8")
    language = prepared.request.language
    audio = [hls.AudioRendition("audio/index.m3u8", names["audio"], language, True, False,
                                hls.measure_bandwidth(out_dir / "audio" / "index.m3u8"))]
    if prepared.request.audio_description:
        audio.append(hls.AudioRendition("ad/index.m3u8", names["ad"], language, False, True,
                                        hls.measure_bandwidth(out_dir / "ad" / "index.m3u8")))
    mpegts = _first_presentation_mpegts(out_dir / prepared.rungs[0].name / "index.m3u8", settings.ffprobe)
    subtitles = []
    if prepared.captions is not None:
        hls.write_subtitle_track(out_dir / "subtitles" / f"{language}-sme", prepared.captions, facts.duration, mpegts)
        subtitles.append(hls.SubtitleRendition(f"subtitles/{language}-sme/index.m3u8", names["sme"], language, True))
    for subtitle_language, cues in prepared.subtitles:
        hls.write_subtitle_track(out_dir / "subtitles" / subtitle_language, cues, facts.duration, mpegts)
        subtitles.append(hls.SubtitleRendition(f"subtitles/{subtitle_language}/index.m3u8",
                                               names.get(f"sub:{subtitle_language}", subtitle_language),
                                               subtitle_language, False))
    thumbs = TranscodePlan(prepared.request.master, facts, prepared.rungs, out_dir).thumbnails
    (out_dir / "thumbnails" / "thumbnails.vtt").write_text(hls.thumbnails_vtt(
        count=thumbs.count, interval=thumbs.interval, width=thumbs.width, height=thumbs.height,
        columns=SPRITE_COLUMNS, rows=SPRITE_ROWS, duration=facts.duration), encoding="utf-8")
    (out_dir / MASTER_PLAYLIST).write_text(hls.MasterPlaylist(variants, audio, subtitles).render(), encoding="utf-8")
    check_complete(out_dir, side_playlists=prepared.side_playlists, side_files=prepared.side_files)


def _check_sign_rendition(prepared: PreparedPackage, playlist: Path) -> None:
    """The signed video was encoded to its end (a damaged file can probe well and stop early)."""
    assert prepared.sign_language is not None
    expected = min(prepared.sign_language.duration, prepared.facts.duration)
    try:
        packaged = _packaged_duration(playlist)
    except OSError as error:
        raise hls.PlaylistError(f"{SIGN_PLAYLIST} was not written: {error}") from error
    shortfall = expected - packaged
    if shortfall > SHORTFALL_TOLERANCE_SECONDS:
        raise MediaRefused("The sign-language video stops {seconds} s before its announced end: it is truncated or "
                           "damaged.", field="sign_language", seconds=round(shortfall))


def check_complete(out_dir: Path, *, side_playlists: tuple[str, ...] = (),
                   side_files: tuple[str, ...] = ()) -> dict[str, int]:
    """Every file the master and the side playlists need is there and every playlist parses (the chapter track
    too); the sizes of everything in the folder."""
    needed = hls.referenced_files(out_dir, side_playlists=side_playlists, side_files=side_files)
    needed |= {"poster.jpg", "thumbnails/thumbnails.vtt", "thumbnails/sprite_001.jpg"}
    missing = sorted(name for name in needed if not (out_dir / name).is_file())
    if missing:
        raise hls.PlaylistError(f"Missing after packaging: {', '.join(missing[:5])}")
    if CHAPTERS_TRACK in side_files and not (out_dir / CHAPTERS_TRACK).read_bytes().startswith(b"WEBVTT"):
        raise hls.PlaylistError(f"{CHAPTERS_TRACK} is not a WebVTT file.")
    return {path.relative_to(out_dir).as_posix(): path.stat().st_size
            for path in out_dir.rglob("*") if path.is_file()}


def _packaged_duration(playlist_path: Path) -> float:
    import m3u8

    return sum(segment.duration or 0 for segment in m3u8.loads(playlist_path.read_text()).segments)


def _first_presentation_mpegts(playlist_path: Path, ffprobe: str) -> int:
    """The first frame's media time on the 90 kHz clock: X-TIMESTAMP-MAP ties cue time 0 to it."""
    result = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=start_time",
         "-of", "csv=p=0", str(playlist_path)], capture_output=True, text=True, check=False,
    )
    try:
        return max(0, round(float(result.stdout.strip().splitlines()[0]) * 90000))
    except (ValueError, IndexError):
        return 0


def package_to_directory(prepared: PreparedPackage, out_dir: Path, settings: StreamingSettings, *,
                         names: dict[str, str], timeout: float,
                         on_progress: Callable[[float], None] | None = None,
                         should_stop: Callable[[], str | None] | None = None) -> PackagedMedia:
    log = transcode(prepared, out_dir, settings, timeout=timeout, on_progress=on_progress, should_stop=should_stop)
    write_playlists(prepared, out_dir, settings, names)
    files = check_complete(out_dir, side_playlists=prepared.side_playlists, side_files=prepared.side_files)
    return PackagedMedia(prepared, out_dir, files, log)


def upload(packaged: PackagedMedia, storage: MediaStorage, prefix: str) -> None:
    """Copy the folder under ``prefix`` (playlists last), then check the storage holds all of it and it parses."""
    try:
        moved = isinstance(storage, LocalStorage) and storage.move_tree(packaged.directory, prefix)
        if not moved:
            # Segments first, playlists last: a reader that finds a playlist finds everything it names.
            ordered = sorted(packaged.files, key=lambda name: (name.endswith(".m3u8"), name == MASTER_PLAYLIST, name))
            for name in ordered:
                storage.put_file(packaged.directory / name, f"{prefix}/{name}")
        verify_published(storage, prefix, packaged.files, side_playlists=packaged.prepared.side_playlists,
                         side_files=packaged.prepared.side_files)
    except (StorageError, hls.PlaylistError, FileNotFoundError, OSError) as error:
        storage.delete_prefix(prefix)
        raise PublishError(str(error)) from error


def verify_published(storage: MediaStorage, prefix: str, expected: dict[str, int], *,
                     side_playlists: tuple[str, ...] = (), side_files: tuple[str, ...] = ()) -> None:
    """Everything written is in the storage at its size, and every file the master and the side playlists name
    (and the side files) is there: a reader finding any playlist of the version finds all it needs."""
    stored = storage.list_sizes(prefix)
    for name, size in expected.items():
        key = f"{prefix}/{name}"
        if stored.get(key) != size:
            raise PublishError(f"{key} is missing or incomplete in the storage.")

    def read(name: str) -> str:
        return storage.read_bytes(str(PurePosixPath(prefix) / name)).decode("utf-8")

    needed = hls.referenced_files_from(read, read(MASTER_PLAYLIST), side_playlists=side_playlists,
                                       side_files=side_files)
    missing = sorted(name for name in needed if f"{prefix}/{name}" not in stored)
    if missing:
        raise PublishError(f"The playlists name files the storage does not have: {', '.join(missing[:5])}")


__all__ = ["CheckedInputs", "PackagingRequest", "PreparedPackage", "PackagedMedia", "PublishError", "SubtitleFile",
           "TranscodeError", "check_complete", "check_inputs", "package_to_directory", "prepare",
           "upload"]
