"""``veil open PATH...`` and ``veil gui [--screenshot OUT.png] [PATH...]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register ``open`` and ``gui``."""
    p = sub.add_parser("open", help="open the window with these photos or folders")
    p.add_argument("paths", nargs="*", type=Path)
    p.set_defaults(run=lambda a: open_window(a.paths))
    g = sub.add_parser("gui", help="open the window (or save a screenshot of it)")
    g.add_argument("paths", nargs="*", type=Path)
    g.add_argument("--screenshot", type=Path, help="save a 1280x800 screenshot and exit")
    g.set_defaults(run=lambda a: open_window(a.paths, screenshot=a.screenshot))


def open_window(paths: list[Path], screenshot: Path | None = None) -> int:
    """Start the GUI (imported lazily: the CLI must work without a display)."""
    import sys

    from veil.cli.qt_libs import check_window_libraries

    hint = check_window_libraries()
    if hint is not None:  # Qt would abort with a message that names no package
        print(hint, file=sys.stderr)
        return 2
    from veil.gui.app import run_app

    return run_app(paths, screenshot=screenshot)
