"""The player page's own text, rendered by the server: the transcript from the SME captions (there before playing,
read from the storage once per published version), the chapters, a film without captions, a caption file the
storage cannot give, the player's words, and what a portal whose address is not registered gets instead of a blank
frame."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, select

from cinedoc.kernel.i18n import current_locale
from streaming.media.models import MediaAsset
from streaming.media.text_tracks import CACHE
from streaming.playback.player import player_strings
from streaming.runtime import runtime_for
from tests.playback_helpers import PortalKey

SME_MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Français (sous-titres pour sourds et malentendants)",\
LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,\
CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound",\
URI="subtitles/fr-sme/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=320x180,CODECS="avc1.64000d,mp4a.40.2",SUBTITLES="subs"
v180/index.m3u8
"""
SUBTITLE_PLAYLIST = """#EXTM3U
#EXT-X-TARGETDURATION:12
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:12.000,
captions.vtt
#EXT-X-ENDLIST
"""
CAPTIONS_VTT = """WEBVTT
X-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000

1
00:00:00.500 --> 00:00:02.000
<c.yellow>Bonjour</c>, tout le monde&nbsp;!

2
00:00:02.500 --> 00:00:04.000
<c.red>[Une porte claque]</c>

3
00:00:04.500 --> 00:00:07.500
<i>Musique douce</i> &amp; <c.magenta>♪</c>
"""
CHAPTERS_VTT = """WEBVTT

00:00:00.000 --> 00:00:05.000
Le départ

00:00:05.000 --> 00:00:12.000
<b>L'arrivée</b>
"""


def prefix_of(db: Session, film: int) -> tuple[MediaAsset, str]:
    asset = db.exec(select(MediaAsset).where(MediaAsset.film_id == film)).one()
    return asset, asset.storage_prefix


@pytest.fixture
def captioned(db: Session, media_root: Path, film: int) -> Path:
    """The film's published version with an SME caption track and a chapter track."""
    CACHE.clear()
    asset, prefix = prefix_of(db, film)
    base = media_root / prefix
    (base / "master.m3u8").write_text(SME_MASTER, encoding="utf-8")
    (base / "subtitles" / "fr-sme").mkdir(parents=True)
    (base / "subtitles" / "fr-sme" / "index.m3u8").write_text(SUBTITLE_PLAYLIST, encoding="utf-8")
    (base / "subtitles" / "fr-sme" / "captions.vtt").write_text(CAPTIONS_VTT, encoding="utf-8")
    (base / "chapters.vtt").write_text(CHAPTERS_VTT, encoding="utf-8")
    asset.has_captions = True
    asset.has_chapters = True
    db.add(asset)
    db.commit()
    return base


def embed(client: TestClient, film: int, portal: PortalKey, **headers: str) -> str:
    response = client.get(f"/embed/{film}", params={"assertion": portal.assertion(), "lang": "fr"}, headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def transcript_lines(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text) for text in re.findall(r'<span class="cue-text">(.*?)</span></button>', page)]


def test_the_transcript_is_rendered_from_the_sme_captions(client: TestClient, playback_app: Litestar,
                                                          portal: PortalKey, film: int, captioned: Path) -> None:
    page = embed(client, film, portal)
    assert transcript_lines(page) == ["Bonjour, tout le monde\u00a0!", "[Une porte claque]", "Musique douce &amp; ♪"]
    assert '<span class="sme-yellow">Bonjour</span>' in page and '<span class="sme-red">' in page
    assert 'data-start="2.5"' in page and '<span class="cue-time">0:02</span>' in page
    assert 'aria-controls="transcript-section"' in page  # its button, at the control bar's level


def test_the_transcript_is_read_from_the_storage_once_per_version(client: TestClient, playback_app: Litestar,
                                                                   portal: PortalKey, film: int,
                                                                   captioned: Path) -> None:
    storage = runtime_for(playback_app.state).storage
    reads: list[str] = []
    original = storage.read_bytes

    def counting(key: str) -> bytes:
        reads.append(key)
        return original(key)

    storage.read_bytes = counting
    for _ in range(3):
        assert "[Une porte claque]" in embed(client, film, portal)
    assert sorted(set(reads)) == sorted(reads)  # master, subtitle playlist, captions, chapters: once each
    assert any(key.endswith("captions.vtt") for key in reads) and any(key.endswith("chapters.vtt") for key in reads)


def test_chapters_are_listed_and_offered_in_the_bar(client: TestClient, playback_app: Litestar, portal: PortalKey,
                                                    film: int, captioned: Path) -> None:
    page = embed(client, film, portal)
    assert re.search(r'<select id="chapter-select"[^>]*>\s*<option value="0.0">Le départ</option>'
                     r'<option value="5.0">L&#39;arrivée</option>', page), page
    assert 'class="chapter" data-start="5.0"' in page and "Chapitres" in page


