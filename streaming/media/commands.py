"""The `cinedoc media` commands: package a master with a progress bar, list, cancel and re-queue jobs, run a worker."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from sqlmodel import Session, col, select

from cinedoc.kernel.settings import get_settings


def _engine():  # noqa: ANN202 - an Engine; imported lazily so that `cinedoc --help` stays fast
    from cinedoc.kernel.database import make_throwaway_engine
    from cinedoc.kernel.schema_version import SchemaBehindError, ensure_schema_current

    engine = make_throwaway_engine(get_settings().effective_database_url)
    try:
        ensure_schema_current(engine)
    except SchemaBehindError as error:
        raise click.ClickException(str(error)) from error
    return engine


def _subtitles(values: tuple[str, ...]) -> dict[str, str]:
    subtitles = {}
    for value in values:
        language, sep, path = value.partition("=")
        if not sep or not language or not path:
            raise click.BadParameter(f"{value!r}: expected LANG=FILE, e.g. en=film.en.srt", param_hint="--subtitles")
        subtitles[language] = path
    return subtitles


@click.group()
def media() -> None:
    """Media packaging: masters to HLS ladders, published to the media storage."""


@media.command("package")
@click.argument("film_id", type=int)
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--captions", type=click.Path(dir_okay=False, path_type=Path), help="SME captions (SRT or WebVTT).")
@click.option("--audio-description", type=click.Path(dir_okay=False, path_type=Path),
              help="Audio-description mix (any audio file ffmpeg reads).")
@click.option("--subtitles", multiple=True, metavar="LANG=FILE", help="Translation subtitles; repeatable.")
@click.option("--chapters", type=click.Path(dir_okay=False, path_type=Path),
              help="Chapter track (WebVTT, one cue per chapter, its text the title).")
@click.option("--sign-language", type=click.Path(dir_okay=False, path_type=Path),
              help="French Sign Language video of the film's length (shown in a window of the player).")
@click.option("--timeout", type=click.IntRange(10, 48 * 3600), help="Seconds before the job is stopped.")
@click.option("--queue", "queue_only", is_flag=True, help="Queue the job for a worker instead of running it here.")
@click.option("--presentation", is_flag=True,
              help="MASTER is the film's short presentation video (public), not the film: the film's media is kept.")
def package(film_id: int, master: Path, captions: Path | None, audio_description: Path | None,
            subtitles: tuple[str, ...], chapters: Path | None, sign_language: Path | None, timeout: int | None,
            queue_only: bool, presentation: bool) -> None:
    """Package MASTER for film FILM_ID and publish it (the film's current media keeps playing until then)."""
    from cinedoc.kernel.errors import DomainError
    from streaming.media import services
    from streaming.media.jobs import job_context, run_job, runner_for
    from streaming.media.models import PackagingJob
    from streaming.media.schemas import PackagingJobCreate

    engine = _engine()
    context = job_context(engine, get_settings().data_dir)
    data = PackagingJobCreate(master_path=str(master), captions_path=str(captions) if captions else None,
                              audio_description_path=str(audio_description) if audio_description else None,
                              chapters_path=str(chapters) if chapters else None,
                              sign_language_path=str(sign_language) if sign_language else None,
                              subtitles=_subtitles(subtitles), purpose="presentation" if presentation else "film")
    runner_name = context.settings.job_runner if queue_only else "in_process"
    try:
        with Session(engine) as session:
            job = services.start_packaging(session, film_id, data, runner=runner_name,
                                           timeout_seconds=timeout or context.settings.packaging_timeout_seconds)
            job_id = job.id
            session.commit()
    except DomainError as error:
        raise click.ClickException(error.localized()) from error
    assert job_id is not None
    if queue_only:
        runner_for(context).enqueue(job_id)
        click.echo(f"Queued packaging job {job_id}.")
        return
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, transient=False) as progress:
        what = f"Film {film_id} presentation" if presentation else f"Film {film_id}"
        task = progress.add_task(f"{what}: probe", total=1000)

        def show(fraction: float, stage: str) -> None:
            progress.update(task, completed=int(fraction * 1000), description=f"{what}: {stage or 'encode'}")

        status = run_job(context, job_id, on_progress=show)
    with Session(engine) as session:
        job = session.get(PackagingJob, job_id)
        assert job is not None
        public = services.job_public(job)
        media = services.film_media(session, film_id) if status == "succeeded" else None
        session.commit()
    for warning in public.warnings:
        click.echo(f"warning: {warning}", err=True)
    if status != "succeeded":
        raise click.ClickException(f"Packaging job {job_id} {status}: {public.error}")
    if presentation:
        version = media.presentation.version if media and media.presentation else "?"
        click.echo(f"Packaging job {job_id} succeeded: film {film_id}'s presentation video is version {version}, "
                   f"public at /media/presentations/{film_id}/master.m3u8.")
        return
    published = media.published if media else None
    version = published.version if published else "?"
    tracks = [name for present, name in (
        (published and published.has_captions, "SME captions"),
        (published and published.has_audio_description, "audio description"),
        (published and published.has_chapters, "chapters"),
        (published and published.has_sign_language, "French Sign Language video")) if present]
    carries = f" with {', '.join(tracks)}" if tracks else ""
    click.echo(f"Packaging job {job_id} succeeded: film {film_id} now plays version {version}{carries}.")


