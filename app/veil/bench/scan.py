"""``veil bench scan``: metadata scan speed vs exiftool, per-photo cost, memory on 10k files.

Prints, in one run on the same folder:
  * wall time of ``veil scan --json --metadata-only -r`` vs ``exiftool -j -G -n -r`` as whole
    processes (median of several runs) and their ratio (target <= 0.3), veil with its
    bytecode cached as an install leaves it (see :mod:`veil.bench.bytecode`; when this
    checkout would compile its modules in every run, that time is printed too);
  * in-process ms per photo of ``audit_file(metadata_only=True)`` (target <= 15 ms);
  * peak RSS of ``veil scan`` streaming 10,000 generated photos (target < 300 MB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from veil.bench.bytecode import compile_as_installed, uncompiled
from veil.bench.common_paths import default_shared
from veil.bench.photos import make_jpegs
from veil.core.audit import audit_file
from veil.core.scan import Skipped, expand_paths


def _veil_cmd() -> list[str]:
    return [sys.executable, "-m", "veil"]


def _time_cmd(cmd: list[str], runs: int) -> float:
    return _race([cmd], runs)[0]


def _race(cmds: list[list[str]], runs: int) -> list[float]:
    """Median wall time of each command: one untimed run of each first (file cache), then
    ``runs`` rounds taking them in turn, so a neighbour's load falls on all of them alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for round_ in range(runs + 1):
        for cmd, took in zip(cmds, times, strict=True):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
            if round_:
                took.append(time.perf_counter() - start)
    return [statistics.median(took) for took in times]


#: Runs a command and prints the peak RSS (KB) of it and its workers only: this process's
#: own RUSAGE_CHILDREN also holds the exiftool runs above (~62 MB, more than veil's).
_PEAK = ("import resource, subprocess, sys; "
         "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _peak_rss_mb(cmd: list[str]) -> float:
    """Peak resident memory of ``cmd`` (the largest of its processes), in MB."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True,
                          check=True)
    return int(done.stdout.split()[-1]) / 1024


def run(args: argparse.Namespace) -> int:
    """Run the scan benchmark; exit 0 (numbers are reported, not asserted)."""
    shared = args.shared or default_shared()
    folders = [Path(p) for p in args.paths] or ([shared / "corpus"] if shared else [])
    if not folders or not all(f.is_dir() for f in folders):
        print("bench scan: give a folder of photos (or have ../shared/corpus)")
        return 2
    files = [p for p in expand_paths(folders, recursive=True) if not isinstance(p, Skipped)]
    print(f"scan: {len(files)} files under {', '.join(map(str, folders))}")

    veil = [*_veil_cmd(), "scan", "--json", "--metadata-only", "-r", *map(str, folders)]
    runs = 5
    stale = len(uncompiled()) if sys.flags.dont_write_bytecode else 0
    t_compiling = _time_cmd(veil, runs) if stale else None
    note = compile_as_installed("scan")
    if note:
        print(note)
    exiftool = shutil.which("exiftool")
    exif = [exiftool, "-j", "-G", "-n", "-r", *map(str, folders)] if exiftool else None
    load = os.getloadavg()[0]
    timed = _race([veil, exif] if exif else [veil], runs)
    t_veil, t_exif = timed[0], (timed[1] if exif else None)
    if t_exif:
        print(
            f"scan: veil {t_veil:.3f} s  exiftool {t_exif:.3f} s  "
            f"ratio {t_veil / t_exif:.2f}x (target <= 0.30; load {load:.1f} -> "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
    else:
        print(f"scan: veil {t_veil:.3f} s  (exiftool not installed: no ratio)")
    if t_compiling is not None:
        ratio = f", ratio {t_compiling / t_exif:.2f}x" if t_exif else ""
        print(f"scan: before that, compiling {stale} modules in every run as this checkout "
              f"did: veil {t_compiling:.3f} s{ratio}")

    start = time.perf_counter()
    for path in files:
        audit_file(path, metadata_only=True)
    per = (time.perf_counter() - start) / max(1, len(files)) * 1000
    print(f"scan: in-process {per:.2f} ms/photo (target <= 15)")

    with tempfile.TemporaryDirectory() as tmp:
        make_jpegs(Path(tmp), 10_000, size=(320, 240), per_dir=1000)
        rss_mb = _peak_rss_mb([*_veil_cmd(), "scan", "--json", "--metadata-only", "-r", tmp])
    print(f"scan: peak RSS over 10,000 files {rss_mb:.0f} MB (target < 300)")
    return 0
