"""``veil bench NAME|all``: each benchmark lives in ``veil.bench`` (NAMES lists them)."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

NAMES = ("scan", "clean", "faces", "marks", "gui", "gui_plan", "video")
#: `veil bench all`: the GUI benchmark (2,000 photos, minutes) runs only when named.
ALL = ("scan", "clean", "faces", "marks")


def add_parser(sub: Any) -> None:
    """Register ``bench``."""
    p = sub.add_parser("bench", help="benchmarks (speed vs exiftool, detector scores)")
    p.add_argument("name", choices=(*NAMES, "all"))
    p.add_argument("paths", nargs="*", type=Path, help="folder(s) to measure on")
    p.add_argument("--shared", type=Path, default=None, help="the shared/ data folder")
    p.add_argument(
        "--copies",
        type=int,
        default=1,
        help="clean: stage the photos this many times (12 copies of the corpus and faces "
        "make a camera roll of ~1,750 photos)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run one benchmark module's ``run(args)`` or all of them."""
    names = ALL if args.name == "all" else (args.name,)
    code = 0
    for name in names:
        try:
            module = importlib.import_module(f"veil.bench.{name}")
        except ImportError:
            print(f"bench {name}: not built yet")
            code = max(code, 2)
            continue
        code = max(code, int(module.run(args)))
    return code
