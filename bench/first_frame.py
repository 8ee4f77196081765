"""Time to first frame of the embedded player in Chromium against a bare hls.js page playing the same master from a
plain static server, measured in the same run; and the time from `git clone` to the first page the demo serves.

(1) A film (lavfi testsrc2 and a tone) is packaged once by the product's own code (streaming.media.packaging) and
    published to local storage. The real app serves it on loopback (SQLite) to a library with a registered portal
    origin, a portal key and a streaming licence; a portal page on another loopback origin frames
    `/embed/{film}?assertion=…` with a fresh assertion each round. The baseline is a bare page running hls.js (the
    very file the app serves) on the same packaged folder, from Python's http.server. In Debian's chromium, each round
    in a fresh browser context: load the page, press the play button, and time inside the page with performance.now()
    from the click to the first decoded frame (video.requestVideoFrameCallback). For the player that path holds the
    session opening (grant checked, token signed), the master playlist, the media playlists and the first segments
    through the token-checking gateway. Rounds alternate player, baseline, player, baseline… so a drift of the machine
    hits both; the first round of each is cold and reported apart. Target: ratio of p50s <= 1.2.
(2) `--clone-to-first-page`: `git clone` of this repository into a temporary folder, then `bash scripts/install.sh`
    and `bash scripts/demo.sh --port P` there, timed until `GET /` answers 200 (network needed for pip).

What it relies on in the pages: `#play` (the play button) and `#video` (the video element), in the player and in the
baseline page alike; the player's frame is the portal's frame whose URL holds `/embed/`.

Run: .venv/bin/python -m bench.first_frame [--rounds 30] [--film-seconds 40]
     .venv/bin/python -m bench.first_frame --clone-to-first-page [--port 8765] [--keep]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.measure import percentile

SECRET = "benchmark-secret-key-0123456789"
PREFIX = "films/bench/0001-first-frame"
REPOSITORY = Path(__file__).resolve().parents[1]
ROUND_TIMEOUT_MS = 30_000

console = Console(highlight=False, soft_wrap=True)

# The embed snippet's own size (960x600).
PORTAL_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail de la médiathèque</title></head>
<body><h1>Portail de la médiathèque</h1>
<iframe src="{src}" title="Film" width="960" height="600" allow="fullscreen"></iframe>
</body></html>"""

