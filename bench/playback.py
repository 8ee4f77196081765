"""Playback benchmarks, each against a baseline measured on the same server in the same run, on SQLite and PostgreSQL.

(1) Opening a playback session over HTTP (assertion check with its nonce written, rate-limit count, entitlement with
    the rights question, the session row, the month's count, the signed URL) against a bare Litestar JSON endpoint
    taking the same body: throughput ratio (target >= 0.5) and p99 (target < 25 ms) at 32 concurrent clients.
(2) Segments through the gateway (token checked on every request) against the same app serving the same files with
    the same code minus the token check: throughput ratio (target >= 0.8).
(3) Token checks per second in process (parse, HMAC-SHA256, constant-time compare, expiry) against the bare stdlib
    HMAC of the same message (target: within a factor of 2).

The server runs in this process (uvicorn in a thread, one event loop, handlers in its thread pool); the 32 clients
run in another process (httpx.AsyncClient), so that the client's own work does not share the server's interpreter.

Run: .venv/bin/python -m bench.playback [--seconds 4] [--clients 32] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from litestar import Request, get, post
from litestar.response import Response
from sqlmodel import Session

from bench.live_app import serve_in_thread
from bench.measure import client_shares, empty_database, in_client_processes
from cinedoc.app import create_app
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.schema_version import upgrade
from cinedoc.kernel.settings import Settings
from migrations.model_registry import import_all_models
from streaming.access.assertions import sign_assertion
from streaming.access.config import AccessSettings
from streaming.media.storage import LocalStorage
from streaming.playback.gateway import authorise, serve_stored
from streaming.playback.signing import KeyRing, check_media_token, media_message, sign_media_token
from streaming.runtime import runtime_for

SECRET = "benchmark-secret-key-0123456789"
FILMS = 20
SEGMENT_BYTES = 256 * 1024  # a 6 s segment at about 350 kb/s


@post("/bench/bare", sync_to_thread=True, exclude_from_csrf=True, include_in_schema=False)
def bare_json(data: dict[str, Any]) -> dict[str, Any]:
    """The baseline of (1): a JSON body in, a JSON object out, nothing else."""
    return {"film_id": data.get("film_id"), "ok": True}


@get("/bench/files/{prefix_index:int}/{path:path}", sync_to_thread=True, include_in_schema=False)
def plain_files(request: Request[Any, Any, Any], prefix_index: int, path: str) -> Response[Any]:
    """The baseline of (2): the gateway's own file serving, without the token check."""
    runtime = runtime_for(request.app.state)
    return serve_stored(runtime, f"films/{prefix_index}/0001-bench", path.lstrip("/"), request.headers.get("range"))


@dataclass(frozen=True)
class Fixture:
    institution_id: int
    kid: str
    secret: str
    film_ids: list[int]
    segment_urls: list[str]


