"""Throwaway PostgreSQL server (or an existing one from the environment) for tests and benchmarks."""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path
from types import TracebackType
from typing import IO, Any

ENV_URL = "CINEDOC_TEST_DATABASE_URL"
ENV_BINDIR = "CINEDOC_PG_BINDIR"
OS_USER = "postgres"

# Durability is worthless for a database that is deleted at the end of the run,
# and turning it off makes schema creation and commits several times faster.
_SERVER_SETTINGS: dict[str, str] = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class PostgresServerError(RuntimeError):
    """The server could not be initialised, started or reached."""


def find_bindir() -> Path | None:
    """Directory holding initdb/postgres/pg_ctl, or None if PostgreSQL is not installed."""
    candidates: list[Path] = []
    if os.environ.get(ENV_BINDIR):
        candidates.append(Path(os.environ[ENV_BINDIR]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            candidates.append(Path(out))
    # Debian installs server binaries outside PATH, one directory per major version;
    # prefer the newest one.
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    versioned.sort(key=lambda p: [int(x) if x.isdigit() else 0 for x in re.split(r"[/.]", p)], reverse=True)
    candidates.extend(Path(p) for p in versioned)
    on_path = shutil.which("postgres")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for directory in candidates:
        # pg_config may come from a client-only package (libpq-dev) whose bindir
        # has no server, so check for the binaries we actually run.
        if all((directory / exe).is_file() for exe in ("initdb", "postgres", "pg_ctl")):
            return directory
    return None


def _free_port() -> int:
    # Binding to port 0 lets the kernel pick an unused port; there is a small race
    # until postgres binds it, which start() handles by retrying.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sqlalchemy_url(url: str, dbname: str | None = None) -> str:
    """Normalise to the psycopg 3 dialect and optionally swap the database name."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme
    # A bare postgresql:// URL would make SQLAlchemy pick psycopg2, which is not installed.
    if scheme in ("postgres", "postgresql"):
        scheme = "postgresql+psycopg"
    path = parts.path if dbname is None else "/" + urllib.parse.quote(dbname, safe="")
    return urllib.parse.urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def _libpq_url(url: str) -> str:
    """libpq accepts postgresql:// URIs but not SQLAlchemy's +driver suffix."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path if parts.path not in ("", "/") else "/postgres"
    return urllib.parse.urlunsplit(("postgresql", parts.netloc, path, parts.query, ""))


class PostgresServer:
    """A private PostgreSQL instance in a temporary directory, listening on 127.0.0.1.

    Use as ``with PostgresServer() as pg: url = pg.create_database("x")`` or call
    start()/stop() explicitly. ``PostgresServer.from_env()`` reuses the server named
    by $CINEDOC_TEST_DATABASE_URL instead of starting one.
    """

    def __init__(self, bindir: Path | str | None = None, *, startup_timeout: float = 60.0) -> None:
        self._bindir = Path(bindir) if bindir is not None else None
        self.startup_timeout = startup_timeout
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.base_dir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._as_root = hasattr(os, "geteuid") and os.geteuid() == 0

    # -- construction helpers -------------------------------------------------

    @classmethod
    def from_env(cls, **kwargs: Any) -> PostgresServer:
        """An ExternalPostgresServer if $CINEDOC_TEST_DATABASE_URL is set, else a new local server."""
        url = os.environ.get(ENV_URL, "").strip()
        if url:
            return ExternalPostgresServer(url)
        return cls(**kwargs)

    @staticmethod
    def available() -> bool:
        """True if a server can be had: an external URL is configured or binaries are installed."""
        return bool(os.environ.get(ENV_URL, "").strip()) or find_bindir() is not None

    # -- public properties ----------------------------------------------------

    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            found = find_bindir()
            if found is None:
                raise PostgresServerError(
                    "PostgreSQL server binaries not found (install the 'postgresql' package, "
                    f"set {ENV_BINDIR}, or point {ENV_URL} at a running server)"
                )
            self._bindir = found
        return self._bindir

    @property
    def data_dir(self) -> Path:
        if self.base_dir is None:
            raise PostgresServerError("server not started")
        return self.base_dir / "data"

    @property
    def log_path(self) -> Path | None:
        return None if self.base_dir is None else self.base_dir / "postgres.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the maintenance database ``postgres``."""
        if self.port is None:
            raise PostgresServerError("server not started")
        return f"postgresql+psycopg://{OS_USER}@{self.host}:{self.port}/postgres"

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> PostgresServer:
        if self.running:
            return self
        bindir = self.bindir  # fail before creating anything if there is no server
        self.base_dir = Path(tempfile.mkdtemp(prefix="cinedoc-pg-"))
        try:
            if self._as_root:
                # initdb and postgres refuse to run as root, so they run as the postgres
                # OS user, which must own the directory they write into.
                try:
                    shutil.chown(self.base_dir, user=OS_USER, group=None)
                except LookupError as exc:
                    raise PostgresServerError(
                        f"running as root but there is no '{OS_USER}' OS user to run the server as"
                    ) from exc
            self._initdb(bindir)
            # Held open for the server's lifetime: postgres writes its log to this fd.
            self._log = open(self.base_dir / "postgres.log", "ab")  # noqa: SIM115
            last_error = ""
            for _attempt in range(5):
                self.port = _free_port()
                try:
                    self._launch(bindir)
                    break
                except PostgresServerError as exc:
                    last_error = str(exc)
                    # Another process may have grabbed the port between our probe and
                    # postgres binding it; try another port in that case only.
                    if "could not bind" not in last_error and "already in use" not in last_error:
                        raise
            else:
                raise PostgresServerError(f"could not find a port to listen on: {last_error}")
            atexit.register(self.stop)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory. Safe to call twice."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None and self.base_dir is not None:
                subprocess.run(
                    self._cmd(self.bindir / "pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30"),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=self.base_dir,
                    check=False,
                )
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
        atexit.unregister(self.stop)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases ------------------------------------------------------------

    def create_database(self, name: str, *, replace: bool = False) -> str:
        """Create database ``name`` and return its SQLAlchemy URL.

        With replace=True an existing database of that name is dropped first
        (useful on a long-lived external server after an aborted run).
        """
        if len(name.encode()) > 63:
            # PostgreSQL would silently truncate, and the returned URL would be wrong.
            raise ValueError(f"database name longer than 63 bytes: {name!r}")
        from psycopg import connect, sql  # imported lazily: only needed once a server exists

        with connect(_libpq_url(self.url), autocommit=True, connect_timeout=10) as conn:
            if replace:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return _sqlalchemy_url(self.url, name)

    def drop_database(self, name: str) -> None:
        from psycopg import connect, sql

        with connect(_libpq_url(self.url), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    # -- internals ------------------------------------------------------------

    def _cmd(self, exe: Path, *args: str) -> list[str]:
        if self._as_root:
            return ["runuser", "-u", OS_USER, "--", str(exe), *args]
        return [str(exe), *args]

    def _initdb(self, bindir: Path) -> None:
        assert self.base_dir is not None
        base = ["-D", str(self.data_dir), "-U", OS_USER, "--auth=trust", "--encoding=UTF8", "--no-sync"]
        # C.UTF-8 gives byte-order collation independent of the host's locales; fall
        # back to plain C where the C.UTF-8 locale does not exist (older glibc, macOS).
        for locale in ("C.UTF-8", "C"):
            result = subprocess.run(
                self._cmd(bindir / "initdb", *base, f"--locale={locale}"),
                capture_output=True,
                text=True,
                cwd=self.base_dir,  # as root, postgres may not be allowed into our cwd
                check=False,
            )
            if result.returncode == 0:
                return
            shutil.rmtree(self.data_dir, ignore_errors=True)
        raise PostgresServerError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    def _launch(self, bindir: Path) -> None:
        assert self.base_dir is not None and self.port is not None and self._log is not None
        settings = dict(_SERVER_SETTINGS, port=str(self.port), unix_socket_directories=str(self.base_dir))
        args = ["-D", str(self.data_dir)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        log_start = self._log.tell()
        self._process = subprocess.Popen(
            self._cmd(bindir / "postgres", *args),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self.base_dir,
        )
        deadline = time.monotonic() + self.startup_timeout
        pg_isready = bindir / "pg_isready"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                raise PostgresServerError(f"postgres exited during startup:\n{self._read_log(log_start)}")
            if self._accepts_connections(pg_isready):
                return
            time.sleep(0.1)
        self._kill_process()
        raise PostgresServerError(
            f"postgres did not accept connections within {self.startup_timeout}s:\n{self._read_log(log_start)}"
        )

    def _accepts_connections(self, pg_isready: Path) -> bool:
        if pg_isready.is_file():
            # Exit 0 means accepting; 1 means "rejecting" (still starting up).
            return (
                subprocess.run(
                    [str(pg_isready), "-q", "-h", self.host, "-p", str(self.port), "-U", OS_USER, "-d", "postgres"],
                    check=False,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ).returncode
                == 0
            )
        try:
            from psycopg import connect

            with connect(_libpq_url(self.url), connect_timeout=2):
                return True
        except Exception:
            return False

    def _kill_process(self) -> None:
        # Used when startup hangs: pg_ctl needs a postmaster.pid that may not exist yet,
        # so signal the process directly (SIGTERM = smart shutdown, then SIGKILL).
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def _read_log(self, offset: int) -> str:
        if self._log is not None:
            self._log.flush()
        if self.log_path is None:
            return ""
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(offset)
                return fh.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""


class ExternalPostgresServer(PostgresServer):
    """An already running server given by URL; start() and stop() leave it alone."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._external_url = _sqlalchemy_url(url)
        parts = urllib.parse.urlsplit(self._external_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 5432

    @property
    def url(self) -> str:
        return self._external_url

    @property
    def running(self) -> bool:
        return True

    def start(self) -> PostgresServer:
        return self

    def stop(self) -> None:
        return None
