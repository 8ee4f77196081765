"""Shared steps of the access and playback tests: institutions with a subscription and a key, playable films (a
licence and published media on local storage), signed assertions."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from catalogue.films.models import Film, FilmStatus
from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from rights.models import Licence, LicenceGrant, LicenceKind, LicenceStatus
from streaming.access.assertions import sign_assertion
from streaming.access.models import AssertionKey, EmbedOrigin, IpRange, KeyStatus, Subscription
from streaming.media.models import FilmMedia, Institution, MediaAsset, MediaStatus

MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=300000,AVERAGE-BANDWIDTH=250000,RESOLUTION=320x180,CODECS="avc1.64000d,mp4a.40.2"
v180/index.m3u8
"""
MEDIA_PLAYLIST = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:6
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="init.mp4"
#EXTINF:6.0,
seg_00000.m4s
#EXTINF:6.0,
seg_00001.m4s
#EXT-X-ENDLIST
"""
SEGMENT = bytes(range(256)) * 40  # 10 240 bytes


@dataclass(frozen=True)
class PortalKey:
    institution_id: int
    kid: str
    secret: str

    def assertion(self, patron: str = "patron-42", *, expires_in: int = 120, nonce: str | None = None,
                  now: float | None = None, **claims: Any) -> str:
        moment = int(now if now is not None else time.time())
        values: dict[str, Any] = {"iss": str(self.institution_id), "sub": patron, "iat": moment,
                                  "exp": moment + expires_in, "jti": nonce or uuid.uuid4().hex, "aud": "cinedoc"}
        values.update(claims)
        return sign_assertion(self.secret, self.kid, values)


def make_institution(db: Session, name: str = "Médiathèque de Lyon", *, country: str = "FR",
                     category: str = "local_authority", subscribed: bool = True,
                     subscription: tuple[date, date] = (date(2020, 1, 1), date(2035, 12, 31)),
                     origins: tuple[str, ...] = ("https://portail.example.fr",), ip_ranges: tuple[str, ...] = (),
                     patron_monthly_limit: int | None = None, monthly_ceiling: int | None = None,
                     cas_server_url: str | None = None) -> PortalKey:
    institution = Institution(name=name, category=category, country=country, patron_monthly_limit=patron_monthly_limit,
                              monthly_ceiling=monthly_ceiling, cas_server_url=cas_server_url)
    db.add(institution)
    db.flush()
    assert institution.id is not None
    if subscribed:
        db.add(Subscription(institution_id=institution.id, start_date=subscription[0], end_date=subscription[1]))
    for origin in origins:
        db.add(EmbedOrigin(institution_id=institution.id, origin=origin))
    for cidr in ip_ranges:
        db.add(IpRange(institution_id=institution.id, cidr=cidr))
    key = AssertionKey(institution_id=institution.id, kid=f"i{institution.id}-{uuid.uuid4().hex[:8]}",
                       secret=uuid.uuid4().hex + uuid.uuid4().hex, status=KeyStatus.ACTIVE)
    db.add(key)
    db.commit()
    return PortalKey(institution.id, key.kid, key.secret)


def add_licence(db: Session, film_id: int, territories: tuple[str, ...] = ("FR", "BE"),
                window: tuple[date, date] = (date(2020, 1, 1), date(2035, 12, 31)),
                status: LicenceStatus = LicenceStatus.ACTIVE) -> int:
    licence = Licence(film_id=film_id, licensor="Les Films du Sillage", kind=LicenceKind.ACQUISITION,
                      status=status, start_date=window[0], end_date=window[1], price_cents=100_000,
                      contract_reference="TEST-1")
    db.add(licence)
    db.flush()
    assert licence.id is not None
    for territory in territories:
        db.add(LicenceGrant(licence_id=licence.id, use="streaming", territory=territory, film_id=film_id))
    db.commit()
    return licence.id


def write_fake_ladder(media_root: Path, prefix: str) -> None:
    """A master playlist, one media playlist, an init section and two segments: enough for the gateway."""
    base = media_root / prefix
    (base / "v180").mkdir(parents=True, exist_ok=True)
    (base / "master.m3u8").write_text(MASTER)
    (base / "v180" / "index.m3u8").write_text(MEDIA_PLAYLIST)
    (base / "v180" / "init.mp4").write_bytes(b"\x00\x00\x00\x18ftypiso6" + bytes(12))
    (base / "v180" / "seg_00000.m4s").write_bytes(SEGMENT)
    (base / "v180" / "seg_00001.m4s").write_bytes(SEGMENT[::-1])


def publish_media(db: Session, film_id: int, prefix: str, *, duration: float = 12.0, captions: bool = False,
                  audio_description: bool = False) -> int:
    asset = MediaAsset(film_id=film_id, version=1, storage_prefix=prefix, status=MediaStatus.READY,
                       duration_seconds=duration, width=320, height=180, has_captions=captions,
                       has_audio_description=audio_description)
    db.add(asset)
    db.flush()
    assert asset.id is not None
    db.add(FilmMedia(film_id=film_id, asset_id=asset.id))
    db.commit()
    return asset.id


def make_playable_film(db: Session, media_root: Path | None, title: str = "Les Glaneurs", *,
                       territories: tuple[str, ...] = ("FR", "BE"), status: FilmStatus = FilmStatus.AVAILABLE,
                       licensed: bool = True, duration: float = 12.0) -> int:
    film = create_film(db, FilmCreate(title=title, status=status))
    db.flush()
    assert film.id is not None
    film_id = film.id
    db.commit()
    if licensed:
        add_licence(db, film_id, territories)
    prefix = f"films/{film_id}/0001-test"
    if media_root is not None:
        write_fake_ladder(media_root, prefix)
    publish_media(db, film_id, prefix, duration=duration)
    return film_id


def film_status(db: Session, film_id: int, status: FilmStatus) -> None:
    film = db.get(Film, film_id)
    assert film is not None
    film.status = status.value
    db.add(film)
    db.commit()


def media_path(playlist_url: str) -> str:
    """The path of a session's playlist URL, for the test client (which knows its own base)."""
    return playlist_url[playlist_url.index("/media/t/"):]


def token_of(playlist_url: str) -> str:
    return media_path(playlist_url).split("/")[3]
