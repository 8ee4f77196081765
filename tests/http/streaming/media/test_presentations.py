"""Presentation videos through the real packaging pipeline: kept apart from the film's own media both ways, a bad
purpose or an over-long clip refused cleanly, served to anyone (no token) with byte ranges, from local disk and S3."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from catalogue.films.models import FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from cinedoc.kernel.errors import Conflict
from cinedoc.kernel.settings import Settings
from streaming.access.entitlement import playable_media
from streaming.media import services
from streaming.media.config import StreamingSettings
from streaming.media.jobs import JobContext, run_job, stop_runners
from streaming.media.models import FilmMedia, MediaAsset, MediaPurpose, PackagingJob, PresentationMedia
from streaming.media.presentations import presentation_videos
from streaming.media.schemas import PackagingJobCreate
from streaming.media.storage import LocalStorage, S3Storage
from streaming.runtime import runtime_for
from tests.media_samples import MediaSamples
from tests.s3_server import s3_client

SETTINGS = StreamingSettings(x264_preset="ultrafast", presentation_max_seconds=600)


@pytest.fixture(autouse=True)
def no_runner_left_behind() -> Iterator[None]:
    yield
    stop_runners()


@pytest.fixture
def film_id(db_engine: Engine) -> int:
    with Session(db_engine) as session:
        film = create_film(session, FilmCreate(title="Les Glaneurs", status=FilmStatus.AVAILABLE))
        session.commit()
        assert film.id is not None
        return film.id


@pytest.fixture
def context(db_engine: Engine, tmp_path: Path) -> JobContext:
    return JobContext(engine=db_engine, storage=LocalStorage(tmp_path / "media"), settings=SETTINGS,
                      work_dir=tmp_path / "work")


def package(context: JobContext, film_id: int, master: Path, purpose: str = "film") -> tuple[str, int]:
    with Session(context.engine) as session:
        job = services.start_packaging(session, film_id, PackagingJobCreate(master_path=str(master), purpose=purpose),
                                       timeout_seconds=120)
        session.commit()
        assert job.id is not None
        job_id = job.id
    return run_job(context, job_id), job_id


def pointers(engine: Engine, film_id: int) -> tuple[int | None, int | None]:
    with Session(engine) as session:
        film = session.get(FilmMedia, film_id)
        presentation = session.get(PresentationMedia, film_id)
        return (film.asset_id if film else None), (presentation.asset_id if presentation else None)


def playable_asset(engine: Engine, film_id: int) -> int | None:
    with Session(engine) as session:
        found = playable_media(session, film_id)
        return found.asset_id if found else None


def test_a_presentation_and_the_film_each_move_only_their_own_pointer(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert package(context, film_id, media_samples.small)[0] == "succeeded"
    film_asset, no_presentation = pointers(context.engine, film_id)
    assert film_asset is not None and no_presentation is None
    assert playable_asset(context.engine, film_id) == film_asset

    assert package(context, film_id, media_samples.small, "presentation")[0] == "succeeded"
    after_film, presentation_asset = pointers(context.engine, film_id)
    assert after_film == film_asset and presentation_asset not in (None, film_asset)
    assert playable_asset(context.engine, film_id) == film_asset  # patrons still play the film
    with Session(context.engine) as session:
        presentation = session.get(MediaAsset, presentation_asset)
        assert presentation is not None
        assert presentation.purpose == MediaPurpose.PRESENTATION and presentation.version == 2
        assert presentation.storage_prefix.startswith(f"films/{film_id}/presentation-0002-")
        videos = presentation_videos(session, [film_id, 999_999])
    assert list(videos) == [film_id]
    assert videos[film_id].playlist_url == f"/media/presentations/{film_id}/master.m3u8"
    assert videos[film_id].poster_url == f"/media/presentations/{film_id}/poster.jpg"
    assert 3.5 < (videos[film_id].duration_seconds or 0) < 4.5 and not videos[film_id].has_captions

    assert package(context, film_id, media_samples.small)[0] == "succeeded"  # a new version of the film itself
    new_film, same_presentation = pointers(context.engine, film_id)
    assert new_film not in (None, film_asset) and same_presentation == presentation_asset
    assert playable_asset(context.engine, film_id) == new_film
    with Session(context.engine) as session:
        pointer = session.get(FilmMedia, film_id)
        assert pointer is not None and pointer.previous_asset_id == film_asset  # not the presentation
        versions = session.exec(select(MediaAsset.version).where(MediaAsset.film_id == film_id)).all()
    assert sorted(versions) == [1, 2, 3]


def test_a_film_with_only_a_presentation_is_not_playable(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert package(context, film_id, media_samples.small, "presentation")[0] == "succeeded"
    assert pointers(context.engine, film_id)[0] is None
    assert playable_asset(context.engine, film_id) is None
    with Session(context.engine) as session:
        assert services.published_prefix(session, film_id) is None
        media = services.film_media(session, film_id)
    assert media.published is None and media.presentation is not None and media.presentation.purpose == "presentation"
    assert [job.purpose for job in media.jobs] == ["presentation"]


def test_a_presentation_longer_than_the_limit_fails_after_the_probe_with_nothing_stored(
        db_engine: Engine, tmp_path: Path, film_id: int, media_samples: MediaSamples) -> None:
    strict = JobContext(engine=db_engine, storage=LocalStorage(tmp_path / "media"), work_dir=tmp_path / "work",
                        settings=StreamingSettings(x264_preset="ultrafast", presentation_max_seconds=2))
    status, job_id = package(strict, film_id, media_samples.small, "presentation")
    assert status == "failed"
    with Session(db_engine) as session:
        job = session.get(PackagingJob, job_id)
        assert job is not None and job.error is not None
        message = job.error.format(**json.loads(job.error_params))
        assert session.exec(select(func.count()).select_from(MediaAsset)).one() == 0
        assert session.get(PresentationMedia, film_id) is None
    assert message == "This master lasts 4 s: a presentation video may last at most 2 s."
    assert strict.storage.list_sizes(f"films/{film_id}") == {}
    # The ceiling is the presentation's: the same 4 s master is a (very short) film.
    assert package(strict, film_id, media_samples.small)[0] == "succeeded"


def test_one_active_job_per_film_and_purpose(db_engine: Engine, film_id: int, media_samples: MediaSamples) -> None:
    def start(purpose: str) -> int:
        with Session(db_engine) as session:
            job = services.start_packaging(session, film_id, PackagingJobCreate(
                master_path=str(media_samples.small), purpose=purpose), timeout_seconds=60)
            session.commit()
            assert job.id is not None
            return job.id

    start("film")
    presentation = start("presentation")  # packaging the film does not hold the presentation back
    with pytest.raises(Conflict, match="presentation video of film"):
        start("presentation")
    with pytest.raises(Conflict, match="is already being packaged"):
        start("film")
    with Session(db_engine) as session:
        services.cancel_job(session, presentation)
        session.commit()
    start("presentation")


# --- through the app ------------------------------------------------------------------------------------------------

@pytest.fixture
def inbox(settings: Settings, media_samples: MediaSamples) -> Path:
    folder = settings.data_dir / "inbox"
    folder.mkdir(parents=True)
    shutil.copyfile(media_samples.small, folder / "clip.mp4")
    (folder / "captions.srt").write_text("1\n00:00:00,500 --> 00:00:02,000\nBonjour !\n", encoding="utf-8")
    return folder


def wait_for(client: TestClient, job_id: int, headers: dict[str, str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/packaging-jobs/{job_id}", headers=headers).json()
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


@pytest.mark.parametrize("purpose", ["trailer", "", "FILM ", "presentation; drop table"])
def test_a_bad_purpose_is_a_400_naming_the_field_and_stores_nothing(
        client: TestClient, curator: dict[str, str], film_id: int, inbox: Path, db_engine: Engine,
        purpose: str) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator,
                           json={"master_path": "clip.mp4", "purpose": purpose})
    if purpose == "FILM ":
        # Case and spaces are forgiven: it is the film.
        assert response.status_code == 201 and response.json()["purpose"] == "film"
        return
    assert response.status_code == 400, response.text
    body = response.json()
    assert [item["key"] for item in body["extra"]] == ["purpose"]
    assert "presentation" in body["detail"]
    with Session(db_engine) as session:
        assert session.exec(select(func.count()).select_from(PackagingJob)).one() == 0
        assert session.exec(select(func.count()).select_from(MediaAsset)).one() == 0


def test_a_purpose_that_is_not_text_is_a_400(client: TestClient, curator: dict[str, str], film_id: int,
                                             inbox: Path) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator,
                           json={"master_path": "clip.mp4", "purpose": 3})
    assert response.status_code == 400
    assert "purpose" in json.dumps(response.json()["extra"])


def test_a_curator_packages_a_presentation_and_anyone_can_fetch_it_with_ranges(
        client: TestClient, curator: dict[str, str], film_id: int, inbox: Path, settings: Settings) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator,
                           json={"master_path": "clip.mp4", "captions_path": "captions.srt",
                                 "purpose": "presentation"})
    assert response.status_code == 201, response.text
    assert response.json()["purpose"] == "presentation"
    finished = wait_for(client, response.json()["id"], curator)
    assert finished["status"] == "succeeded", finished["error"]
    media = client.get(f"/api/films/{film_id}/media", headers=curator).json()
    assert media["published"] is None
    assert media["presentation"]["purpose"] == "presentation" and media["presentation"]["has_captions"]

    client.cookies.clear()  # anonymous from here: no session, no token
    master = client.get(f"/media/presentations/{film_id}/master.m3u8")
    assert master.status_code == 200, master.text
    assert master.headers["content-type"].startswith("application/vnd.apple.mpegurl")
    assert master.headers["cache-control"].startswith("public, max-age=")
    variant = next(line for line in master.text.splitlines() if line.endswith("index.m3u8")
                   and not line.startswith("#"))
    playlist = client.get(f"/media/presentations/{film_id}/{variant}")
    assert playlist.status_code == 200 and "#EXT-X-MAP" in playlist.text
    segment = next(line for line in playlist.text.splitlines() if line.endswith(".m4s"))
    segment_url = f"/media/presentations/{film_id}/{variant.rsplit('/', 1)[0]}/{segment}"
    whole = client.get(segment_url)
    assert whole.status_code == 200 and whole.headers["cache-control"] == "public, max-age=86400, immutable"
    part = client.get(segment_url, headers={"Range": "bytes=10-99"})
    assert part.status_code == 206 and part.content == whole.content[10:100]
    assert part.headers["content-range"] == f"bytes 10-99/{len(whole.content)}"
    assert client.get(segment_url, headers={"Range": f"bytes={len(whole.content) + 5}-"}).status_code == 416
    poster = client.get(f"/media/presentations/{film_id}/poster.jpg")
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    captions = client.get(f"/media/presentations/{film_id}/subtitles/fr-sme/index.m3u8")
    assert captions.status_code == 200
    assert client.get(f"/media/presentations/{film_id}/missing.m3u8").status_code == 404


def test_a_presentation_is_served_from_s3_with_presigned_segments(
        db_engine: Engine, tmp_path: Path, film_id: int, media_samples: MediaSamples, client: TestClient,
        s3_bucket: str, s3_endpoint: str) -> None:
    storage = S3Storage(s3_bucket, client=s3_client(s3_endpoint), prefix="cinedoc")
    context = JobContext(engine=db_engine, storage=storage, settings=SETTINGS, work_dir=tmp_path / "work")
    assert package(context, film_id, media_samples.small, "presentation")[0] == "succeeded"
    runtime_for(client.app.state).storage = storage
    master = client.get(f"/media/presentations/{film_id}/master.m3u8")
    assert master.status_code == 200 and master.headers["cache-control"].startswith("public")
    variant = next(line for line in master.text.splitlines() if line and not line.startswith("#"))
    media_playlist = client.get(f"/media/presentations/{film_id}/{variant}")
    assert media_playlist.status_code == 200
    segment = next(line for line in media_playlist.text.splitlines() if ".m4s" in line)
    assert segment.startswith(s3_endpoint) and "X-Amz-Signature" in segment  # the bucket itself stays private
    fetched = httpx.get(segment)
    assert fetched.status_code == 200 and len(fetched.content) > 100
    poster = client.get(f"/media/presentations/{film_id}/poster.jpg", follow_redirects=False)
    assert poster.status_code == 302 and "X-Amz-Signature" in poster.headers["location"]
    assert httpx.get(poster.headers["location"]).content[:3] == b"\xff\xd8\xff"  # a JPEG from the bucket


def test_the_cli_packages_a_presentation_with_its_flag(
        database_url: str, db_engine: Engine, film_id: int, media_samples: MediaSamples, tmp_path: Path) -> None:
    import os

    from click.testing import CliRunner

    from cinedoc.cli import main
    from cinedoc.kernel.settings import get_settings
    from streaming.media.config import get_streaming_settings
    from tests.conftest import TEST_SECRET

    env: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    env.update(CINEDOC_DATABASE_URL=database_url, CINEDOC_DATA_DIR=str(tmp_path / "data"),
               CINEDOC_SECRET_KEY=TEST_SECRET, CINEDOC_X264_PRESET="ultrafast")
    get_settings.cache_clear()
    get_streaming_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["media", "package", str(film_id), str(media_samples.small),
                                           "--presentation"], env=env)
        get_streaming_settings.cache_clear()
        too_long = CliRunner().invoke(main, ["media", "package", str(film_id), str(media_samples.small),
                                             "--presentation"], env={**env, "CINEDOC_PRESENTATION_MAX_SECONDS": "3"})
    finally:
        get_settings.cache_clear()
        get_streaming_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert f"film {film_id}'s presentation video is version 1" in result.stdout
    film_pointer, presentation_pointer = pointers(db_engine, film_id)
    assert film_pointer is None and presentation_pointer is not None
    assert list((tmp_path / "data" / "media" / "films" / str(film_id)).glob("presentation-0001-*/master.m3u8"))
    assert too_long.exit_code != 0 and "vidéo de présentation peut durer au plus 3 s" in too_long.output
