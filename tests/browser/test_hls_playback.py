"""A packaged film plays in Chromium through hls.js, with its SME captions and audio description selectable."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from streaming.media.config import StreamingSettings
from streaming.media.jobs import rendition_names
from streaming.media.packaging import PackagingRequest, package_to_directory, prepare
from streaming.media.storage import content_type
from tests.media_samples import MediaSamples
from tests.media_samples import media_samples as media_samples  # noqa: F401 - registers the fixture

HLS_JS = Path(__file__).resolve().parents[2] / "node_modules" / "hls.js" / "dist" / "hls.min.js"

PLAYER_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>player</title><script src="/hls.min.js"></script></head>
<body><video id="video" muted playsinline width="640" height="360"></video>
<script>
  window.events = [];
  const video = document.getElementById("video");
  const hls = new Hls({ subtitleDisplay: true });
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (_e, data) => window.events.push("error:" + data.details + (data.fatal ? ":fatal" : "")));
  hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, (_e, data) => window.events.push("audio:" + data.id));
  hls.on(Hls.Events.SUBTITLE_TRACK_SWITCH, (_e, data) => window.events.push("subtitle:" + data.id));
  hls.loadSource("/media/master.m3u8");
  hls.attachMedia(video);
</script></body></html>
"""


class LadderHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the Content-Type our storage sets, and no log lines in the test output."""

    def guess_type(self, path: str | object) -> str:
        return content_type(str(path))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
        return


@pytest.fixture(scope="module")
def served_ladder(media_samples: MediaSamples, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("served")
    settings = StreamingSettings(x264_preset="veryfast")
    prepared = prepare(PackagingRequest(media_samples.master, captions=media_samples.captions,
                                        audio_description=media_samples.audio_description,
                                        subtitles=()), settings)
    package_to_directory(prepared, root / "media", settings, names=rendition_names("fr", []), timeout=120)
    shutil.copyfile(HLS_JS, root / "hls.min.js")
    (root / "index.html").write_text(PLAYER_PAGE, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(LadderHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def player(browser: Browser, served_ladder: str) -> Iterator[Page]:
    context = browser.new_context(base_url=served_ladder)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/index.html")
    page.wait_for_function("window.hls && window.hls.levels.length === 2 && window.hls.audioTracks.length === 2")
    yield page
    context.close()


def test_the_ladder_plays_and_playback_advances(player: Page) -> None:
    player.evaluate("document.getElementById('video').play()")
    player.wait_for_function("document.getElementById('video').currentTime > 1.5")
    assert not [e for e in player.evaluate("window.events") if e.endswith(":fatal")]
    levels = player.evaluate("window.hls.levels.map(l => [l.width, l.height, l.attrs['CLOSED-CAPTIONS']])")
    assert levels == [[416, 234, "NONE"], [640, 360, "NONE"]]


def test_audio_description_is_offered_and_can_be_chosen(player: Page) -> None:
    tracks = player.evaluate("window.hls.audioTracks.map(t => [t.name, t.attrs.CHARACTERISTICS || null])")
    assert tracks == [["Français", None],
                      ["Français (audiodescription)", "public.accessibility.describes-video"]]
    player.evaluate("document.getElementById('video').play()")
    player.evaluate("window.hls.audioTrack = 1")
    player.wait_for_function("window.events.includes('audio:1')")
    start = player.evaluate("document.getElementById('video').currentTime")
    player.wait_for_function(f"document.getElementById('video').currentTime > {start} + 1")
    assert player.evaluate("window.hls.audioTrack") == 1


def test_sme_captions_are_offered_and_show_in_time_with_their_colours(player: Page) -> None:
    tracks = player.evaluate("window.hls.subtitleTracks.map(t => [t.name, t.attrs.CHARACTERISTICS])")
    assert tracks == [["Français (sous-titres pour sourds et malentendants)",
                       "public.accessibility.transcribes-spoken-dialog,"
                       "public.accessibility.describes-music-and-sound"]]
    player.evaluate("window.hls.subtitleTrack = 0")
    player.evaluate("document.getElementById('video').play()")
    player.wait_for_function("""() => {
        const track = [...document.getElementById('video').textTracks].find(t => t.mode === 'showing');
        return track && track.cues && track.cues.length === 3;
    }""")
    cues = player.evaluate("""() => {
        const track = [...document.getElementById('video').textTracks].find(t => t.mode === 'showing');
        return [...track.cues].map(c => [c.startTime, c.endTime, c.text]);
    }""")
    expected = [(0.5, 2.0, "<c.yellow>Bonjour"), (2.5, 4.0, "<c.red>[Une porte claque]"), (4.5, 7.5, "<i>Musique")]
    for (start, end, text), (want_start, want_end, want_text) in zip(cues, expected, strict=True):
        assert abs(start - want_start) < 0.1 and abs(end - want_end) < 0.1, cues
        assert text.startswith(want_text)
