"""Short demo films made with ffmpeg's lavfi sources and packaged for real, so that the demo has something to play.

The first film carries every accessibility track the player offers: SME captions, audio description, chapters and
a French Sign Language window (a stand-in for a signer: a card that shows the film's clock, so that anyone can see
the window keep time with the film).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from catalogue.films.models import Film, FilmStatus
from streaming.media.config import StreamingSettings, get_streaming_settings
from streaming.media.jobs import job_context, run_job
from streaming.media.schemas import PackagingJobCreate
from streaming.media.services import start_packaging

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SECONDS = 12


@dataclass(frozen=True)
class DemoReel:
    source: str
    tone_hz: int
    accessible: bool
    # Chapters and a sign-language video as well as captions and audio description.
    signed: bool = False


REELS = (
    DemoReel("testsrc2=size=640x360:rate=25", 440, True, signed=True),
    DemoReel("smptebars=size=640x360:rate=25", 523, False),
    DemoReel("mandelbrot=size=640x360:rate=25", 330, False),
    DemoReel("testsrc=size=640x360:rate=25", 392, True),
)

SME_CAPTIONS = """1
00:00:01,000 --> 00:00:03,500
<font color="#ffffff">Bienvenue dans la démonstration de cinedoc.</font>

2
00:00:04,000 --> 00:00:06,500
<font color="#ffff00">(Voix off) Ce film est généré par ffmpeg.</font>

3
00:00:07,000 --> 00:00:09,000
<font color="#ff0000">[Bip continu]</font>

4
00:00:09,500 --> 00:00:11,500
<font color="#ff00ff">♪ Un la à 440 hertz ♪</font>
"""

DESCRIPTION = "Une mire de couleurs défile. Un titre blanc apparaît au centre de l'image."

CHAPTERS = """WEBVTT

00:00:00.000 --> 00:00:04.000
Ouverture : le titre

00:00:04.000 --> 00:00:09.000
La mire et la voix off

00:00:09.000 --> 00:00:12.000
Un la à 440 hertz
"""


def _escape_drawtext(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\u2019").replace("%", "\\%")


def make_master(reel: DemoReel, title: str, path: Path, ffmpeg: str = "ffmpeg") -> None:
    video = f"{reel.source},trim=duration={SECONDS}"
    if FONT.is_file():
        # The title card: the film's title over the first four seconds.
        video += (f",drawtext=fontfile={FONT}:text='{_escape_drawtext(title[:40])}':fontcolor=white:fontsize=26:"
                  f"box=1:boxcolor=black@0.6:boxborderw=12:x=(w-text_w)/2:y=(h-text_h)/2:enable='lt(t,4)'")
    subprocess.run([
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", f"sine=frequency={reel.tone_hz}:sample_rate=48000",
        "-t", str(SECONDS), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", str(path),
    ], check=True)


def make_sign_language(path: Path, ffmpeg: str = "ffmpeg") -> None:
    """A 4:3 card standing in for the signer, with the film's clock on it (or a moving fractal without the font)."""
    video = "mandelbrot=size=480x360:rate=25"
    if FONT.is_file():
        video = (f"color=c=0x1d3557:size=480x360:rate=25,"
                 f"drawtext=fontfile={FONT}:text='{_escape_drawtext('Interprète LSF (démo)')}':fontcolor=white:"
                 f"fontsize=28:x=(w-text_w)/2:y=h/3,"
                 f"drawtext=fontfile={FONT}:text='%{{pts\\:hms}}':fontcolor=yellow:fontsize=40:"
                 f"x=(w-text_w)/2:y=2*h/3")
    subprocess.run([
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", video,
        "-t", str(SECONDS), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(path),
    ], check=True)


def make_audio_description(path: Path, ffmpeg: str = "ffmpeg") -> None:
    """A spoken description where ffmpeg has the flite voice, a softer tone otherwise."""
    flite = subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
                            "-i", f"flite=text='{_escape_drawtext(DESCRIPTION)}'", "-t", str(SECONDS), str(path)],
                           check=False, capture_output=True)
    if flite.returncode != 0:
        subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
                        "-i", "sine=frequency=660:sample_rate=48000", "-t", str(SECONDS), str(path)], check=True)


def package_demo_media(engine: Engine, data_dir: Path, *, count: int = 4,
                       settings: StreamingSettings | None = None) -> list[int]:
    """Make and package `count` short films for the first available films; returns the film ids that play."""
    if shutil.which("ffmpeg") is None:
        print("ffmpeg is not installed: the demo films have no media.")
        return []
    settings = settings or get_streaming_settings()
    context = job_context(engine, data_dir, settings)
    masters = data_dir / "demo-masters"
    masters.mkdir(parents=True, exist_ok=True)
    with Session(engine) as session:
        films = session.exec(select(Film.id, Film.title).where(Film.status == FilmStatus.AVAILABLE)
                             .order_by(col(Film.id)).limit(count)).all()
    packaged = []
    for (film_id, title), reel in zip(films, REELS, strict=False):
        master = masters / f"film-{film_id}.mp4"
        make_master(reel, title, master, settings.ffmpeg)
        captions = audio_description = chapters = sign_language = None
        if reel.accessible:
            captions = masters / f"film-{film_id}.srt"
            captions.write_text(SME_CAPTIONS, encoding="utf-8")
            audio_description = masters / f"film-{film_id}-ad.wav"
            make_audio_description(audio_description, settings.ffmpeg)
        if reel.signed:
            chapters = masters / f"film-{film_id}-chapters.vtt"
            chapters.write_text(CHAPTERS, encoding="utf-8")
            sign_language = masters / f"film-{film_id}-lsf.mp4"
            make_sign_language(sign_language, settings.ffmpeg)
        with Session(engine) as session:
            job = start_packaging(session, film_id, PackagingJobCreate(
                master_path=str(master), captions_path=str(captions) if captions else None,
                audio_description_path=str(audio_description) if audio_description else None,
                chapters_path=str(chapters) if chapters else None,
                sign_language_path=str(sign_language) if sign_language else None),
                timeout_seconds=600)
            session.commit()
            job_id = job.id
        assert job_id is not None
        status = run_job(context, job_id)
        print(f"Demo media for film {film_id} ({title}): {status}.")
        if status == "succeeded":
            packaged.append(film_id)
    return packaged
