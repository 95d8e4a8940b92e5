"""``veil bench video [FOLDER]``: scan and clean time for a folder of clips, next to exiftool's.

Without a folder, a camera roll of clips is made with ffmpeg (short phone-like clips with
sound, one longer 720p clip) and tagged with exiftool like a phone does. Prints, as whole
processes on the same folder (median of 3 runs):

  * ``veil scan --json --metadata-only -r`` vs ``exiftool -j -G -n -r``;
  * ``veil clean -r --out`` (verified lossless copies) vs ``exiftool -all= -o`` (copies
    without the tags exiftool can delete; exiftool verifies nothing);
  * in-process ms per clip of ``audit_file(metadata_only=True)`` and clean MB/s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from veil.core.audit import audit_file
from veil.core.scan import Skipped, expand_paths

_TAGS = ("-Keys:GPSCoordinates=48.8584, 2.2945, 30", "-UserData:GPSCoordinates=48.8584, 2.2945",
         "-Keys:Make=Apple", "-Keys:Model=iPhone 12", "-Keys:CreationDate=2023:05:01 10:00:00",
         "-XMP-dc:Creator=Jane Doe")


def _clip(ffmpeg: str, out: Path, seconds: int, size: str, rate: str) -> None:
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=size={size}:rate=30", "-f", "lavfi", "-i",
                    "sine=sample_rate=44100", "-t", str(seconds), "-c:v",
                    "libx264", "-preset", "ultrafast", "-b:v", rate, "-c:a", "aac",
                    "-f", "mov" if out.suffix == ".MOV" else "mp4", str(out)],
                   check=True, capture_output=True)


def make_roll(folder: Path, clips: int = 12) -> None:
    """``clips`` short clips (5 s, 640x360, sound) and one 30 s 720p clip, phone-tagged."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is not installed")
    first = folder / "IMG_0000.MOV"
    _clip(ffmpeg, first, 5, "640x360", "1M")
    for i in range(1, clips):
        shutil.copyfile(first, folder / (f"IMG_{i:04d}.MOV" if i % 2 else f"PXL_{i:04d}.mp4"))
    _clip(ffmpeg, folder / "VID_long.mp4", 30, "1280x720", "8M")
    exiftool = shutil.which("exiftool")
    if exiftool:
        subprocess.run([exiftool, "-q", "-q", "-overwrite_original", *_TAGS, str(folder)],
                       check=True, capture_output=True)


def _median_time(cmd: list[str], runs: int = 3, before: object = None) -> float:
    times = []
    for _ in range(runs):
        if callable(before):
            before()
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(args: argparse.Namespace) -> int:
    """Run the video benchmark; exit 0 (numbers are reported, not asserted)."""
    with tempfile.TemporaryDirectory(prefix="veil-bench-video-") as tmp:
        work = Path(tmp)
        folders = [Path(p) for p in args.paths]
        if not folders:
            roll = work / "roll"
            roll.mkdir()
            try:
                make_roll(roll)
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                print(f"bench video: give a folder of clips ({exc})")
                return 2
            folders = [roll]
        files = [p for p in expand_paths(folders) if not isinstance(p, Skipped)]
        total = sum(p.stat().st_size for p in files)
        print(f"video: {len(files)} files, {total / 1e6:.1f} MB under "
              f"{', '.join(map(str, folders))}")
        _report(files, folders, work, total)
    return 0


def _report(files: list[Path], folders: list[Path], work: Path, total: int) -> None:
    veil = [sys.executable, "-m", "veil"]
    names = [str(f) for f in folders]
    exiftool = shutil.which("exiftool")
    t_scan = _median_time([*veil, "scan", "--json", "--metadata-only", "-r", *names])
    line = f"video scan: veil {t_scan:.3f} s"
    if exiftool:
        t_exif = _median_time([exiftool, "-j", "-G", "-n", "-r", *names])
        line += f"  exiftool {t_exif:.3f} s  ratio {t_scan / t_exif:.2f}x"
    print(line)
    if files:
        audit_file(files[0], metadata_only=True)  # imports and the gazetteer load once
    start = time.perf_counter()
    for path in files:
        audit_file(path, metadata_only=True)
    per = (time.perf_counter() - start) * 1000 / max(1, len(files))
    print(f"video scan: {per:.1f} ms per clip in-process, warm (audit_file, metadata only)")

    out = work / "veil-out"
    t_clean = _median_time([*veil, "clean", "-r", "--overwrite", "--out", str(out), *names],
                           before=lambda: shutil.rmtree(out, ignore_errors=True))
    line = f"video clean: veil {t_clean:.3f} s ({total / 1e6 / t_clean:.0f} MB/s, verified)"
    if exiftool:
        eout = work / "exif-out"
        t_exif = _median_time([exiftool, "-q", "-q", "-all=", "-r", "-o", f"{eout}/", *names],
                              before=lambda: shutil.rmtree(eout, ignore_errors=True))
        line += f"  exiftool -all= {t_exif:.3f} s  ratio {t_clean / t_exif:.2f}x"
    print(line)
