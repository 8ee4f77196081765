"""The quick start on a fresh machine, as a newcomer runs it: the working tree copied to an empty folder, the runtime
install only (its own clean .venv without the test extras, the npm runtime packages), every module of the
distribution imported there, the demo started as the README says, a player URL minted by that install's `cinedoc
access embed-url` pointed at the demo's database, framed by the demo's sample portal (another origin), and the film
playing in Chromium. This is the gate for runtime dependencies missing from pyproject.toml or package.json."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import TEST_DATABASE

pytestmark = pytest.mark.skipif(TEST_DATABASE != "sqlite", reason="the fresh install is checked once, in the SQLite "
                                "pass: the demo runs on the embedded default, whatever database the suite tests")

PROJECT_DIR = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT = 1200  # the first run downloads every pinned package; pip's and npm's caches make later runs quick
DEMO_TIMEOUT = 900
FILMS = "30"  # a small catalogue; the demo still packages its four films with ffmpeg

# Run by the fresh venv's interpreter, isolated (-I: neither the current folder nor PYTHON* variables are on the path),
# so that every module comes through the installed distribution.
IMPORT_EVERY_MODULE = r"""
import fnmatch, importlib, pathlib, pkgutil, sys, tomllib, traceback
root = pathlib.Path(sys.argv[1])
patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
tops = sorted(p.name for p in root.iterdir()
              if (p / "__init__.py").is_file() and any(fnmatch.fnmatch(p.name, pattern) for pattern in patterns))
# Two entry points act when imported: Alembic's env.py migrates (inside an Alembic run), cinedoc.asgi builds the app
# from the environment's database. What they import (cinedoc.app, migrations.model_registry) is imported anyway.
ENTRY_POINTS = {"migrations.env", "cinedoc.asgi"}
imported, failed = [], []
def load(name):
    try:
        module = importlib.import_module(name)
    except Exception:
        failed.append(f"{name}: {traceback.format_exc(limit=1).strip().splitlines()[-1]}")
        return None
    imported.append(name)
    return module
for top in tops:
    package = load(top)
    if package is None:
        continue
    for info in pkgutil.walk_packages(package.__path__, top + ".", onerror=lambda name: None):
        if info.name not in ENTRY_POINTS:
            load(info.name)
outside = [name for name in imported if not sys.modules[name].__file__.startswith(str(root))]
print("imported", len(imported), "packages", ",".join(tops))
for line in failed + [f"{name} comes from outside the install" for name in outside]:
    print("FAILED", line)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment() -> dict[str, str]:
    """A newcomer's shell: no virtual environment, no PYTHONPATH pointing at this checkout, no CINEDOC_* settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CINEDOC_", "PYTHON", "VIRTUAL_ENV", "PYTEST", "PIP_REQUIRE"))}
    venvs = {str(Path(sys.prefix) / "bin"), str(PROJECT_DIR / ".venv" / "bin")}
    env["PATH"] = os.pathsep.join(part for part in os.environ.get("PATH", "").split(os.pathsep)
                                  if part not in venvs and "/.venv/" not in part + "/")
    env["LANG"] = "C.UTF-8"
    return env


def copy_working_tree(target: Path) -> int:
    """The tracked and untracked-not-ignored files, as a fresh clone of this change would have them."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT_DIR, check=True,
                            capture_output=True).stdout.decode().split("\0")
    copied = 0
    for name in filter(None, listed):
        source = PROJECT_DIR / name
        # A symlink (a helper's node_modules pointing at another tree) is no part of a clone; a deleted file neither.
        if source.is_symlink() or not source.is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied += 1
    return copied


