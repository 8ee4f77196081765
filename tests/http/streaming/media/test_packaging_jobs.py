"""Packaging jobs against a real database: publish atomically, replace without a gap, fail cleanly on bad input."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import m3u8
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from catalogue.films.models import Film
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from streaming.media import services
from streaming.media.config import StreamingSettings
from streaming.media.jobs import InProcessRunner, JobContext, fail_stale_jobs, run_job
from streaming.media.models import FilmMedia, JobStatus, MediaAsset, MediaStatus, PackagingJob
from streaming.media.schemas import PackagingJobCreate
from streaming.media.storage import LocalStorage, MediaStorage, S3Storage
from tests.conftest import TEST_DATABASE
from tests.media_samples import MediaSamples
from tests.s3_server import s3_client

SETTINGS = StreamingSettings(x264_preset="veryfast")


@pytest.fixture
def film_id(db_engine: Engine) -> int:
    with Session(db_engine) as session:
        film = create_film(session, FilmCreate(title="Les Glaneurs", duration_minutes=1))
        session.commit()
        assert film.id is not None
        return film.id


@pytest.fixture
def context(db_engine: Engine, tmp_path: Path) -> JobContext:
    return JobContext(engine=db_engine, storage=LocalStorage(tmp_path / "media"), settings=SETTINGS,
                      work_dir=tmp_path / "work")


def queue(engine: Engine, film_id: int, master: Path, *, captions: Path | None = None,
          audio_description: Path | None = None, subtitles: dict[str, str] | None = None,
          chapters: Path | None = None, sign_language: Path | None = None, timeout: int = 120) -> int:
    with Session(engine) as session:
        job = services.start_packaging(session, film_id, PackagingJobCreate(
            master_path=str(master), captions_path=str(captions) if captions else None,
            audio_description_path=str(audio_description) if audio_description else None,
            chapters_path=str(chapters) if chapters else None,
            sign_language_path=str(sign_language) if sign_language else None,
            subtitles=subtitles or {}), timeout_seconds=timeout)
        session.commit()
        assert job.id is not None
        return job.id


def job_row(engine: Engine, job_id: int) -> PackagingJob:
    with Session(engine) as session:
        job = session.get(PackagingJob, job_id)
        assert job is not None
        return job


def english_error(job: PackagingJob) -> str:
    """The job's error in English (the msgid with its parameters), whatever the interface language."""
    return job.error.format(**json.loads(job.error_params or "{}")) if job.error else ""


def published_prefix(engine: Engine, film_id: int) -> str | None:
    with Session(engine) as session:
        return services.published_prefix(session, film_id)


def stored_keys(storage: MediaStorage, film_id: int) -> set[str]:
    return set(storage.list_sizes(f"films/{film_id}"))


