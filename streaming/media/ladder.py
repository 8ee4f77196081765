"""The bitrate ladder: Apple's HLS authoring table for 16:9, cut to the source so that nothing is ever upscaled."""

from __future__ import annotations

from dataclasses import dataclass

from streaming.media.probe import MediaFacts

# (width, height, video kbit/s) from Apple's HLS authoring specification, one rung per resolution.
APPLE_16_9 = (
    (416, 234, 145),
    (640, 360, 365),
    (768, 432, 730),
    (960, 540, 2000),
    (1280, 720, 3000),
    (1920, 1080, 6000),
)
AUDIO_KBPS = 128
KEYFRAME_SECONDS = 2
SEGMENT_SECONDS = 6
REMUXABLE_PROFILES = {"High", "Main", "Constrained Baseline"}
# A source far above the rung's bitrate would be remuxed into a rendition too heavy for the connections it serves.
REMUX_MAX_BITRATE_RATIO = 2.0


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_kbps: int
    remux: bool = False

    @property
    def maxrate_kbps(self) -> int:
        # Apple: peak bitrate at most 110 % of the average for VOD.
        return int(self.video_kbps * 1.1)

    @property
    def bufsize_kbps(self) -> int:
        return self.video_kbps * 2


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def fit(box_width: int, box_height: int, aspect: float) -> tuple[int, int]:
    """The largest even-sided picture of the source's aspect inside the rung's box."""
    if aspect >= box_width / box_height:
        return box_width, _even(box_width / aspect)
    return _even(box_height * aspect), box_height


def plan_ladder(
    facts: MediaFacts, *, top_only: bool = False, remux_allowed: bool = True, keyframes: list[float] | None = None
) -> list[Rung]:
    """Rungs from smallest to largest; a source smaller than the first rung gets one rung at its own size."""
    source_width, source_height = facts.video.display_size
    aspect = source_width / source_height
    rungs: list[Rung] = []
    for box_width, box_height, kbps in APPLE_16_9:
        width, height = fit(box_width, box_height, aspect)
        if width > source_width or height > source_height:
            break
        scale = (width * height) / (box_width * box_height)
        rungs.append(Rung(f"v{height}", width, height, max(64, round(kbps * scale))))
    top_width, top_height = source_width - source_width % 2, source_height - source_height % 2
    # A source between two rungs (or below the first) keeps its own size as the top rung when it is
    # noticeably larger than the last rung: otherwise its extra detail would be thrown away.
    if not rungs or (
        top_height >= rungs[-1].height * 1.15 and (rungs[-1].width, rungs[-1].height) != (top_width, top_height)
    ):
        kbps = _interpolated_kbps(top_width * top_height)
        rungs.append(Rung(f"v{top_height}", top_width, top_height, kbps))
    if top_only:
        rungs = rungs[-1:]
    if remux_allowed and rungs and is_remuxable(facts, rungs[-1], keyframes):
        top = rungs[-1]
        rungs[-1] = Rung(top.name, top.width, top.height, top.video_kbps, remux=True)
    return rungs


def _interpolated_kbps(pixels: int) -> int:
    table = [(w * h, kbps) for w, h, kbps in APPLE_16_9]
    if pixels <= table[0][0]:
        return max(64, round(table[0][1] * pixels / table[0][0]))
    for (low_pixels, low_kbps), (high_pixels, high_kbps) in zip(table, table[1:], strict=False):
        if pixels <= high_pixels:
            share = (pixels - low_pixels) / (high_pixels - low_pixels)
            return round(low_kbps + share * (high_kbps - low_kbps))
    return round(table[-1][1] * pixels / table[-1][0])


def is_remuxable(facts: MediaFacts, rung: Rung, keyframes: list[float] | None) -> bool:
    """A source already in the rung's exact shape can be copied, if every segment boundary falls on a keyframe."""
    video = facts.video
    if (video.width, video.height) != (rung.width, rung.height) or video.rotation or video.interlaced:
        return False
    if video.codec != "h264" or video.profile not in REMUXABLE_PROFILES or video.pix_fmt != "yuv420p":
        return False
    if video.sample_aspect_ratio not in ("1:1", "0:1"):
        return False
    if video.bit_rate and video.bit_rate > rung.video_kbps * 1000 * REMUX_MAX_BITRATE_RATIO:
        return False
    if keyframes is None:
        return False
    return segment_boundaries_on_keyframes(keyframes, facts.duration, video.frame_rate)


def segment_boundaries_on_keyframes(keyframes: list[float], duration: float, frame_rate: float) -> bool:
    """Encoded rungs cut every SEGMENT_SECONDS; a copied rung must cut at the same instants to switch cleanly."""
    if not keyframes:
        return False
    start = keyframes[0]
    tolerance = 0.5 / frame_rate
    boundary = float(SEGMENT_SECONDS)
    index = 0
    # A boundary at (or after) the last frame cuts nothing: a film of exactly 60 s has no keyframe at 60 s.
    while boundary < duration - 1.0 / frame_rate - tolerance:
        while index < len(keyframes) and keyframes[index] - start < boundary - tolerance:
            index += 1
        if index >= len(keyframes) or abs(keyframes[index] - start - boundary) > tolerance:
            return False
        boundary += SEGMENT_SECONDS
    return True
