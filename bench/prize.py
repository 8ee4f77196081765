"""Audience prize benchmarks, each against a baseline measured in the same run on the same database (SQLite and
PostgreSQL).

(1) Public votes over HTTP: POST /api/prize/editions/{id}/votes, each vote a distinct patron (grants prepared in
    advance with streaming.playback.sessions.issue_grant for pseudonyms from the key ring, as the ballot page would hold
    them), against a bare Litestar JSON endpoint taking the same body on the same server: throughput ratio (target
    at least 1/3) and p50/p99, at 32 concurrent clients in four other processes. The public round concentrates its
    votes at its opening and its close: this is that burst.
(2) Counting the public round over --ballots stored ballots (1,000,000 by default; 6 shortlisted films, 111
    institutions): prize.count.count_round (ballots and distinct institutions per film, ballots per institution,
    the ranking) against the bare SELECT film_id, count(*) ... GROUP BY film_id; best of 3 each (target: the count
    under one second).

Run: .venv/bin/python -m bench.prize [--seconds 4] [--clients 32] [--ballots 1000000] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from litestar import post
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from audience.prize.ballots import cast_librarian_ballot
from audience.prize.count import count_round, settle, shortlist
from audience.prize.editions import create_edition, get_edition
from audience.prize.models import PrizeRound, PublicBallot
from audience.prize.schemas import EditionTerms
from bench.live_app import serve_in_thread
from bench.measure import client_shares, empty_database, in_client_processes
from cinedoc.app import create_app
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.schema_version import upgrade
from cinedoc.kernel.settings import Settings
from migrations.model_registry import import_all_models
from streaming.playback.sessions import PatronIdentity, issue_grant
from streaming.runtime import runtime_for

SECRET = "benchmark-secret-key-0123456789"
NOMINEES, SHORTLIST, INSTITUTIONS = 8, 6, 111
PROCESSES = 4
# Grants prepared per timed run: enough for this many votes per second over the run and its warm-up.
MAX_VOTES_PER_SECOND = 2_500


@post("/bench/bare", sync_to_thread=True, exclude_from_csrf=True, status_code=200, include_in_schema=False)
def bare_json(data: dict[str, Any]) -> dict[str, Any]:
    """The baseline of (1): a JSON body in, a JSON object out, nothing else."""
    return {"film_id": data.get("film_id"), "ok": True}


# --- an edition in its public round, its shortlist counted ----------------------------------------------------------

def prepare_edition(engine: Engine, institution_count: int) -> tuple[int, list[int], list[int]]:
    """Institutions, licensed films, an edition whose public round includes today and whose librarians' round (closed
    last month) shortlisted SHORTLIST films; returns the edition, the shortlist and the institutions."""
    from tests.playback_helpers import make_institution, make_playable_film

    today = clock.paris_today()
    with Session(engine) as session:
        institutions = [make_institution(session, f"Bibliothèque {n}").institution_id for n in range(institution_count)]
        films = [make_playable_film(session, None, f"Documentaire {n}", duration=90 * 60) for n in range(NOMINEES)]
        librarian = StaffUser(email="bibliothecaire@bench.example", display_name="Bibliothécaire", password_hash="x",
                              role=Role.LIBRARIAN, institution_id=institutions[0])
        session.add(librarian)
        session.flush()
        librarians_day = today - timedelta(days=40)
        edition = create_edition(session, EditionTerms(
            year=today.year, title=f"Prix du public {today.year}", award_cents=100_000, nominees=films,
            pick_count=SHORTLIST, shortlist_size=SHORTLIST,
            nominations_start=today - timedelta(days=90), nominations_end=today - timedelta(days=61),
            librarians_start=today - timedelta(days=60), librarians_end=today - timedelta(days=31),
            preparation_start=today - timedelta(days=30), preparation_end=today - timedelta(days=1),
            public_start=today, public_end=today + timedelta(days=30), result_date=today + timedelta(days=35)))
        assert edition.id is not None
        edition_id = edition.id
        cast_librarian_ballot(session, edition_id, librarian, films[:SHORTLIST], day=librarians_day)
        settle(session, edition_id, today)
        shortlisted = shortlist(session, edition_id)
        session.commit()
    assert len(shortlisted) == SHORTLIST
    return edition_id, shortlisted, institutions


def prepare_grants(app: Any, institutions: list[int], count: int, first: int) -> list[str]:
    """Grants for `count` distinct patrons, as identify_patron would issue them after the library's assertion."""
    runtime = runtime_for(app.state)
    with Session(runtime.engine) as session:
        grants = []
        for n in range(first, first + count):
            institution_id = institutions[n % len(institutions)]
            viewer = runtime.ring.patron_pseudonym(institution_id, f"patron-{n}")
            grants.append(issue_grant(runtime, session, PatronIdentity(institution_id, viewer, "assertion")))
        session.commit()
    return grants


