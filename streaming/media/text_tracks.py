"""The text the player shows beside the picture: the transcript (from the SME captions) and the chapter list, read
from a published version's WebVTT files once and kept, since a published version never changes.

Both are rendered into the page by the server, so they are there before the film plays and without JavaScript (a
deaf-blind patron reads the transcript on a braille display); the player's script only adds the highlighting and
the seeking. A file the storage cannot give is an answer too ("unavailable"), never a server error, and it is not
kept: the next page asks the storage again.
"""

from __future__ import annotations

import html
import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

import m3u8

from streaming.media.captions import WEBVTT_COLOUR_CLASSES, parse_captions
from streaming.media.hls import PlaylistError
from streaming.media.probe import MediaRefused
from streaming.media.storage import StorageError

MASTER_PLAYLIST = "master.m3u8"
CHAPTERS_FILE = "chapters.vtt"
SME_CHARACTERISTIC = "public.accessibility.transcribes-spoken-dialog"
# Versions kept per storage: a page lists one film, and a catalogue of a few thousand films fits many times over.
MAX_VERSIONS = 2000

_CUE_TAG = re.compile(r"<(/?)([a-zA-Z]+|\d[\d:.]*)((?:\.[\w-]+)*)(?:[ \t][^>]*)?>")


class TrackStatus(StrEnum):
    READY = "ready"
    NONE = "none"  # the film has no such track
    UNAVAILABLE = "unavailable"  # it has one, but the storage did not give it or it does not parse


@dataclass(frozen=True)
class Segment:
    """A run of cue text; `colour` is the SME colour class it was authored in (yellow: off screen...), if any."""

    text: str
    colour: str | None = None


def film_clock(seconds: float) -> str:
    """A position in the film as players show it (the same in French and English): "0:07", "12:05", "1:02:03"."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class TranscriptLine:
    start: float
    end: float
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    @property
    def clock(self) -> str:
        return film_clock(self.start)


@dataclass(frozen=True)
class Chapter:
    start: float
    end: float
    title: str

    @property
    def clock(self) -> str:
        return film_clock(self.start)


@dataclass(frozen=True)
class Transcript:
    status: TrackStatus
    lines: tuple[TranscriptLine, ...] = ()


@dataclass(frozen=True)
class Chapters:
    status: TrackStatus
    items: tuple[Chapter, ...] = ()


def cue_segments(text: str) -> tuple[Segment, ...]:
    """WebVTT cue text as plain runs: classes of the SME colours are kept, other markup (italics, voices, karaoke
    timestamps) goes; line breaks become spaces, as a transcript reads on."""
    segments: list[Segment] = []
    colours: list[str | None] = []
    position = 0

    def add(raw: str) -> None:
        plain = html.unescape(raw).replace("\n", " ")
        if not plain:
            return
        colour = next((c for c in reversed(colours) if c), None)
        if segments and segments[-1].colour == colour:
            segments[-1] = Segment(segments[-1].text + plain, colour)
        else:
            segments.append(Segment(plain, colour))

    for match in _CUE_TAG.finditer(text):
        add(text[position:match.start()])
        position = match.end()
        closing, name, classes = match.group(1), match.group(2).lower(), match.group(3)
        if name[0].isdigit():
            continue  # a karaoke timestamp
        if closing:
            if colours:
                colours.pop()
            continue
        colour = next((c for c in classes.split(".") if c in WEBVTT_COLOUR_CLASSES and c not in ("white", "black")),
                      None)
        colours.append(colour)
    add(text[position:])
    collapsed = [Segment(re.sub(r"[ \t\r\n]+", " ", s.text), s.colour) for s in segments]
    if collapsed:
        collapsed[0] = Segment(collapsed[0].text.lstrip(), collapsed[0].colour)
        collapsed[-1] = Segment(collapsed[-1].text.rstrip(), collapsed[-1].colour)
    return tuple(s for s in collapsed if s.text)


def _sme_caption_keys(storage: Any, prefix: str) -> list[str]:
    """The storage keys of the SME captions' WebVTT files, found from the master playlist as a player finds them
    (subtitles/{language}-sme/captions.vtt when the packaging wrote them)."""
    read = lambda name: storage.read_bytes(str(PurePosixPath(prefix) / name)).decode("utf-8")  # noqa: E731
    master = m3u8.loads(read(MASTER_PLAYLIST))
    for media in master.media:
        if media.type == "SUBTITLES" and media.uri and SME_CHARACTERISTIC in (media.characteristics or ""):
            playlist = m3u8.loads(read(media.uri))
            base = PurePosixPath(media.uri).parent
            return [str(PurePosixPath(prefix) / base / segment.uri) for segment in playlist.segments]
    return []


def read_transcript(storage: Any, prefix: str) -> Transcript:
    try:
        keys = _sme_caption_keys(storage, prefix)
        if not keys:
            # The version says it has captions (has_captions) but its master names none: not a film without them.
            return Transcript(TrackStatus.UNAVAILABLE)
        lines: list[TranscriptLine] = []
        for key in keys:
            _kind, cues = parse_captions(storage.read_bytes(key), field="captions")
            for cue in cues:
                segments = cue_segments(cue.text)
                if segments:
                    lines.append(TranscriptLine(cue.start, cue.end, segments))
    except (FileNotFoundError, StorageError, OSError, UnicodeDecodeError, MediaRefused, PlaylistError, ValueError):
        return Transcript(TrackStatus.UNAVAILABLE)
    lines.sort(key=lambda line: (line.start, line.end))
    return Transcript(TrackStatus.READY if lines else TrackStatus.NONE, tuple(lines))


def read_chapters(storage: Any, prefix: str) -> Chapters:
    try:
        _kind, cues = parse_captions(storage.read_bytes(str(PurePosixPath(prefix) / CHAPTERS_FILE)),
                                     field="chapters")
    except (FileNotFoundError, StorageError, OSError, UnicodeDecodeError, MediaRefused, ValueError):
        return Chapters(TrackStatus.UNAVAILABLE)
    items = [Chapter(cue.start, cue.end, "".join(s.text for s in cue_segments(cue.text))) for cue in cues]
    items = sorted((item for item in items if item.title), key=lambda item: item.start)
    return Chapters(TrackStatus.READY if items else TrackStatus.NONE, tuple(items))


class TextTrackCache:
    """Per storage, per version prefix: what was read. Only answers are kept, not failures to read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_storage: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[str, str], Any]] = (
            weakref.WeakKeyDictionary())

    def get(self, storage: Any, prefix: str, kind: str, read: Any) -> Any:
        key = (kind, prefix)
        with self._lock:
            entries = self._by_storage.setdefault(storage, OrderedDict())
            if key in entries:
                entries.move_to_end(key)
                return entries[key]
        value = read(storage, prefix)
        if value.status != TrackStatus.UNAVAILABLE:
            with self._lock:
                entries[key] = value
                while len(entries) > MAX_VERSIONS:
                    entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._by_storage.clear()


CACHE = TextTrackCache()


def transcript_of(storage: Any, prefix: str, *, has_captions: bool) -> Transcript:
    if not has_captions:
        return Transcript(TrackStatus.NONE)
    return CACHE.get(storage, prefix, "transcript", read_transcript)


def chapters_of(storage: Any, prefix: str, *, has_chapters: bool) -> Chapters:
    if not has_chapters:
        return Chapters(TrackStatus.NONE)
    return CACHE.get(storage, prefix, "chapters", read_chapters)
