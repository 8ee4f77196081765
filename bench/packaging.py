"""Packaging benchmark: our whole pipeline against one hand-written ffmpeg command for the same ladder, same run.

Prints wall times, real-time factors, the ratio ours / hand-written (target <= 1.10), the peak memory of our
Python process for a short and a long master (flat: ffmpeg does the heavy lifting, we only read its progress), and
the real-time factor of the remux path (target > 50x). Run: ``.venv/bin/python -m bench.packaging [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE_SIZE = "1920x1080"


def make_master(path: Path, seconds: int) -> None:
    # A busy synthetic picture (testsrc2 moves every frame) so that the encoder has real work to do.
    subprocess.run([
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={SOURCE_SIZE}:rate=25", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-c:a", "aac", "-ac", "2", str(path),
    ], check=True)


def hand_written_command(master: Path, out: Path, preset: str) -> list[str]:
    """What an engineer would type for the same 6-rung Apple ladder, written out without any of our code."""
    rungs = [(416, 234, 145), (640, 360, 365), (768, 432, 730), (960, 540, 2000), (1280, 720, 3000),
             (1920, 1080, 6000)]
    graph = "[0:v]split=6" + "".join(f"[s{i}]" for i in range(6)) + ";" + ";".join(
        f"[s{i}]scale={w}:{h},setsar=1,format=yuv420p[v{i}]" for i, (w, h, _) in enumerate(rungs))
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(master),
               "-filter_complex", graph]
    for i in range(6):
        command += ["-map", f"[v{i}]"]
    command += ["-map", "0:a:0"]
    for i, (_w, _h, kbps) in enumerate(rungs):
        command += [f"-c:v:{i}", "libx264", f"-profile:v:{i}", "high", f"-preset:v:{i}", preset,
                    f"-b:v:{i}", f"{kbps}k", f"-maxrate:v:{i}", f"{int(kbps * 1.1)}k",
                    f"-bufsize:v:{i}", f"{kbps * 2}k"]
    command += ["-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
                "-x264-params", "scenecut=0:open_gop=0", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
                "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
                "-hls_flags", "independent_segments", "-hls_segment_filename", str(out / "%v" / "seg_%05d.m4s"),
                "-master_pl_name", "master.m3u8",
                "-var_stream_map", " ".join([*(f"v:{i},agroup:a" for i in range(6)), "a:0,agroup:a"]),
                str(out / "%v" / "index.m3u8")]
    return command


def run_ours(master: Path, root: Path, preset: str, top_only: bool) -> dict[str, object]:
    """One packaging through our code (probe, plan, transcode, playlists, checks, publish to local storage)."""
    from streaming.media.config import StreamingSettings
    from streaming.media.jobs import rendition_names
    from streaming.media.packaging import PackagingRequest, package_to_directory, prepare, upload
    from streaming.media.storage import LocalStorage

    settings = StreamingSettings(x264_preset=preset)
    started = time.perf_counter()
    prepared = prepare(PackagingRequest(master, top_only=top_only), settings)
    packaged = package_to_directory(prepared, root / "work" / "out", settings, names=rendition_names("fr", []),
                                    timeout=3600)
    upload(packaged, LocalStorage(root / "media"), "films/1/0001-bench")
    wall = time.perf_counter() - started
    return {
        "wall": wall, "duration": prepared.facts.duration, "rungs": [r.name for r in prepared.rungs],
        "remux": [r.remux for r in prepared.rungs],
        # Linux reports ru_maxrss in KiB. SELF is this Python process; CHILDREN is ffmpeg and ffprobe.
        "rss_self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def in_child(master: Path, root: Path, preset: str, top_only: bool) -> dict[str, object]:
    """Each of our runs in a fresh interpreter, so that its peak memory is its own."""
    result = subprocess.run([sys.executable, "-m", "bench.packaging", "--child", str(master), str(root), preset,
                             "1" if top_only else "0"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60, help="Length of the 1080p master (default 60).")
    parser.add_argument("--preset", default="veryfast", help="libx264 preset for both sides (default veryfast).")
    parser.add_argument("--child", nargs=4, metavar=("MASTER", "ROOT", "PRESET", "TOP_ONLY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        master, root, preset, top_only = args.child
        print(json.dumps(run_ours(Path(master), Path(root), preset, top_only == "1")))
        return
    if shutil.which("ffmpeg") is None:
        sys.exit("ffmpeg is not installed")
    with tempfile.TemporaryDirectory(prefix="cinedoc-bench-") as tmp:
        base = Path(tmp)
        short, long = base / "short.mp4", base / "long.mp4"
        print(f"Making a {args.seconds} s {SOURCE_SIZE} master and a 10 s one...", flush=True)
        make_master(short, 10)
        make_master(long, args.seconds)

        print("Hand-written ffmpeg command, full ladder...", flush=True)
        hand_out = base / "hand"
        hand_out.mkdir()
        started = time.perf_counter()
        subprocess.run(hand_written_command(long, hand_out, args.preset), check=True)
        hand_wall = time.perf_counter() - started

        print("Our packaging, full ladder...", flush=True)
        ours = in_child(long, base / "ours", args.preset, False)
        print("Our packaging of the 10 s master (memory check)...", flush=True)
        ours_short = in_child(short, base / "ours-short", args.preset, False)

        # A master already in the top rung's shape: our own 1080p rendition, joined back into one MP4.
        published = base / "ours" / "media" / "films" / "1" / "0001-bench"
        compliant = base / "compliant.mp4"
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                        "-i", str(published / "v1080" / "index.m3u8"), "-i", str(published / "audio" / "index.m3u8"),
                        "-map", "0:v", "-map", "1:a", "-c", "copy", str(compliant)], check=True)
        print("Our packaging, remux path (compliant 1080p master, top rung copied)...", flush=True)
        remux = in_child(compliant, base / "remux", args.preset, True)

    duration = float(ours["duration"])  # type: ignore[arg-type]
    ours_wall = float(ours["wall"])  # type: ignore[arg-type]
    remux_wall = float(remux["wall"])  # type: ignore[arg-type]
    ratio = ours_wall / hand_wall
    print()
    print(f"master: {duration:.1f} s at {SOURCE_SIZE}, ladder {', '.join(ours['rungs'])}, preset {args.preset}")  # type: ignore[arg-type]
    print(f"hand-written ffmpeg: {hand_wall:7.2f} s  real-time factor {duration / hand_wall:6.2f}x")
    print(f"our packaging:       {ours_wall:7.2f} s  real-time factor {duration / ours_wall:6.2f}x "
          "(probe, one ffmpeg run with poster and thumbnails, playlists, checks, publish)")
    print(f"ratio ours / hand-written: {ratio:.3f}  (target <= 1.10: {'met' if ratio <= 1.10 else 'NOT met'})")
    print(f"peak RSS of our Python process: {ours_short['rss_self_mib']:.1f} MiB for 10 s, "
          f"{ours['rss_self_mib']:.1f} MiB for {duration:.0f} s "
          f"(ratio {float(ours['rss_self_mib']) / float(ours_short['rss_self_mib']):.2f}); "  # type: ignore[arg-type]
          f"ffmpeg's own peak: {ours['rss_children_mib']:.0f} MiB")
    print(f"remux path: {remux_wall:.2f} s for {float(remux['duration']):.1f} s, remuxed={remux['remux']}, "  # type: ignore[arg-type]
          f"real-time factor {float(remux['duration']) / remux_wall:.1f}x "  # type: ignore[arg-type]
          f"(target > 50x: {'met' if float(remux['duration']) / remux_wall > 50 else 'NOT met'})")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