class Stages:
    """Prints how long each stage took, past pytest's capture (the install's time depends on pip's and npm's caches)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.started = time.monotonic()

    def say(self, line: str) -> None:
        with self.capsys.disabled():
            print(f"\n[fresh install] {line}", end="", flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.say(f"{name}: {time.monotonic() - start:.1f} s")


@contextmanager
def process_group(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        yield process
    finally:
        # The demo's whole process group: demo.sh, cinedoc, and ffmpeg if it is still packaging.
        for sent in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sent)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=20)
                break
            except subprocess.TimeoutExpired:
                continue


def wait_for_demo(process: subprocess.Popen[bytes], log: Path, port: int, portal_port: int) -> str:
    """Until both servers answer; returns the banner's embed-url command."""
    deadline = time.monotonic() + DEMO_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the demo stopped:\n{log.read_text(errors='replace')[-4000:]}"
        command = re.search(r"^\s*(CINEDOC_DATA_DIR=\S+ \S+ access embed-url .+)$",
                            log.read_text(errors="replace"), re.MULTILINE)
        if command:
            try:
                site = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                portal = httpx.get(f"http://127.0.0.1:{portal_port}/", timeout=10)
            except httpx.TransportError:
                pass
            else:
                assert site.status_code == 200 and portal.status_code == 200, (site.text, portal.text[:500])
                return command.group(1).strip()
        time.sleep(1)
    raise AssertionError(f"the demo did not come up in {DEMO_TIMEOUT} s:\n{log.read_text(errors='replace')[-4000:]}")


def test_a_fresh_runtime_install_runs_the_demo_and_plays_a_film_framed_by_a_portal(
    browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    for tool in ("git", "ffmpeg", "npm", "python3"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed: scripts/install.sh --test installs it")
    stages = Stages(capsys)
    tree, env = tmp_path / "cinedoc", clean_environment()

    with stages.stage("copy the working tree"):
        assert copy_working_tree(tree) > 100
    assert not (tree / ".venv").exists() and not (tree / "node_modules").exists()

    with stages.stage("bash scripts/install.sh (runtime)"):
        installed = subprocess.run(["bash", "scripts/install.sh"], cwd=tree, env=env, capture_output=True,
                                   text=True, timeout=INSTALL_TIMEOUT)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    python = tree / ".venv" / "bin" / "python"
    extras = subprocess.run([str(python), "-c", "import pytest"], capture_output=True, env=env)
    assert extras.returncode != 0, "the runtime install brought the test extras"
    assert (tree / "node_modules" / "hls.js" / "dist" / "hls.min.js").is_file()
    assert not (tree / "node_modules" / "axe-core").exists(), "the runtime install brought the npm dev packages"

    with stages.stage("import every module of the distribution"):
        imports = subprocess.run([str(python), "-I", "-", str(tree)], input=IMPORT_EVERY_MODULE, cwd=tmp_path,
                                 env=env, capture_output=True, text=True, timeout=300)
    assert imports.returncode == 0, imports.stderr[-3000:]
    assert "FAILED" not in imports.stdout, imports.stdout
    count = int(re.search(r"imported (\d+)", imports.stdout).group(1))  # type: ignore[union-attr]
    assert count > 100, imports.stdout

    port, portal_port = free_port(), free_port()
    demo_log = tmp_path / "demo.log"
    with process_group(["bash", "scripts/demo.sh", "--port", str(port), "--portal-port", str(portal_port),
                        "--films", FILMS], tree, env, demo_log) as demo:
        with stages.stage("bash scripts/demo.sh until both servers answer"):
            command = wait_for_demo(demo, demo_log, port, portal_port)

        with stages.stage("cinedoc access embed-url, pointed at the demo's database"):
            minted = subprocess.run(["bash", "-c", command], cwd=tree, env=env, capture_output=True, text=True,
                                    timeout=60)
        assert minted.returncode == 0, minted.stderr
        url = minted.stdout.strip()
        # The default address is the demo's, not the default port: the server recorded where it listens.
        assert url.startswith(f"http://127.0.0.1:{port}/embed/") and "assertion=" in url, url

        with stages.stage("play the film framed by the sample portal in Chromium"):
            context = browser.new_context(locale="fr-FR")
            context.set_default_timeout(60_000)
            try:
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{portal_port}/essai?src={quote(url, safe='')}")
                page.wait_for_selector("iframe")
                frame = next(f for f in page.frames if "/embed/" in f.url)
                frame.wait_for_selector("#play")
                assert urlsplit(frame.url).port == port and urlsplit(page.url).port == portal_port
                frame.evaluate("document.getElementById('video').muted = true")
                frame.locator("#play").click()
                frame.wait_for_function("() => document.getElementById('video').currentTime > 1.5")
                assert frame.evaluate("document.getElementById('video').currentTime") > 1.5
            finally:
                context.close()
    stages.say(f"total: {time.monotonic() - stages.started:.1f} s\n")
