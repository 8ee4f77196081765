"""The master playlist we write: every attribute players and Apple's validator look for, and it parses."""

from __future__ import annotations

import m3u8

from streaming.media.hls import (
    AD_CHARACTERISTICS,
    SME_CHARACTERISTICS,
    AudioRendition,
    Bandwidth,
    MasterPlaylist,
    SubtitleRendition,
    VideoVariant,
    subtitle_playlist,
    thumbnails_vtt,
)


def master() -> MasterPlaylist:
    return MasterPlaylist(
        variants=[
            VideoVariant("v360/index.m3u8", 640, 360, 25.0, "avc1.64001e", Bandwidth(400_000, 350_000)),
            VideoVariant("v234/index.m3u8", 416, 234, 25.0, "avc1.64000d", Bandwidth(160_000, 140_000)),
        ],
        audio=[
            AudioRendition("audio/index.m3u8", "Français", "fr", True, False, Bandwidth(130_000, 128_000)),
            AudioRendition("ad/index.m3u8", "Français (audiodescription)", "fr", False, True,
                           Bandwidth(135_000, 129_000)),
        ],
        subtitles=[
            SubtitleRendition("subtitles/fr-sme/index.m3u8", "Français (SME)", "fr", True),
            SubtitleRendition("subtitles/en/index.m3u8", "English", "en", False),
        ],
    )


def test_variants_carry_bandwidths_codecs_resolution_frame_rate_and_no_closed_captions() -> None:
    parsed = m3u8.loads(master().render())
    assert parsed.is_variant
    first, second = parsed.playlists
    assert first.uri == "v234/index.m3u8"  # lowest bandwidth first
    info = first.stream_info
    assert info.bandwidth == 160_000 + 135_000  # the heaviest audio of the group is counted
    assert info.average_bandwidth == 140_000 + 129_000
    assert info.codecs == "avc1.64000d,mp4a.40.2"
    assert info.resolution == (416, 234)
    assert info.frame_rate == 25.0
    assert info.closed_captions == "NONE"
    assert info.audio == "audio" and info.subtitles == "subs"
    assert second.stream_info.resolution == (640, 360)


def test_audio_description_is_an_audio_rendition_marked_describes_video() -> None:
    audio = [m for m in m3u8.loads(master().render()).media if m.type == "AUDIO"]
    main, described = audio
    assert main.default == "YES" and main.characteristics is None
    assert described.characteristics == AD_CHARACTERISTICS == "public.accessibility.describes-video"
    assert described.default == "NO" and described.autoselect == "YES" and described.group_id == "audio"


def test_sme_captions_and_translations_are_webvtt_subtitle_groups() -> None:
    subtitles = [m for m in m3u8.loads(master().render()).media if m.type == "SUBTITLES"]
    sme, english = subtitles
    assert sme.characteristics == SME_CHARACTERISTICS
    assert "public.accessibility.transcribes-spoken-dialog" in sme.characteristics
    assert "public.accessibility.describes-music-and-sound" in sme.characteristics
    assert english.characteristics is None and english.language == "en" and english.forced == "NO"


def test_master_declares_independent_segments_and_version_7() -> None:
    text = master().render()
    assert text.startswith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")


def test_names_with_quotes_cannot_break_the_attribute_list() -> None:
    playlist = MasterPlaylist([VideoVariant("v/index.m3u8", 2, 2, 25, "avc1.64000d", Bandwidth(1, 1))],
                              [AudioRendition("a/index.m3u8", 'Le "son"', "fr", True, False, Bandwidth(1, 1))])
    assert m3u8.loads(playlist.render()).media[0].name == "Le 'son'"


def test_subtitle_playlist_is_a_finished_vod_playlist() -> None:
    parsed = m3u8.loads(subtitle_playlist("captions.vtt", 7.5))
    assert parsed.is_endlist and parsed.playlist_type == "vod" and parsed.target_duration == 8
    assert [s.uri for s in parsed.segments] == ["captions.vtt"]


def test_thumbnail_track_points_into_sprite_cells() -> None:
    text = thumbnails_vtt(count=12, interval=2.0, width=160, height=90, columns=10, rows=10, duration=23.0)
    assert "00:00:00.000 --> 00:00:02.000\nsprite_001.jpg#xywh=0,0,160,90" in text
    assert "00:00:20.000 --> 00:00:22.000\nsprite_001.jpg#xywh=0,90,160,90" in text
    many = thumbnails_vtt(count=101, interval=1.0, width=160, height=90, columns=10, rows=10, duration=101.0)
    assert "sprite_002.jpg#xywh=0,0,160,90" in many
