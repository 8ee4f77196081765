"""A packaged film's chapter track and sign-language rendition reach the player through the same path token as the
film (the master playlist does not name them, the player asks for them by their fixed names): from the media folder,
and from a private bucket with the sign playlist rewritten like the film's; never without a valid token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import m3u8
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session

from catalogue.films.models import FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from streaming.access.config import AccessSettings
from streaming.media import services
from streaming.media.config import StreamingSettings
from streaming.media.jobs import JobContext, run_job
from streaming.media.schemas import PackagingJobCreate
from streaming.media.storage import LocalStorage, MediaStorage, S3Storage
from streaming.runtime import runtime_for
from tests.media_samples import MediaSamples
from tests.playback_helpers import PortalKey, add_licence, make_playable_film, media_path
from tests.s3_server import s3_client

SIDE_FILES = ("chapters.vtt", "sign/index.m3u8", "sign/init.mp4", "sign/seg_00000.m4s", "sign/seg_00001.m4s")


def package_signed_film(db: Session, storage: MediaStorage, work_dir: Path, media_samples: MediaSamples) -> int:
    """A licensed, available film packaged for real with its chapters and sign-language video."""
    film = create_film(db, FilmCreate(title="Signes de vie", status=FilmStatus.AVAILABLE))
    db.commit()
    assert film.id is not None
    add_licence(db, film.id)
    job = services.start_packaging(db, film.id, PackagingJobCreate(
        master_path=str(media_samples.master), chapters_path=str(media_samples.chapters),
        sign_language_path=str(media_samples.sign_language)), timeout_seconds=120)
    db.commit()
    assert job.id is not None
    context = JobContext(db.get_bind().engine, storage, StreamingSettings(x264_preset="ultrafast"), work_dir)  # type: ignore[union-attr]
    assert run_job(context, job.id) == "succeeded"
    return film.id


def stored(storage: MediaStorage, db: Session, film_id: int, name: str) -> bytes:
    prefix = services.published_prefix(db, film_id)
    return storage.read_bytes(f"{prefix}/{name}")


def test_the_sign_rendition_and_chapters_are_served_from_the_media_folder_with_the_token_only(
        client: TestClient, open_session: Callable[..., Any], portal: PortalKey, db: Session, media_root: Path,
        media_samples: MediaSamples, tmp_path: Path) -> None:
    storage = LocalStorage(media_root)
    film = package_signed_film(db, storage, tmp_path / "work", media_samples)
    url = media_path(open_session(film, assertion=portal.assertion()).json()["playlist_url"])
    base = url.rsplit("/", 1)[0]
    playlist = client.get(f"{base}/sign/index.m3u8")
    assert playlist.status_code == 200 and "no-store" in playlist.headers["cache-control"]
    assert playlist.headers["content-type"].startswith("application/vnd.apple.mpegurl")
    assert [segment.uri for segment in m3u8.loads(playlist.text).segments] == ["seg_00000.m4s", "seg_00001.m4s"]
    for name in SIDE_FILES:
        response = client.get(f"{base}/{name}")
        assert response.status_code == 200, name
        assert response.content == stored(storage, db, film, name)
    assert client.get(f"{base}/chapters.vtt").headers["content-type"].startswith("text/vtt")
    assert client.get(f"{base}/sign/seg_00000.m4s", headers={"Range": "bytes=0-99"}).status_code == 206
    # Without the token, with a tampered one, or with another film's: the same bare 403 for every side file.
    other = make_playable_film(db, media_root, "Un autre film")
    other_base = media_path(open_session(other, assertion=portal.assertion()).json()["playlist_url"]).rsplit("/", 1)[0]
    token = base.split("/")[3]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for name in SIDE_FILES:
        assert client.get(f"/media/t/{forged}/{film}/{name}").status_code == 403, name
        assert client.get(f"{other_base.replace(f'/{other}', f'/{film}')}/{name}").status_code == 403, name
        assert client.get(f"/media/{film}/{name}").status_code in (403, 404), name


@pytest.fixture
def s3_storage(playback_app: Litestar, s3_endpoint: str, s3_bucket: str) -> Callable[[str], S3Storage]:
    def configure(delivery: str) -> S3Storage:
        playback_app.state["access_settings"] = AccessSettings(access_cache_seconds=0, media_delivery=delivery)
        playback_app.state["access_runtime"] = None
        storage = S3Storage(s3_bucket, client=s3_client(s3_endpoint), prefix="cinedoc")
        runtime_for(playback_app.state).storage = storage
        return storage

    return configure


@pytest.mark.parametrize("delivery", ["gateway", "s3_presigned"])
def test_from_a_private_bucket_the_sign_playlist_is_rewritten_with_presigned_segments(
        client: TestClient, open_session: Callable[..., Any], portal: PortalKey, db: Session,
        media_samples: MediaSamples, tmp_path: Path, s3_storage: Callable[[str], S3Storage], s3_endpoint: str,
        delivery: str) -> None:
    storage = s3_storage(delivery)
    film = package_signed_film(db, storage, tmp_path / "work", media_samples)
    opened = open_session(film, assertion=portal.assertion())
    assert opened.status_code == 201 and opened.json()["delivery"] == delivery
    base = media_path(opened.json()["playlist_url"]).rsplit("/", 1)[0]
    playlist = client.get(f"{base}/sign/index.m3u8")
    assert playlist.status_code == 200 and "no-store" in playlist.headers["cache-control"]
    parsed = m3u8.loads(playlist.text)
    addresses = [parsed.segment_map[0].uri] + [segment.uri for segment in parsed.segments]
    assert len(addresses) == 3
    assert all(a.startswith(s3_endpoint) and "Signature=" in a and "/sign/" in a for a in addresses)
    expected = [stored(storage, db, film, name) for name in ("sign/init.mp4", "sign/seg_00000.m4s",
                                                             "sign/seg_00001.m4s")]
    assert [httpx.get(address).content for address in addresses] == expected
    assert httpx.get(addresses[1].split("?")[0]).status_code == 403  # the bucket itself stays private
    chapters = client.get(f"{base}/chapters.vtt", follow_redirects=False)
    assert chapters.status_code == 302 and "Signature=" in chapters.headers["location"]
    fetched = httpx.get(chapters.headers["location"])
    assert fetched.status_code == 200 and fetched.text.startswith("WEBVTT")
    token = base.split("/")[3]
    for name in SIDE_FILES:
        assert client.get(f"/media/t/{token}x/{film}/{name}", follow_redirects=False).status_code == 403, name
