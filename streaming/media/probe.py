"""Reads what a master file holds (ffprobe via ffmpeg-python) and refuses, with a reason, what cannot be packaged."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from cinedoc.kernel.errors import InvalidInput

# 8K UHD: anything bigger is a mistake or an attack on the encoder's memory, not a documentary master.
MAX_WIDTH, MAX_HEIGHT = 7680, 4320
INTERLACED_FIELD_ORDERS = {"tt", "bb", "tb", "bt"}
# Catalogue durations are whole minutes typed by a person: warn only past a margin that rounding cannot explain.
DURATION_TOLERANCE_SECONDS = 90.0
DURATION_TOLERANCE_RATIO = 0.05


class MediaRefused(InvalidInput):
    """The master (or a side file) cannot be packaged; the message says why."""


@dataclass(frozen=True)
class VideoFacts:
    codec: str
    profile: str
    pix_fmt: str
    width: int
    height: int
    frame_rate: float
    rotation: int
    interlaced: bool
    sample_aspect_ratio: str
    bit_rate: int | None

    @property
    def display_size(self) -> tuple[int, int]:
        """The picture as shown: rotated sources swap sides, anamorphic ones are stretched to square pixels."""
        width, height = self.width, self.height
        sar = _ratio(self.sample_aspect_ratio)
        if sar and sar != 1:
            width = round(width * sar)
        if self.rotation % 180:
            width, height = height, width
        return width, height


@dataclass(frozen=True)
class AudioFacts:
    codec: str
    profile: str
    channels: int
    sample_rate: int


@dataclass(frozen=True)
class MediaFacts:
    path: Path
    format_name: str
    duration: float
    size_bytes: int
    video: VideoFacts
    audio: AudioFacts | None
    # English msgids with their parameters, translated when shown.
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _ratio(text: str | None) -> float | None:
    if not text or text in ("0/0", "N/A", "0:1"):
        return None
    try:
        value = Fraction(text.replace(":", "/"))
    except (ValueError, ZeroDivisionError):
        return None
    return float(value) if value > 0 else None


def _rotation(stream: dict[str, Any]) -> int:
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            return int(float(side_data["rotation"])) % 360
    rotate = (stream.get("tags") or {}).get("rotate")
    return int(rotate) % 360 if rotate and rotate.lstrip("-").isdigit() else 0


def _run_ffprobe(path: Path, ffprobe: str, field_name: str = "master") -> dict[str, Any]:
    try:
        return ffmpeg.probe(str(path), cmd=ffprobe)
    except ffmpeg.Error as error:
        reason = (error.stderr or b"").decode(errors="replace").strip().splitlines()
        raise MediaRefused("ffmpeg cannot read this file ({reason}).", field=field_name,
                           reason=reason[-1] if reason else "unknown format") from error


def _picture_streams(info: dict[str, Any]) -> list[dict[str, Any]]:
    # Cover art in audio files shows up as a one-frame "video" stream: it is not a picture to stream.
    return [s for s in info.get("streams") or [] if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")]


def _video_facts(stream: dict[str, Any], field_name: str) -> VideoFacts:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if width <= 0 or height <= 0:
        raise MediaRefused("The video stream has no picture size: the file is damaged.", field=field_name)
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        raise MediaRefused("The picture is {width}×{height}, larger than the 8K maximum (7680×4320).",
                           field=field_name, width=width, height=height)
    frame_rate = _ratio(stream.get("avg_frame_rate")) or _ratio(stream.get("r_frame_rate"))
    if not frame_rate or frame_rate > 240:
        raise MediaRefused("The video frame rate cannot be read: the file is damaged.", field=field_name)
    return VideoFacts(
        codec=stream.get("codec_name", ""), profile=stream.get("profile", ""), pix_fmt=stream.get("pix_fmt", ""),
        width=width, height=height, frame_rate=frame_rate, rotation=_rotation(stream),
        interlaced=stream.get("field_order", "progressive") in INTERLACED_FIELD_ORDERS,
        sample_aspect_ratio=stream.get("sample_aspect_ratio") or "1:1",
        bit_rate=int(stream["bit_rate"]) if str(stream.get("bit_rate", "")).isdigit() else None,
    )


def probe_master(path: Path, *, ffprobe: str = "ffprobe", catalogue_minutes: int | None = None) -> MediaFacts:
    """Everything packaging needs to know about a master, or MediaRefused with the reason it cannot be used."""
    if not path.is_file():
        raise MediaRefused("The master file {path} does not exist.", field="master", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise MediaRefused("The master file is empty (0 bytes).", field="master")
    info = _run_ffprobe(path, ffprobe)
    videos = _picture_streams(info)
    audios = [s for s in info.get("streams") or [] if s.get("codec_type") == "audio"]
    if not videos:
        raise MediaRefused("The master file has no video stream (audio only or not a film).", field="master")
    stream = videos[0]
    video = _video_facts(stream, "master")
    fmt = info.get("format") or {}
    duration = _float(fmt.get("duration")) or _float(stream.get("duration"))
    if not duration or duration <= 0:
        raise MediaRefused("The file's duration cannot be read: it may be truncated.", field="master")
    audio = None
    if audios:
        first = audios[0]
        audio = AudioFacts(codec=first.get("codec_name", ""), profile=first.get("profile", ""),
                           channels=int(first.get("channels") or 0), sample_rate=int(first.get("sample_rate") or 0))
    warnings: list[tuple[str, dict[str, Any]]] = []
    if catalogue_minutes:
        expected = catalogue_minutes * 60
        if abs(duration - expected) > max(DURATION_TOLERANCE_SECONDS, DURATION_TOLERANCE_RATIO * expected):
            warnings.append(("The master lasts {actual} min but the catalogue says {expected} min.",
                             {"actual": f"{duration / 60:.1f}", "expected": catalogue_minutes}))
    if audio is None:
        warnings.append(("The master has no sound: a silent track is added so that every player behaves the same.",
                         {}))
    return MediaFacts(path=path, format_name=fmt.get("format_name", ""), duration=duration, size_bytes=size,
                      video=video, audio=audio, warnings=warnings)


def probe_audio(path: Path, *, ffprobe: str = "ffprobe", field_name: str = "audio_description") -> float:
    """Duration of an audio side file (the audio-description mix), refusing files without sound."""
    if not path.is_file() or path.stat().st_size == 0:
        raise MediaRefused("The audio-description file is missing or empty.", field=field_name)
    info = _run_ffprobe(path, ffprobe, field_name)
    if not any(s.get("codec_type") == "audio" for s in info.get("streams") or []):
        raise MediaRefused("The audio-description file has no sound stream.", field=field_name)
    return _float((info.get("format") or {}).get("duration")) or 0.0


@dataclass(frozen=True)
class SignLanguageFacts:
    path: Path
    duration: float
    video: VideoFacts


def probe_sign_language(path: Path, *, ffprobe: str = "ffprobe",
                        field_name: str = "sign_language") -> SignLanguageFacts:
    """The picture of a French Sign Language video (its sound, if any, is not used): a signer filmed apart, or the
    picture-in-picture source cut from a signed master."""
    if not path.is_file() or path.stat().st_size == 0:
        raise MediaRefused("The sign-language video is missing or empty.", field=field_name)
    info = _run_ffprobe(path, ffprobe, field_name)
    videos = _picture_streams(info)
    if not videos:
        raise MediaRefused("The sign-language file has no video stream.", field=field_name)
    duration = _float((info.get("format") or {}).get("duration")) or _float(videos[0].get("duration"))
    if not duration or duration <= 0:
        raise MediaRefused("The sign-language video's duration cannot be read: it may be truncated.",
                           field=field_name)
    return SignLanguageFacts(path=path, duration=duration, video=_video_facts(videos[0], field_name))


def keyframe_times(path: Path, *, ffprobe: str = "ffprobe") -> list[float]:
    """Presentation times of the video keyframes, read from packet flags (no decoding, so fast on long films)."""
    result = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
         "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=False,
    )
    times = []
    for line in result.stdout.splitlines():
        pts, _, flags = line.partition(",")
        if "K" in flags and pts not in ("", "N/A"):
            times.append(float(pts))
    return sorted(times)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