# What an integrator writes from hls.js's README: load the master on the click, play once the manifest is parsed.
BASELINE_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>hls.js</title>
<script src="/hls.min.js" defer></script></head>
<body><video id="video" playsinline preload="none" width="640" height="360"></video>
<p><button type="button" id="play">Lire</button></p>
<script>
document.getElementById("play").addEventListener("click", function () {
  var video = document.getElementById("video");
  var hls = new Hls();
  hls.on(Hls.Events.MANIFEST_PARSED, function () { video.play(); });
  hls.loadSource("/film/master.m3u8");
  hls.attachMedia(video);
});
</script></body></html>"""

# Installed in the page (the player's frame, or the bare page) before the click. The capturing listener on window
# runs before the page's own click handler; both marks use the page's performance.now().
MARK_SCRIPT = """() => {
  const video = document.querySelector('#video');
  video.muted = true;  // alike on both pages: no question of an audio device in headless chromium
  const mark = window.__firstFrame = {clicked: null, frame: null, advanced: null};
  window.addEventListener('click', () => { if (mark.clicked === null) mark.clicked = performance.now(); }, true);
  if ('requestVideoFrameCallback' in video) {
    video.requestVideoFrameCallback(() => { mark.frame = performance.now(); });
  }
  const advanced = () => {
    if (mark.advanced === null && video.currentTime > 0) mark.advanced = performance.now();
  };
  video.addEventListener('playing', advanced);
  video.addEventListener('timeupdate', advanced);
}"""

MARKED = "() => window.__firstFrame.frame !== null && window.__firstFrame.advanced !== null"

# What the page fetched after the click, by kind, from Resource Timing (the session opening is the player's own).
RESOURCES_SCRIPT = """() => {
  const clicked = window.__firstFrame.clicked;
  return performance.getEntriesByType('resource').filter(e => e.startTime >= clicked)
    .map(e => ({name: e.name, start: e.startTime - clicked, duration: e.duration}));
}"""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.first_frame",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30,
                        help="measured rounds of each kind, after one cold round of each (default 30)")
    parser.add_argument("--film-seconds", type=int, default=40, help="length of the packaged film, 30 to 60 s")
    parser.add_argument("--clone-to-first-page", action="store_true",
                        help="time git clone, install and demo until GET / answers 200, instead")
    parser.add_argument("--port", type=int, default=8765, help="the demo's port for --clone-to-first-page")
    parser.add_argument("--keep", action="store_true", help="keep the clone of --clone-to-first-page")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not 30 <= args.film_seconds <= 60:
        parser.error("--film-seconds must be between 30 and 60")
    if not 1 <= args.port <= 65535:
        parser.error("--port must be between 1 and 65535")
    return args


# --- the film, packaged once -----------------------------------------------------------------------------------------

def package_film(work: Path, seconds: int) -> Path:
    """Package a generated master with the product's code and publish it to a local storage; returns its root."""
    from streaming.media.config import StreamingSettings
    from streaming.media.jobs import rendition_names
    from streaming.media.packaging import PackagingRequest, package_to_directory, prepare, upload
    from streaming.media.storage import LocalStorage
    from tests.media_samples import ffmpeg

    master = work / "master.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
           "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds), "-c:v", "libx264",
           "-preset", "ultrafast", "-c:a", "aac", str(master))
    settings = StreamingSettings(x264_preset="veryfast")
    prepared = prepare(PackagingRequest(master), settings)
    packaged = package_to_directory(prepared, work / "packaged", settings, names=rendition_names("fr", []),
                                    timeout=600)
    media_root = work / "media"
    upload(packaged, LocalStorage(media_root), PREFIX)
    return media_root


# --- the baseline's static server ------------------------------------------------------------------------------------

class StaticHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive and no Nagle, as uvicorn (asyncio sets TCP_NODELAY) and any static server in front of a player:
    # without it the body's write waits for the ACK of the headers' write, 40 ms of delayed ACK on most requests.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment", ".mp4": "video/mp4",
                      ".vtt": "text/vtt", ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        return


class StaticServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A round's browser context closes while hls.js still fetches segments ahead: not an error of the server.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def static_server(site: Path) -> Iterator[str]:
    server = StaticServer(("127.0.0.1", 0), functools.partial(StaticHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def static_site(site: Path, film_folder: Path) -> Path:
    from streaming.playback.player import HLS_JS

    site.mkdir(parents=True)
    (site / "index.html").write_text(BASELINE_PAGE, encoding="utf-8")
    shutil.copyfile(HLS_JS, site / "hls.min.js")  # the same hls.js build the app serves to its player
    (site / "film").symlink_to(film_folder, target_is_directory=True)
    return site


# --- the app's side --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Library:
    key: Any  # tests.playback_helpers.PortalKey
    film_id: int


def stage_library(engine: Any, portal_origin: str, seconds: int) -> Library:
    """An institution with a subscription, the portal's origin and a key; a film with a streaming licence and the
    packaged media published."""
    from sqlmodel import Session

    from catalogue.films.models import FilmStatus
    from catalogue.films.schemas import FilmCreate
    from catalogue.films.services import create_film
    from tests.playback_helpers import add_licence, make_institution, publish_media

    with Session(engine) as db:
        key = make_institution(db, "Médiathèque du banc d'essai", origins=(portal_origin,))
        film = create_film(db, FilmCreate(title="Mire et la note", status=FilmStatus.AVAILABLE))
        db.commit()
        assert film.id is not None
        film_id = film.id
        add_licence(db, film_id)
        publish_media(db, film_id, PREFIX, duration=float(seconds))
    return Library(key, film_id)


# --- the rounds ------------------------------------------------------------------------------------------------------

@dataclass
class Samples:
    frame: list[float] = field(default_factory=list)  # click -> first frame presented (requestVideoFrameCallback)
    advanced: list[float] = field(default_factory=list)  # click -> currentTime > 0
    session: list[float] = field(default_factory=list)  # the player's session opening (Resource Timing)
    fetched: list[float] = field(default_factory=list)  # click -> the first audio and video segments received
    cold: dict[str, float] = field(default_factory=dict)


def time_click_to_frame(target: Any) -> dict[str, Any]:
    """Install the marks in `target` (the page or the player's frame), press its play button, wait for the frame."""
    target.evaluate(MARK_SCRIPT)
    target.click("#play")
    try:
        target.wait_for_function(MARKED, timeout=ROUND_TIMEOUT_MS)
    except Exception as error:  # a refusal or a player error: say what the page showed
        refusal = target.evaluate("() => [...document.querySelectorAll('[role=alert]')]"
                                  ".map(e => e.textContent.trim()).filter(Boolean).join(' / ')")
        errors = target.evaluate("() => window.cinedocPlayer ? window.cinedocPlayer.errors : []")
        raise RuntimeError(f"no first frame within {ROUND_TIMEOUT_MS} ms at {target.url}: "
                           f"alert {refusal!r}, player errors {errors}") from error
    mark = target.evaluate("() => window.__firstFrame")
    resources = target.evaluate(RESOURCES_SCRIPT)
    return {"frame": mark["frame"] - mark["clicked"], "advanced": mark["advanced"] - mark["clicked"],
            "resources": resources, "fetched": first_segments_received(resources)}


def first_segments_received(resources: list[dict[str, Any]]) -> float:
    """When the first segment of each rendition fetched (audio, video) had arrived, from the click: the network's
    share of the time to first frame (token, session, playlists, init sections and segments)."""
    first: dict[str, float] = {}
    for entry in resources:
        folder, _, name = entry["name"].split("?")[0].rpartition("/")
        if name.startswith("seg_") and folder not in first:
            first[folder] = entry["start"] + entry["duration"]
    return max(first.values()) if first else float("nan")


def player_round(browser: Any, portal_base: str, app_base: str, library: Library, patron: str) -> dict[str, Any]:
    embed = f"{app_base}/embed/{library.film_id}?lang=fr&assertion={library.key.assertion(patron)}"
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        # The portal's load event waits for the frame's, and so for the player's deferred scripts.
        page.goto(f"{portal_base}/portal?src={quote(embed, safe='')}", wait_until="load")
        frame = next(f for f in page.frames if "/embed/" in f.url)
        result = time_click_to_frame(frame)
    finally:
        context.close()
    opening = [r for r in result["resources"] if "/api/playback/sessions" in r["name"]]
    result["session"] = opening[0]["duration"] if opening else float("nan")
    return result


def baseline_round(browser: Any, static_base: str) -> dict[str, Any]:
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{static_base}/index.html", wait_until="load")
        return time_click_to_frame(page.main_frame)
    finally:
        context.close()


def run_rounds(rounds: int, film_seconds: int) -> tuple[Samples, Samples]:
    from playwright.sync_api import sync_playwright

    from bench.live_app import serve_in_thread
    from bench.measure import empty_database
    from cinedoc.app import create_app
    from cinedoc.kernel.database import make_engine
    from cinedoc.kernel.schema_version import upgrade
    from cinedoc.kernel.settings import Settings
    from migrations.model_registry import import_all_models
    from streaming.media.storage import LocalStorage
    from streaming.runtime import runtime_for
    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.browser.portal_server import portal_server

    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    import_all_models()
    player, baseline = Samples(), Samples()
    with tempfile.TemporaryDirectory() as folder, empty_database("sqlite", "bench_first_frame") as url:
        work = Path(folder)
        with console.status(f"packaging a {film_seconds} s film with streaming.media.packaging…"):
            started = time.perf_counter()
            media_root = package_film(work, film_seconds)
        console.print(f"packaged and published in {time.perf_counter() - started:.1f} s: "
                      f"{', '.join(sorted(p.name for p in (media_root / PREFIX).iterdir() if p.is_dir()))}")
        site = static_site(work / "site", media_root / PREFIX)
        upgrade(url)
        engine = make_engine(url)
        app = create_app(Settings(secret_key=SECRET, data_dir=work / "data", packaging_worker=False), engine=engine)
        runtime_for(app.state).storage = LocalStorage(media_root)
        with portal_server(PORTAL_PAGE) as portal_port, static_server(site) as static_base, \
                serve_in_thread(app) as app_base, sync_playwright() as playwright:
            portal_base = f"http://127.0.0.1:{portal_port}"
            library = stage_library(engine, portal_base, film_seconds)
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=console) as progress:
                task = progress.add_task("rounds (player, baseline)", total=rounds + 1)
                for n in range(rounds + 1):
                    # ABAB: the player's round, then the baseline's, every time.
                    a = player_round(browser, portal_base, app_base, library, f"bench-patron-{n}")
                    b = baseline_round(browser, static_base)
                    label = "cold" if n == 0 else f"{n:>3}"
                    progress.console.print(f"  round {label}: player {a['frame']:7.1f} ms "
                                           f"(session {a['session']:5.1f} ms)  baseline {b['frame']:7.1f} ms")
                    for samples, result in ((player, a), (baseline, b)):
                        if n == 0:
                            samples.cold = {"frame": result["frame"], "advanced": result["advanced"]}
                            continue
                        samples.frame.append(result["frame"])
                        samples.advanced.append(result["advanced"])
                        samples.fetched.append(result["fetched"])
                        if "session" in result:
                            samples.session.append(result["session"])
                    progress.advance(task)
            browser.close()
        engine.dispose()
    return player, baseline


def report(player: Samples, baseline: Samples, rounds: int) -> None:
    def line(values: list[float]) -> str:
        return f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms"

    ratio = statistics.median(player.frame) / statistics.median(baseline.frame)
    console.print(f"\nTime to first frame in Chromium, click -> first decoded frame (requestVideoFrameCallback), "
                  f"{rounds} rounds of each after one cold round, alternated")
    console.print(f"    bare hls.js, static server:      {line(baseline.frame)}")
    console.print(f"    embedded player (portal iframe): {line(player.frame)}")
    console.print(f"    ratio of p50s {ratio:.2f} (target <= 1.2)")
    console.print(f"    cold first round: player {player.cold['frame']:.1f} ms, "
                  f"baseline {baseline.cold['frame']:.1f} ms")
    console.print("  click -> currentTime > 0 (playing):")
    console.print(f"    bare hls.js:     {line(baseline.advanced)}")
    console.print(f"    embedded player: {line(player.advanced)}   "
                  f"ratio {statistics.median(player.advanced) / statistics.median(baseline.advanced):.2f}")
    console.print("  click -> first audio and video segments received (Resource Timing; the network's share):")
    console.print(f"    bare hls.js:     {line(baseline.fetched)}")
    console.print(f"    embedded player: {line(player.fetched)}   "
                  f"ratio {statistics.median(player.fetched) / statistics.median(baseline.fetched):.2f}")
    console.print(f"    of which the player's session opening (POST /api/playback/sessions): {line(player.session)}")


# --- (2) from git clone to the first page ----------------------------------------------------------------------------

def clean_environment() -> dict[str, str]:
    """This shell's environment without what would point the clone at this tree (venv, PYTHONPATH, CINEDOC_*)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CINEDOC_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env["PYTHONUNBUFFERED"] = "1"  # the demo's banner reaches us when printed, which marks the end of its build
    return env


def clone_to_first_page(port: int, keep: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cinedoc-clone-"))
    clone = folder / "cinedoc"
    env = clean_environment()
    stages: list[tuple[str, float]] = []
    log = folder / "demo.log"
    started = time.perf_counter()
    try:
        with console.status(f"git clone {REPOSITORY} {clone}"):
            subprocess.run(["git", "clone", "--quiet", str(REPOSITORY), str(clone)], check=True, env=env)
        stages.append(("clone", time.perf_counter() - started))
        console.print(f"clone: {stages[-1][1]:.1f} s")
        mark = time.perf_counter()
        with console.status("bash scripts/install.sh (runtime install: .venv, pip install -e .)"):
            installed = subprocess.run(["bash", "scripts/install.sh"], cwd=clone, env=env, capture_output=True,
                                       text=True)
        console.print(installed.stdout.rstrip(), markup=False)
        if installed.returncode != 0:
            console.print(installed.stderr.rstrip()[-3000:], markup=False)
            raise SystemExit(f"install.sh failed (exit {installed.returncode})")
        stages.append(("install", time.perf_counter() - mark))
        console.print(f"install: {stages[-1][1]:.1f} s")
        mark = time.perf_counter()
        first_page = demo_until_first_page(clone, port, env, log, stages, mark)
        stages.append(("first page", first_page))
    finally:
        total = time.perf_counter() - started
        console.print("\nTime from git clone to the first page served (GET / answered 200):")
        for name, seconds in stages:
            console.print(f"    {name:<12} {seconds:7.1f} s")
        console.print(f"    {'total':<12} {total:7.1f} s" + ("" if len(stages) == 4 else "  (did not get there)"))
        if keep:
            console.print(f"the clone is kept in {clone} (demo output in {log})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def demo_until_first_page(clone: Path, port: int, env: dict[str, str], log: Path,
                          stages: list[tuple[str, float]], started: float) -> float:
    """Run `bash scripts/demo.sh --port P`; note when its banner appears (the demo is built) and return the time from
    the banner to the first 200 on GET /. Stops the demo (its own process group) before returning."""
    banner: dict[str, float] = {}
    lines: list[str] = []
    with log.open("w") as sink:
        demo = subprocess.Popen(["bash", "scripts/demo.sh", "--port", str(port)], cwd=clone, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)

        def read() -> None:
            assert demo.stdout is not None
            for text in demo.stdout:
                sink.write(text)
                sink.flush()
                lines.append(text.rstrip())
                if text.startswith("cinedoc demo:") and "at" not in banner:
                    banner["at"] = time.perf_counter()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            with console.status(f"bash scripts/demo.sh --port {port}: building the demo, waiting for GET / …"):
                while True:
                    if demo.poll() is not None:
                        reader.join(timeout=5)
                        console.print("\n".join(lines[-25:]), markup=False)
                        raise SystemExit(f"the demo stopped (exit {demo.returncode}) before serving a page")
                    if "at" in banner:
                        try:
                            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                                answered = time.perf_counter()
                                break
                        except httpx.TransportError:
                            pass
                    time.sleep(0.1)
            stages.append(("demo build", banner["at"] - started))
            console.print(f"demo build: {stages[-1][1]:.1f} s")
            return answered - banner["at"]
        finally:
            if demo.poll() is None:
                os.killpg(demo.pid, signal.SIGTERM)
                try:
                    demo.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(demo.pid, signal.SIGKILL)
                    demo.wait()


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.clone_to_first_page:
        clone_to_first_page(args.port, args.keep)
        return
    player, baseline = run_rounds(args.rounds, args.film_seconds)
    report(player, baseline, args.rounds)


if __name__ == "__main__":
    main()
