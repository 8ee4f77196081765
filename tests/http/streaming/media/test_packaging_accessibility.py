"""Packaging a film with its chapter track and French Sign Language video against a real database: both published
beside the master (local storage and S3), the version and the film flagged, the search facet told; every bad side
file refused with its reason before any encoding, and nothing half-published when a late check or the upload fails."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import m3u8
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from catalogue.films.models import Film, FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.search import SearchQuery, search_films
from catalogue.films.services import create_film
from streaming.media import services
from streaming.media.jobs import JobContext, run_job
from streaming.media.models import FilmMedia, MediaAsset, MediaStatus
from streaming.media.storage import LocalStorage, S3Storage
from tests.conftest import TEST_DATABASE
from tests.http.streaming.media.test_packaging_jobs import (
    SETTINGS,
    english_error,
    job_row,
    published_prefix,
    queue,
    stored_keys,
)
from tests.media_samples import MediaSamples, ffmpeg
from tests.s3_server import s3_client

SIDE_FILES = {"chapters.vtt", "sign/index.m3u8", "sign/init.mp4", "sign/seg_00000.m4s", "sign/seg_00001.m4s"}


@pytest.fixture
def film_id(db_engine: Engine) -> int:
    with Session(db_engine) as session:
        film = create_film(session, FilmCreate(title="Au pays des signes", duration_minutes=1,
                                               status=FilmStatus.AVAILABLE))
        session.commit()
        assert film.id is not None
        return film.id


@pytest.fixture
def context(db_engine: Engine, tmp_path: Path) -> JobContext:
    return JobContext(engine=db_engine, storage=LocalStorage(tmp_path / "media"), settings=SETTINGS,
                      work_dir=tmp_path / "work")


def lsf_facet(engine: Engine) -> tuple[list[int], int]:
    """The films a patron finds with the LSF filter, and the count the facet shows."""
    with Session(engine) as session:
        page = search_films(session, SearchQuery(accessibility=("lsf",)))
        count = next((value.count for value in page.facets["access"] if value.value == "lsf"), 0)
    return [film.id for film in page.results], count


def asset_count(engine: Engine, film_id: int) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(MediaAsset).where(MediaAsset.film_id == film_id)).one()


def test_chapters_and_a_sign_language_video_are_published_beside_the_master_and_the_film_becomes_lsf(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert lsf_facet(context.engine) == ([], 0)  # the facet index is built here, before packaging
    job_id = queue(context.engine, film_id, media_samples.master, captions=media_samples.captions,
                   audio_description=media_samples.audio_description, chapters=media_samples.chapters,
                   sign_language=media_samples.sign_language)
    assert run_job(context, job_id) == "succeeded", english_error(job_row(context.engine, job_id))
    prefix = published_prefix(context.engine, film_id)
    assert prefix is not None
    stored = {key.removeprefix(f"{prefix}/") for key in context.storage.list_sizes(prefix)}
    assert stored >= SIDE_FILES
    root = context.storage.local_path(prefix)
    assert root is not None
    assert "sign/" not in (root / "master.m3u8").read_text()
    sign = m3u8.load(str(root / "sign" / "index.m3u8"))
    assert sign.is_endlist and [s.uri for s in sign.segments] == ["seg_00000.m4s", "seg_00001.m4s"]
    chapters = (root / "chapters.vtt").read_text(encoding="utf-8")
    assert "Deuxième partie & fin" in chapters and "X-TIMESTAMP-MAP" not in chapters
    with Session(context.engine) as session:
        film = session.get(Film, film_id)
        assert film is not None and film.has_lsf and film.has_sme_captions and film.has_audio_description
        media = services.film_media(session, film_id)
    assert media.published is not None
    assert (media.published.has_chapters, media.published.has_sign_language) == (True, True)
    assert media.published.renditions[-1] == {"name": "sign", "width": 480, "height": 360, "kbps": 274,
                                              "remux": False, "sign_language": True}
    # Patrons filtering on LSF find the film at once, without waiting for another catalogue edit.
    assert lsf_facet(context.engine) == ([film_id], 1)


def test_a_version_without_side_files_is_flagged_without_them(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    with Session(context.engine) as session:
        media = services.film_media(session, film_id)
        film = session.get(Film, film_id)
    assert media.published is not None and not media.published.has_chapters
    assert not media.published.has_sign_language and film is not None and not film.has_lsf
    prefix = published_prefix(context.engine, film_id)
    assert prefix is not None
    assert not any(key.endswith(("chapters.vtt", "sign/index.m3u8")) for key in context.storage.list_sizes(prefix))


OVERLAPPING = "1\n00:00:01,000 --> 00:00:03,000\nUn\n\n2\n00:00:02,000 --> 00:00:04,000\nDeux\n"
BAD_SIDE_FILES = [
    ("chapters", "srt", "The chapter file is not WebVTT"),
    ("chapters", "late", "The chapter file does not match the film's length: chapter 2 ends at 00:00:30.000, "
                         "but the film lasts 00:00:08.000."),
    ("chapters", "overlapping", "chapters must not overlap"),
    ("sign_language", "sign_language_short", "The sign-language video does not match the film's length: it lasts "
                                             "00:00:04.000, the film 00:00:08.000."),
    ("sign_language", "audio_only", "The sign-language file has no video stream."),
    ("captions", "overlapping_srt", "Captions 1 (00:00:01.000 --> 00:00:03.000) and 2 (00:00:02.000 --> "
                                    "00:00:04.000) overlap"),
    ("subtitles", "overlapping_srt", "Captions 1 (00:00:01.000 --> 00:00:03.000) and 2"),
]


def bad_file(media_samples: MediaSamples, folder: Path, name: str) -> Path:
    texts = {
        "srt": media_samples.captions.read_text(encoding="utf-8"),
        "late": "WEBVTT\n\n00:00.000 --> 00:04.000\nUn\n\n00:04.000 --> 00:30.000\nDeux\n",
        "overlapping": "WEBVTT\n\n00:00.000 --> 00:05.000\nUn\n\n00:03.000 --> 00:08.000\nDeux\n",
        "overlapping_srt": OVERLAPPING,
    }
    if name not in texts:
        return getattr(media_samples, name)
    path = folder / f"{name}.txt"
    path.write_text(texts[name], encoding="utf-8")
    return path


@pytest.mark.parametrize(("option", "sample", "reason"), BAD_SIDE_FILES)
def test_a_bad_side_file_fails_the_job_in_seconds_with_nothing_published_and_no_new_version(
        context: JobContext, film_id: int, media_samples: MediaSamples, tmp_path: Path, option: str, sample: str,
        reason: str) -> None:
    assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    before, keys_before = published_prefix(context.engine, film_id), stored_keys(context.storage, film_id)
    path = bad_file(media_samples, tmp_path, sample)
    options = {"subtitles": {"en": str(path)}} if option == "subtitles" else {option: path}
    job_id = queue(context.engine, film_id, media_samples.master, **options)  # type: ignore[arg-type]
    started = time.monotonic()
    assert run_job(context, job_id) == "failed"
    assert time.monotonic() - started < 3
    assert reason in english_error(job_row(context.engine, job_id)), english_error(job_row(context.engine, job_id))
    assert published_prefix(context.engine, film_id) == before
    assert stored_keys(context.storage, film_id) == keys_before
    assert asset_count(context.engine, film_id) == 1  # refused before a version was recorded


def test_a_sign_language_video_that_stops_early_is_caught_after_encoding_and_its_version_is_removed(
        context: JobContext, film_id: int, media_samples: MediaSamples, tmp_path: Path) -> None:
    # Its index is at the head (faststart) and says 8 s, but the second half of the pictures is missing.
    whole = tmp_path / "sign-whole.mp4"
    ffmpeg("-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=25", "-t", "8", "-c:v", "libx264", "-preset",
           "ultrafast", "-movflags", "+faststart", str(whole))
    cut = tmp_path / "sign-cut.mp4"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    job_id = queue(context.engine, film_id, media_samples.master, sign_language=cut)
    assert run_job(context, job_id) == "failed"
    assert "The sign-language video stops" in english_error(job_row(context.engine, job_id))
    with Session(context.engine) as session:
        asset = session.exec(select(MediaAsset).where(MediaAsset.film_id == film_id)).one()
        assert asset.status == MediaStatus.FAILED and session.get(FilmMedia, film_id) is None
        film = session.get(Film, film_id)
        assert film is not None and not film.has_lsf
    assert not context.storage.list_sizes(asset.storage_prefix)
    assert not list(context.work_dir.iterdir())


class ForgetfulStorage(LocalStorage):
    """Reports success for a sign-language segment it never writes (a storage that loses a write quietly)."""

    def put_file(self, local_path: Path, key: str) -> None:
        if key.endswith("sign/seg_00001.m4s"):
            return
        super().put_file(local_path, key)

    def move_tree(self, local_dir: Path, prefix: str) -> bool:
        return False


def test_a_sign_segment_lost_in_the_upload_fails_the_job_and_publishes_nothing(
        db_engine: Engine, film_id: int, media_samples: MediaSamples, tmp_path: Path) -> None:
    storage = ForgetfulStorage(tmp_path / "media")
    context = JobContext(db_engine, storage, SETTINGS, tmp_path / "work")
    job_id = queue(db_engine, film_id, media_samples.master, sign_language=media_samples.sign_language)
    assert run_job(context, job_id) == "failed"
    error = english_error(job_row(db_engine, job_id))
    assert "Publishing to the media storage failed" in error and "sign/seg_00001.m4s" in error
    assert published_prefix(db_engine, film_id) is None and not stored_keys(storage, film_id)


def test_chapters_and_the_sign_video_are_published_to_s3_with_their_content_types(
        db_engine: Engine, film_id: int, media_samples: MediaSamples, s3_endpoint: str, s3_bucket: str,
        tmp_path: Path) -> None:
    storage = S3Storage(s3_bucket, endpoint_url=s3_endpoint, prefix="media")
    context = JobContext(db_engine, storage, SETTINGS, tmp_path / "work")
    job_id = queue(db_engine, film_id, media_samples.master, chapters=media_samples.chapters,
                   sign_language=media_samples.sign_language)
    assert run_job(context, job_id) == "succeeded", english_error(job_row(db_engine, job_id))
    prefix = published_prefix(db_engine, film_id)
    assert prefix is not None
    stored = {key.removeprefix(f"{prefix}/") for key in storage.list_sizes(prefix)}
    assert stored >= SIDE_FILES
    client = s3_client(s3_endpoint)
    types = {name: client.head_object(Bucket=s3_bucket, Key=f"media/{prefix}/{name}")["ContentType"]
             for name in ("chapters.vtt", "sign/index.m3u8", "sign/init.mp4", "sign/seg_00000.m4s")}
    assert types == {"chapters.vtt": "text/vtt; charset=utf-8", "sign/index.m3u8": "application/vnd.apple.mpegurl",
                     "sign/init.mp4": "video/mp4", "sign/seg_00000.m4s": "video/iso.segment"}


@pytest.mark.skipif(TEST_DATABASE != "postgresql", reason="procrastinate needs PostgreSQL (the SQLite run skips it)")
def test_a_procrastinate_worker_packages_the_side_files_the_job_names(
        context: JobContext, film_id: int, media_samples: MediaSamples, postgres_server: object,
        tmp_path: Path) -> None:
    from streaming.media.procrastinate_runner import ProcrastinateRunner, configure_worker, libpq_url

    queue_url = postgres_server.create_database("procrastinate_side_files", replace=True)  # type: ignore[attr-defined]
    runner = ProcrastinateRunner(libpq_url(queue_url))
    runner.apply_schema()
    # The worker reads the paths from the job's row: copies elsewhere prove nothing is taken from this process.
    chapters = shutil.copyfile(media_samples.chapters, tmp_path / "chapitres.vtt")
    job_id = queue(context.engine, film_id, media_samples.master, chapters=chapters,
                   sign_language=media_samples.sign_language)
    runner.enqueue(job_id)
    configure_worker(context)
    # The worker runs its own event loop (asyncio.run): in a thread of its own, since a session-wide browser fixture
    # may already run one in this thread of the xdist worker.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(runner.work, until_empty=True).result()
    job = job_row(context.engine, job_id)
    assert (job.status, job.runner) == ("succeeded", "procrastinate"), english_error(job)
    assert job.chapters_path == str(chapters.resolve())
    with Session(context.engine) as session:
        media = services.film_media(session, film_id)
    assert media.published is not None and media.published.has_chapters and media.published.has_sign_language
