"""The access check ("may this film be played here today?") on the hot path of every playback, against a bare
primary-key lookup of the film in the same run, with 30,000 films and 60,000 licences, on SQLite and PostgreSQL.

The baselines are the barest lookup (one row by primary key through SQLAlchemy Core, statement compiled once) and
loading the Film entity (ORM session.get). All three run on the same session, in turn and in a rotating order, for
the same random film on offer; the check answers through one indexed query when the answer is yes (the common case),
a second one only to explain a no (timed separately on drafts and weeded films). PostgreSQL is ANALYZEd after the
bulk load, as a live database would be.

Run: .venv/bin/python -m bench.access_check [--films 30000] [--rounds 5000] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import Integer, bindparam, func
from sqlmodel import Session, col, select

from bench.measure import empty_database, percentile
from catalogue.acquisitions.demo import add_demo_rights
from catalogue.films.bulk_load import load_films
from catalogue.films.demo import SUBJECTS, generate_films
from catalogue.films.models import Film, FilmStatus
from catalogue.films.services import ensure_subjects
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.schema_version import upgrade
from migrations.model_registry import import_all_models
from rights.access import may_use
from rights.models import Licence

TODAY = date(2024, 10, 15)
TARGET_RATIO = 2.0


def statuses_for(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [FilmStatus.WEEDED.value if roll < 0.02 else FilmStatus.DRAFT.value if roll < 0.05
            else FilmStatus.AVAILABLE.value for roll in (rng.random() for _ in range(count))]


def build(url: str, films: int) -> tuple[list[int], list[int]]:
    """Loads the catalogue and two licences per film; returns the ids of films on offer and of the others."""
    upgrade(url)
    engine = make_engine(url)
    statuses = statuses_for(films, 7)
    with Session(engine) as session:
        ensure_subjects(session, SUBJECTS)
        film_ids = load_films(session, generate_films(films, seed=30_000), statuses)
        add_demo_rights(session, film_ids, statuses, today=TODAY, licences_per_film=2, run_daily_job=False)
        session.commit()
        # A live database has planner statistics; a freshly bulk-loaded one has none until autovacuum comes by.
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        licences = session.exec(select(func.count()).select_from(Licence)).one()
        print(f"  {len(film_ids):,} films, {licences:,} licences")
    engine.dispose()
    available = [film_id for film_id, status in zip(film_ids, statuses, strict=True)
                 if status == FilmStatus.AVAILABLE]
    others = [film_id for film_id, status in zip(film_ids, statuses, strict=True) if status != FilmStatus.AVAILABLE]
    return available, others


def paired(session: Session, film_ids: list[int], rounds: int,
           calls: dict[str, Callable[[int], object]]) -> dict[str, list[float]]:
    """Times each call on the same film, in turn and in a rotating order, so that drift, caches and who goes first
    affect them alike (microseconds)."""
    rng = random.Random(11)
    samples: dict[str, list[float]] = {name: [] for name in calls}
    order = list(calls.items())
    for index in range(rounds + 200):
        film_id = film_ids[rng.randrange(len(film_ids))]
        for name, call in order[index % len(order):] + order[:index % len(order)]:
            session.expunge_all()  # no identity-map shortcut: every lookup goes to the database
            start = time.perf_counter()
            call(film_id)
            elapsed = (time.perf_counter() - start) * 1e6
            if index >= 200:  # warm-up
                samples[name].append(elapsed)
    return samples


def run_database(name: str, url: str, films: int, rounds: int) -> None:
    started = time.perf_counter()
    print(f"[{name}] loading")
    available, others = build(url, films)
    print(f"[{name}] loaded in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    with Session(engine) as session:
        # The barest lookup: one row by primary key through the same connection, statement compiled once.
        film_by_pk = select(Film.id, Film.status).where(col(Film.id) == bindparam("film_id", type_=Integer))

        def pk_row(film_id: int) -> object:
            row = session.connection().execute(film_by_pk, {"film_id": film_id}).first()
            assert row is not None
            return row

        calls: dict[str, Callable[[int], object]] = {
            "film row by primary key (Core)": pk_row,
            "film by primary key (ORM)": lambda film_id: session.get(Film, film_id),
            "access check": lambda film_id: may_use(session, film_id, "streaming", "FR", TODAY),
        }
        on_offer = paired(session, available, rounds, calls)
        assert all(may_use(session, film_id, "streaming", "FR", TODAY) for film_id in available[:200])
        refused = paired(session, others, max(rounds // 5, 200), {
            "access check, refused (says why)": lambda film_id: may_use(session, film_id, "streaming", "FR", TODAY)})
    engine.dispose()

    results = {**on_offer, **refused}
    print(f"\n[{name}] latency in microseconds over {rounds:,} calls on random films")
    print(f"{'call':<36}{'p50':>9}{'p95':>9}")
    for label, values in results.items():
        print(f"{label:<36}{statistics.median(values):>9.0f}{percentile(values, 0.95):>9.0f}")
    check, bare, entity = (on_offer[label] for label in (
        "access check", "film row by primary key (Core)", "film by primary key (ORM)"))
    ratio = statistics.median(check) / statistics.median(bare)
    verdict = "meets" if ratio < TARGET_RATIO else "MISSES"
    print(f"[{name}] access check / bare primary-key lookup of the film (Core row) at p50: {ratio:.2f} ({verdict} "
          f"the target < {TARGET_RATIO:g}); at p95: {percentile(check, 0.95) / percentile(bare, 0.95):.2f}; "
          f"against loading the Film entity (ORM session.get) at p50: "
          f"{statistics.median(check) / statistics.median(entity):.2f}")

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--films", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=5_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    import_all_models()
    for name in args.databases.split(","):
        with empty_database(name, "bench_access") as url:
            run_database(name, url, args.films, args.rounds)


if __name__ == "__main__":
    main()
