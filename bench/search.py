"""Catalogue search over 30,000 films: p50/p95 through the HTTP API against the same queries sent straight to the
database in the same run, on SQLite and on PostgreSQL.

Run: .venv/bin/python -m bench.search [--films 30000] [--rounds 200] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx
from sqlalchemy import text
from sqlmodel import Session

from bench.live_app import serve_in_thread
from bench.measure import empty_database, percentile, timed_ms
from catalogue.films.bulk_load import load_films
from catalogue.films.demo import SUBJECTS, generate_films
from catalogue.films.search import parse_search_query, search_films
from catalogue.films.services import ensure_subjects, list_subjects
from cinedoc.app import create_app
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.schema_version import upgrade
from cinedoc.kernel.settings import Settings
from migrations.model_registry import import_all_models


def typical_queries(subject_ids: dict[str, int]) -> dict[str, dict[str, list[str]]]:
    """What patrons type and tick: one word, two words without accents, a word and a filter, filters only."""
    first = next(iter(subject_ids.values()))
    return {
        "one word": {"q": ["memoire"]},
        "two words": {"q": ["ecologie riviere"]},
        "prefix": {"q": ["cine"]},
        "word + decade": {"q": ["travail"], "decade": ["1990"]},
        "subject + SME": {"subject": [str(first)], "access": ["sme"]},
        "browse page 3": {"page": ["3"]},
    }


def build(url: str, films: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        ensure_subjects(session, SUBJECTS)
        load_films(session, generate_films(films, seed=30_000))
        session.commit()
    if engine.dialect.name == "postgresql":
        # What autovacuum does to a live catalogue after a bulk load: statistics and the visibility map.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def run_database(name: str, url: str, films: int, rounds: int) -> list[tuple[str, float, float, float, float]]:
    started = time.perf_counter()
    build(url, films)
    print(f"[{name}] loaded {films:,} films in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    settings = Settings(secret_key="benchmark-secret-key-0123456789", database_url=url)
    app = create_app(settings, engine=engine)
    with Session(engine) as session:
        subject_ids = {subject.label: subject.id for subject in list_subjects(session)}
    rows = []
    with serve_in_thread(app) as base, httpx.Client(base_url=base) as client:
        for label, params in typical_queries(subject_ids).items():
            query = parse_search_query(params)

            def direct(query: object = query) -> None:
                with Session(engine) as session:
                    search_films(session, query)  # type: ignore[arg-type]

            def through_api(params: dict[str, list[str]] = params) -> None:
                response = client.get("/api/films", params=params)
                assert response.status_code == 200, response.text

            db_samples = timed_ms(direct, rounds)
            api_samples = timed_ms(through_api, rounds)
            rows.append((label, statistics.median(api_samples), percentile(api_samples, 0.95),
                         statistics.median(db_samples), percentile(db_samples, 0.95)))
    engine.dispose()
    return rows


def report(name: str, rows: list[tuple[str, float, float, float, float]]) -> None:
    print(f"\n[{name}] latency in ms (API = HTTP /api/films; DB = the same search straight on the database)")
    print(f"{'query':<16}{'API p50':>9}{'API p95':>9}{'DB p50':>9}{'DB p95':>9}{'ratio p50':>11}{'overhead':>10}")
    for label, api50, api95, db50, db95 in rows:
        print(f"{label:<16}{api50:>9.2f}{api95:>9.2f}{db50:>9.2f}{db95:>9.2f}"
              f"{api50 / db50:>10.2f}x{api50 - db50:>9.2f}")
    worst95 = max(row[2] for row in rows)
    overhead = statistics.median(row[1] - row[3] for row in rows)
    print(f"[{name}] worst API p95 {worst95:.2f} ms (target < 10); median API overhead at p50 {overhead:.2f} ms "
          f"(target < 2); API/DB ratio at p50 {statistics.median(row[1] / row[3] for row in rows):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--films", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    import_all_models()
    for name in args.databases.split(","):
        with empty_database(name, "bench_search") as url:
            report(name, run_database(name, url, args.films, args.rounds))


if __name__ == "__main__":
    main()
