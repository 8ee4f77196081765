"""The job runner for the scale column: packaging jobs deferred to procrastinate, a queue living in PostgreSQL.

The app only defers ``{"job_id": n}``; a worker (``cinedoc media worker``, on any machine that reaches the
database, the storage and the master files) runs it with the same ``run_job`` as the embedded runner.
"""

from __future__ import annotations

import threading

import procrastinate

from streaming.media.config import StreamingSettings
from streaming.media.jobs import JobContext, run_job

QUEUE = "packaging"
TASK_NAME = "cinedoc.package_media"

_context: JobContext | None = None
_context_lock = threading.Lock()


def libpq_url(sqlalchemy_url: str) -> str:
    """procrastinate talks to libpq, which does not know SQLAlchemy's ``+driver`` suffix."""
    scheme, _, rest = sqlalchemy_url.partition("://")
    return f"postgresql://{rest}" if scheme.startswith("postgres") else sqlalchemy_url


def make_app(dsn: str) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=dsn))

    @app.task(name=TASK_NAME, queue=QUEUE)
    def package_media(job_id: int) -> str:
        if _context is None:
            raise RuntimeError("The packaging worker has no job context: call configure_worker() first.")
        return run_job(_context, job_id, runner="procrastinate")

    return app


def configure_worker(context: JobContext) -> None:
    """Give this process's tasks the database, storage and settings they run with."""
    global _context
    with _context_lock:
        _context = context


class ProcrastinateRunner:
    name = "procrastinate"

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.app = make_app(dsn)

    @classmethod
    def from_settings(cls, settings: StreamingSettings, database_url: str) -> ProcrastinateRunner:
        return cls(libpq_url(settings.procrastinate_dsn or database_url))

    def apply_schema(self) -> None:
        """Create procrastinate's own tables (once per database; `cinedoc media worker --init` runs it)."""
        with self.app.open():
            self.app.schema_manager.apply_schema()

    def enqueue(self, job_id: int) -> None:
        with self.app.open():
            self.app.tasks[TASK_NAME].defer(job_id=job_id)

    def work(self, *, until_empty: bool = False, concurrency: int = 1) -> None:
        """Run a worker in this process; with until_empty it returns once the queue has no job left."""
        self.app.run_worker(queues=[QUEUE], wait=not until_empty, concurrency=concurrency,
                            install_signal_handlers=not until_empty)
