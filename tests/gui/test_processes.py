"""Audits run in worker processes that stream results back and die with the window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.factories.gui_photos import many_jpegs, not_an_image, risky_jpeg
from tests.gui.helpers import drop_paths, row_named, wait_idle
from veil.gui.main_window import MainWindow
from veil.gui.states import Badge, RowState

CHILD = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication
from veil.gui.app import make_app
from veil.gui.session import AuditSession
app = make_app()
session = AuditSession()
deadline = time.monotonic() + 60
while not session.procs.is_ready and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
session.add_paths([__import__("pathlib").Path(sys.argv[1])])
print(" ".join(map(str, session.procs.pids())), flush=True)
while True:
    app.processEvents()
    time.sleep(0.01)
"""

#: A pool whose worker cannot start, dropped by its only holder while the last dead worker's
#: notifier still waits for its deleteLater (as when a qtbot wait ends just before it).
DROPPED_POOL = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QEvent, QSocketNotifier
from veil.gui.app import make_app
from veil.gui.procs import pool as pool_module
app = make_app()
pool_module.sys.executable = "/bin/false"
procs = pool_module.AuditProcesses(workers=1)
procs.submit([("k", Path("a.jpg"))], False, 0, 3)
deadline = time.monotonic() + 20
while procs.busy and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
pending = procs.findChildren(QSocketNotifier)
print("busy", procs.busy, "pending notifiers", len(pending), flush=True)
if procs.busy or not pending:
    sys.exit(3)  # the situation under test was not set up
procs.shutdown(1000)
del procs, pending
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
app.processEvents()
print("survived", flush=True)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too (reaped by init later)
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return True


def test_the_window_audits_in_other_processes(
    qtbot, threaded_window: MainWindow, tmp_path: Path
) -> None:
    window = threaded_window
    procs = window.session.procs
    assert procs is not None
    assert procs.pids() and os.getpid() not in procs.pids()
    (tmp_path / "roll").mkdir()
    risky_jpeg(tmp_path / "roll" / "risky.jpg")
    not_an_image(tmp_path / "roll" / "notes.jpg")
    many_jpegs(tmp_path / "roll" / "more", 30)
    assert drop_paths(window.drop_zone, [tmp_path / "roll"])
    wait_idle(qtbot, window, rows=32, timeout=60_000)
    risky = row_named(window, "risky.jpg")
    assert risky.state is RowState.DONE and risky.badge is Badge.HIGH
    assert row_named(window, "notes.jpg").state in (RowState.UNSUPPORTED, RowState.ERROR)


def test_a_crashed_worker_is_replaced_and_its_file_says_so(
    qtbot, threaded_window: MainWindow, tmp_path: Path
) -> None:
    window = threaded_window
    procs = window.session.procs
    assert procs is not None
    qtbot.waitUntil(lambda: procs.is_ready, timeout=30_000)
    first = procs.pids()
    os.kill(first[0], signal.SIGKILL)  # as a decoder crash would
    qtbot.waitUntil(lambda: procs.pids() and procs.pids()[0] != first[0], timeout=5000)
    window.add_paths([risky_jpeg(tmp_path / "after.jpg")])
    wait_idle(qtbot, window, rows=1)
    assert row_named(window, "after.jpg").badge is Badge.HIGH


def test_workers_die_with_the_window(tmp_path: Path) -> None:
    many_jpegs(tmp_path / "roll", 300, size=(640, 480))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "roll")],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert parent.stdout is not None
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert pids and all(_alive(p) for p in pids)
        time.sleep(0.5)  # mid-audit
        parent.kill()  # SIGKILL: no cleanup code runs in the window's process
        parent.wait(5)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in pids)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_worker_side_loads_no_qt() -> None:
    code = (
        "import sys, veil.gui.procs.child;"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workers_that_cannot_start_fail_their_files_instead_of_looping(
    qtbot, monkeypatch, tmp_path: Path
) -> None:
    from veil.gui.procs import pool as pool_module
    from veil.gui.procs.pool import AuditProcesses

    monkeypatch.setattr(pool_module.sys, "executable", "/bin/false")  # a broken install
    procs = AuditProcesses(workers=1)
    results: list = []
    procs.results.connect(results.extend)
    procs.submit([("k", tmp_path / "a.jpg")], False, 0, 3)
    qtbot.waitUntil(lambda: not procs.busy, timeout=10_000)
    assert [r.report.error for r in results] == [pool_module.START_FAILED]
    procs.shutdown(1000)


def test_deleting_a_dead_workers_notifier_never_deletes_it_twice() -> None:
    # The notifier's slot once held the pool strongly: its deleteLater freed a pool held by
    # no one else, whose destructor deleted the dying notifier again (a rare abort of the
    # suite right after the test above: "pure virtual method called", SIGBUS or SIGSEGV).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), PYTHONFAULTHANDLER="1")
    proc = subprocess.run(
        [sys.executable, "-c", DROPPED_POOL], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "survived" in proc.stdout
