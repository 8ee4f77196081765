"""The `cinedoc` command as an operator uses it: help, migrations, accounts, and serving."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlmodel import Session

from cinedoc.cli import main
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.settings import get_settings
from streaming.access.config import get_access_settings
from tests.conftest import TEST_DATABASE, TEST_SECRET
from tests.playback_helpers import make_institution

CINEDOC = shutil.which("cinedoc") or str(Path(__file__).resolve().parents[3] / ".venv" / "bin" / "cinedoc")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs the command in process (a fresh interpreter per call would cost a second each) with that environment."""
    get_settings.cache_clear()
    get_access_settings.cache_clear()
    runner = CliRunner()
    overrides: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    overrides.update({key: value for key, value in env.items() if key.startswith("CINEDOC_")})
    result = runner.invoke(main, args, env=overrides)
    get_settings.cache_clear()
    get_access_settings.cache_clear()
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def environment(tmp_path: Path, fresh_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CINEDOC_")}
    env.update(CINEDOC_DATA_DIR=str(tmp_path / "data"), CINEDOC_SECRET_KEY=TEST_SECRET,
               CINEDOC_DATABASE_URL=fresh_database_url("cli"))
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(server: subprocess.Popen[str], port: int) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        except httpx.TransportError:
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_every_command_explains_itself(environment: dict[str, str]) -> None:
    top = run(["--help"], environment)
    assert top.returncode == 0
    for command in ("serve", "demo", "db", "user"):
        assert command in top.stdout
    for args in (["serve"], ["demo"], ["db", "upgrade"], ["db", "current"], ["user", "create"]):
        result = run([*args, "--help"], environment)
        assert result.returncode == 0 and "Usage:" in result.stdout, args
        assert len(result.stdout.splitlines()) > 4, args
    assert "--host" in run(["serve", "--help"], environment).stdout
    assert "--port" in run(["demo", "--help"], environment).stdout


def test_an_operator_migrates_creates_an_account_and_serves(environment: dict[str, str]) -> None:
    port = free_port()
    refused = run(["serve", "--port", str(port)], environment)
    assert refused.returncode != 0 and "cinedoc db upgrade" in refused.stderr

    assert run(["db", "upgrade"], environment).returncode == 0
    assert "database: 0" in run(["db", "current"], environment).stdout

    created = run(["user", "create", "--email", "Curatrice@Example.org", "--name", "Claire", "--role", "curator",
                   "--password", "un-mot-de-passe-long"], environment)
    assert created.returncode == 0, created.stderr
    assert "curatrice@example.org" in created.stdout
    again = run(["user", "create", "--email", "curatrice@example.org", "--role", "curator",
                 "--password", "un-mot-de-passe-long"], environment)
    assert again.returncode != 0 and "already exists" in again.stderr
    librarian = run(["user", "create", "--email", "b@example.org", "--role", "librarian",
                     "--password", "un-mot-de-passe-long"], environment)
    assert librarian.returncode != 0 and "institution" in librarian.stderr
    short = run(["user", "create", "--email", "c@example.org", "--role", "curator", "--password", "court"],
                environment)
    assert short.returncode != 0 and "10" in short.stderr
    assert run(["user", "create", "--email", "d@example.org", "--role", "king", "--password", "x" * 12],
               environment).returncode != 0

    server = subprocess.Popen([CINEDOC, "serve", "--host", "127.0.0.1", "--port", str(port)], env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_until_up(server, port)
        assert health.json()["database"]["up_to_date"] is True
        login = httpx.get(f"http://127.0.0.1:{port}/login")
        assert login.status_code == 200 and 'name="password"' in login.text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_the_public_demo_secret(environment: dict[str, str]) -> None:
    env = {key: value for key, value in environment.items() if key != "CINEDOC_SECRET_KEY"}
    assert run(["db", "upgrade"], env).returncode == 0
    result = run(["serve", "--port", str(free_port())], env)
    assert result.returncode != 0
    assert "CINEDOC_SECRET_KEY" in result.stderr and "demo" in result.stderr
    short = run(["serve"], {**env, "CINEDOC_SECRET_KEY": "short"})
    assert short.returncode != 0 and "16 characters" in short.stderr


@pytest.mark.skipif(TEST_DATABASE != "sqlite", reason="a missing database is a missing SQLite file")
def test_a_command_that_finds_no_database_says_how_to_create_one_and_creates_nothing(
    environment: dict[str, str], tmp_path: Path,
) -> None:
    folder = tmp_path / "nowhere"
    env = {key: value for key, value in environment.items() if key != "CINEDOC_DATABASE_URL"}
    env["CINEDOC_DATA_DIR"] = str(folder)
    for args in (["rights", "expiring"], ["db", "current"], ["access", "embed-url", "--institution", "1",
                                                               "--patron", "p", "--film", "1"],
                 ["audience", "purge", "--dry-run"], ["media", "jobs"],
                 ["user", "create", "--email", "a@example.org", "--role", "curator", "--password", "x" * 12],
                 ["serve", "--port", str(free_port())]):
        result = run(args, env)
        assert result.returncode != 0, args
        assert "There is no cinedoc database at" in result.stderr, (args, result.stderr)
        assert "cinedoc db upgrade" in result.stderr and "cinedoc demo" in result.stderr, args
        assert not folder.exists(), f"{args} left {sorted(folder.rglob('*'))}"
    assert run(["db", "upgrade"], env).returncode == 0
    assert (folder / "cinedoc.sqlite3").is_file()
    assert "database: 0" in run(["db", "current"], env).stdout


def test_embed_urls_default_to_the_address_the_server_started_on(environment: dict[str, str]) -> None:
    assert run(["db", "upgrade"], environment).returncode == 0
    engine = make_engine(environment["CINEDOC_DATABASE_URL"])
    try:
        with Session(engine) as session:
            key = make_institution(session, "Médiathèque de Brest")
    finally:
        engine.dispose()
    embed = ["access", "embed-url", "--institution", str(key.institution_id), "--patron", "p-1", "--film", "7"]
    assert run(embed, environment).stdout.startswith("http://127.0.0.1:8000/embed/7?")  # nothing started yet
    port = free_port()
    server = subprocess.Popen([CINEDOC, "serve", "--host", "127.0.0.1", "--port", str(port)], env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(server, port)
        url = run(embed, environment).stdout.strip()
        assert url.startswith(f"http://127.0.0.1:{port}/embed/7?assertion=")
        # That server answers: its player page for the institution (framed by its portal), which has no film 7.
        page = httpx.get(url, timeout=10)
        assert page.status_code == 403
        assert "frame-ancestors https://portail.example.fr" in page.headers["content-security-policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The server's address stays the default after it stops; the explicit choices still win over it.
    assert run(embed, environment).stdout.startswith(f"http://127.0.0.1:{port}/embed/7?")
    public = run(embed, {**environment, "CINEDOC_PUBLIC_URL": "https://films.example.org"})
    assert public.stdout.startswith("https://films.example.org/embed/7?")
    chosen = run([*embed, "--base-url", "http://127.0.0.1:9999/"], environment)
    assert chosen.stdout.startswith("http://127.0.0.1:9999/embed/7?")


def test_without_hls_js_the_platform_refuses_to_start_and_says_how_to_install_it(
    environment: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(["db", "upgrade"], environment).returncode == 0
    missing = tmp_path / "node_modules" / "hls.js" / "dist" / "hls.min.js"
    monkeypatch.setattr("streaming.playback.player_assets.HLS_JS", missing)
    refused = run(["serve", "--port", str(free_port())], environment)
    assert refused.returncode != 0
    assert "hls.js" in refused.stderr and "bash scripts/install.sh" in refused.stderr
    demo_folder = tmp_path / "demo-data"
    demo = run(["demo", "--no-serve", "--films", "5"], {**environment, "CINEDOC_DATA_DIR": str(demo_folder)})
    assert demo.returncode != 0 and "bash scripts/install.sh" in demo.stderr
    assert not demo_folder.exists()  # refused before the build, not after it
