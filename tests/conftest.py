"""Shared fixtures: a migrated database (SQLite or PostgreSQL, chosen by CINEDOC_TEST_DATABASE), the app, clients."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from audience.prize.audit import SQLITE_TRIGGER_NAMES, SQLITE_TRIGGERS
from cinedoc.app import create_app
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.database import make_engine
from cinedoc.kernel.schema_version import upgrade
from cinedoc.kernel.settings import Settings
from cinedoc.kernel.staff_accounts import create_staff_user
from migrations.model_registry import import_all_models
from streaming.media.models import Institution
from tests.postgres_server import PostgresServer

TEST_DATABASE = os.environ.get("CINEDOC_TEST_DATABASE", "sqlite")
TEST_SECRET = "test-secret-key-that-is-long-enough"
PASSWORD = "correct-horse-battery"

import_all_models()


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer.from_env()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fresh_database_url(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """Makes an empty database of the suite's kind and returns its URL."""

    def make(name: str) -> str:
        if TEST_DATABASE == "postgresql":
            server: PostgresServer = request.getfixturevalue("postgres_server")
            return server.create_database(f"{name}_{worker_id()}".lower(), replace=True)
        path = tmp_path_factory.mktemp(name) / "cinedoc.sqlite3"
        return f"sqlite:///{path}"

    return make


@pytest.fixture(scope="session")
def database_url(fresh_database_url: Callable[[str], str]) -> str:
    url = fresh_database_url("cinedoc_test")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def empty_all_tables(engine: Engine) -> None:
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)}, film_search RESTART IDENTITY CASCADE"))
        else:
            # The prize's audit trail refuses deletes (append-only triggers): lift them for the emptying only.
            for name in SQLITE_TRIGGER_NAMES:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            for table in [*tables, "film_fts"]:
                connection.execute(text(f"DELETE FROM {table}"))
            for statement in SQLITE_TRIGGERS:
                connection.execute(text(statement))


@pytest.fixture
def db_engine(engine: Engine) -> Iterator[Engine]:
    """The suite's database, emptied after the test."""
    yield engine
    empty_all_tables(engine)


@pytest.fixture
def db(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Tests that package media start their worker themselves; an idle one would only hold connections.
    return Settings(secret_key=TEST_SECRET, data_dir=tmp_path / "data", packaging_worker=False)


@pytest.fixture
def app(db_engine: Engine, settings: Settings) -> Litestar:
    return create_app(settings, engine=db_engine)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://cinedoc.test") as test_client:
        yield test_client


def csrf_token(client: TestClient) -> str:
    """The CSRF token a page's forms carry, as a browser would read it."""
    page = client.get("/login")
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, "the login page carries no CSRF token"
    return match.group(1)


def make_staff(db_engine: Engine, role: Role, email: str | None = None) -> str:
    email = email or f"{role.value}@example.org"
    with Session(db_engine) as session:
        institution_id = None
        if role == Role.LIBRARIAN:
            institution = Institution(name=f"Médiathèque {email}", category="local_authority")
            session.add(institution)
            session.flush()
            institution_id = institution.id
        create_staff_user(session, email=email, display_name=role.value.title(), password=PASSWORD, role=role,
                          institution_id=institution_id)
        session.commit()
    return email


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login", data={"email": email, "password": password, "next": "/staff", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def login_as(client: TestClient, db_engine: Engine) -> Callable[[Role], dict[str, str]]:
    """Logs the client in with a new account of that role; returns the headers a JSON call needs (CSRF)."""

    def login(role: Role) -> dict[str, str]:
        log_in(client, make_staff(db_engine, role))
        return {"x-csrftoken": csrf_token(client)}

    return login


@pytest.fixture
def curator(login_as: Callable[[Role], dict[str, str]]) -> dict[str, str]:
    return login_as(Role.CURATOR)


@pytest.fixture
def subjects(db: Session) -> Generator[list[str], None, None]:
    from catalogue.films.services import ensure_subjects

    labels = ["Cinéma", "Écologie", "Histoire", "Musique", "Travail"]
    ensure_subjects(db, labels)
    db.commit()
    yield labels
