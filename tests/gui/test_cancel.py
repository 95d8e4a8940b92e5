"""Cancel and shutdown with real thread pools: work stops within a second."""

from __future__ import annotations

import time
from pathlib import Path

from tests.factories.gui_photos import many_jpegs
from tests.gui.helpers import drop_paths
from veil.gui.main_window import MainWindow
from veil.gui.states import Badge, RowState


def test_cancel_stops_a_long_audit_within_a_second(
    qtbot, threaded_window: MainWindow, tmp_path: Path
) -> None:
    window = threaded_window
    many_jpegs(tmp_path / "roll", 400, size=(640, 480))
    drop_paths(window.drop_zone, [tmp_path / "roll"])
    qtbot.waitUntil(lambda: window.session.model.rowCount() >= 50, timeout=20_000)
    assert window.session.auditing
    # The status bar is refreshed by a 100 ms timer, not per result: give it a tick.
    qtbot.waitUntil(lambda: window.status_cancel.isVisibleTo(window), timeout=2000)

    start = time.monotonic()
    window.status_cancel.click()
    assert window.session.analysis_pool.waitForDone(1000)
    assert window.session.scan_pool.waitForDone(1000)
    elapsed = time.monotonic() - start
    assert elapsed < 1.0
    qtbot.waitUntil(lambda: not window.session.auditing, timeout=1000)

    rows = window.session.model.rows
    cancelled = [r for r in rows if r.state is RowState.CANCELLED]
    assert cancelled, "the audit finished before Cancel: make the fixture bigger"
    assert all(r.badge is not Badge.NONE for r in cancelled)  # never "None found"
    # What was found before Cancel stands; a row with nothing read yet says Unknown.
    assert all(r.badge is Badge.UNKNOWN for r in cancelled if r.report is None)
    assert all(r.badge is Badge.HIGH for r in cancelled if r.report is not None)
    assert not any(r.state in (RowState.QUEUED, RowState.READING) for r in rows)


def test_close_waits_for_running_jobs(qtbot, threaded_window: MainWindow, tmp_path: Path) -> None:
    window = threaded_window
    many_jpegs(tmp_path / "roll", 200, size=(640, 480))
    window.add_paths([tmp_path / "roll"])
    qtbot.waitUntil(lambda: window.session.model.rowCount() > 10, timeout=20_000)
    start = time.monotonic()
    window.close()
    assert time.monotonic() - start < 3.5
    assert window.session.analysis_pool.activeThreadCount() == 0
