"""The demo's films are packaged for real, and the first carries every accessibility track the player offers."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from catalogue.films.models import Film, FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from streaming.media import services
from streaming.media.config import StreamingSettings
from streaming.media.demo import package_demo_media
from tests.media_samples import MediaSamples


def test_the_first_demo_film_has_captions_audio_description_chapters_and_a_signer(
        db_engine: Engine, tmp_path: Path, media_samples: MediaSamples) -> None:
    # media_samples only skips the test where ffmpeg is missing (the demo then packages nothing).
    with Session(db_engine) as session:
        film = create_film(session, FilmCreate(title="Les Plages d'Agnès", status=FilmStatus.AVAILABLE))
        session.commit()
        film_id = film.id
    started = time.monotonic()
    assert package_demo_media(db_engine, tmp_path, count=1, settings=StreamingSettings()) == [film_id]
    elapsed = time.monotonic() - started
    with Session(db_engine) as session:
        published = services.film_media(session, film_id).published  # type: ignore[arg-type]
        row = session.get(Film, film_id)
        prefix = services.published_prefix(session, film_id)  # type: ignore[arg-type]
    assert published is not None
    assert (published.has_captions, published.has_audio_description, published.has_chapters,
            published.has_sign_language) == (True, True, True, True)
    assert row is not None and row.has_lsf and row.has_sme_captions and row.has_audio_description
    version = tmp_path / "media" / str(prefix)
    assert "Un la à 440 hertz" in (version / "chapters.vtt").read_text(encoding="utf-8")
    assert (version / "sign" / "index.m3u8").is_file()
    # The demo is built on first start: one film with every track stays a matter of seconds.
    assert elapsed < 60, elapsed
