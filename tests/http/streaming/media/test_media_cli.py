"""`cinedoc media` as an operator uses it: package with a progress bar, list jobs, see a failure's reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine
from sqlmodel import Session

from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from cinedoc.cli import main
from cinedoc.kernel.settings import get_settings
from streaming.media.config import get_streaming_settings
from tests.conftest import TEST_SECRET
from tests.media_samples import MediaSamples


@pytest.fixture
def invoke(database_url: str, db_engine: Engine, tmp_path: Path):  # noqa: ANN201 - a small closure
    env: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    env.update(CINEDOC_DATABASE_URL=database_url, CINEDOC_DATA_DIR=str(tmp_path / "data"),
               CINEDOC_SECRET_KEY=TEST_SECRET, CINEDOC_X264_PRESET="veryfast")

    def run(*args: str) -> Result:
        get_settings.cache_clear()
        get_streaming_settings.cache_clear()
        try:
            return CliRunner().invoke(main, ["media", *args], env=env)
        finally:
            get_settings.cache_clear()
            get_streaming_settings.cache_clear()

    return run


@pytest.fixture
def film_id(db_engine: Engine) -> int:
    with Session(db_engine) as session:
        film = create_film(session, FilmCreate(title="Chronique d'un été"))
        session.commit()
        assert film.id is not None
        return film.id


def test_package_publishes_with_captions_and_audio_description(
        invoke, film_id: int, media_samples: MediaSamples, tmp_path: Path) -> None:  # noqa: ANN001
    result = invoke("package", str(film_id), str(media_samples.master), "--captions", str(media_samples.captions),
                    "--audio-description", str(media_samples.audio_description),
                    "--subtitles", f"en={media_samples.subtitles_en}")
    assert result.exit_code == 0, result.output
    assert f"film {film_id} now plays version 1" in result.stdout
    masters = list((tmp_path / "data" / "media" / "films" / str(film_id)).glob("*/master.m3u8"))
    assert len(masters) == 1 and "describes-video" in masters[0].read_text()
    listing = invoke("jobs", "--film", str(film_id))
    assert listing.exit_code == 0 and "succeeded" in listing.stdout and "100 %" in listing.stdout


def test_a_bad_master_exits_non_zero_with_the_reason(invoke, film_id: int,  # noqa: ANN001
                                                     media_samples: MediaSamples) -> None:
    result = invoke("package", str(film_id), str(media_samples.audio_only))
    assert result.exit_code == 1
    assert "failed" in result.output and "flux vidéo" in result.output


def test_bad_arguments_are_explained(invoke, film_id: int, media_samples: MediaSamples) -> None:  # noqa: ANN001
    assert "expected LANG=FILE" in invoke("package", str(film_id), str(media_samples.master),
                                          "--subtitles", "english.srt").output
    missing = invoke("package", "999999", str(media_samples.master))
    assert missing.exit_code == 1 and "999999" in missing.output
    assert invoke("cancel", "999999").exit_code == 1


def test_package_with_chapters_and_a_sign_language_video(invoke, film_id: int,  # noqa: ANN001
                                                         media_samples: MediaSamples, tmp_path: Path) -> None:
    result = invoke("package", str(film_id), str(media_samples.master), "--chapters", str(media_samples.chapters),
                    "--sign-language", str(media_samples.sign_language))
    assert result.exit_code == 0, result.output
    assert (f"film {film_id} now plays version 1 with chapters, French Sign Language video."
            in result.stdout)
    version = next((tmp_path / "data" / "media" / "films" / str(film_id)).glob("*/master.m3u8")).parent
    assert (version / "chapters.vtt").is_file() and (version / "sign" / "index.m3u8").is_file()


def test_a_bad_chapter_or_sign_file_exits_non_zero_with_the_reason_and_publishes_nothing(
        invoke, film_id: int, media_samples: MediaSamples, tmp_path: Path) -> None:  # noqa: ANN001
    late = tmp_path / "late.vtt"
    late.write_text("WEBVTT\n\n00:00.000 --> 00:04.000\nUn\n\n00:20.000 --> 00:25.000\nDeux\n", encoding="utf-8")
    chapters = invoke("package", str(film_id), str(media_samples.master), "--chapters", str(late))
    assert chapters.exit_code == 1
    assert "failed" in chapters.output and "ne correspond pas à la durée du film" in chapters.output
    assert "00:00:20.000" in chapters.output and "00:00:08.000" in chapters.output
    sign = invoke("package", str(film_id), str(media_samples.master), "--sign-language",
                  str(media_samples.sign_language_short))
    assert sign.exit_code == 1 and "elle dure 00:00:04.000, le film 00:00:08.000" in sign.output
    missing = invoke("package", str(film_id), str(media_samples.master), "--chapters", str(tmp_path / "none.vtt"))
    assert missing.exit_code == 1 and "none.vtt" in missing.output
    assert not (tmp_path / "data" / "media" / "films" / str(film_id)).exists()
