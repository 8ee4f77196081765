"""With S3 storage and no CDN, the app serves only the small playlists, rewritten with presigned segment addresses;
the bucket stays private and a refused token never reaches it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session

from streaming.access.config import AccessSettings
from streaming.media.storage import S3Storage
from streaming.runtime import runtime_for
from tests.playback_helpers import MASTER, MEDIA_PLAYLIST, SEGMENT, PortalKey, make_playable_film, media_path
from tests.s3_server import s3_client


@pytest.fixture
def s3_app(playback_app: Litestar, s3_endpoint: str, s3_bucket: str) -> S3Storage:
    playback_app.state["access_settings"] = AccessSettings(access_cache_seconds=0, media_delivery="s3_presigned")
    playback_app.state["access_runtime"] = None
    storage = S3Storage(s3_bucket, client=s3_client(s3_endpoint), prefix="cinedoc")
    runtime_for(playback_app.state).storage = storage
    return storage


def test_playlists_are_rewritten_with_presigned_segments_from_a_private_bucket(
    client: TestClient, s3_app: S3Storage, open_session: Callable[..., Any], portal: PortalKey, db: Session,
    s3_endpoint: str,
) -> None:
    film = make_playable_film(db, None)
    prefix = f"films/{film}/0001-test"
    s3_app.put_bytes(MASTER.encode(), f"{prefix}/master.m3u8")
    s3_app.put_bytes(MEDIA_PLAYLIST.encode(), f"{prefix}/v180/index.m3u8")
    s3_app.put_bytes(b"init", f"{prefix}/v180/init.mp4")
    s3_app.put_bytes(SEGMENT, f"{prefix}/v180/seg_00000.m4s")
    opened = open_session(film, assertion=portal.assertion())
    assert opened.status_code == 201 and opened.json()["delivery"] == "s3_presigned"
    url = media_path(opened.json()["playlist_url"])
    master = client.get(url)
    assert master.status_code == 200 and "v180/index.m3u8" in master.text  # relative: comes back here
    media = client.get(url.replace("master.m3u8", "v180/index.m3u8"))
    assert media.status_code == 200 and "no-store" in media.headers["cache-control"]
    segment_urls = [line for line in media.text.splitlines() if line.startswith("http")]
    assert len(segment_urls) == 2 and all("Signature=" in u or "X-Amz-Signature=" in u for u in segment_urls)
    assert all(u.startswith(s3_endpoint) and "/cinedoc/films/" in u for u in segment_urls)
    assert httpx.get(segment_urls[0]).content == SEGMENT
    assert httpx.get(segment_urls[0].split("?")[0]).status_code == 403  # the bucket itself stays private
    redirect = client.get(url.replace("master.m3u8", "v180/seg_00000.m4s"), follow_redirects=False)
    assert redirect.status_code == 302 and "Signature=" in redirect.headers["location"]
    page_csp = client.get(f"/embed/{film}?assertion={portal.assertion()}").headers["content-security-policy"]
    assert s3_endpoint in page_csp


def test_a_refused_token_never_reaches_the_bucket(
    client: TestClient, s3_app: S3Storage, open_session: Callable[..., Any], portal: PortalKey, db: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    film = make_playable_film(db, None)
    url = media_path(open_session(film, assertion=portal.assertion()).json()["playlist_url"])
    calls: list[str] = []
    monkeypatch.setattr(s3_app, "read_bytes", lambda key: calls.append(key) or b"")
    monkeypatch.setattr(s3_app.client, "generate_presigned_url", lambda *a, **k: calls.append("presign") or "x")
    tampered = url.replace(f"/{film}/", f"/{film + 1}/")
    assert client.get(tampered).status_code == 403
    assert client.get(url.replace("master.m3u8", "%2E%2E/%2E%2E/x.m3u8")).status_code == 403
    assert calls == []
