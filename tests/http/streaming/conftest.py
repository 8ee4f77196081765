"""Fixtures of the streaming HTTP tests: media samples and the S3 server, and for access and playback the app with a
local media folder and no access cache (each request sees the database as it is), a portal with its key, a playable
film, and a helper that opens sessions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session

from streaming.access.config import AccessSettings
from streaming.media.storage import LocalStorage
from streaming.runtime import runtime_for
from tests.cas_server import cas_server, cas_server_process  # noqa: F401 - registers the fixtures
from tests.media_samples import media_samples  # noqa: F401 - registers the fixture
from tests.playback_helpers import PortalKey, make_institution, make_playable_film
from tests.s3_server import s3_bucket, s3_endpoint  # noqa: F401 - registers the fixtures


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    return root


@pytest.fixture
def playback_app(app: Litestar, media_root: Path) -> Litestar:
    app.state["access_settings"] = AccessSettings(access_cache_seconds=0, session_openings_per_minute=10)
    runtime_for(app.state).storage = LocalStorage(media_root)
    return app


@pytest.fixture
def portal(db: Session) -> PortalKey:
    return make_institution(db)


@pytest.fixture
def film(db: Session, media_root: Path) -> int:
    return make_playable_film(db, media_root)


@pytest.fixture
def open_session(client: TestClient, playback_app: Litestar) -> Callable[..., Any]:
    def open_with(film_id: int, *, assertion: str | None = None, grant: str | None = None,
                  headers: dict[str, str] | None = None) -> Any:
        body: dict[str, Any] = {"film_id": film_id}
        if assertion is not None:
            body["assertion"] = assertion
        if grant is not None:
            body["grant"] = grant
        return client.post("/api/playback/sessions", json=body, headers=headers or {})

    return open_with
