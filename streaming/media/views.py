"""The curator's media pages: a film's packaging progress and versions, and the panel the film page embeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlmodel import Session

from catalogue.films.services import get_film
from cinedoc.kernel.guards import curators
from streaming.media import services
from streaming.media.jobs import job_context, runner_for


class MediaViews(Controller):
    guards = [curators]
    include_in_schema = False

    @get("/staff/films/{film_id:int}/media", sync_to_thread=True)
    def media_page(self, db: Session, film_id: int) -> Template:
        film = get_film(db, film_id)
        media = services.film_media(db, film_id)
        return Template("streaming/media.html", context={"film": film, "media": media, "film_id": film_id})

    @get("/staff/films/{film_id:int}/media/panel", sync_to_thread=True)
    def media_panel(self, db: Session, film_id: int) -> Template:
        media = services.film_media(db, film_id)
        return Template("streaming/_media_status.html", context={"media": media, "film_id": film_id})

    @post("/staff/packaging-jobs/{job_id:int}/cancel", sync_to_thread=True)
    def cancel(self, db: Session, job_id: int) -> Redirect:
        job = services.cancel_job(db, job_id)
        return Redirect(path=f"/staff/films/{job.film_id}/media", status_code=303)

    @post("/staff/packaging-jobs/{job_id:int}/requeue", sync_to_thread=True)
    def requeue(self, request: Request[Any, Any, Any], db: Session, job_id: int) -> Redirect:
        job = services.requeue_job(db, job_id)
        state = request.app.state
        runner_for(job_context(state.engine, Path(state.settings.data_dir))).enqueue(job_id)
        return Redirect(path=f"/staff/films/{job.film_id}/media", status_code=303)
