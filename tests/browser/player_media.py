"""A packaged film with everything the player can offer: the ladder with SME captions and audio description made by
the packaging code, with a French Sign Language video (sign/index.m3u8) and a chapter track (chapters.vtt).

The signer and the chapters go through the product's own packaging (streaming.media.packaging), as a curator's would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from streaming.media.config import StreamingSettings
from streaming.media.jobs import rendition_names
from streaming.media.models import MediaAsset
from streaming.media.packaging import PackagingRequest, package_to_directory, prepare
from tests.media_samples import ffmpeg
from tests.playback_helpers import publish_media


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str


def sme_captions(seconds: int, every: int = 3) -> str:
    """SRT captions every `every` seconds, alternately on screen (no colour), off screen (yellow) and a sound (red),
    each line saying its number so that a test can find it."""
    colours = ["", "#ffff00", "#ff0000"]
    blocks = []
    for n, start in enumerate(range(0, seconds - every, every), start=1):
        colour = colours[n % 3]
        text = f"Réplique {n}" if not colour else f'<font color="{colour}">Réplique {n}</font>'
        blocks.append(f"{n}\n00:00:{start:02d},200 --> 00:00:{start + every - 1:02d},800\n{text}\n")
    return "\n".join(blocks)


def chapters_vtt(chapters: list[Chapter], seconds: float) -> str:
    lines = ["WEBVTT", ""]
    for index, chapter in enumerate(chapters):
        end = chapters[index + 1].start if index + 1 < len(chapters) else seconds
        lines += [f"chapter-{index + 1}", f"{_stamp(chapter.start)} --> {_stamp(end)}", chapter.title, ""]
    return "\n".join(lines)


def _stamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}"


def sign_language_master(path: Path, seconds: int) -> None:
    """A signer: a picture distinct from the film's (ffmpeg's testsrc where the film is testsrc2), as long as it."""
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=240x180:rate=25", "-t", str(seconds), "-an",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))


def package_accessible_film(work: Path, out_dir: Path, seconds: int, *, captions: str | None,
                            chapters: list[Chapter] | None = None, sign_language: bool = False,
                            audio_description: bool = True) -> None:
    """Package a `seconds`-long lavfi film into `out_dir` (the version's folder under the storage root)."""
    work.mkdir(parents=True, exist_ok=True)
    master, described, srt = work / "master.mp4", work / "ad.wav", work / "captions.srt"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
           "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(master))
    if audio_description:
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000", "-t", str(seconds), str(described))
    if captions is not None:
        srt.write_text(captions, encoding="utf-8")
    signer, chapter_file = work / "signer.mp4", work / "chapters.vtt"
    if sign_language:
        sign_language_master(signer, seconds)
    if chapters:
        chapter_file.write_text(chapters_vtt(chapters, seconds), encoding="utf-8")
    settings = StreamingSettings(x264_preset="ultrafast")
    prepared = prepare(PackagingRequest(master, captions=srt if captions is not None else None,
                                        audio_description=described if audio_description else None,
                                        chapters=chapter_file if chapters else None,
                                        sign_language=signer if sign_language else None), settings)
    package_to_directory(prepared, out_dir, settings, names=rendition_names("fr", []), timeout=120)


def publish_accessible(db: Session, film_id: int, prefix: str, *, duration: float, captions: bool = True,
                       audio_description: bool = True, chapters: bool = False, sign_language: bool = False) -> int:
    """Publish a version as the packaging job would, with its chapter and sign-language flags."""
    asset_id = publish_media(db, film_id, prefix, duration=duration, captions=captions,
                             audio_description=audio_description)
    asset = db.get(MediaAsset, asset_id)
    assert asset is not None
    asset.has_chapters = chapters
    asset.has_sign_language = sign_language
    db.add(asset)
    db.commit()
    return asset_id