def build(url: str, media_root: Path) -> tuple[Any, Fixture]:
    from tests.playback_helpers import make_institution, make_playable_film

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        key = make_institution(session, "Médiathèque du banc d'essai")
        film_ids = [make_playable_film(session, media_root, f"Film {n}", duration=90 * 60) for n in range(FILMS)]
    segment = bytes(range(256)) * (SEGMENT_BYTES // 256)
    for film_id in film_ids:
        (media_root / f"films/{film_id}/0001-test/v180/seg_00000.m4s").write_bytes(segment)
        # The baseline route reads the same bytes under a prefix it can name without a token.
        plain = media_root / f"films/{film_id}/0001-bench/v180"
        plain.mkdir(parents=True, exist_ok=True)
        (plain / "seg_00000.m4s").write_bytes(segment)
    return engine, Fixture(key.institution_id, key.kid, key.secret, film_ids, [])


def make_app(engine: Any, media_root: Path, data_dir: Path) -> Any:
    app = create_app(Settings(secret_key=SECRET, data_dir=data_dir), engine=engine)
    app.register(bare_json)
    app.register(plain_files)
    app.state["access_settings"] = AccessSettings(session_openings_per_minute=1000)
    runtime_for(app.state).storage = LocalStorage(media_root)
    return app


# --- the clients (another process) ----------------------------------------------------------------------------------

def _request(kind: str, fixture: Fixture, counter: int) -> tuple[str, str, dict[str, Any] | None]:
    film_id = fixture.film_ids[counter % len(fixture.film_ids)]
    if kind in ("open", "bare"):
        now = int(time.time())
        assertion = sign_assertion(fixture.secret, fixture.kid, {
            "iss": str(fixture.institution_id), "sub": f"patron-{uuid.uuid4().hex[:12]}", "iat": now,
            "exp": now + 300, "jti": uuid.uuid4().hex})
        path = "/api/playback/sessions" if kind == "open" else "/bench/bare"
        return "POST", path, {"film_id": film_id, "assertion": assertion}
    if kind == "gateway":
        return "GET", fixture.segment_urls[counter % len(fixture.segment_urls)], None
    return "GET", f"/bench/files/{film_id}/v180/seg_00000.m4s", None


async def _drive(kind: str, base: str, fixture: Fixture, clients: int, seconds: float, warm_up: float,
                 start_at: float) -> dict[str, Any]:
    """Requests from `start_at - warm_up` (wall clock, shared by every client process) to `start_at + seconds`;
    only those made between `start_at` and the end count."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    failures: list[str] = []
    counter = 0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await asyncio.sleep(max(0.0, start_at - warm_up - time.time()))
        stop = start_at + seconds

        async def worker() -> None:
            nonlocal counter
            while time.time() < stop:
                counter += 1
                method, path, body = _request(kind, fixture, counter)
                begin = time.time()
                response = await client.request(method, path, json=body)
                end = time.time()
                if response.status_code not in (200, 201):
                    failures.append(f"{response.status_code} {response.text[:200]}")
                if begin >= start_at and end <= stop:
                    latencies.append((end - begin) * 1000)

        await asyncio.gather(*(worker() for _ in range(clients)))
    return {"latencies": latencies, "failures": failures[:3], "failed": len(failures)}


def _client_process(kind: str, base: str, fixture: Fixture, clients: int, seconds: float, warm_up: float,
                    start_at: float, queue: Any) -> None:
    queue.put(asyncio.run(_drive(kind, base, fixture, clients, seconds, warm_up, start_at)))


def drive(kind: str, base: str, fixture: Fixture, clients: int, seconds: float, warm_up: float = 1.0,
          processes: int = 4) -> dict[str, Any]:
    """`clients` concurrent clients spread over a few processes."""
    jobs = [(kind, base, fixture, share, seconds, warm_up) for share in client_shares(clients, processes) if share]
    return in_client_processes(_client_process, jobs, seconds, warm_up)


# --- (3) in process -------------------------------------------------------------------------------------------------

def per_second(call: Any, seconds: float = 1.0) -> float:
    count, started = 0, time.perf_counter()
    while True:
        for _ in range(1000):
            call()
        count += 1000
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return count / elapsed


def token_checks() -> None:
    ring = KeyRing(SECRET)
    expires = int(time.time()) + 3600
    token = sign_media_token(ring, "kbench001", 1234, expires, 7, "S" * 22).text
    message = media_message("kbench001", 1234, expires, 7, "S" * 22).encode()
    key = ring.key("media", "kbench001")
    now = time.time()
    bare = per_second(lambda: hmac.digest(key, message, "sha256"))
    checked = per_second(lambda: check_media_token(ring, token, 1234, now, 120))
    print("\n(3) token checks per second, in process, one core")
    print(f"    bare stdlib hmac.digest(key, message, 'sha256'): {bare:>12,.0f} /s")
    print(f"    check_media_token (parse, HMAC, compare, expiry):  {checked:>12,.0f} /s")
    print(f"    ratio {checked / bare:.2f} (target >= 0.5: within a factor of 2)")


def gateway_check_in_process(app: Any, fixture: Fixture) -> None:
    """The whole authorisation the gateway runs per request, with its short cache warm (informational)."""
    runtime = runtime_for(app.state)
    path = fixture.segment_urls[0].split("/media/t/")[1]
    token_text, film = path.split("/")[0], path.split("/")[1]
    assert authorise(runtime, token_text, film) is not None
    rate = per_second(lambda: authorise(runtime, token_text, film))
    print(f"    gateway authorise() with its cache warm:          {rate:>12,.0f} /s")


# --- one database ---------------------------------------------------------------------------------------------------

def run_database(name: str, url: str, clients: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        media_root = Path(folder) / "media"
        media_root.mkdir()
        engine, fixture = build(url, media_root)
        app = make_app(engine, media_root, Path(folder) / "data")
        with serve_in_thread(app) as base:
            urls = []
            with httpx.Client(base_url=base) as client:
                for n, film_id in enumerate(fixture.film_ids * 2):
                    now = int(time.time())
                    assertion = sign_assertion(fixture.secret, fixture.kid, {
                        "iss": str(fixture.institution_id), "sub": f"setup-{n}", "exp": now + 300,
                        "jti": uuid.uuid4().hex})
                    opened = client.post("/api/playback/sessions", json={"film_id": film_id, "assertion": assertion})
                    assert opened.status_code == 201, opened.text
                    playlist = opened.json()["playlist_url"]
                    urls.append(playlist[playlist.index("/media/t/"):].replace("master.m3u8", "v180/seg_00000.m4s"))
                plain = client.get(f"/bench/files/{fixture.film_ids[0]}/v180/seg_00000.m4s")
                assert client.get(urls[0]).content == plain.content
            fixture = Fixture(fixture.institution_id, fixture.kid, fixture.secret, fixture.film_ids, urls)
            results = {}
            # Interleaved three times, so that a drift of the machine (shared, two cores) does not favour one side.
            for kind in ("bare", "open", "plain", "gateway") * 3:
                result = drive(kind, base, fixture, clients, seconds)
                assert result["failed"] == 0, (kind, result["failures"])
                results.setdefault(kind, []).append(result)
            gateway_check_in_process(app, fixture)
        engine.dispose()

    def best(kind: str) -> dict[str, Any]:
        return max(results[kind], key=lambda r: r["rps"])

    bare, opened, plain, gateway = best("bare"), best("open"), best("plain"), best("gateway")
    print(f"\n[{name}] (1) session openings, {clients} concurrent clients, {seconds:.0f} s per run (best of 3)")
    print(f"    bare JSON endpoint: {bare['rps']:>8,.0f} req/s  p50 {bare['p50']:6.2f} ms  p99 {bare['p99']:6.2f} ms")
    print(f"    open a session:     {opened['rps']:>8,.0f} req/s  p50 {opened['p50']:6.2f} ms  "
          f"p99 {opened['p99']:6.2f} ms")
    print(f"    ratio {opened['rps'] / bare['rps']:.2f} (target >= 0.5); p99 {opened['p99']:.1f} ms (target < 25)")
    print(f"[{name}] (2) {SEGMENT_BYTES // 1024} KiB segments, {clients} concurrent clients")
    print(f"    same files, no token:  {plain['rps']:>8,.0f} req/s  p50 {plain['p50']:6.2f} ms  "
          f"p99 {plain['p99']:6.2f} ms")
    print(f"    through the gateway:   {gateway['rps']:>8,.0f} req/s  p50 {gateway['p50']:6.2f} ms  "
          f"p99 {gateway['p99']:6.2f} ms")
    print(f"    ratio {gateway['rps'] / plain['rps']:.2f} (target >= 0.8)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    import_all_models()
    token_checks()
    for name in args.databases.split(","):
        with empty_database(name, "bench_playback") as url:
            run_database(name, url, args.clients, args.seconds)


if __name__ == "__main__":
    main()
