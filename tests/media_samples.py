"""Tiny media files made with ffmpeg's lavfi sources, once per test session: good masters and every kind of bad one."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

SME_SRT = """1
00:00:00,500 --> 00:00:02,000
<font color="#ffff00">Bonjour, tout le monde !</font>

2
00:00:02,500 --> 00:00:04,000
<font color="#FF0000">[Une porte claque]</font>

3
00:00:04,500 --> 00:00:07,500
<i>Musique douce</i> <font color=magenta>♪</font>
"""

EN_VTT = """WEBVTT

00:00:00.500 --> 00:00:03.000
Hello, everyone!

00:00:03.500 --> 00:00:07.000 line:0
A door slams.
"""


# Chapters of the 8 s master: markup and a character reference in a title, to be published as plain text.
CHAPTERS_VTT = """WEBVTT

NOTE Chapitres du film de test

intro
00:00:00.000 --> 00:00:03.000
Ouverture : les glaneurs

00:00:03.000 --> 00:00:08.000 align:start
<b>Deuxième partie</b> &amp; fin
"""


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True)


class MediaSamples:
    """Each property makes its file on first use, so a test module pays only for what it needs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[str, Path] = {}

    def _make(self, name: str, build: Callable[[Path], None]) -> Path:
        if name not in self._made:
            path = self.root / name
            build(path)
            self._made[name] = path
        return self._made[name]

    @property
    def master(self) -> Path:
        """640x360, 8 s, 25 fps, H.264 + AAC: a two-rung ladder (416x234 and 640x360)."""
        return self._make("master.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart", str(p)))

    @property
    def small(self) -> Path:
        """320x180, 4 s: below the first rung, so one rendition at its own size."""
        return self._make("small.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=330",
            "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(p)))

    @property
    def slow(self) -> Path:
        """A longer master (20 s) to have time to cancel, time out or kill ffmpeg while it runs."""
        return self._make("slow.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=220",
            "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(p)))

    @property
    def compliant(self) -> Path:
        """Already H.264 High/AAC at 416x234 with keyframes every 2 s: remuxed, not encoded."""
        return self._make("compliant.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=416x234:rate=25", "-f", "lavfi", "-i", "sine=frequency=550",
            "-t", "8", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-b:v", "140k", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
            "-c:a", "aac", "-ac", "2", "-ar", "48000", str(p)))

    @property
    def silent(self) -> Path:
        return self._make("silent.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "4", "-c:v", "libx264",
            "-preset", "ultrafast", str(p)))

    @property
    def audio_description(self) -> Path:
        return self._make("ad.wav", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000", "-t", "6", str(p)))

    @property
    def audio_only(self) -> Path:
        return self._make("audio-only.m4a", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "sine=frequency=440", "-t", "3", "-c:a", "aac", str(p)))

    @property
    def zero_bytes(self) -> Path:
        return self._make("empty.mp4", lambda p: p.write_bytes(b""))

    @property
    def corrupt(self) -> Path:
        return self._make("corrupt.mp4", lambda p: p.write_bytes(bytes(range(256)) * 64))

    @property
    def text_named_mp4(self) -> Path:
        return self._make("notes.mp4", lambda p: p.write_text("These are the director's notes, not a film.\n" * 50))

    @property
    def video_named_txt(self) -> Path:
        """A real film with the wrong extension: ffmpeg reads contents, not names."""
        return self._make("film-master.txt", lambda p: shutil.copyfile(self.small, p))

    @property
    def truncated_head(self) -> Path:
        """moov at the start (faststart), half the media data cut off: probes fine, ends early."""
        def build(path: Path) -> None:
            data = self.master.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        return self._make("truncated-faststart.mp4", build)

    @property
    def truncated_tail(self) -> Path:
        """moov at the end and cut off: ffmpeg cannot open it at all."""
        def build(path: Path) -> None:
            data = self.small.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        return self._make("truncated.mp4", build)

    @property
    def huge(self) -> Path:
        """One 8000x4500 frame in MJPEG: beyond 8K, refused before anything is decoded."""
        return self._make("huge.mkv", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "color=c=gray:s=8000x4500:d=0.04:r=25", "-frames:v", "1", "-c:v", "mjpeg", str(p)))

    @property
    def sign_language(self) -> Path:
        """A signer stand-in for the 8 s master: 640x480 (4:3, so the 480 px rung keeps another aspect than the
        film's), a moving picture unlike the film's, and a sound track the packaging must drop."""
        return self._make("sign-language.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "mandelbrot=size=640x480:rate=25", "-f", "lavfi", "-i", "sine=frequency=600",
            "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(p)))

    @property
    def sign_language_short(self) -> Path:
        """A sign-language video made for another cut: 4 s against the master's 8 s."""
        return self._make("sign-language-short.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=25", "-t", "4", "-c:v", "libx264",
            "-preset", "ultrafast", str(p)))

    @property
    def chapters(self) -> Path:
        return self._make("chapters.vtt", lambda p: p.write_text(CHAPTERS_VTT, encoding="utf-8"))

    @property
    def captions(self) -> Path:
        return self._make("captions.srt", lambda p: p.write_text(SME_SRT, encoding="utf-8"))

    @property
    def subtitles_en(self) -> Path:
        return self._make("subtitles.en.vtt", lambda p: p.write_text(EN_VTT, encoding="utf-8"))

    @property
    def captions_garbage(self) -> Path:
        return self._make("garbage.srt", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0 JFIF not captions at all"))

    @property
    def captions_too_long(self) -> Path:
        return self._make("late.srt", lambda p: p.write_text(
            SME_SRT + "\n4\n00:01:10,000 --> 00:01:12,000\nBien après la fin du film.\n", encoding="utf-8"))


@pytest.fixture(scope="session")
def media_samples(tmp_path_factory: pytest.TempPathFactory) -> MediaSamples:
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    return MediaSamples(tmp_path_factory.mktemp("media-samples"))