def test_a_master_with_captions_ad_and_subtitles_is_published_and_parses(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    job_id = queue(context.engine, film_id, media_samples.master, captions=media_samples.captions,
                   audio_description=media_samples.audio_description, subtitles={"en": str(media_samples.subtitles_en)})
    progress: list[float] = []
    assert run_job(context, job_id, on_progress=lambda value, _stage: progress.append(value)) == "succeeded"
    assert progress[-1] == 1.0 and progress == sorted(progress)
    prefix = published_prefix(context.engine, film_id)
    assert prefix is not None and prefix.startswith(f"films/{film_id}/0001-")
    root = context.storage.local_path(prefix)
    assert root is not None
    master = m3u8.load(str(root / "master.m3u8"))
    assert [p.stream_info.resolution for p in master.playlists] == [(416, 234), (640, 360)]
    kinds = {(m.type, m.name, m.characteristics) for m in master.media}
    assert ("AUDIO", "Français (audiodescription)", "public.accessibility.describes-video") in kinds
    assert any(t == "SUBTITLES" and c and "transcribes-spoken-dialog" in c for t, _n, c in kinds)
    assert ("SUBTITLES", "Anglais", None) in kinds
    assert "<c.yellow>Bonjour" in (root / "subtitles/fr-sme/captions.vtt").read_text()
    for name in ("poster.jpg", "thumbnails/thumbnails.vtt", "thumbnails/sprite_001.jpg"):
        assert (root / name).is_file()
    job = job_row(context.engine, job_id)
    assert (job.status, job.progress, job.attempts, job.error) == ("succeeded", 1.0, 1, None)
    with Session(context.engine) as session:
        film = session.get(Film, film_id)
        assert film is not None and film.has_sme_captions and film.has_audio_description
        media = services.film_media(session, film_id)
    assert media.published is not None and media.published.has_audio_description
    assert media.published.subtitle_languages == ["en"] and not media.in_progress


def test_repackaging_switches_versions_in_one_step_and_keeps_the_previous_one_playing(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    first = published_prefix(context.engine, film_id)
    assert first is not None
    observed: list[str | None] = []
    stop = threading.Event()

    def watch() -> None:
        # A viewer arriving at any moment during re-packaging finds a complete, playable version.
        while not stop.is_set():
            prefix = published_prefix(context.engine, film_id)
            observed.append(prefix)
            if prefix is not None:
                assert (context.storage.local_path(prefix) / "master.m3u8").is_file()  # type: ignore[operator]
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    finally:
        stop.set()
        watcher.join()
    second = published_prefix(context.engine, film_id)
    assert second is not None and second != first and "/0002-" in second
    assert None not in observed and set(observed) <= {first, second}
    # The previous version stays one round for viewers still on it, then goes.
    assert context.storage.list_sizes(first)
    assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    assert not context.storage.list_sizes(first)
    with Session(context.engine) as session:
        statuses = session.exec(select(MediaAsset.version, MediaAsset.status)
                                .where(MediaAsset.film_id == film_id).order_by(MediaAsset.version)).all()
        pointer = session.get(FilmMedia, film_id)
    assert statuses == [(1, "removed"), (2, "ready"), (3, "ready")]
    assert pointer is not None and pointer.previous_asset_id is not None


BAD_MASTERS = [
    ("zero_bytes", "empty (0 bytes)"),
    ("corrupt", "ffmpeg cannot read this file"),
    ("truncated_tail", "ffmpeg cannot read this file"),
    ("truncated_head", "truncated or damaged"),
    ("audio_only", "no video stream"),
    ("huge", "larger than the 8K maximum"),
    ("text_named_mp4", "ffmpeg cannot read this file"),
]


@pytest.mark.parametrize(("sample", "reason"), BAD_MASTERS)
def test_a_bad_master_fails_with_its_reason_and_leaves_the_published_version_alone(
        context: JobContext, film_id: int, media_samples: MediaSamples, sample: str, reason: str) -> None:
    assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    before = published_prefix(context.engine, film_id)
    keys_before = stored_keys(context.storage, film_id)
    job_id = queue(context.engine, film_id, getattr(media_samples, sample))
    assert run_job(context, job_id) == "failed"
    job = job_row(context.engine, job_id)
    public = services.job_public(job)
    assert reason in english_error(job), english_error(job)
    assert public.can_requeue and not public.can_cancel
    assert published_prefix(context.engine, film_id) == before
    assert stored_keys(context.storage, film_id) == keys_before
    assert not list(context.work_dir.iterdir())


@pytest.mark.parametrize(("option", "sample", "reason"), [
    ("captions", "captions_garbage", "neither SRT nor WebVTT"),
    ("captions", "captions_too_long", "after the end of the film"),
    ("audio_description", "silent", "no sound stream"),
    ("audio_description", "master", "longer than the film"),
])
def test_bad_side_files_fail_the_job_before_any_encoding(
        context: JobContext, film_id: int, media_samples: MediaSamples, option: str, sample: str,
        reason: str) -> None:
    master = media_samples.small if sample == "master" else media_samples.master
    job_id = queue(context.engine, film_id, master, **{option: getattr(media_samples, sample)})
    started = time.monotonic()
    assert run_job(context, job_id) == "failed"
    assert time.monotonic() - started < 3
    job = job_row(context.engine, job_id)
    assert reason in english_error(job)
    assert published_prefix(context.engine, film_id) is None and not stored_keys(context.storage, film_id)


def test_a_film_with_the_wrong_extension_still_packages(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert run_job(context, queue(context.engine, film_id, media_samples.video_named_txt)) == "succeeded"


def test_a_silent_master_gets_a_silent_audio_track_and_a_warning(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    job_id = queue(context.engine, film_id, media_samples.silent)
    assert run_job(context, job_id) == "succeeded"
    assert "no sound" in job_row(context.engine, job_id).warnings


def test_ffmpeg_killed_mid_run_fails_the_job_and_publishes_nothing(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    assert run_job(context, queue(context.engine, film_id, media_samples.small)) == "succeeded"
    before = published_prefix(context.engine, film_id)
    slow = JobContext(context.engine, context.storage, StreamingSettings(x264_preset="veryslow"), context.work_dir)
    job_id = queue(context.engine, film_id, media_samples.slow)

    def kill_when_encoding() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if job_row(context.engine, job_id).stage == "encode":
                time.sleep(0.5)
                kill_ffmpeg_writing_under(context.work_dir / f"job-{job_id}-")
                return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_when_encoding)
    killer.start()
    assert run_job(slow, job_id) == "failed"
    killer.join()
    job = job_row(context.engine, job_id)
    assert "stopped by signal SIGKILL" in english_error(job)
    assert published_prefix(context.engine, film_id) == before
    with Session(context.engine) as session:
        asset = session.get(MediaAsset, job.asset_id)
        assert asset is not None and asset.status == MediaStatus.FAILED
        assert not context.storage.list_sizes(asset.storage_prefix)


def kill_ffmpeg_writing_under(folder: Path) -> None:
    """SIGKILL this test's own ffmpeg, found by the scratch folder in its command line (a name like "job-3-" alone
    would match other test runs' ffmpeg on a shared machine)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"ffmpeg") and str(folder).encode() in cmdline:
            os.kill(int(pid), signal.SIGKILL)


def test_cancelling_a_running_job_stops_ffmpeg_and_requeueing_runs_it_again(
        context: JobContext, film_id: int, media_samples: MediaSamples) -> None:
    slow = JobContext(context.engine, context.storage, StreamingSettings(x264_preset="veryslow"), context.work_dir)
    job_id = queue(context.engine, film_id, media_samples.slow)

    def cancel_when_encoding() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if job_row(context.engine, job_id).stage == "encode":
                with Session(context.engine) as session:
                    services.cancel_job(session, job_id)
                    session.commit()
                return
            time.sleep(0.1)

    canceller = threading.Thread(target=cancel_when_encoding)
    canceller.start()
    started = time.monotonic()
    assert run_job(slow, job_id) == "cancelled"
    canceller.join()
    assert time.monotonic() - started < 15
    assert published_prefix(context.engine, film_id) is None and not stored_keys(context.storage, film_id)
    with Session(context.engine) as session:
        services.requeue_job(session, job_id)
        session.commit()
    fast = JobContext(context.engine, context.storage, SETTINGS, context.work_dir)
    row = job_row(context.engine, job_id)
    row_master = Path(row.master_path)
    assert row_master == media_samples.slow.resolve()
    assert run_job(fast, job_id) == "succeeded"
    assert job_row(context.engine, job_id).attempts == 2


def test_a_job_over_its_timeout_fails_with_the_reason(
        context: JobContext, film_id: int, media_samples: MediaSamples, monkeypatch: pytest.MonkeyPatch) -> None:
    from streaming.media.transcoder import run_ffmpeg

    # -re makes ffmpeg read the 20 s master at its own speed: the 10 s timeout is always reached, however fast the CPU.
    monkeypatch.setattr("streaming.media.packaging.run_ffmpeg",
                        lambda command, **options: run_ffmpeg([command[0], "-re", *command[1:]], **options))
    slow = JobContext(context.engine, context.storage, StreamingSettings(x264_preset="veryslow"), context.work_dir)
    job_id = queue(context.engine, film_id, media_samples.slow, timeout=10)
    started = time.monotonic()
    assert run_job(slow, job_id) == "failed"
    job = job_row(context.engine, job_id)
    assert "longer than the 10 s allowed" in english_error(job)
    assert time.monotonic() - started < 20
    assert published_prefix(context.engine, film_id) is None


def test_cancel_and_requeue_refuse_jobs_in_the_wrong_state(db: Session, film_id: int,
                                                           media_samples: MediaSamples) -> None:
    from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound

    job = services.start_packaging(db, film_id, PackagingJobCreate(master_path=str(media_samples.small)),
                                   timeout_seconds=60)
    assert job.id is not None
    with pytest.raises(Conflict):
        services.start_packaging(db, film_id, PackagingJobCreate(master_path=str(media_samples.small)),
                                 timeout_seconds=60)
    with pytest.raises(Conflict):
        services.requeue_job(db, job.id)
    assert services.cancel_job(db, job.id).status == "cancelled"
    with pytest.raises(Conflict):
        services.cancel_job(db, job.id)
    with pytest.raises(NotFound):
        services.cancel_job(db, 999_999)
    with pytest.raises(NotFound):
        services.start_packaging(db, 999_999, PackagingJobCreate(master_path=str(media_samples.small)),
                                 timeout_seconds=60)
    with pytest.raises(InvalidInput, match="does not exist"):
        services.start_packaging(db, film_id, PackagingJobCreate(master_path="/nowhere/film.mp4"),
                                 timeout_seconds=60)
    with pytest.raises(InvalidInput, match="not an ISO language code"):
        services.start_packaging(db, film_id, PackagingJobCreate(master_path=str(media_samples.small),
                                                                 subtitles={"xx-nope": str(media_samples.captions)}),
                                 timeout_seconds=60)


def test_a_running_job_whose_worker_died_is_failed_so_it_can_be_requeued(db: Session, film_id: int,
                                                                         media_samples: MediaSamples) -> None:
    from datetime import timedelta

    from cinedoc.kernel import clock

    job = services.start_packaging(db, film_id, PackagingJobCreate(master_path=str(media_samples.small)),
                                   timeout_seconds=60)
    job.status = JobStatus.RUNNING
    job.heartbeat_at = clock.utcnow() - timedelta(minutes=30)
    db.flush()
    assert fail_stale_jobs(db) == 1
    assert "worker stopped" in english_error(job)
    assert services.requeue_job(db, job.id).status == "queued"  # type: ignore[arg-type]


def test_the_in_process_runner_picks_up_queued_jobs(context: JobContext, film_id: int,
                                                    media_samples: MediaSamples) -> None:
    runner = InProcessRunner(context, poll_seconds=0.2)
    job_id = queue(context.engine, film_id, media_samples.small)
    runner.enqueue(job_id)
    try:
        deadline = time.monotonic() + 60
        while job_row(context.engine, job_id).status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        runner.stop()
    assert job_row(context.engine, job_id).status == "succeeded"


class FullDiskStorage(LocalStorage):
    """Stands in for a full media volume when no tmpfs can be mounted: every write fails with ENOSPC."""

    def put_file(self, local_path: Path, key: str) -> None:
        if key.endswith(".m4s") and "seg_00001" in key:
            raise self._enospc()
        super().put_file(local_path, key)

    def move_tree(self, local_dir: Path, prefix: str) -> bool:
        return False

    @staticmethod
    def _enospc() -> Exception:
        from streaming.media.storage import _storage_error

        return _storage_error(OSError(errno.ENOSPC, "No space left on device"))


def test_a_full_media_storage_fails_the_job_and_leaves_nothing_half_published(
        context: JobContext, film_id: int, media_samples: MediaSamples, tmp_path: Path) -> None:
    full = JobContext(context.engine, FullDiskStorage(tmp_path / "full"), SETTINGS, context.work_dir)
    job_id = queue(context.engine, film_id, media_samples.master)
    assert run_job(full, job_id) == "failed"
    assert "No space left on the media storage" in english_error(job_row(context.engine, job_id))
    assert published_prefix(context.engine, film_id) is None
    assert not full.storage.list_sizes(f"films/{film_id}")


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Callable[[], Path]:
    mounted: list[Path] = []

    def mount() -> Path:
        target = tmp_path / "tmpfs"
        target.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(target)],
                                capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (not root?): the ENOSPC storage test covers full disks")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_a_full_scratch_disk_fails_the_job_with_the_reason(
        context: JobContext, film_id: int, media_samples: MediaSamples, tiny_tmpfs: Callable[[], Path]) -> None:
    work = tiny_tmpfs()
    full = JobContext(context.engine, context.storage, SETTINGS, work)
    job_id = queue(context.engine, film_id, media_samples.master)
    assert run_job(full, job_id) == "failed"
    job = job_row(context.engine, job_id)
    error = english_error(job)
    assert "disk filled up" in error or "No space left" in error, error
    assert "No space left on device" in job.log  # ffmpeg's own log is kept with the job
    assert published_prefix(context.engine, film_id) is None and not stored_keys(context.storage, film_id)
    assert not list(work.iterdir())


def test_packaging_publishes_to_s3_with_content_types(
        db_engine: Engine, film_id: int, media_samples: MediaSamples, s3_endpoint: str, s3_bucket: str,
        tmp_path: Path) -> None:
    storage = S3Storage(s3_bucket, endpoint_url=s3_endpoint, prefix="media")
    context = JobContext(db_engine, storage, SETTINGS, tmp_path / "work")
    job_id = queue(db_engine, film_id, media_samples.master, captions=media_samples.captions,
                   audio_description=media_samples.audio_description)
    assert run_job(context, job_id) == "succeeded"
    prefix = published_prefix(db_engine, film_id)
    assert prefix is not None
    client = s3_client(s3_endpoint)
    master_text = storage.read_bytes(f"{prefix}/master.m3u8").decode()
    master = m3u8.loads(master_text)
    assert len(master.playlists) == 2 and any(m.characteristics == "public.accessibility.describes-video"
                                              for m in master.media)
    keys = storage.list_sizes(prefix)
    by_suffix = {}
    for key in keys:
        by_suffix.setdefault(Path(key).suffix, key)
    assert {".m3u8", ".m4s", ".mp4", ".vtt", ".jpg"} <= set(by_suffix)
    expected = {".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment", ".mp4": "video/mp4",
                ".vtt": "text/vtt; charset=utf-8", ".jpg": "image/jpeg"}
    for suffix, key in by_suffix.items():
        assert client.head_object(Bucket=s3_bucket, Key=f"media/{key}")["ContentType"] == expected[suffix]
    # Every media playlist and segment the master names is in the bucket.
    for uri in [p.uri for p in master.playlists] + [m.uri for m in master.media if m.uri]:
        playlist = m3u8.loads(storage.read_bytes(f"{prefix}/{uri}").decode())
        base = str(Path(prefix) / Path(uri).parent)
        for segment in playlist.segments:
            assert f"{base}/{segment.uri}" in keys


class VanishingBucket(S3Storage):
    """Deletes its bucket after a few uploads: the bucket goes away in the middle of publishing."""

    uploads = 0

    def put_file(self, local_path: Path, key: str) -> None:
        self.uploads += 1
        if self.uploads == 4:
            client = s3_client(str(self.client.meta.endpoint_url))
            for item in client.list_objects_v2(Bucket=self.bucket).get("Contents", []):
                client.delete_object(Bucket=self.bucket, Key=item["Key"])
            client.delete_bucket(Bucket=self.bucket)
        super().put_file(local_path, key)


def test_a_bucket_that_disappears_mid_upload_fails_the_job_with_nothing_published(
        db_engine: Engine, film_id: int, media_samples: MediaSamples, s3_endpoint: str, s3_bucket: str,
        tmp_path: Path) -> None:
    storage = VanishingBucket(s3_bucket, endpoint_url=s3_endpoint)
    context = JobContext(db_engine, storage, SETTINGS, tmp_path / "work")
    job_id = queue(db_engine, film_id, media_samples.small)
    assert run_job(context, job_id) == "failed"
    error = english_error(job_row(db_engine, job_id))
    assert "Publishing to the media storage failed" in error and "NoSuchBucket" in error
    assert published_prefix(db_engine, film_id) is None
    with Session(db_engine) as session:
        assert session.exec(select(MediaAsset.status).where(MediaAsset.film_id == film_id)).all() == ["failed"]


@pytest.mark.skipif(TEST_DATABASE != "postgresql", reason="procrastinate needs PostgreSQL (the SQLite run skips it)")
def test_procrastinate_runner_defers_and_a_worker_packages(
        context: JobContext, film_id: int, media_samples: MediaSamples, postgres_server: object) -> None:
    from streaming.media.procrastinate_runner import ProcrastinateRunner, configure_worker, libpq_url

    queue_url = postgres_server.create_database("procrastinate_queue", replace=True)  # type: ignore[attr-defined]
    runner = ProcrastinateRunner(libpq_url(queue_url))
    runner.apply_schema()
    job_id = queue(context.engine, film_id, media_samples.small)
    runner.enqueue(job_id)
    assert job_row(context.engine, job_id).status == "queued"  # deferred, not run by the app
    configure_worker(context)
    # The worker runs its own event loop (asyncio.run): in a thread of its own, since a session-wide browser fixture
    # may already run one in this thread of the xdist worker.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(runner.work, until_empty=True).result()
    job = job_row(context.engine, job_id)
    assert (job.status, job.runner) == ("succeeded", "procrastinate")
    assert published_prefix(context.engine, film_id) is not None
    import psycopg

    with psycopg.connect(libpq_url(queue_url)) as connection:
        statuses = connection.execute("SELECT status FROM procrastinate_jobs").fetchall()
    assert statuses == [("succeeded",)]


def test_job_context_json_subtitles_are_stored_as_resolved_paths(db: Session, film_id: int,
                                                                 media_samples: MediaSamples) -> None:
    job = services.start_packaging(db, film_id, PackagingJobCreate(
        master_path=str(media_samples.small), subtitles={"EN": str(media_samples.subtitles_en)}), timeout_seconds=60)
    assert json.loads(job.subtitles) == [{"language": "en", "path": str(media_samples.subtitles_en.resolve())}]
