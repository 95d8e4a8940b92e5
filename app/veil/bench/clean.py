"""``veil bench clean``: ``veil clean`` vs ``exiftool -all= -o OUTDIR/`` on the same photos.

Prints, in one run on one folder of >= 100 real photos (default: the JPEG/PNG/WebP/TIFF/HEIC
files of ../shared/corpus and ../shared/faces, or the given paths; ``--copies 12`` stages
them 12 times, a camera roll of ~1,750 photos):
  * wall and CPU time of both tools as whole processes (median of several interleaved runs)
    and their ratios, paired run by run (target <= 0.5x exiftool's wall time; on a shared,
    busy machine the CPU ratio is the steadier figure), with the machine's load average;
  * the same for ``veil scan --metadata-only`` vs ``exiftool -j`` on those photos (target
    <= 0.3x);
  * what exiftool still finds in each tool's outputs (GPS, serial, owner, make/model, date,
    thumbnail, MakerNote, XMP, IPTC, C2PA, trailer);
  * how many outputs display upright like the original, how many Veil wrote losslessly, how
    many JPEGs decode to identical pixels, and how many colour profiles survived (these
    two judge the outputs, not the time: :mod:`veil.bench.clean_report`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from veil.bench.bytecode import compile_as_installed
from veil.bench.clean_report import report
from veil.bench.common_paths import default_shared
from veil.bench.cpu_share import cores_used, sharing_note
from veil.core.scan import Skipped, expand_paths

#: Suffixes benchmarked by default (what the issue names; DNG is refused by design).
SUFFIXES = {".jpg", ".jpeg", ".mpo", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}
RUNS = 5
#: A camera roll (hundreds of photos, a minute a run on a busy machine): fewer runs.
ROLL_RUNS = 3
HEIF_SUFFIXES = {".heic", ".heif", ".avif"}
VEIL = [sys.executable, "-m", "veil"]


def _pick(args: argparse.Namespace) -> list[Path]:
    shared = args.shared or default_shared()
    roots = [Path(p) for p in args.paths] or (
        [shared / "corpus", shared / "faces"] if shared else []
    )
    roots = [r for r in roots if r.exists()]
    files = [
        p
        for p in expand_paths(roots, recursive=True)
        if not isinstance(p, Skipped) and p.suffix.lower() in SUFFIXES
    ]
    return files


def _stage(files: list[Path], into: Path, copies: int = 1) -> list[Path]:
    """Copy the photos (``copies`` times) flat into ``into`` with unique names, so both
    tools see one folder and write every photo (exiftool's ``-o DIR/`` refuses a name it
    has already written)."""
    into.mkdir()
    staged = []
    for n in range(max(1, copies)):
        for i, src in enumerate(files):
            dst = into / f"{n:02d}-{i:04d}-{src.name}"
            shutil.copyfile(src, dst)
            staged.append(dst)
    return staged


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load {one:.1f}/{five:.1f} (1/5 min) on {os.cpu_count()} CPUs"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_way(out: Path) -> None:
    """Clear ``out`` for the next run without deleting the last run's files just before it.

    Deleting thousands of files makes the next file creations nearby slow for about a
    minute on some file systems (ext4 without a journal here: up to 650 us a file instead
    of 17-80 us), a cost of the previous run that the timed one would pay, and pay more
    the more serially it creates files. So the old output is moved aside inside the
    bench's temporary folder, which is deleted at the end; only when the disk is short of
    room for that is it deleted here, as before.
    """
    if not out.exists():
        return
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    if shutil.disk_usage(out.parent).free < 4 * size + (1 << 30):
        shutil.rmtree(out)
        return
    n = 0
    while (aside := out.with_name(f"{out.name}.old{n}")).exists():
        n += 1
    out.rename(aside)


def settle() -> None:
    """Write out what earlier runs left in the page cache, before (not during) a timed run.

    exiftool never flushes: its ~400 MB of output on the roll stay to be written for up to
    30 s after it exits. Veil's durability flush (``syncfs``, once per task) writes the
    whole file system, so the veil run after an exiftool run wrote exiftool's output too
    (0.23 s of ``sync`` here, and the kernel's CPU meanwhile). Every timed run of either
    tool now starts with nothing left to write; veil still makes its own copies durable."""
    if hasattr(os, "sync"):
        os.sync()


def _timed(cmd: list[str], out: Path) -> tuple[float, bytes, float]:
    """(wall seconds, stdout, CPU seconds of the process and its children) of one run."""
    make_way(out)
    settle()
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - start, proc.stdout, _children_cpu() - cpu


def run(args: argparse.Namespace) -> int:
    """Run the clean benchmark; exit 0 when it ran (numbers are reported, not asserted)."""
    files = _pick(args)
    if not files:
        print("bench clean: give a folder of photos (or have ../shared/corpus)")
        return 2
    exiftool = shutil.which("exiftool")
    copies = max(1, getattr(args, "copies", 1) or 1)
    count = len(files) * copies
    runs = ROLL_RUNS if count >= 500 else RUNS
    print(f"clean: {count} photos" + ("" if count >= 100 else " (fewer than 100!)"))
    with tempfile.TemporaryDirectory(prefix="veil-bench-clean-") as tmp_name:
        tmp = Path(tmp_name)
        staged = _stage(files, tmp / "in", copies)
        out_v, out_e = tmp / "veil", tmp / "exiftool"
        if not exiftool:
            print("clean: exiftool not installed: no ratio, no independent checks")
            return 0
        note = compile_as_installed("clean")
        if note:
            print(note)
        note = sharing_note()
        if note:
            print(note)
        stdout = _race(tmp / "in", out_v, out_e, exiftool, "all photos", runs)
        _scan_race(tmp / "in", exiftool, runs)
        # The same race without HEIC/AVIF: a JPEG-only batch never loads pillow-heif's
        # libraries (~0.1 s), and a HEIF copy that can't be proven identical is decoded.
        light = tmp / "in-no-heif"
        light.mkdir()
        for path in staged:
            if path.suffix.lower() not in HEIF_SUFFIXES:
                os.link(path, light / path.name)
        _race(light, tmp / "veil2", tmp / "exiftool2", exiftool, "without HEIC/AVIF", runs)
        results = json.loads(stdout or b'{"results": []}')["results"]
        report(results, staged, out_e)
        _breakdown(staged[: len(files)], tmp)  # one copy of each photo is enough
    return 0


def _race(
    folder: Path, out_v: Path, out_e: Path, exiftool: str, label: str, runs: int = RUNS
) -> bytes:
    """Time both tools on ``folder`` (interleaved runs, median); return veil's last JSON."""
    load = _load()
    veil_cmd = [*VEIL, "clean", "--json", str(folder), "--out", str(out_v)]
    exif_cmd = [exiftool, "-q", "-q", "-all=", "-o", f"{out_e}/", str(folder)]
    veil_runs: list[tuple[float, float]] = []
    exif_runs: list[tuple[float, float]] = []
    stdout = b""
    _timed(veil_cmd, out_v)  # warm-up of both: file cache, lazily built state
    _timed(exif_cmd, out_e)
    for _ in range(runs):  # interleaved, so both tools see the same cache and load
        took, stdout, cpu = _timed(veil_cmd, out_v)
        veil_runs.append((took, cpu))
        took, _, cpu = _timed(exif_cmd, out_e)
        exif_runs.append((took, cpu))
    veil_s, veil_cpu = (statistics.median(x) for x in zip(*veil_runs, strict=True))
    exif_s, exif_cpu = (statistics.median(x) for x in zip(*exif_runs, strict=True))
    wall_ratio = statistics.median(v[0] / e[0] for v, e in zip(veil_runs, exif_runs, strict=True))
    cpu_ratio = statistics.median(v[1] / e[1] for v, e in zip(veil_runs, exif_runs, strict=True))
    count = sum(1 for p in folder.iterdir() if p.is_file())
    print(
        f"clean [{label}, {count} files]: veil {veil_s:.2f} s ({veil_cpu:.2f} s CPU)  "
        f"exiftool -all= {exif_s:.2f} s ({exif_cpu:.2f} s CPU)  ratio {wall_ratio:.2f}x wall "
        f"(target <= 0.50), {cpu_ratio:.2f}x CPU  [medians of {runs}, ratios run by run; "
        f"{load} before, {_load()} after]; veil ran on {cores_used(veil_runs):.2f} cores "
        f"on average, exiftool on {cores_used(exif_runs):.2f} ({os.cpu_count()} CPUs)"
    )
    return stdout


def _scan_race(folder: Path, exiftool: str, runs: int = RUNS) -> None:
    """``veil scan --metadata-only`` vs ``exiftool -j`` on ``folder``, paired runs."""
    load = _load()
    veil_cmd = [*VEIL, "scan", "--json", "--metadata-only", str(folder)]
    exif_cmd = [exiftool, "-j", "-G", "-n", str(folder)]
    scratch = folder.parent / "scan-scratch"  # _timed clears it; nothing is written there
    _timed(veil_cmd, scratch)
    _timed(exif_cmd, scratch)
    pairs = []
    for _ in range(runs):
        veil = _timed(veil_cmd, scratch)
        exif = _timed(exif_cmd, scratch)
        pairs.append((veil[0], veil[2], exif[0], exif[2]))
    v_s, v_cpu, e_s, e_cpu = (statistics.median(x) for x in zip(*pairs, strict=True))
    ratio = statistics.median(p[0] / p[2] for p in pairs)
    print(
        f"scan --metadata-only: veil {v_s:.2f} s ({v_cpu:.2f} s CPU)  exiftool -j {e_s:.2f} s "
        f"({e_cpu:.2f} s CPU)  ratio {ratio:.2f}x wall (target <= 0.30)  "
        f"[medians of {runs}, paired; {load} before, {_load()} after]"
    )


def _breakdown(staged: list[Path], tmp: Path) -> None:
    """Where veil's time goes: one process on one small photo, then in-process per format."""
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions

    smallest = min(staged, key=lambda p: p.stat().st_size)
    one = [*VEIL, "clean", "--json", "-j", "1", str(smallest), "--out", str(tmp / "one")]
    start_s = statistics.median(_timed(one, tmp / "one")[0] for _ in range(3))
    per_format: dict[str, list[float]] = {}
    out = tmp / "inproc"
    export_clean(smallest, out, ExportOptions())  # warm up imports and lazy loaders
    for path in staged:
        # CPU time: the wall time of one export also waits for its own disk flush, which
        # a batch pays once per window of photos.
        start = time.process_time()
        export_clean(path, out, ExportOptions())
        took = (time.process_time() - start) * 1000
        per_format.setdefault(path.suffix.lower().lstrip("."), []).append(took)
    parts = ", ".join(
        f"{fmt} {statistics.median(v):.1f} ms (x{len(v)}, total {sum(v) / 1000:.2f} s)"
        for fmt, v in sorted(per_format.items(), key=lambda kv: -sum(kv[1]))
    )
    print(f"clean: one-photo process (start-up + imports) {start_s:.2f} s")
    print(f"clean: in-process CPU per photo (median by suffix): {parts}")
