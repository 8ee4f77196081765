"""HLS playlists we write ourselves: the master (variants, audio and subtitle groups), subtitle and thumbnail tracks.

ffmpeg writes the media playlists and segments; the master is ours because only we know what each rendition is
for (audio description, SME captions) and because BANDWIDTH must be measured on the segments actually written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import m3u8

from streaming.media.captions import Cue, format_timestamp, write_webvtt

SME_CHARACTERISTICS = "public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound"
AD_CHARACTERISTICS = "public.accessibility.describes-video"
AUDIO_GROUP = "audio"
SUBTITLE_GROUP = "subs"
# Published next to the master without being listed in it: HLS has no rendition type for chapters or a signer.
CHAPTERS_TRACK = "chapters.vtt"
SIGN_PLAYLIST = "sign/index.m3u8"


class PlaylistError(RuntimeError):
    """A playlist is missing, does not parse, or names a file that is not there."""


@dataclass(frozen=True)
class Bandwidth:
    peak: int
    average: int


@dataclass(frozen=True)
class VideoVariant:
    uri: str
    width: int
    height: int
    frame_rate: float
    codec: str
    bandwidth: Bandwidth


@dataclass(frozen=True)
class AudioRendition:
    uri: str
    name: str
    language: str
    default: bool
    describes_video: bool
    bandwidth: Bandwidth
    codec: str = "mp4a.40.2"


@dataclass(frozen=True)
class SubtitleRendition:
    uri: str
    name: str
    language: str
    sme: bool
    default: bool = False


@dataclass
class MasterPlaylist:
    variants: list[VideoVariant]
    audio: list[AudioRendition]
    subtitles: list[SubtitleRendition] = field(default_factory=list)

    def render(self) -> str:
        lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS", ""]
        for rendition in self.audio:
            attributes = [
                "TYPE=AUDIO", f'GROUP-ID="{AUDIO_GROUP}"', f'NAME="{_quoted(rendition.name)}"',
                f'LANGUAGE="{rendition.language}"', f"DEFAULT={'YES' if rendition.default else 'NO'}",
                "AUTOSELECT=YES", 'CHANNELS="2"',
            ]
            if rendition.describes_video:
                attributes.append(f'CHARACTERISTICS="{AD_CHARACTERISTICS}"')
            attributes.append(f'URI="{rendition.uri}"')
            lines.append("#EXT-X-MEDIA:" + ",".join(attributes))
        for track in self.subtitles:
            attributes = [
                "TYPE=SUBTITLES", f'GROUP-ID="{SUBTITLE_GROUP}"', f'NAME="{_quoted(track.name)}"',
                f'LANGUAGE="{track.language}"', f"DEFAULT={'YES' if track.default else 'NO'}",
                "AUTOSELECT=YES", "FORCED=NO",
            ]
            if track.sme:
                attributes.append(f'CHARACTERISTICS="{SME_CHARACTERISTICS}"')
            attributes.append(f'URI="{track.uri}"')
            lines.append("#EXT-X-MEDIA:" + ",".join(attributes))
        lines.append("")
        # BANDWIDTH covers the heaviest audio a player may pick in the group (the AD mix included).
        audio_peak = max((a.bandwidth.peak for a in self.audio), default=0)
        audio_average = max((a.bandwidth.average for a in self.audio), default=0)
        audio_codec = self.audio[0].codec if self.audio else None
        for variant in sorted(self.variants, key=lambda v: v.bandwidth.peak):
            codecs = ",".join(c for c in (variant.codec, audio_codec) if c)
            attributes = [
                f"BANDWIDTH={variant.bandwidth.peak + audio_peak}",
                f"AVERAGE-BANDWIDTH={variant.bandwidth.average + audio_average}",
                f'CODECS="{codecs}"', f"RESOLUTION={variant.width}x{variant.height}",
                f"FRAME-RATE={variant.frame_rate:.3f}",
            ]
            if self.audio:
                attributes.append(f'AUDIO="{AUDIO_GROUP}"')
            if self.subtitles:
                attributes.append(f'SUBTITLES="{SUBTITLE_GROUP}"')
            attributes.append("CLOSED-CAPTIONS=NONE")
            lines.append("#EXT-X-STREAM-INF:" + ",".join(attributes))
            lines.append(variant.uri)
        return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # Quoted-string attributes may not contain double quotes or line breaks.
    return text.replace('"', "'").replace("\n", " ")


def measure_bandwidth(playlist_path: Path) -> Bandwidth:
    """Peak and average bits per second over the segments ffmpeg wrote (the init segment is fetched once)."""
    playlist = _load(playlist_path)
    total_bits = 0.0
    total_seconds = 0.0
    peak = 0.0
    for segment in playlist.segments:
        size = (playlist_path.parent / segment.uri).stat().st_size * 8
        seconds = segment.duration or 0.0
        total_bits += size
        total_seconds += seconds
        # Very short tail segments overstate the peak: count them over at least one second.
        peak = max(peak, size / max(seconds, 1.0))
    if total_seconds <= 0:
        raise PlaylistError(f"{playlist_path.name} has no segments.")
    return Bandwidth(peak=math.ceil(peak), average=math.ceil(total_bits / total_seconds))


def avc_codec_string(init_segment: Path) -> str:
    """``avc1.PPCCLL`` from the avcC box of the init segment: the profile and level the encoder really used."""
    data = init_segment.read_bytes()
    index = data.find(b"avcC")
    if index < 0 or len(data) < index + 8:
        raise PlaylistError(f"{init_segment.name} has no H.264 configuration.")
    profile, compatibility, level = data[index + 5], data[index + 6], data[index + 7]
    return f"avc1.{profile:02x}{compatibility:02x}{level:02x}"


def init_segment_of(playlist_path: Path) -> Path:
    playlist = _load(playlist_path)
    if not playlist.segment_map:
        raise PlaylistError(f"{playlist_path.name} names no init segment.")
    return playlist_path.parent / playlist.segment_map[0].uri


def subtitle_playlist(vtt_name: str, duration: float) -> str:
    """A VOD playlist holding the whole WebVTT file as one segment: small files, and every player reads them."""
    return "\n".join([
        "#EXTM3U", "#EXT-X-VERSION:7", f"#EXT-X-TARGETDURATION:{math.ceil(duration)}", "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD", f"#EXTINF:{duration:.3f},", vtt_name, "#EXT-X-ENDLIST", "",
    ])


def write_subtitle_track(directory: Path, cues: list[Cue], duration: float, mpegts: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "captions.vtt").write_text(write_webvtt(cues, timestamp_map_mpegts=mpegts), encoding="utf-8")
    (directory / "index.m3u8").write_text(subtitle_playlist("captions.vtt", duration), encoding="utf-8")


def thumbnails_vtt(*, count: int, interval: float, width: int, height: int, columns: int, rows: int,
                   duration: float) -> str:
    """The WebVTT thumbnails track players read for seek previews: each cue points into a sprite (#xywh)."""
    lines = ["WEBVTT", ""]
    per_sprite = columns * rows
    for index in range(count):
        start = index * interval
        end = min(duration, start + interval)
        if end <= start:
            break
        sprite, cell = divmod(index, per_sprite)
        x, y = (cell % columns) * width, (cell // columns) * height
        lines += [f"{format_timestamp(start)} --> {format_timestamp(end)}",
                  f"sprite_{sprite + 1:03d}.jpg#xywh={x},{y},{width},{height}", ""]
    return "\n".join(lines)


def _load(path: Path) -> m3u8.M3U8:
    try:
        return m3u8.loads(path.read_text(encoding="utf-8"), uri=str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise PlaylistError(f"{path.name} cannot be read: {error}") from error


def referenced_files(root: Path, master_name: str = "master.m3u8", *, side_playlists: tuple[str, ...] = (),
                     side_files: tuple[str, ...] = ()) -> set[str]:
    """Every file the master needs, as paths relative to root; PlaylistError if one playlist does not parse.

    ``side_playlists`` (the sign-language rendition) are walked like the master's own; ``side_files`` (the chapter
    track) are only required."""
    text = (root / master_name).read_text(encoding="utf-8")
    return referenced_files_from(lambda key: (root / key).read_text(encoding="utf-8"), text, master_name,
                                 side_playlists=side_playlists, side_files=side_files)


def referenced_files_from(read: object, master_text: str, master_name: str = "master.m3u8", *,
                          side_playlists: tuple[str, ...] = (), side_files: tuple[str, ...] = ()) -> set[str]:
    """The same walk over any storage: ``read(relative key) -> text``."""
    assert callable(read)
    master = m3u8.loads(master_text)
    if not master.is_variant or not master.playlists:
        raise PlaylistError("The master playlist lists no variant.")
    needed = {master_name, *side_files}
    media_uris = [p.uri for p in master.playlists] + [m.uri for m in master.media if m.uri] + list(side_playlists)
    for uri in media_uris:
        needed.add(uri)
        try:
            text = read(uri)
        except (OSError, UnicodeDecodeError) as error:
            raise PlaylistError(f"{uri} cannot be read: {error}") from error
        playlist = m3u8.loads(text)
        if not playlist.is_endlist:
            raise PlaylistError(f"{uri} is not a finished VOD playlist.")
        base = PurePosixPath(uri).parent
        for segment_map in playlist.segment_map or []:
            needed.add(str(base / segment_map.uri))
        for segment in playlist.segments:
            needed.add(str(base / segment.uri))
    return needed
