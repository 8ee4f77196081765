"""The ffmpeg transcoder: the whole ladder, the audio renditions, a poster and the thumbnail sprites in one run,
and the French Sign Language video, when there is one, in a second, small run.

The master is decoded once; ``split`` feeds one scaler per rung, so a long film is read and decoded a single
time however many renditions it gets. Progress comes from ffmpeg's ``-progress`` key=value stream.
"""

from __future__ import annotations

import math
import os
import queue
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from streaming.media.ladder import APPLE_16_9, AUDIO_KBPS, KEYFRAME_SECONDS, SEGMENT_SECONDS, Rung
from streaming.media.probe import MediaFacts, SignLanguageFacts, VideoFacts

THUMB_WIDTH = 160
SPRITE_COLUMNS = SPRITE_ROWS = 10
LOG_TAIL_CHARS = 64_000
# The signer's window is small beside the film: one rung about this wide is sharp enough for hands and faces.
SIGN_WIDTH = 480
SIGN_FOLDER = "sign"


class TranscodeError(RuntimeError):
    """ffmpeg failed, was cancelled or timed out; ``message``/``params`` make the msgid shown to staff."""

    def __init__(self, message: str, log: str = "", **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params
        self.log = log


@dataclass(frozen=True)
class ThumbnailPlan:
    interval: float
    width: int
    height: int
    count: int

    @property
    def per_sprite(self) -> int:
        return SPRITE_COLUMNS * SPRITE_ROWS


@dataclass(frozen=True)
class TranscodePlan:
    master: Path
    facts: MediaFacts
    rungs: list[Rung]
    out_dir: Path
    audio_description: Path | None = None
    preset: str = "veryfast"

    @property
    def poster_time(self) -> float:
        # A tenth of the way in (past opening titles and black), at most a minute in.
        return min(self.facts.duration * 0.1, 60.0)

    @property
    def thumbnails(self) -> ThumbnailPlan:
        interval = float(min(10, max(1, math.ceil(self.facts.duration / 120))))
        width, height = self.facts.video.display_size
        thumb_height = max(2, round(THUMB_WIDTH * height / width / 2) * 2)
        return ThumbnailPlan(interval, THUMB_WIDTH, thumb_height, max(1, math.ceil(self.facts.duration / interval)))

    @property
    def copies_audio(self) -> bool:
        audio = self.facts.audio
        return bool(audio and audio.codec == "aac" and audio.profile == "LC" and audio.channels == 2
                    and audio.sample_rate in (44100, 48000))

    def audio_names(self) -> list[str]:
        return ["audio", *(["ad"] if self.audio_description else [])]


def build_command(plan: TranscodePlan, ffmpeg: str = "ffmpeg") -> list[str]:
    facts, out = plan.facts, plan.out_dir
    duration = f"{facts.duration:.3f}"
    fps = facts.video.frame_rate
    gop = max(1, round(KEYFRAME_SECONDS * fps))
    command = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "warning"]
    if all(rung.remux for rung in plan.rungs):
        # Nothing is encoded: decode keyframes only (every 2 s) for the poster and thumbnails, so the remux path
        # runs at copying speed instead of decoding speed.
        command += ["-skip_frame", "nokey"]
    command += ["-i", str(plan.master)]
    next_input = 1
    ad_input = silent_input = None
    if plan.audio_description:
        command += ["-i", str(plan.audio_description)]
        ad_input, next_input = next_input, next_input + 1
    if facts.audio is None:
        command += ["-f", "lavfi", "-t", duration, "-i", "anullsrc=r=48000:cl=stereo"]
        silent_input = next_input

    encoded = [(index, rung) for index, rung in enumerate(plan.rungs) if not rung.remux]
    labels = [f"[e{index}]" for index, _ in encoded] + ["[forposter]", "[forthumbs]"]
    prefix = "yadif=mode=send_frame," if facts.video.interlaced else ""
    graph = [f"[0:v:0]{prefix}split={len(labels)}{''.join(labels)}"]
    for index, rung in encoded:
        graph.append(f"[e{index}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1,format=yuv420p[r{index}]")
    top = plan.rungs[-1]
    thumbs = plan.thumbnails
    graph.append(f"[forposter]select='gte(t\\,{plan.poster_time:.3f})',"
                 f"scale={top.width}:{top.height},setsar=1[poster]")
    graph.append(f"[forthumbs]fps=1/{thumbs.interval:g},scale={thumbs.width}:{thumbs.height},setsar=1,"
                 f"tile={SPRITE_COLUMNS}x{SPRITE_ROWS}[thumbs]")
    if ad_input is not None:
        graph.append(f"[{ad_input}:a:0]aresample=48000,apad=whole_dur={duration},atrim=end={duration}[ad]")
    command += ["-filter_complex", ";".join(graph)]

    for index, rung in enumerate(plan.rungs):
        command += ["-map", "0:v:0" if rung.remux else f"[r{index}]"]
    command += ["-map", f"{silent_input}:a:0" if silent_input is not None else "0:a:0"]
    if ad_input is not None:
        command += ["-map", "[ad]"]

    for index, rung in enumerate(plan.rungs):
        if rung.remux:
            command += [f"-c:v:{index}", "copy"]
            continue
        command += [
            f"-c:v:{index}", "libx264", f"-profile:v:{index}", "high", f"-preset:v:{index}", plan.preset,
            f"-b:v:{index}", f"{rung.video_kbps}k", f"-maxrate:v:{index}", f"{rung.maxrate_kbps}k",
            f"-bufsize:v:{index}", f"{rung.bufsize_kbps}k",
        ]
    command += [
        # Keyframes every 2 s on the same instants in every rung, and none elsewhere, so that segments line up.
        "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
        "-force_key_frames", f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
        "-x264-params", "scenecut=0:open_gop=0",
    ]
    if plan.copies_audio and silent_input is None:
        command += ["-c:a:0", "copy"]
    else:
        command += ["-c:a:0", "aac", "-b:a:0", f"{AUDIO_KBPS}k", "-ac:a:0", "2", "-ar:a:0", "48000"]
    if ad_input is not None:
        command += ["-c:a:1", "aac", "-b:a:1", f"{AUDIO_KBPS}k", "-ac:a:1", "2", "-ar:a:1", "48000"]

    stream_map = [f"v:{index},name:{rung.name}" for index, rung in enumerate(plan.rungs)]
    stream_map += [f"a:{index},name:{name}" for index, name in enumerate(plan.audio_names())]
    command += [
        "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(out / "%v" / "seg_%05d.m4s"),
        "-var_stream_map", " ".join(stream_map), str(out / "%v" / "index.m3u8"),
        "-map", "[poster]", "-c:v", "mjpeg", "-q:v", "3", "-frames:v", "1", "-update", "1", str(out / "poster.jpg"),
        "-map", "[thumbs]", "-c:v", "mjpeg", "-q:v", "5", str(out / "thumbnails" / "sprite_%03d.jpg"),
        "-progress", "pipe:1", "-nostats",
    ]
    return command


