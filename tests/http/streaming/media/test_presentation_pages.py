"""Presentation videos in public: served only for a public film with a published presentation, only from inside its
prefix, and shown on the public film page and in the embed only when the film has one."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session

from catalogue.films.models import FilmStatus
from streaming.media.models import MediaAsset, MediaPurpose, MediaStatus, PresentationMedia
from tests.playback_helpers import PortalKey, film_status, make_playable_film, write_fake_ladder


def add_presentation(db: Session, media_root: Path, film_id: int, *, status: MediaStatus = MediaStatus.READY) -> str:
    prefix = f"films/{film_id}/presentation-0002-test"
    write_fake_ladder(media_root, prefix)
    (media_root / prefix / "poster.jpg").write_bytes(b"\xff\xd8\xff\xe0 poster")
    asset = MediaAsset(film_id=film_id, version=2, purpose=MediaPurpose.PRESENTATION, storage_prefix=prefix,
                       status=status, duration_seconds=95.0, width=320, height=180, has_captions=True)
    db.add(asset)
    db.flush()
    assert asset.id is not None
    db.add(PresentationMedia(film_id=film_id, asset_id=asset.id))
    db.commit()
    return prefix


@pytest.fixture
def presented(db: Session, media_root: Path, film: int) -> int:
    add_presentation(db, media_root, film)
    return film


def test_the_presentation_is_public_and_ranges_work(client: TestClient, playback_app: Litestar,
                                                    presented: int) -> None:
    master = client.get(f"/media/presentations/{presented}/master.m3u8")
    assert master.status_code == 200 and master.text.startswith("#EXTM3U")
    assert master.headers["cache-control"] == "public, max-age=60"
    assert master.headers["access-control-allow-origin"] == "*"
    part = client.get(f"/media/presentations/{presented}/v180/seg_00000.m4s", headers={"Range": "bytes=-16"})
    assert part.status_code == 206 and len(part.content) == 16
    assert part.headers["content-range"] == "bytes 10224-10239/10240"
    assert part.headers["content-type"] == "video/iso.segment"


@pytest.mark.parametrize("path", [
    "../0001-test/master.m3u8", "..%2F0001-test%2Fmaster.m3u8", "%2e%2e/0001-test/master.m3u8",
    "v180/../../0001-test/master.m3u8", "v180%5C..%5Cmaster.m3u8", "/etc/passwd", "v180/seg_00000.m4s%00.m3u8",
    "master.m3u8.partial", "a/b/c/d/e/master.m3u8",
])
def test_paths_outside_the_presentation_are_404(client: TestClient, playback_app: Litestar, presented: int,
                                                 path: str) -> None:
    # The film's own media sits next door (films/{id}/0001-test): it must stay behind the patron's token.
    response = client.get(f"/media/presentations/{presented}/{path}")
    assert response.status_code == 404, (path, response.status_code)
    assert b"#EXTM3U" not in response.content


def test_unknown_films_films_without_presentation_and_unpublished_ones_are_404(
        client: TestClient, playback_app: Litestar, db: Session, media_root: Path, film: int) -> None:
    assert client.get("/media/presentations/987654/master.m3u8").status_code == 404
    assert client.get("/media/presentations/abc/master.m3u8").status_code == 404
    # The film has its own media but no presentation: nothing of it is served here.
    assert client.get(f"/media/presentations/{film}/master.m3u8").status_code == 404
    other = make_playable_film(db, media_root, "Le Sel de la terre")
    add_presentation(db, media_root, other, status=MediaStatus.PENDING)
    assert client.get(f"/media/presentations/{other}/master.m3u8").status_code == 404


@pytest.mark.parametrize("status", [FilmStatus.DRAFT, FilmStatus.WEEDED])
def test_a_film_the_public_catalogue_hides_has_no_public_presentation(
        client: TestClient, playback_app: Litestar, db: Session, presented: int, status: FilmStatus) -> None:
    film_status(db, presented, status)
    assert client.get(f"/media/presentations/{presented}/master.m3u8").status_code == 404
    assert client.get(f"/media/posters/{presented}/poster.jpg").status_code == 404


def test_the_public_film_page_shows_the_presentation_and_the_packaged_poster(
        client: TestClient, playback_app: Litestar, db: Session, media_root: Path, presented: int) -> None:
    (media_root / f"films/{presented}/0001-test/poster.jpg").write_bytes(b"\xff\xd8\xff\xe0 film poster")
    page = client.get(f"/films/{presented}", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Vidéo de présentation" in page.text
    assert f'data-hls="/media/presentations/{presented}/master.m3u8"' in page.text
    assert 'src="/static/presentation.js"' in page.text and 'src="/player-assets/hls.min.js"' in page.text
    assert "Une courte présentation du film (1 min 35 s)." in page.text
    assert f'src="/media/posters/{presented}/poster.jpg"' in page.text and "poster-placeholder" not in page.text
    poster = client.get(f"/media/posters/{presented}/poster.jpg")
    assert poster.status_code == 200 and poster.content.endswith(b"film poster")
    assert poster.headers["cache-control"].startswith("public")
    english = client.get(f"/films/{presented}?lang=en")
    assert "Presentation video of " in english.text


def test_the_public_film_page_has_no_presentation_section_without_one(
        client: TestClient, playback_app: Litestar, db: Session, film: int) -> None:
    page = client.get(f"/films/{film}")
    assert page.status_code == 200
    assert "data-hls" not in page.text and "presentation.js" not in page.text and "hls.min.js" not in page.text
    # The packaged film has no poster file here: the placeholder stays, and no public poster is made up.
    assert client.get(f"/media/posters/{film}/poster.jpg").status_code == 404


def test_the_embed_shows_the_presentation_under_the_film_only_when_there_is_one(
        client: TestClient, playback_app: Litestar, db: Session, media_root: Path, portal: PortalKey,
        film: int) -> None:
    without = client.get(f"/embed/{film}", params={"assertion": portal.assertion(), "lang": "en"})
    assert without.status_code == 200 and "data-hls" not in without.text and "presentation.js" not in without.text
    add_presentation(db, media_root, film)
    page = client.get(f"/embed/{film}", params={"assertion": portal.assertion(), "lang": "en"})
    assert page.status_code == 200
    text = page.text
    assert text.index('id="about-title"') < text.index('id="presentation-title"')
    assert f'data-hls="/media/presentations/{film}/master.m3u8"' in text
    assert 'src="/static/presentation.js"' in text and "Captions are available" in text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "media-src 'self' blob:" in policy
    assert "<script>" not in text  # the CSP allows no inline script
