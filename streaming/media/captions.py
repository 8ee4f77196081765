"""Caption and subtitle files: reads SRT and WebVTT, checks them against the film, and writes WebVTT for HLS.

SME captions (sous-titrage pour sourds et malentendants) carry meaning in colour: white for a speaker on screen,
yellow off screen, red for sound effects, magenta for music, cyan for a narrator, green for a foreign language.
SRT files carry it as ``<font color>``; WebVTT has no colours of its own but defines classes for them
(``<c.yellow>``), which players style, so the colour becomes the class nearest to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import escape, unescape

from streaming.media.probe import MediaRefused

# Cues may end a little after the last frame (encoders round); more than this is a caption for another cut.
END_TOLERANCE_SECONDS = 1.0
# Subtitling tools round to frames: a cue running into the next by a frame or two is trimmed, not refused.
OVERLAP_TOLERANCE_SECONDS = 0.1
MAX_CHAPTER_TITLE_CHARS = 200

WEBVTT_COLOUR_CLASSES: dict[str, tuple[int, int, int]] = {
    "white": (255, 255, 255),
    "lime": (0, 255, 0),
    "cyan": (0, 255, 255),
    "red": (255, 0, 0),
    "yellow": (255, 255, 0),
    "magenta": (255, 0, 255),
    "blue": (0, 0, 255),
    "black": (0, 0, 0),
}
NAMED_COLOURS = {**WEBVTT_COLOUR_CLASSES, "green": (0, 255, 0), "fuchsia": (255, 0, 255), "aqua": (0, 255, 255)}

_TIMESTAMP = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}(.*)$")
_TAG = re.compile(r"<(/?)([a-zA-Z]+)([^>]*)>|\{\\an(\d)\}|\{[^}]*\}")
_COLOUR_ATTRIBUTE = re.compile(r"""color\s*=\s*["']?\s*([#a-zA-Z0-9]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    settings: str = ""


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; French SRT files from older tools are often Windows-1252."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis.ljust(3, "0")) / 1000


def _refuse(message: str, field: str, **params: object) -> MediaRefused:
    return MediaRefused(message, field=field, **params)


@dataclass(frozen=True)
class Wording:
    """The msgids of a timed-text file's refusals: a chapter file's say "chapter" where a caption file's say
    "caption" (two msgids, not one with a noun inside: French nouns bring their gender to the whole sentence)."""

    empty: str
    unknown_format: str
    no_timing: str
    unreadable_timing: str
    backwards: str
    no_cues: str


CAPTION_WORDING = Wording(
    empty="The caption file is empty.",
    unknown_format="The caption file is neither SRT nor WebVTT.",
    no_timing="Caption {number} has no timing line.",
    unreadable_timing="Caption {number} has an unreadable timing: {line}",
    backwards="Caption {number} ends before it starts.",
    no_cues="The caption file has no captions.",
)
CHAPTER_WORDING = Wording(
    empty="The chapter file is empty.",
    unknown_format="The chapter file is not WebVTT (its first line must be WEBVTT).",
    no_timing="Chapter {number} has no timing line.",
    unreadable_timing="Chapter {number} has an unreadable timing: {line}",
    backwards="Chapter {number} ends before it starts.",
    no_cues="The chapter file has no chapters.",
)


def parse_captions(data: bytes, *, field: str = "captions",
                   wording: Wording = CAPTION_WORDING) -> tuple[str, list[Cue]]:
    """('vtt' or 'srt', cues); MediaRefused when the file is neither, or when a cue's timing is broken."""
    text = decode_text(data).strip("\ufeff")
    if not text.strip():
        raise _refuse(wording.empty, field)
    kind = "vtt" if text.lstrip().startswith("WEBVTT") else "srt"
    blocks = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    if kind == "vtt":
        header = blocks.pop(0)
        if not re.match(r"^WEBVTT(?:[ \t].*)?$", header.splitlines()[0]):
            raise _refuse(wording.unknown_format, field)
    cues: list[Cue] = []
    for number, block in enumerate(blocks, start=1):
        lines = block.split("\n")
        if kind == "vtt" and lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_index = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing_index is None:
            if not cues:
                raise _refuse(wording.unknown_format, field)
            raise _refuse(wording.no_timing, field, number=number)
        if kind == "srt" and timing_index == 1 and not lines[0].strip().isdigit():
            raise _refuse(wording.unknown_format, field)
        match = _TIMING.match(lines[timing_index])
        if not match:
            raise _refuse(wording.unreadable_timing, field, number=number, line=lines[timing_index].strip()[:80])
        start = _seconds(*match.group(1, 2, 3, 4))
        end = _seconds(*match.group(5, 6, 7, 8))
        if end <= start:
            raise _refuse(wording.backwards, field, number=number)
        body = "\n".join(line for line in lines[timing_index + 1:]).strip("\n")
        settings = match.group(9).strip() if kind == "vtt" else ""
        if kind == "srt":
            # SRT may append pixel coordinates (X1: Y1:) after the timing; they mean nothing in WebVTT.
            body, settings = srt_text_to_webvtt(body)
        cues.append(Cue(start, end, body, settings))
    if not cues:
        raise _refuse(wording.no_cues, field)
    return kind, cues


def check_against_film(cues: list[Cue], duration: float, *, field: str = "captions") -> None:
    """Refuse captions timed for another cut of the film: a cue past the end would never be seen."""
    for number, cue in enumerate(cues, start=1):
        if cue.end > duration + END_TOLERANCE_SECONDS:
            raise _refuse("Caption {number} ends at {end}, after the end of the film ({duration}).", field,
                          number=number, end=format_timestamp(cue.end), duration=format_timestamp(duration))


def nearest_colour_class(colour: str) -> str | None:
    colour = colour.strip().lower()
    if colour in NAMED_COLOURS:
        rgb = NAMED_COLOURS[colour]
    else:
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        if not re.fullmatch(r"[0-9a-f]{6}", digits):
            return None
        rgb = (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    return min(WEBVTT_COLOUR_CLASSES,
               key=lambda name: sum((a - b) ** 2 for a, b in zip(WEBVTT_COLOUR_CLASSES[name], rgb, strict=True)))


def srt_text_to_webvtt(text: str) -> tuple[str, str]:
    """(WebVTT cue text, cue settings): colours become classes, italics and bold stay, other markup goes."""
    settings = ""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(escape(text[position:match.start()], quote=False))
        position = match.end()
        if match.group(4):
            # {\an8} and its kin put the caption at the top of the picture (ASS numpad positions 7-9).
            if match.group(4) in "789":
                settings = "line:0"
            continue
        closing, name = match.group(1), (match.group(2) or "").lower()
        if name in ("i", "b", "u"):
            if closing and name in open_tags:
                open_tags.remove(name)
                out.append(f"</{name}>")
            elif not closing:
                open_tags.append(name)
                out.append(f"<{name}>")
        elif name == "font":
            if closing:
                if "c" in open_tags:
                    open_tags.remove("c")
                    out.append("</c>")
                continue
            colour = _COLOUR_ATTRIBUTE.search(match.group(3) or "")
            css_class = nearest_colour_class(colour.group(1)) if colour else None
            if css_class:
                open_tags.append("c")
                out.append(f"<c.{css_class}>")
    out.append(escape(text[position:], quote=False))
    out.extend(f"</{name}>" for name in reversed(open_tags))
    body = "".join(out)
    # A blank line would end the cue in WebVTT; "-->" inside text would be read as a timing.
    body = "\n".join(line for line in body.split("\n") if line.strip()).replace("-->", "→")
    return body, settings


def format_timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_webvtt(cues: list[Cue], *, timestamp_map_mpegts: int | None = None) -> str:
    """A WebVTT file; the X-TIMESTAMP-MAP header ties cue time 0 to the media's first presentation time in HLS."""
    lines = ["WEBVTT"]
    if timestamp_map_mpegts is not None:
        lines.append(f"X-TIMESTAMP-MAP=MPEGTS:{timestamp_map_mpegts},LOCAL:00:00:00.000")
    lines.append("")
    for number, cue in enumerate(cues, start=1):
        timing = f"{format_timestamp(cue.start)} --> {format_timestamp(cue.end)}"
        if cue.settings:
            timing += f" {cue.settings}"
        lines.extend([str(number), timing, cue.text, ""])
    return "\n".join(lines)


def without_overlaps(cues: list[Cue], *, field: str = "captions") -> list[Cue]:
    """The cues in time order, each ending before the next starts; MediaRefused naming the first two that overlap.

    SME practice puts speakers talking at once in one caption (a line each, in their colours): two cues on screen
    together stack in an order the player chooses and are read out of order, so an overlap is an authoring mistake.
    An overlap of a frame or two is rounding and is trimmed.
    """
    ordered = sorted(enumerate(cues, start=1), key=lambda item: item[1].start)
    kept: list[Cue] = []
    numbers: list[int] = []
    for number, cue in ordered:
        if kept:
            # The cues kept so far never overlap, so the last one is the only one this cue can run into.
            earlier = kept[-1]
            overlap = earlier.end - cue.start
            if overlap > 0:
                if overlap > OVERLAP_TOLERANCE_SECONDS or cue.start <= earlier.start:
                    first, second = sorted(((numbers[-1], earlier), (number, cue)), key=lambda item: item[0])
                    raise _refuse(
                        "Captions {first} ({first_start} --> {first_end}) and {second} ({second_start} --> "
                        "{second_end}) overlap: put people speaking at the same time in one caption.", field,
                        first=first[0], first_start=format_timestamp(first[1].start),
                        first_end=format_timestamp(first[1].end), second=second[0],
                        second_start=format_timestamp(second[1].start), second_end=format_timestamp(second[1].end))
                kept[-1] = replace(earlier, end=cue.start)
        kept.append(cue)
        numbers.append(number)
    return kept


def load_captions(data: bytes, duration: float, *, field: str = "captions") -> list[Cue]:
    _kind, cues = parse_captions(data, field=field)
    check_against_film(cues, duration, field=field)
    return without_overlaps(cues, field=field)


_ANY_TAG = re.compile(r"<[^>]*>")


def chapter_title(text: str) -> str:
    """A chapter's title as plain text on one line: markup and character references resolved, spaces collapsed.

    Chapter menus show the cue text as it is, so the file we publish holds no markup; "<" and ">" (only ever from
    &lt; and &gt;) become look-alike quotes so that no reader takes them for a tag.
    """
    plain = unescape(_ANY_TAG.sub("", text))
    plain = " ".join(plain.split()).replace("-->", "→")
    return plain.replace("<", "‹").replace(">", "›")


def load_chapters(data: bytes, duration: float, *, tolerance: float, field: str = "chapters") -> list[Cue]:
    """A WebVTT chapter track checked against the film: titled chapters, in order, none overlapping the next, the
    last starting before the film ends and none ending past it (beyond ``tolerance``). Cue settings are dropped: a
    chapter has no position on screen."""
    text = decode_text(data).strip("\ufeff \t\n")
    if not text:
        raise _refuse(CHAPTER_WORDING.empty, field)
    if not text.startswith("WEBVTT"):
        # SRT has no chapter kind: a .srt here is most likely the captions given in the wrong field.
        raise _refuse(CHAPTER_WORDING.unknown_format, field)
    _kind, cues = parse_captions(data, field=field, wording=CHAPTER_WORDING)
    chapters: list[Cue] = []
    for number, cue in enumerate(cues, start=1):
        title = chapter_title(cue.text)
        if not title:
            raise _refuse("Chapter {number} ({start}) has no title.", field, number=number,
                          start=format_timestamp(cue.start))
        if len(title) > MAX_CHAPTER_TITLE_CHARS:
            raise _refuse("The title of chapter {number} is longer than {limit} characters.", field, number=number,
                          limit=MAX_CHAPTER_TITLE_CHARS)
        if chapters:
            previous = chapters[-1]
            if cue.start < previous.start:
                raise _refuse("Chapter {number} starts at {start}, before chapter {previous} ({previous_start}): "
                              "chapters must be in the order of the film.", field, number=number,
                              start=format_timestamp(cue.start), previous=number - 1,
                              previous_start=format_timestamp(previous.start))
            overlap = previous.end - cue.start
            if overlap > OVERLAP_TOLERANCE_SECONDS or (overlap > 0 and cue.start <= previous.start):
                raise _refuse("Chapter {number} starts at {start}, before chapter {previous} ends ({previous_end}): "
                              "chapters must not overlap.", field, number=number, start=format_timestamp(cue.start),
                              previous=number - 1, previous_end=format_timestamp(previous.end))
            if overlap > 0:
                chapters[-1] = replace(previous, end=cue.start)
        chapters.append(Cue(cue.start, cue.end, title))
    last = chapters[-1]
    # Checked below against the tolerance; the published track stops with the film.
    if last.start >= duration:
        raise _refuse("The chapter file does not match the film's length: its last chapter starts at {start}, but "
                      "the film lasts {duration}.", field, start=format_timestamp(last.start),
                      duration=format_timestamp(duration))
    for number, cue in enumerate(chapters, start=1):
        if cue.end > duration + tolerance:
            raise _refuse("The chapter file does not match the film's length: chapter {number} ends at {end}, but "
                          "the film lasts {duration}.", field, number=number, end=format_timestamp(cue.end),
                          duration=format_timestamp(duration))
    return [replace(cue, end=min(cue.end, duration)) for cue in chapters]