def plan_sign_rung(video: VideoFacts) -> Rung:
    """One rung about SIGN_WIDTH wide (never upscaled), of the signed picture's own aspect ratio."""
    width, height = video.display_size
    target_width = max(2, min(SIGN_WIDTH, width) // 2 * 2)
    target_height = max(2, round(target_width * height / width / 2) * 2)
    # Signing is hands and faces in motion: the bits per pixel of the ladder's 640×360 rung, not of its smallest.
    box_width, box_height, kbps = APPLE_16_9[1]
    return Rung(SIGN_FOLDER, target_width, target_height,
                max(150, round(kbps * target_width * target_height / (box_width * box_height))))


@dataclass(frozen=True)
class SignPlan:
    """The sign-language video as a video-only HLS rendition beside the ladder, cut like it: keyframes every
    KEYFRAME_SECONDS from its first frame and SEGMENT_SECONDS segments, so that a player seeking both lands on
    the same instants; never longer than the film."""

    source: SignLanguageFacts
    rung: Rung
    film_duration: float
    out_dir: Path
    preset: str = "veryfast"

    @property
    def duration(self) -> float:
        return min(self.source.duration, self.film_duration)


def build_sign_command(plan: SignPlan, ffmpeg: str = "ffmpeg") -> list[str]:
    video, rung, out = plan.source.video, plan.rung, plan.out_dir / SIGN_FOLDER
    gop = max(1, round(KEYFRAME_SECONDS * video.frame_rate))
    prefix = "yadif=mode=send_frame," if video.interlaced else ""
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
        "-i", str(plan.source.path), "-t", f"{plan.duration:.3f}",
        "-map", "0:v:0", "-an", "-sn", "-dn",
        "-vf", f"{prefix}scale={rung.width}:{rung.height}:flags=bicubic,setsar=1,format=yuv420p",
        "-c:v", "libx264", "-profile:v", "high", "-preset", plan.preset, "-b:v", f"{rung.video_kbps}k",
        "-maxrate", f"{rung.maxrate_kbps}k", "-bufsize", f"{rung.bufsize_kbps}k",
        "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
        "-force_key_frames", f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
        "-x264-params", "scenecut=0:open_gop=0",
        "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(out / "seg_%05d.m4s"), str(out / "index.m3u8"),
        "-progress", "pipe:1", "-nostats",
    ]


