"""Packaging jobs: running one from queued to published (or failed), and the runners that pick them up.

A job's whole state is in its database row, so any process can show its progress, cancel it or re-queue it;
the runner only decides where the work happens: a thread in the app process (embedded default) or a procrastinate
worker on another machine.
"""

from __future__ import annotations

import json
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from catalogue.films import facet_index
from catalogue.films.models import Film, FilmLanguage
from cinedoc.kernel import clock
from cinedoc.kernel.i18n import language_name, translate
from streaming.media.config import StreamingSettings
from streaming.media.hls import PlaylistError
from streaming.media.models import (
    FilmMedia,
    JobStatus,
    MediaAsset,
    MediaPurpose,
    MediaStatus,
    PackagingJob,
    PresentationMedia,
)
from streaming.media.packaging import (
    PackagingRequest,
    PreparedPackage,
    PublishError,
    SubtitleFile,
    package_to_directory,
    prepare,
    upload,
)
from streaming.media.probe import MediaRefused
from streaming.media.storage import MediaStorage, StorageError
from streaming.media.transcoder import TranscodeError

PROGRESS_WRITE_SECONDS = 1.0
CANCEL_POLL_SECONDS = 1.0
# A running job whose worker has not written for this long is taken as dead (machine lost, process killed).
STALE_AFTER = timedelta(minutes=5)
CLAIM_WAIT_SECONDS = 10.0
# Share of the progress bar given to encoding; the rest is playlists, upload and checks.
ENCODE_SHARE = 0.9


class JobRunner(Protocol):
    """Where packaging happens. ``enqueue`` may be called before the caller commits: runners claim from the DB."""

    name: str

    def enqueue(self, job_id: int) -> None: ...


@dataclass(frozen=True)
class JobContext:
    """What a worker needs to run jobs: the database, the storage, the settings and a scratch folder."""

    engine: Engine
    storage: MediaStorage
    settings: StreamingSettings
    work_dir: Path


def _fail(job: PackagingJob, message: str, params: dict[str, Any] | None = None, log: str = "",
          status: JobStatus = JobStatus.FAILED) -> None:
    job.status = status
    job.error = message
    job.error_params = json.dumps(params or {}, default=str)
    if log:
        job.log = log[-64_000:]
    job.finished_at = clock.utcnow()
    job.heartbeat_at = job.finished_at


def claim_job(engine: Engine, job_id: int, runner: str, wait: float = CLAIM_WAIT_SECONDS) -> bool:
    """Atomically move a queued job to running; False if another worker has it or it is no longer queued."""
    deadline = time.monotonic() + wait
    while True:
        now = clock.utcnow()
        with Session(engine) as session:
            claimed = session.exec(  # type: ignore[call-overload]
                update(PackagingJob)
                .where(PackagingJob.id == job_id, PackagingJob.status == JobStatus.QUEUED)
                .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, finished_at=None,
                        attempts=PackagingJob.attempts + 1, runner=runner, progress=0.0, stage="probe",
                        error=None, error_params="", log="")
            ).rowcount
            exists = session.get(PackagingJob, job_id) is not None
            session.commit()
        if claimed:
            return True
        # The enqueuing request may not have committed yet: wait for the row to appear, not for its status.
        if exists or time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def next_queued_job(engine: Engine) -> int | None:
    with Session(engine) as session:
        return session.exec(select(PackagingJob.id).where(PackagingJob.status == JobStatus.QUEUED)
                            .order_by(PackagingJob.id).limit(1)).first()


def packaging_request(session: Session, job: PackagingJob, settings: StreamingSettings) -> PackagingRequest:
    """What the job asks ffmpeg for: its files, the film's language, and the length rules of its purpose."""
    film = session.get(Film, job.film_id)
    presentation = job.purpose == MediaPurpose.PRESENTATION
    languages = session.exec(select(FilmLanguage.code).where(FilmLanguage.film_id == job.film_id)).all()
    subtitles = tuple(SubtitleFile(item["language"], Path(item["path"])) for item in json.loads(job.subtitles or "[]"))
    return PackagingRequest(
        master=Path(job.master_path),
        captions=Path(job.captions_path) if job.captions_path else None,
        audio_description=Path(job.audio_description_path) if job.audio_description_path else None,
        subtitles=subtitles,
        chapters=Path(job.chapters_path) if job.chapters_path else None,
        sign_language=Path(job.sign_language_path) if job.sign_language_path else None,
        language=_hls_language(languages[0] if languages else "fr"),
        # The catalogue's running time is the film's: a presentation is compared with its ceiling instead.
        catalogue_minutes=film.duration_minutes if film and not presentation else None,
        max_seconds=settings.presentation_max_seconds if presentation else None,
    )