@media.command("jobs")
@click.option("--film", "film_id", type=int, help="Only this film's jobs.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def list_jobs(film_id: int | None, limit: int) -> None:
    """List the latest packaging jobs."""
    from streaming.media.models import PackagingJob
    from streaming.media.services import job_public

    with Session(_engine()) as session:
        query = select(PackagingJob).order_by(col(PackagingJob.id).desc()).limit(limit)
        if film_id is not None:
            query = query.where(PackagingJob.film_id == film_id)
        for job in session.exec(query).all():
            public = job_public(job)
            click.echo(f"{public.id:>6}  film {public.film_id:<6} {public.status:<10} {public.percent:>3} %  "
                       f"{public.error or ''}")


@media.command("cancel")
@click.argument("job_id", type=int)
def cancel(job_id: int) -> None:
    """Cancel a queued or running job (a running ffmpeg is stopped within a second or two)."""
    from cinedoc.kernel.errors import DomainError
    from streaming.media.services import cancel_job

    engine = _engine()
    try:
        with Session(engine) as session:
            cancel_job(session, job_id)
            session.commit()
    except DomainError as error:
        raise click.ClickException(error.localized()) from error
    click.echo(f"Cancellation of job {job_id} requested.")


@media.command("requeue")
@click.argument("job_id", type=int)
def requeue(job_id: int) -> None:
    """Queue a failed or cancelled job again (a worker or the app's in-process runner picks it up)."""
    from cinedoc.kernel.errors import DomainError
    from streaming.media.jobs import job_context, runner_for
    from streaming.media.services import requeue_job

    engine = _engine()
    try:
        with Session(engine) as session:
            requeue_job(session, job_id)
            session.commit()
    except DomainError as error:
        raise click.ClickException(error.localized()) from error
    context = job_context(engine, get_settings().data_dir)
    if context.settings.job_runner == "procrastinate":
        runner_for(context).enqueue(job_id)
    click.echo(f"Job {job_id} queued again.")


@media.command("worker")
@click.option("--until-empty", is_flag=True, help="Stop once no job is waiting.")
@click.option("--init", "init_schema", is_flag=True, help="Create procrastinate's tables first.")
def worker(until_empty: bool, init_schema: bool) -> None:
    """Run packaging jobs: a procrastinate worker when CINEDOC_JOB_RUNNER=procrastinate, else a local loop."""
    from streaming.media.jobs import InProcessRunner, job_context

    engine = _engine()
    context = job_context(engine, get_settings().data_dir)
    if context.settings.job_runner == "procrastinate":
        from streaming.media.procrastinate_runner import ProcrastinateRunner, configure_worker

        runner = ProcrastinateRunner.from_settings(context.settings, str(engine.url.render_as_string(False)))
        if init_schema:
            runner.apply_schema()
        configure_worker(context)
        runner.work(until_empty=until_empty)
        return
    local = InProcessRunner(context)
    if until_empty:
        click.echo(f"Ran {local.run_pending()} job(s).")
        return
    local.start()
    click.echo("Packaging worker running; Ctrl-C to stop.")
    try:
        while True:
            local.enqueue(0)
            import time

            time.sleep(5)
    except KeyboardInterrupt:
        local.stop()
