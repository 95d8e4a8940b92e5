"""``veil``: headless scan / clean / bench, and the window (no arguments, ``open``, ``gui``).

Exit codes (a stable contract scripts rely on): scan 0 = no findings, 1 = findings,
2 = any file errored; clean 0 = every input cleaned and verified, 2 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from veil import __version__

#: Sub-command -> module. Only the module of the command being run is imported, so
#: `veil scan` never pays for export, Qt or benchmark imports.
COMMANDS = {
    "scan": "veil.cli.scan",
    "clean": "veil.cli.clean",
    "bench": "veil.cli.bench",
    "open": "veil.cli.gui",
    "gui": "veil.cli.gui",
}


def build_parser(only: str | None = None, *, bare: bool = False) -> argparse.ArgumentParser:
    """The command line; with ``only``, just that sub-command is registered (fast start-up);
    ``bare``: none at all (``veil --version``)."""
    parser = argparse.ArgumentParser(
        prog="veil", description="See what photos reveal, and save cleaned copies."
    )
    parser.add_argument("--version", action="version", version=f"veil {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command")
    wanted = [COMMANDS[only]] if only in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    if bare:
        wanted = []
    for name in wanted:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``veil`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # numpy's OpenBLAS starts a thread per core when numpy loads, and they spin: ~60 ms CPU
    # at every start that looks at pixels (scan, clean, the window; each pool worker too).
    # Veil's array work is elementwise, or products too small to gain from threads (a 3x3
    # inverse, a matrix-vector product). Set before anything imports numpy; the forked
    # workers inherit it; a user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    for stream in (sys.stdout, sys.stderr):
        # Names are escaped before printing (veil.cli.text); this only guards a terminal
        # whose encoding can't show some printable character (LANG=C with ASCII output).
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    if not args_list:
        from veil.cli import gui

        return gui.open_window([])
    command = next((a for a in args_list if not a.startswith("-")), None)
    # Importing the command allocates thousands of objects that live as long as the process
    # (classes, functions, compiled patterns): collecting while they are made finds nothing
    # to free (~45 collections, ~6 ms CPU of a ~110 ms start). Frozen, later collections
    # skip them, and forked workers leave their pages shared. Only in veil's own process
    # (argv from its command line): a caller's objects are not ours to freeze.
    own = argv is None
    if own:
        gc.disable()
    try:
        # `veil --version` needs no sub-command: registering them all imports every
        # command's modules (the exporter, Pillow: 150 ms against ~30 ms).
        parser = build_parser(only=command, bare=command is None and "--version" in args_list)
        args = parser.parse_args(args_list)
    finally:
        if own:
            gc.freeze()
            gc.enable()
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `veil scan ... | head`: the reader left; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if args.debug:
            raise
        from veil.cli.text import safe

        print(
            f"veil: internal error: {safe(str(exc))} (run with --debug for details)",
            file=sys.stderr,
        )
        return 2
    finally:
        if argv is None:
            _ending()
    return code


def _ending() -> None:
    """The process ends when :func:`main` returns (``argv`` came from its command line):
    what the run made needs no garbage collection. Frozen, it is out of the interpreter's
    last collections, which walked every object left (~45 ms after a 2,000-photo clean,
    paid after the last result was printed). Module teardown, atexit hooks and the flush of
    the standard streams run as before."""
    gc.freeze()