def _hls_language(code: str) -> str:
    # HLS LANGUAGE wants RFC 5646 tags: the two-letter code where ISO 639-1 has one.
    three_to_two = {"fra": "fr", "fre": "fr", "eng": "en", "deu": "de", "ger": "de", "spa": "es", "ita": "it"}
    return three_to_two.get(code.lower(), code.lower())


def rendition_names(language: str, subtitle_languages: list[str]) -> dict[str, str]:
    """Track names shown in players' menus, in the film's language's words for French films, else generic."""
    name = language_name(language).capitalize() if language else "Original"
    names = {"audio": name, "ad": translate("{language} (audio description)", language=name),
             "sme": translate("{language} (captions for the deaf and hard of hearing)", language=name)}
    for code in subtitle_languages:
        names[f"sub:{code}"] = language_name(code).capitalize()
    return names


def run_job(context: JobContext, job_id: int, *, runner: str = "in_process",
            on_progress: Callable[[float, str], None] | None = None) -> str:
    """Run one job to its end and return its final status; never raises for a bad master or a failed upload."""
    if not claim_job(context.engine, job_id, runner):
        with Session(context.engine) as session:
            job = session.get(PackagingJob, job_id)
            return job.status if job else "missing"
    engine = context.engine
    state = {"last_write": 0.0, "last_cancel_check": 0.0, "cancel": False}

    def record(progress: float | None = None, stage: str | None = None, force: bool = False) -> None:
        now = time.monotonic()
        if on_progress and progress is not None:
            on_progress(progress, stage or "")
        if not force and now - state["last_write"] < PROGRESS_WRITE_SECONDS:
            return
        state["last_write"] = now
        values: dict[str, Any] = {"heartbeat_at": clock.utcnow()}
        if progress is not None:
            values["progress"] = round(progress, 4)
        if stage is not None:
            values["stage"] = stage
        with Session(engine) as session:
            session.exec(update(PackagingJob).where(PackagingJob.id == job_id).values(**values))  # type: ignore[call-overload]
            session.commit()

    def should_stop() -> str | None:
        now = time.monotonic()
        if now - state["last_cancel_check"] >= CANCEL_POLL_SECONDS:
            state["last_cancel_check"] = now
            with Session(engine) as session:
                state["cancel"] = bool(session.exec(select(PackagingJob.cancel_requested)
                                                    .where(PackagingJob.id == job_id)).first())
        return "Cancelled at the curator's request." if state["cancel"] else None

    work = context.work_dir / f"job-{job_id}-{secrets.token_hex(3)}"
    asset_id: int | None = None
    prefix: str | None = None
    try:
        with Session(engine, expire_on_commit=False) as session:
            job = session.get(PackagingJob, job_id)
            assert job is not None
            request = packaging_request(session, job, context.settings)
            timeout = job.timeout_seconds
        record(0.0, "probe", force=True)
        prepared = prepare(request, context.settings)
        asset_id, prefix = _new_version(engine, job_id, prepared)
        record(0.0, "encode", force=True)
        names = rendition_names(request.language, [language for language, _ in prepared.subtitles])
        packaged = package_to_directory(
            prepared, work / "out", context.settings, names=names, timeout=timeout,
            on_progress=lambda fraction: record(fraction * ENCODE_SHARE, "encode"), should_stop=should_stop,
        )
        record(ENCODE_SHARE, "upload", force=True)
        if should_stop():
            raise TranscodeError("Cancelled at the curator's request.")
        upload(packaged, context.storage, prefix)
        retired_prefix = _publish(engine, job_id, asset_id, packaged.total_bytes, packaged.renditions_summary(),
                                  packaged.log)
        if on_progress:
            on_progress(1.0, "done")
        if retired_prefix:
            context.storage.delete_prefix(retired_prefix)
        return JobStatus.SUCCEEDED
    except MediaRefused as error:
        return _finish_failed(context, job_id, asset_id, prefix, error.message, error.params, work)
    except TranscodeError as error:
        cancelled = error.message.startswith("Cancelled")
        return _finish_failed(context, job_id, asset_id, prefix, error.message, error.params, work, error.log,
                              JobStatus.CANCELLED if cancelled else JobStatus.FAILED)
    except PublishError as error:
        return _finish_failed(context, job_id, asset_id, prefix, "Publishing to the media storage failed: {reason}",
                              {"reason": str(error)}, work)
    except (PlaylistError, StorageError) as error:
        return _finish_failed(context, job_id, asset_id, prefix, "The packaged media is incomplete: {reason}",
                              {"reason": str(error)}, work)
    except OSError as error:
        message = ("The disk filled up while packaging." if error.errno == 28
                   else "A file could not be written while packaging: {reason}")
        return _finish_failed(context, job_id, asset_id, prefix, message, {"reason": str(error)}, work)
    except Exception as error:  # noqa: BLE001 - a bug or a database hiccup must still end the job, not leave it running
        return _finish_failed(context, job_id, asset_id, prefix, "Packaging stopped on an unexpected error: {reason}",
                              {"reason": f"{type(error).__name__}: {error}"[:500]}, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _new_version(engine: Engine, job_id: int, prepared: PreparedPackage, attempts: int = 5) -> tuple[int, str]:
    """Record the pending version the job will write (its id and storage prefix)."""
    request, facts = prepared.request, prepared.facts
    for attempt in range(attempts):
        try:
            with Session(engine, expire_on_commit=False) as session:
                job = session.get(PackagingJob, job_id)
                assert job is not None
                job.warnings = json.dumps(prepared.warnings)
                version = (session.exec(select(func.max(MediaAsset.version))
                                        .where(MediaAsset.film_id == job.film_id)).one() or 0) + 1
                kind = "presentation-" if job.purpose == MediaPurpose.PRESENTATION else ""
                prefix = f"films/{job.film_id}/{kind}{version:04d}-{secrets.token_hex(4)}"
                asset = MediaAsset(
                    film_id=job.film_id, version=version, purpose=job.purpose, storage_prefix=prefix,
                    status=MediaStatus.PENDING,
                    duration_seconds=round(facts.duration, 3), width=facts.video.width, height=facts.video.height,
                    frame_rate=round(facts.video.frame_rate, 3), video_codec=facts.video.codec,
                    audio_codec=facts.audio.codec if facts.audio else None,
                    has_captions=prepared.captions is not None,
                    has_audio_description=bool(request.audio_description),
                    has_chapters=prepared.chapters is not None,
                    has_sign_language=prepared.sign_language is not None,
                    subtitle_languages=",".join(language for language, _ in prepared.subtitles),
                )
                session.add(asset)
                session.flush()
                assert asset.id is not None
                job.asset_id = asset.id
                session.commit()
                return asset.id, prefix
        except IntegrityError:
            # Versions are numbered per film across purposes, and the film's job and its presentation's job may
            # run at once: the one that loses the race for a number takes the next.
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _finish_failed(context: JobContext, job_id: int, asset_id: int | None, prefix: str | None, message: str,
                   params: dict[str, Any], work: Path, log: str = "",
                   status: JobStatus = JobStatus.FAILED) -> str:
    if prefix:
        context.storage.delete_prefix(prefix)
    with Session(context.engine) as session:
        job = session.get(PackagingJob, job_id)
        assert job is not None
        _fail(job, message, params, log, status)
        if asset_id is not None:
            asset = session.get(MediaAsset, asset_id)
            if asset is not None:
                asset.status = MediaStatus.FAILED
        session.commit()
    return status


def _publish(engine: Engine, job_id: int, asset_id: int, total_bytes: int, renditions: str,
             log: str) -> str | None:
    """One transaction: the version becomes ready and the pointer of its purpose moves to it (a presentation video
    never replaces the film's media, nor the reverse). Returns a prefix to delete."""
    retired_prefix = None
    with Session(engine) as session:
        job = session.get(PackagingJob, job_id)
        asset = session.get(MediaAsset, asset_id)
        assert job is not None and asset is not None
        now = clock.utcnow()
        asset.status = MediaStatus.READY
        asset.published_at = now
        asset.total_bytes = total_bytes
        asset.renditions = renditions
        is_film = asset.purpose != MediaPurpose.PRESENTATION
        table = FilmMedia if is_film else PresentationMedia
        pointer = session.get(table, asset.film_id)
        if pointer is None:
            session.add(table(film_id=asset.film_id, asset_id=asset_id, updated_at=now))
        else:
            # Viewers who started on the previous version keep it until they finish: it stays one round more.
            if pointer.previous_asset_id:
                retired = session.get(MediaAsset, pointer.previous_asset_id)
                if retired is not None and retired.status == MediaStatus.READY:
                    retired.status = MediaStatus.REMOVED
                    retired_prefix = retired.storage_prefix
            pointer.previous_asset_id = pointer.asset_id
            pointer.asset_id = asset_id
            pointer.updated_at = now
        film = session.get(Film, asset.film_id) if is_film else None
        if film is not None:
            flags = (film.has_sme_captions, film.has_audio_description, film.has_lsf)
            film.has_sme_captions = film.has_sme_captions or asset.has_captions
            film.has_audio_description = film.has_audio_description or asset.has_audio_description
            film.has_lsf = film.has_lsf or asset.has_sign_language
            if (film.has_sme_captions, film.has_audio_description, film.has_lsf) != flags:
                # The search facets (SME, AD, LSF) are an index each process rebuilds when told the catalogue
                # changed: without this a newly accessible film would stay out of its facet until another edit.
                facet_index.mark_changed(session)
        job.status = JobStatus.SUCCEEDED
        job.log = log
        job.progress = 1.0
        job.stage = "done"
        job.finished_at = now
        job.heartbeat_at = now
        session.commit()
    return retired_prefix


def fail_stale_jobs(session: Session) -> int:
    """Running jobs whose worker went silent are failed, so they can be re-queued; returns how many."""
    limit = clock.utcnow() - STALE_AFTER
    stale = session.exec(select(PackagingJob).where(PackagingJob.status == JobStatus.RUNNING,
                                                    PackagingJob.heartbeat_at < limit)).all()
    for job in stale:
        _fail(job, "The worker stopped while packaging (no news since {time}).",
              {"time": job.heartbeat_at.isoformat(timespec="seconds") if job.heartbeat_at else "?"})
    session.flush()
    return len(stale)


class InProcessRunner:
    """A worker thread in this process: wakes when a job is enqueued and also polls, so it never misses one."""

    name = "in_process"

    def __init__(self, context: JobContext, poll_seconds: float = 2.0) -> None:
        self.context = context
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, name="cinedoc-packaging", daemon=True)
                self._thread.start()

    def enqueue(self, job_id: int) -> None:
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def run_pending(self) -> int:
        """Run queued jobs until none is left (the loop's body; tests call it directly). Returns how many ran."""
        count = 0
        while not self._stop.is_set():
            job_id = next_queued_job(self.context.engine)
            if job_id is None:
                return count
            run_job(self.context, job_id, runner=self.name)
            count += 1
        return count

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_pending()
            except Exception:  # noqa: BLE001 - a database hiccup must not kill the worker thread for good
                time.sleep(self.poll_seconds)
            self._wake.wait(self.poll_seconds)


