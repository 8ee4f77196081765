"""The ladder follows Apple's 16:9 table, never upscales, and copies a source that is already a rung."""

from __future__ import annotations

from pathlib import Path

from streaming.media.ladder import is_remuxable, plan_ladder, segment_boundaries_on_keyframes
from streaming.media.probe import AudioFacts, MediaFacts, VideoFacts


def facts(width: int, height: int, *, rotation: int = 0, sar: str = "1:1", codec: str = "h264",
          bit_rate: int | None = 150_000, duration: float = 60.0) -> MediaFacts:
    video = VideoFacts(codec=codec, profile="High", pix_fmt="yuv420p", width=width, height=height, frame_rate=25.0,
                       rotation=rotation, interlaced=False, sample_aspect_ratio=sar, bit_rate=bit_rate)
    return MediaFacts(Path("m.mp4"), "mov", duration, 1, video, AudioFacts("aac", "LC", 2, 48000))


def sizes(rungs: list) -> list[tuple[int, int]]:
    return [(r.width, r.height) for r in rungs]


def test_a_1080p_master_gets_the_whole_apple_16_9_ladder() -> None:
    assert sizes(plan_ladder(facts(1920, 1080))) == [
        (416, 234), (640, 360), (768, 432), (960, 540), (1280, 720), (1920, 1080)]


def test_the_ladder_stops_at_the_source_size() -> None:
    rungs = plan_ladder(facts(640, 360))
    assert sizes(rungs) == [(416, 234), (640, 360)]
    assert all(r.width <= 640 and r.height <= 360 for r in rungs)


def test_a_source_smaller_than_the_first_rung_keeps_its_own_size() -> None:
    assert sizes(plan_ladder(facts(320, 180))) == [(320, 180)]


def test_a_source_between_rungs_adds_its_own_size_on_top_when_much_larger() -> None:
    assert sizes(plan_ladder(facts(1024, 576))) == [(416, 234), (640, 360), (768, 432), (960, 540)]
    assert sizes(plan_ladder(facts(1600, 900)))[-1] == (1600, 900)


def test_a_4_3_source_fits_inside_the_rung_boxes_without_stretching() -> None:
    rungs = plan_ladder(facts(720, 540))
    assert sizes(rungs) == [(312, 234), (480, 360), (576, 432), (720, 540)]


def test_a_rotated_phone_video_is_laddered_upright() -> None:
    rungs = plan_ladder(facts(1280, 720, rotation=90))
    assert sizes(rungs)[-1] == (720, 1280)
    assert all(r.height > r.width and r.width <= 720 for r in rungs)


def test_a_compliant_source_with_keyframes_on_segment_boundaries_is_remuxed() -> None:
    source = facts(416, 234, duration=20.0)
    keyframes = [float(t) for t in range(0, 20, 2)]
    rungs = plan_ladder(source, keyframes=keyframes)
    assert [r.remux for r in rungs] == [True]


def test_remux_is_refused_when_keyframes_miss_a_segment_boundary() -> None:
    source = facts(416, 234, duration=20.0)
    assert not is_remuxable(source, plan_ladder(source, remux_allowed=False)[-1], [0.0, 5.0, 10.0, 15.0])
    assert not plan_ladder(source, keyframes=None)[-1].remux


def test_remux_is_refused_for_other_codecs_or_heavy_sources() -> None:
    assert not plan_ladder(facts(416, 234, codec="mpeg2video"), keyframes=[0.0, 6.0])[-1].remux
    assert not plan_ladder(facts(416, 234, bit_rate=5_000_000, duration=10), keyframes=[0.0, 6.0])[-1].remux


def test_a_boundary_at_the_very_end_of_the_film_needs_no_keyframe() -> None:
    assert segment_boundaries_on_keyframes([float(t) for t in range(0, 60, 2)], 60.032, 25.0)


def test_segment_boundary_check_tolerates_half_a_frame() -> None:
    assert segment_boundaries_on_keyframes([0.0, 2.0, 4.0, 6.01, 8.0, 12.0], 13.0, 25.0)
    assert not segment_boundaries_on_keyframes([0.0, 2.0, 4.0, 6.1, 8.0, 12.0], 13.0, 25.0)


def test_top_only_keeps_the_largest_rung() -> None:
    assert sizes(plan_ladder(facts(1920, 1080), top_only=True)) == [(1920, 1080)]
