"""Tests for the throwaway PostgreSQL server helper used by the test suite."""

from __future__ import annotations

import socket

import pytest

from tests.postgres_server import ENV_URL, ExternalPostgresServer, PostgresServer, find_bindir

pytestmark = pytest.mark.skipif(find_bindir() is None, reason="no PostgreSQL server binaries installed")


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_start_create_database_query_and_stop() -> None:
    psycopg = pytest.importorskip("psycopg")
    server = PostgresServer()
    server.start()
    try:
        port = server.port
        assert port is not None and _port_open(port)
        base_dir = server.base_dir
        assert server.url == f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

        url = server.create_database("cinedoc_unit")
        assert url == f"postgresql+psycopg://postgres@127.0.0.1:{port}/cinedoc_unit"
        # psycopg wants a libpq URI, not SQLAlchemy's dialect+driver scheme.
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
            assert conn.execute("show fsync").fetchone() == ("off",)
            assert conn.execute("show server_encoding").fetchone() == ("UTF8",)
            assert conn.execute("show max_connections").fetchone() == ("200",)
    finally:
        server.stop()

    assert not _port_open(port)
    assert base_dir is not None and not base_dir.exists()
    server.stop()  # idempotent


def test_from_env_reuses_existing_server(monkeypatch: pytest.MonkeyPatch) -> None:
    psycopg = pytest.importorskip("psycopg")
    with PostgresServer() as real:
        monkeypatch.setenv(ENV_URL, real.url)
        external = PostgresServer.from_env()
        assert isinstance(external, ExternalPostgresServer)
        with external:  # start/stop must not touch the real server
            url = external.create_database("cinedoc_ext")
            url = external.create_database("cinedoc_ext", replace=True)
        assert real.running
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            assert conn.execute("select current_database()").fetchone() == ("cinedoc_ext",)

    monkeypatch.delenv(ENV_URL)
    assert type(PostgresServer.from_env()) is PostgresServer