def test_a_film_without_captions_says_it_has_no_transcript(client: TestClient, playback_app: Litestar,
                                                           portal: PortalKey, film: int) -> None:
    page = embed(client, film, portal)
    assert 'id="transcript-toggle"' in page  # the button is there, not silently gone
    assert "Pas de transcription pour ce film" in page and 'id="transcript"' not in page
    assert 'id="chapter-select"' not in page


@pytest.mark.parametrize("damage", ["missing", "garbage", "master"])
def test_a_caption_file_the_storage_cannot_give_leaves_a_working_page(client: TestClient, playback_app: Litestar,
                                                                      portal: PortalKey, film: int,
                                                                      captioned: Path, damage: str) -> None:
    captions = captioned / "subtitles" / "fr-sme" / "captions.vtt"
    if damage == "missing":
        captions.unlink()
    elif damage == "garbage":
        captions.write_bytes(b"\xff\xd8\xff\xe0 JFIF not captions at all")
    else:
        # A master that names no SME track, though the version says it has captions.
        (captioned / "master.m3u8").write_text(SME_MASTER.replace("transcribes-spoken-dialog", "x"), encoding="utf-8")
    page = embed(client, film, portal)
    assert "La transcription ne peut pas être affichée pour le moment" in page
    assert 'id="play"' in page and "data-grant=" in page  # the film can still be played
    # Not kept: once the storage gives the file again, the transcript is there.
    (captioned / "master.m3u8").write_text(SME_MASTER, encoding="utf-8")
    captions.write_text(CAPTIONS_VTT, encoding="utf-8")
    assert "[Une porte claque]" in embed(client, film, portal)


def test_an_unreadable_chapter_file_drops_the_chapters_only(client: TestClient, playback_app: Litestar,
                                                            portal: PortalKey, film: int, captioned: Path) -> None:
    (captioned / "chapters.vtt").write_text("not a chapter file", encoding="utf-8")
    page = embed(client, film, portal)
    assert 'id="chapter-select"' not in page and "[Une porte claque]" in page


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_players_words_are_plain(locale: str) -> None:
    token = current_locale.set(locale)
    try:
        texts = " ".join(player_strings().values()).lower()
    finally:
        current_locale.reset(token)
    for word in ("assertion", "jti", "token", "grant", "jeton"):
        assert word not in texts, word


STRANGER = "https://autre-site.example.org"


def test_a_portal_not_registered_gets_a_framable_page_saying_what_to_do(client: TestClient, playback_app: Litestar,
                                                                        portal: PortalKey, film: int) -> None:
    assertion = portal.assertion()
    framed = {"sec-fetch-dest": "iframe", "referer": f"{STRANGER}/catalogue/film?id=3"}
    response = client.get(f"/embed/{film}", params={"assertion": assertion, "lang": "fr"}, headers=framed)
    assert response.status_code == 403
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    page = response.text
    assert "data-grant" not in page and "<script" not in page  # no grant, nothing private
    assert "Ce film ne peut pas être affiché dans cette page" in page
    assert f"l’adresse {STRANGER} pour votre bibliothèque" in page  # the exact address to register
    link = re.search(r'<a class="open-link" id="open-player" href="([^"]+)" target="_blank"', page)
    assert link and link.group(1).replace("&amp;", "&").endswith(f"/embed/{film}?assertion={assertion}&lang=fr")
    for word in ("assertion", "jti", "token", "grant", "jeton"):
        assert word not in re.sub(r'href="[^"]*"', "", page).lower()
    # The patron's assertion was not spent: the link opens the player.
    opened = client.get(f"/embed/{film}", params={"assertion": assertion, "lang": "fr"},
                        headers={"sec-fetch-dest": "document"})
    assert opened.status_code == 200 and "data-grant=" in opened.text


def test_the_registered_portal_and_a_frame_without_referer_get_the_player(client: TestClient, playback_app: Litestar,
                                                                          portal: PortalKey, film: int) -> None:
    registered = {"sec-fetch-dest": "iframe", "referer": "https://portail.example.fr/films/"}
    assert "data-grant=" in embed(client, film, portal, **registered)
    response = client.get(f"/embed/{film}", params={"assertion": portal.assertion()},
                          headers={"sec-fetch-dest": "iframe"})
    assert response.status_code == 200 and "data-grant=" in response.text
    assert "frame-ancestors https://portail.example.fr" in response.headers["content-security-policy"]


def test_an_unreadable_referer_keeps_the_usual_answer(client: TestClient, playback_app: Litestar,
                                                      portal: PortalKey, film: int) -> None:
    page = embed(client, film, portal, **{"sec-fetch-dest": "iframe", "referer": "ftp://user@x/"})
    assert "data-grant=" in page