_runners: dict[tuple[str, str], JobRunner] = {}
_runners_lock = threading.Lock()


def runner_for(context: JobContext) -> JobRunner:
    """The configured runner, one per database and storage in this process."""
    key = (str(context.engine.url), context.settings.job_runner)
    with _runners_lock:
        runner = _runners.get(key)
        if runner is None:
            if context.settings.job_runner == "procrastinate":
                from streaming.media.procrastinate_runner import ProcrastinateRunner

                runner = ProcrastinateRunner.from_settings(context.settings, str(context.engine.url))
            else:
                runner = InProcessRunner(context)
            _runners[key] = runner
        return runner


def job_context(engine: Engine, data_dir: Path, settings: StreamingSettings | None = None) -> JobContext:
    """The context for this deployment: storage and scratch space from the settings, under DATA_DIR by default."""
    from streaming.media.config import get_streaming_settings
    from streaming.media.storage import make_storage

    settings = settings or get_streaming_settings()
    work_dir = settings.work_dir or data_dir / "work"
    work_dir.mkdir(parents=True, exist_ok=True)
    return JobContext(engine=engine, storage=make_storage(settings, data_dir), settings=settings, work_dir=work_dir)


def start_packaging_worker(engine: Engine, data_dir: Path) -> None:
    """For the app's startup: pick up jobs left queued by a previous process (embedded runner only)."""
    context = job_context(engine, data_dir)
    runner = runner_for(context)
    if isinstance(runner, InProcessRunner):
        runner.start()


def stop_runners() -> None:
    """Stop this process's in-process workers (app shutdown, tests); a running job finishes first."""
    with _runners_lock:
        runners = list(_runners.values())
        _runners.clear()
    for runner in runners:
        if isinstance(runner, InProcessRunner):
            runner.stop(timeout=60)
