"""What every benchmark needs: percentiles, timed repetitions, and a fresh database of each kind."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.postgres_server import PostgresServer


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed_ms(call: Callable[[], object], rounds: int, warm_up: int = 5) -> list[float]:
    """Milliseconds per call, after a few calls that warm caches and connections."""
    for _ in range(warm_up):
        call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@contextmanager
def empty_database(kind: str, name: str) -> Iterator[str]:
    """The URL of a new, empty database: a temporary SQLite file, or a database on a throwaway PostgreSQL
    (or on the server CINEDOC_TEST_DATABASE_URL names)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / f'{name}.sqlite3'}"
    elif kind == "postgresql":
        with PostgresServer.from_env() as server:
            yield server.create_database(name)
    else:
        raise ValueError(f"unknown database kind {kind!r} (sqlite or postgresql)")