# --- the clients (other processes) ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    kind: str  # "vote" or "bare"
    base: str
    edition_id: int
    films: list[int]
    grants: list[str]  # this process's own: each vote is a patron who has not voted yet


async def _drive(job: Job, clients: int, seconds: float, warm_up: float, start_at: float) -> dict[str, Any]:
    """Requests from `start_at - warm_up` (wall clock, shared by every client process) to `start_at + seconds`;
    only those made between `start_at` and the end count."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    path = f"/api/prize/editions/{job.edition_id}/votes" if job.kind == "vote" else "/bench/bare"
    latencies: list[float] = []
    failures: list[str] = []
    grants = iter(job.grants)
    exhausted = False
    async with httpx.AsyncClient(base_url=job.base, limits=limits, timeout=60) as client:
        await asyncio.sleep(max(0.0, start_at - warm_up - time.time()))
        stop = start_at + seconds

        async def worker(offset: int) -> None:
            nonlocal exhausted
            counter = offset
            while time.time() < stop:
                grant = next(grants, None)
                if grant is None:
                    exhausted = True
                    return
                counter += 1
                body = {"grant": grant, "film_id": job.films[counter % len(job.films)]}
                begin = time.time()
                response = await client.post(path, json=body)
                end = time.time()
                if response.status_code != 200 or (job.kind == "vote" and response.json()["outcome"] != "cast"):
                    failures.append(f"{response.status_code} {response.text[:200]}")
                if begin >= start_at and end <= stop:
                    latencies.append((end - begin) * 1000)

        await asyncio.gather(*(worker(n) for n in range(clients)))
    return {"latencies": latencies, "failures": failures[:3], "failed": len(failures), "exhausted": exhausted}


def _client_process(job: Job, clients: int, seconds: float, warm_up: float, start_at: float, queue: Any) -> None:
    queue.put(asyncio.run(_drive(job, clients, seconds, warm_up, start_at)))


def drive(kind: str, base: str, edition_id: int, films: list[int], grants: list[str], clients: int, seconds: float,
          warm_up: float = 1.0) -> dict[str, Any]:
    jobs = [(Job(kind, base, edition_id, films, grants[n::PROCESSES]), share, seconds, warm_up)
            for n, share in enumerate(client_shares(clients, PROCESSES)) if share]
    measured = in_client_processes(_client_process, jobs, seconds, warm_up)
    return {**measured, "exhausted": any(result["exhausted"] for result in measured["results"])}


def votes_versus_bare(url: str, clients: int, seconds: float) -> dict[str, dict[str, Any]]:
    upgrade(url)
    engine = make_engine(url)
    edition_id, films, institutions = prepare_edition(engine, 20)
    per_run = int(MAX_VOTES_PER_SECOND * (seconds + 1.0))
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(secret_key=SECRET, data_dir=Path(folder)), engine=engine)
        app.register(bare_json)
        made = time.perf_counter()
        grants = prepare_grants(app, institutions, per_run * 3, 0)
        print(f"  {len(grants):,} grants prepared in {time.perf_counter() - made:.1f} s")
        with serve_in_thread(app) as base:
            # Interleaved three times, so that a drift of the machine (shared, two cores) does not favour one side;
            # the bare endpoint gets the same bodies (it ignores the grant).
            for run in range(3):
                for kind in ("bare", "vote"):
                    share = grants[run * per_run:(run + 1) * per_run]
                    result = drive(kind, base, edition_id, films, share, clients, seconds)
                    assert result["failed"] == 0, (kind, result["failures"])
                    assert not result["exhausted"], "too few grants prepared: raise MAX_VOTES_PER_SECOND"
                    results.setdefault(kind, []).append(result)
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(PublicBallot))
    engine.dispose()
    best = {kind: max(runs, key=lambda r: r["rps"]) for kind, runs in results.items()}
    best["vote"]["stored"] = stored
    return best


# --- (2) the count --------------------------------------------------------------------------------------------------

def load_ballots(engine: Engine, edition_id: int, films: list[int], institutions: list[int], count: int) -> None:
    """`count` ballots, one per (institution, patron), spread unevenly over the films; COPY on PostgreSQL,
    executemany in chunks on SQLite."""
    weights = [6, 5, 4, 3, 2, 1]
    cycle = [film for film, weight in zip(films, weights, strict=True) for _ in range(weight)]
    cast = datetime.now(UTC) - timedelta(hours=1)
    day = clock.paris_today()

    def rows(start: int, stop: int) -> list[tuple[Any, ...]]:
        return [(edition_id, institutions[n % len(institutions)], f"{n:032x}", cycle[(n * 7 + n // 97) % len(cycle)],
                 cast, day, cast) for n in range(start, stop)]

    columns = ("edition_id", "institution_id", "voter", "film_id", "cast_at", "cast_day", "updated_at")
    chunk = 100_000
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            statement = f"COPY public_ballot ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[attr-defined]
                for start in range(0, count, chunk):
                    for row in rows(start, min(count, start + chunk)):
                        copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        with engine.begin() as connection:
            connection.execute(text("ANALYZE public_ballot"))
        return
    table = PublicBallot.__table__  # type: ignore[attr-defined]
    for start in range(0, count, chunk):
        with engine.begin() as connection:
            connection.execute(table.insert(), [dict(zip(columns, row, strict=True))
                                                for row in rows(start, min(count, start + chunk))])


def best_of(call: Any, rounds: int = 3) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return min(timings)


def count_versus_bare(url: str, ballots: int) -> dict[str, float]:
    upgrade(url)
    engine = make_engine(url)
    edition_id, films, institutions = prepare_edition(engine, INSTITUTIONS)
    loaded = time.perf_counter()
    load_ballots(engine, edition_id, films, institutions, ballots)
    print(f"  loaded {ballots:,} ballots in {time.perf_counter() - loaded:.0f} s")

    def count() -> None:
        with Session(engine) as session:
            counted = count_round(session, get_edition(session, edition_id), PrizeRound.PUBLIC, "benchseed")
            assert sum(counted.participation.values()) == ballots

    def bare() -> None:
        with engine.connect() as connection:
            connection.execute(select(PublicBallot.film_id, func.count()).where(  # type: ignore[call-overload]
                PublicBallot.edition_id == edition_id).group_by(PublicBallot.film_id)).all()

    bare()  # one warm-up each: the first read brings the table into the page cache
    count()
    figures = {"bare": best_of(bare), "count": best_of(count)}
    engine.dispose()
    return figures


def run(kind: str, clients: int, seconds: float, ballots: int) -> None:
    print(f"{kind}:")
    with empty_database(kind, "bench_prize_votes") as url:
        best = votes_versus_bare(url, clients, seconds)
    bare, vote = best["bare"], best["vote"]
    print(f"  (1) public votes over HTTP, {clients} concurrent clients, {seconds:.0f} s per run (best of 3), "
          f"{vote['stored']:,} ballots stored")
    print(f"    bare JSON endpoint: {bare['rps']:>8,.0f} req/s    p50 {bare['p50']:6.2f} ms  p99 {bare['p99']:6.2f} ms")
    print(f"    public votes:       {vote['rps']:>8,.0f} votes/s  p50 {vote['p50']:6.2f} ms  p99 {vote['p99']:6.2f} ms")
    print(f"    ratio {vote['rps'] / bare['rps']:.2f} (target >= 0.33)")
    with empty_database(kind, "bench_prize_count") as url:
        figures = count_versus_bare(url, ballots)
    print(f"  (2) the public round's count over {ballots:,} ballots (best of 3): count_round "
          f"{figures['count']:.3f} s; bare GROUP BY film_id {figures['bare']:.3f} s; ratio "
          f"{figures['count'] / figures['bare']:.2f} (target: the count under 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    import_all_models()
    for kind in args.databases.split(","):
        run(kind.strip(), args.clients, args.seconds, args.ballots)


if __name__ == "__main__":
    main()
