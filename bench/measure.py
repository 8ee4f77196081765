"""What every benchmark needs: percentiles, timed repetitions, and a fresh database of each kind."""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def client_shares(clients: int, processes: int) -> list[int]:
    """How many concurrent clients each client process runs (the first ones take the remainder)."""
    return [clients // processes + (1 if n < clients % processes else 0) for n in range(processes)]


def in_client_processes(target: Callable[..., None], jobs: Sequence[tuple[Any, ...]], seconds: float,
                        warm_up: float) -> dict[str, Any]:
    """Run `target(*job, start_at, queue)` in one spawned process per job, all starting at the same moment, and
    gather what they put on the queue: latencies (ms), failures, requests per second, p50 and p99. One process per
    few clients: one httpx pool with 32 connections spends more time managing its pool than the server answering."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + warm_up + 5  # the client processes import the app's modules first
    workers = [context.Process(target=target, args=(*job, start_at, queue)) for job in jobs]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=seconds + warm_up + 180) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    samples = [sample for result in results for sample in result["latencies"]]
    return {"latencies": samples, "failed": sum(r["failed"] for r in results),
            "failures": [f for r in results for f in r["failures"]][:3], "rps": len(samples) / seconds,
            "p50": statistics.median(samples) if samples else float("nan"),
            "p99": percentile(samples, 0.99) if samples else float("nan"), "results": results}
