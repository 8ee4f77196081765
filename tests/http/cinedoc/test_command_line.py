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

from cinedoc.cli import main
from cinedoc.settings import get_settings
from tests.conftest import TEST_SECRET

CINEDOC = shutil.which("cinedoc") or str(Path(__file__).resolve().parents[3] / ".venv" / "bin" / "cinedoc")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs the command in process (a fresh interpreter per call would cost a second each) with that environment."""
    get_settings.cache_clear()
    runner = CliRunner()
    overrides: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CINEDOC_")}
    overrides.update({key: value for key, value in env.items() if key.startswith("CINEDOC_")})
    result = runner.invoke(main, args, env=overrides)
    get_settings.cache_clear()
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
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
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
