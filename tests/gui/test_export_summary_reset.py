"""The last export's summary belongs to the files it saved: once the list is empty it goes."""

from __future__ import annotations

from pathlib import Path

from tests.factories.gui_photos import risky_jpeg
from tests.gui.helpers import wait_idle
from tests.gui.test_export_flow import run_export
from veil.gui.main_window import MainWindow


def test_emptying_the_list_clears_the_last_export_summary(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    photo = risky_jpeg(tmp_path / "holiday.jpg")
    window.add_paths([photo])
    wait_idle(qtbot, window, rows=1)
    out = tmp_path / "clean"
    out.mkdir()
    run_export(qtbot, window, out)
    pane = window.export_pane
    assert pane.summary.text().startswith("1 verified clean")
    assert pane.show_folder.isEnabled()

    window.clear_list()
    # Dropping the next photo showed "1 verified clean copy saved" above its plan, as if
    # this photo had been exported (and "Show folder" opened the old folder).
    other = risky_jpeg(tmp_path / "party.jpg")
    window.add_paths([other])
    wait_idle(qtbot, window, rows=1)
    assert pane.summary.text() == ""
    assert not pane.summary.isVisibleTo(pane)
    assert not pane.show_folder.isEnabled()
    assert [r.path.name for r in window.session.model.rows] == ["party.jpg"]
