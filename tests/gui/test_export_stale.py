"""An export from the window first deletes the temp files that killed exports left in its
destination, as ``veil clean`` does; a temp file another export is still writing stays."""

from __future__ import annotations

from pathlib import Path

from tests.factories import export as fx
from tests.factories.gui_photos import many_jpegs
from tests.gui.helpers import drop_paths, wait_idle
from tests.gui.test_export_flow import run_export
from veil.gui.main_window import MainWindow


def test_window_export_removes_stale_temp_files(qtbot, window: MainWindow, tmp_path: Path) -> None:
    photos = many_jpegs(tmp_path / "roll", 2)
    drop_paths(window.drop_zone, photos)
    wait_idle(qtbot, window, rows=2)
    out = tmp_path / "clean"
    out.mkdir()
    with fx.temp_parts(out) as (stale, live):
        run_export(qtbot, window, out)
    assert all(r.verified for r in window.exporter.results.results)
    assert not stale.exists()
    assert live.exists()  # never touched while its writer holds the lock
    assert sorted(p.name for p in out.iterdir()) == [".veil-alive.part"] + sorted(
        p.name for p in photos
    )