StopCheck = Callable[[], str | None]


def run_ffmpeg(command: list[str], *, duration: float, timeout: float,
               on_progress: Callable[[float], None] | None = None, should_stop: StopCheck | None = None,
               poll_seconds: float = 0.5, started: float | None = None) -> str:
    """Run ffmpeg to the end and return the tail of its log; TranscodeError on failure, timeout or a stop request.

    ``timeout`` counts from ``started`` (a time.monotonic() value, now by default), so that the runs of one
    package share one allowance.
    The log is kept in memory, not in a file: when the disk is full, a log file would lose the very line that says so.
    """
    deadline = (time.monotonic() if started is None else started) + timeout
    if time.monotonic() > deadline:
        raise TranscodeError("Packaging took longer than the {seconds} s allowed and was stopped.",
                             seconds=int(timeout))
    log_lines: deque[str] = deque()
    log_size = [0]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read_progress() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            lines.put(raw.decode(errors="replace").strip())
        lines.put(None)

    def read_log() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode(errors="replace")
            log_lines.append(line)
            log_size[0] += len(line)
            while log_size[0] > LOG_TAIL_CHARS and len(log_lines) > 1:
                log_size[0] -= len(log_lines.popleft())

    reader = threading.Thread(target=read_progress, name="ffmpeg-progress", daemon=True)
    reader.start()
    log_reader = threading.Thread(target=read_log, name="ffmpeg-log", daemon=True)
    log_reader.start()
    stopped: tuple[str, dict[str, object]] | None = None
    finished = False
    while not finished:
        try:
            line = lines.get(timeout=poll_seconds)
        except queue.Empty:
            line = ""
        if line is None:
            finished = True
        elif line.startswith("out_time_us=") and on_progress and duration > 0:
            value = line.partition("=")[2]
            if value.lstrip("-").isdigit():
                on_progress(min(1.0, max(0.0, int(value) / 1_000_000 / duration)))
        reason = should_stop() if should_stop else None
        if reason:
            stopped = (reason, {})
        elif time.monotonic() > deadline:
            stopped = ("Packaging took longer than the {seconds} s allowed and was stopped.",
                       {"seconds": int(timeout)})
        if stopped:
            _kill(process)
            break
    returncode = process.wait()
    reader.join(timeout=5)
    log_reader.join(timeout=5)
    log = "".join(log_lines)
    if stopped:
        raise TranscodeError(stopped[0], log, **stopped[1])
    if returncode != 0:
        if "No space left on device" in log:
            raise TranscodeError("The disk filled up while packaging.", log)
        if returncode < 0:
            raise TranscodeError("ffmpeg was stopped by signal {signal}.", log, signal=signal.Signals(-returncode).name)
        last = next((line for line in reversed(log.splitlines()) if line.strip()), "no message")
        raise TranscodeError("ffmpeg failed: {reason}", log, reason=last[-300:])
    return log


def _kill(process: subprocess.Popen[bytes]) -> None:
    # ffmpeg runs in its own session: the whole group goes, and SIGKILL follows if SIGTERM is not enough.
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
