"""How ``veil`` starts: what the command line sets up before any work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories.jpeg import encode

#: Runs veil's entry point, then reports how many threads numpy's BLAS was given.
_CODE = """
import contextlib, io, sys
from veil.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["scan", "--json", "--metadata-only", sys.argv[1]])
import numpy, threadpoolctl
print(max(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"))
"""


@pytest.mark.parametrize(("user", "threads"), [(None, 1), ("2", 2)])
def test_numpys_blas_gets_one_thread_unless_the_user_says(
    tmp_path: Path, user: str | None, threads: int
) -> None:
    """OpenBLAS's threads spin at start-up (~60 ms CPU a run) and veil never needs them."""
    pytest.importorskip("threadpoolctl")
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("OpenBLAS starts one thread on one core anyway")
    photo = tmp_path / "a.jpg"
    photo.write_bytes(encode())
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS",
                                                              "OMP_NUM_THREADS")}
    if user is not None:
        env["OPENBLAS_NUM_THREADS"] = user
    done = subprocess.run([sys.executable, "-c", _CODE, str(photo)], capture_output=True,
                          text=True, env=env, check=False)
    assert done.stdout.strip() == str(threads), done.stdout + done.stderr


def test_the_desktop_launchers_window_gives_numpys_blas_one_thread() -> None:
    """``veil-gui`` starts at ``veil.gui.app:main``, not at the command line's ``main``."""
    pytest.importorskip("threadpoolctl")
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("OpenBLAS starts one thread on one core anyway")
    code = ("import veil.gui.app, numpy, threadpoolctl; print(max(i['num_threads'] for i in "
            "threadpoolctl.threadpool_info() if i['user_api'] == 'blas'))")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS",
                                                              "OMP_NUM_THREADS")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=False)
    assert done.stdout.strip() == "1", done.stdout + done.stderr


def test_version_is_answered_without_loading_any_command() -> None:
    """Every command's modules (the exporter, Pillow) took 150 ms to print one line."""
    code = (
        "import sys\n"
        "from veil.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('veil.cli.', 'veil.core', 'PIL'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    from veil import __version__

    assert done.stdout.splitlines() == [f"veil {__version__}", "exit 0", "[]"], done.stderr


_FROZEN = """
import gc, sys
import veil.cli.scan
from veil.cli import main

def run(args):
    print(gc.isenabled(), gc.get_freeze_count() > 1000)
    return 0

veil.cli.scan.run = run
if sys.argv[1] == "own":
    sys.argv = ["veil", "scan", sys.argv[2]]
    main()
else:
    main(["scan", sys.argv[2]])
"""


def test_start_up_objects_are_frozen_in_veils_own_process_only(tmp_path: Path) -> None:
    """Collections during start-up found nothing to free (~6 ms CPU a start); a caller's
    objects (main called with its own argv) are left alone."""
    photo = tmp_path / "a.jpg"
    photo.write_bytes(encode())
    for how, expected in (("own", "True True"), ("caller", "True False")):
        done = subprocess.run([sys.executable, "-c", _FROZEN, how, str(photo)],
                              capture_output=True, text=True, check=False)
        assert done.stdout.strip() == expected, (how, done.stdout, done.stderr)
