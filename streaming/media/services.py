"""Media rules: starting, cancelling and re-queuing packaging jobs, and what a film has published."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, col, select

from catalogue.films.models import Film
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound
from cinedoc.kernel.i18n import iso_language_codes, translate
from streaming.media.config import StreamingSettings
from streaming.media.jobs import fail_stale_jobs, packaging_request
from streaming.media.models import FilmMedia, JobStatus, MediaAsset, MediaPurpose, PackagingJob, PresentationMedia
from streaming.media.packaging import MASTER_PLAYLIST, check_inputs
from streaming.media.schemas import FilmMediaPublic, MediaVersionPublic, PackagingJobCreate, PackagingJobPublic

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
MAX_TIMEOUT_SECONDS = 48 * 3600


def _existing_file(path: str | None, field: str, label: str) -> str | None:
    if not path:
        return None
    resolved = Path(path).expanduser()
    if not resolved.is_file():
        raise InvalidInput("The {label} file {path} does not exist.", field=field, label=translate(label), path=path)
    return str(resolved.resolve())


def media_purpose(value: str) -> MediaPurpose:
    try:
        return MediaPurpose(value.strip().lower())
    except ValueError:
        raise InvalidInput("The purpose must be \"film\" or \"presentation\", not \"{value}\".", field="purpose",
                           value=value[:40]) from None


def _active_job(session: Session, film_id: int, purpose: str) -> int | None:
    return session.exec(select(PackagingJob.id).where(PackagingJob.film_id == film_id,
                                                      PackagingJob.purpose == purpose,
                                                      col(PackagingJob.status).in_(ACTIVE))).first()


def _refuse_second_job(film_id: int, purpose: str, active: int) -> Conflict:
    if purpose == MediaPurpose.PRESENTATION:
        return Conflict("The presentation video of film {film_id} is already being packaged (job {job_id}).",
                        film_id=film_id, job_id=active)
    return Conflict("Film {film_id} is already being packaged (job {job_id}).", film_id=film_id, job_id=active)


def start_packaging(session: Session, film_id: int, data: PackagingJobCreate, *, timeout_seconds: int,
                    runner: str = "in_process", check_media: StreamingSettings | None = None) -> PackagingJob:
    """Queue a job for the film; one active job per film and purpose, so two packagings never race for a pointer
    (a presentation video and the film itself may be packaged at the same time: they move different pointers).

    With ``check_media``, the master is probed and the side files checked against it first (a second or so), so
    that a caller who will not watch the job (the HTTP API) gets a bad file refused as its answer, and no job."""
    purpose = media_purpose(data.purpose)
    if session.get(Film, film_id) is None:
        raise NotFound("No film with id {film_id}.", film_id=film_id)
    if not 10 <= timeout_seconds <= MAX_TIMEOUT_SECONDS:
        raise InvalidInput("The timeout must be between 10 s and 48 h.", field="timeout_seconds")
    active = _active_job(session, film_id, purpose)
    if active is not None:
        raise _refuse_second_job(film_id, purpose, active)
    subtitles = []
    for language, path in sorted(data.subtitles.items()):
        code = language.strip().lower()
        if code not in iso_language_codes():
            raise InvalidInput("{language} is not an ISO language code.", field="subtitles", language=language)
        subtitles.append({"language": code, "path": _existing_file(path, "subtitles", "subtitle")})
    job = PackagingJob(
        film_id=film_id, purpose=purpose.value, status=JobStatus.QUEUED, runner=runner,
        timeout_seconds=timeout_seconds,
        master_path=_existing_file(data.master_path, "master", "master") or "",
        captions_path=_existing_file(data.captions_path, "captions", "captions"),
        audio_description_path=_existing_file(data.audio_description_path, "audio_description",
                                              "audio description"),
        chapters_path=_existing_file(data.chapters_path, "chapters", "chapter track"),
        sign_language_path=_existing_file(data.sign_language_path, "sign_language", "sign-language video"),
        subtitles=json.dumps(subtitles),
    )
    if not job.master_path:
        raise InvalidInput("A master file is required.", field="master")
    if check_media is not None:
        check_inputs(packaging_request(session, job, check_media), check_media)
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> PackagingJob:
    job = session.get(PackagingJob, job_id)
    if job is None:
        raise NotFound("No packaging job with id {job_id}.", job_id=job_id)
    return job


def cancel_job(session: Session, job_id: int) -> PackagingJob:
    """A queued job stops at once; a running one is asked to stop, and its worker kills ffmpeg within a second."""
    job = get_job(session, job_id)
    if job.status == JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.error = "Cancelled at the curator's request."
        job.error_params = "{}"
    elif job.status == JobStatus.RUNNING:
        job.cancel_requested = True
    else:
        raise Conflict("This job has already finished.")
    session.flush()
    return job


def requeue_job(session: Session, job_id: int) -> PackagingJob:
    job = get_job(session, job_id)
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise Conflict("Only a failed or cancelled job can be queued again.")
    other = _active_job(session, job.film_id, job.purpose)
    if other is not None:
        raise _refuse_second_job(job.film_id, job.purpose, other)
    job.status = JobStatus.QUEUED
    job.cancel_requested = False
    job.progress = 0.0
    job.stage = ""
    job.error = None
    job.error_params = ""
    job.finished_at = None
    session.flush()
    return job


def job_public(job: PackagingJob) -> PackagingJobPublic:
    assert job.id is not None
    error = None
    if job.error:
        params = json.loads(job.error_params or "{}")
        error = translate(job.error, **params)
    warnings = [translate(message, **params) for message, params in json.loads(job.warnings or "[]")]
    return PackagingJobPublic(
        id=job.id, film_id=job.film_id, purpose=job.purpose, status=job.status, stage=job.stage, progress=job.progress,
        percent=int(job.progress * 100), error=error, warnings=warnings, attempts=job.attempts,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at,
        can_cancel=job.status in ACTIVE and not job.cancel_requested,
        can_requeue=job.status in (JobStatus.FAILED, JobStatus.CANCELLED),
    )


def _version_public(asset: MediaAsset | None) -> MediaVersionPublic | None:
    if asset is None:
        return None
    assert asset.id is not None
    return MediaVersionPublic(
        id=asset.id, version=asset.version, purpose=asset.purpose, status=asset.status,
        master_playlist=f"{asset.storage_prefix}/{MASTER_PLAYLIST}", duration_seconds=asset.duration_seconds,
        width=asset.width, height=asset.height, renditions=json.loads(asset.renditions or "[]"),
        has_captions=asset.has_captions, has_audio_description=asset.has_audio_description,
        has_chapters=asset.has_chapters, has_sign_language=asset.has_sign_language,
        subtitle_languages=[code for code in asset.subtitle_languages.split(",") if code],
        total_bytes=asset.total_bytes, published_at=asset.published_at,
    )


def film_media(session: Session, film_id: int, *, job_limit: int = 5) -> FilmMediaPublic:
    if session.get(Film, film_id) is None:
        raise NotFound("No film with id {film_id}.", film_id=film_id)
    fail_stale_jobs(session)
    pointer = session.get(FilmMedia, film_id)
    published = session.get(MediaAsset, pointer.asset_id) if pointer else None
    previous = session.get(MediaAsset, pointer.previous_asset_id) if pointer and pointer.previous_asset_id else None
    presentation_pointer = session.get(PresentationMedia, film_id)
    presentation = session.get(MediaAsset, presentation_pointer.asset_id) if presentation_pointer else None
    jobs = session.exec(select(PackagingJob).where(PackagingJob.film_id == film_id)
                        .order_by(col(PackagingJob.id).desc()).limit(job_limit)).all()
    return FilmMediaPublic(
        film_id=film_id, published=_version_public(published), previous=_version_public(previous),
        presentation=_version_public(presentation),
        jobs=[job_public(job) for job in jobs], in_progress=any(job.status in ACTIVE for job in jobs),
    )


def published_prefix(session: Session, film_id: int) -> str | None:
    """The storage prefix viewers get for the film now (the gateway and signers build on this)."""
    pointer = session.get(FilmMedia, film_id)
    if pointer is None:
        return None
    asset = session.get(MediaAsset, pointer.asset_id)
    return asset.storage_prefix if asset else None
