"""The media JSON API for curators: a film's packaged versions and jobs; start, cancel and re-queue packaging."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, get, post
from litestar.status_codes import HTTP_201_CREATED
from sqlmodel import Session

from cinedoc.kernel.errors import InvalidInput
from cinedoc.kernel.guards import curators
from streaming.media import services
from streaming.media.jobs import job_context, runner_for
from streaming.media.schemas import FilmMediaPublic, PackagingJobCreate, PackagingJobLog, PackagingJobPublic


def _context(request: Request[Any, Any, Any]) -> Any:
    state = request.app.state
    return job_context(state.engine, Path(state.settings.data_dir))


def inbox(request: Request[Any, Any, Any]) -> Path:
    """Over HTTP, masters are named inside the media inbox only: a curator cannot make the server read /etc."""
    return (Path(request.app.state.settings.data_dir) / "inbox").resolve()


def check_in_inbox(request: Request[Any, Any, Any], data: PackagingJobCreate) -> None:
    root = inbox(request)
    paths = [("master", data.master_path), ("captions", data.captions_path),
             ("audio_description", data.audio_description_path), ("chapters", data.chapters_path),
             ("sign_language", data.sign_language_path),
             *(("subtitles", path) for path in data.subtitles.values())]
    for field, path in paths:
        if path and not (root / path).resolve().is_relative_to(root):
            raise InvalidInput("Files must be inside the media inbox ({inbox}).", field=field, inbox=str(root))


def _in_inbox(request: Request[Any, Any, Any], data: PackagingJobCreate) -> PackagingJobCreate:
    check_in_inbox(request, data)
    root = inbox(request)

    def resolve(path: str | None) -> str | None:
        return str(root / path) if path else None

    return PackagingJobCreate(master_path=str(root / data.master_path), captions_path=resolve(data.captions_path),
                              audio_description_path=resolve(data.audio_description_path),
                              chapters_path=resolve(data.chapters_path),
                              sign_language_path=resolve(data.sign_language_path),
                              subtitles={code: str(root / path) for code, path in data.subtitles.items()},
                              purpose=data.purpose)


class MediaController(Controller):
    path = "/api"
    guards = [curators]
    tags = ["media"]

    @get("/films/{film_id:int}/media", sync_to_thread=True)
    def film_media(self, db: Session, film_id: int) -> FilmMediaPublic:
        return services.film_media(db, film_id)

    @post("/films/{film_id:int}/media/jobs", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def start_packaging(self, request: Request[Any, Any, Any], db: Session, film_id: int,
                        data: PackagingJobCreate) -> PackagingJobPublic:
        context = _context(request)
        runner = runner_for(context)
        job = services.start_packaging(db, film_id, _in_inbox(request, data),
                                       timeout_seconds=context.settings.packaging_timeout_seconds, runner=runner.name,
                                       check_media=context.settings)
        assert job.id is not None
        runner.enqueue(job.id)
        return services.job_public(job)

    @get("/packaging-jobs/{job_id:int}", sync_to_thread=True)
    def job(self, db: Session, job_id: int) -> PackagingJobPublic:
        return services.job_public(services.get_job(db, job_id))

    @get("/packaging-jobs/{job_id:int}/log", sync_to_thread=True)
    def job_log(self, db: Session, job_id: int) -> PackagingJobLog:
        job = services.get_job(db, job_id)
        assert job.id is not None
        return PackagingJobLog(id=job.id, log=job.log)

    @post("/packaging-jobs/{job_id:int}/cancel", sync_to_thread=True, status_code=200)
    def cancel(self, db: Session, job_id: int) -> PackagingJobPublic:
        return services.job_public(services.cancel_job(db, job_id))

    @post("/packaging-jobs/{job_id:int}/requeue", sync_to_thread=True, status_code=200)
    def requeue(self, request: Request[Any, Any, Any], db: Session, job_id: int) -> PackagingJobPublic:
        job = services.requeue_job(db, job_id)
        runner_for(_context(request)).enqueue(job_id)
        return services.job_public(job)
