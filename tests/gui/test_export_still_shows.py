"""After an export, a copy that still shows a face or mark says so: "Verified clean" alone
(green, with the summary '1 verified clean') read as safe to share, though the plan had
said 'A clean copy leaves 1 face visible' (a portrait whose face the user unticked)."""

from __future__ import annotations

from pathlib import Path

from tests.gui.test_export_review import cell, export, show_export_tab, with_face
from tests.gui.test_overlays import gradient_jpeg
from veil.core.model import Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT, DETAIL_ROLE


def test_a_copy_left_showing_a_face_says_so(qtbot, window: MainWindow, tmp_path: Path) -> None:
    shown = with_face(window, gradient_jpeg(tmp_path / "portrait.jpg"), Region(20, 20, 60, 60))
    with_face(window, gradient_jpeg(tmp_path / "covered.jpg"), Region(20, 20, 60, 60))
    boxes = window.session.redactions[shown]
    window.session.set_redactions(shown, tuple(b.toggled() for b in boxes))  # unticked
    show_export_tab(qtbot, window)
    export(qtbot, window, tmp_path / "out")
    pane = window.export_pane
    assert all(r.verified for r in window.exporter.results.results)
    lines = pane.summary.text().splitlines()
    assert lines[0] == "2 verified clean"
    assert "1 copy shows a face or mark left uncovered (see Result)." in lines
    rows = {cell(window, r, 0): str(cell(window, r, COL_RESULT)) for r in range(2)}
    assert rows["portrait.jpg"].startswith("Verified clean") and rows[
        "portrait.jpg"].endswith(" — still shows 1 face"), rows
    assert "still shows" not in rows["covered.jpg"]
    details = [str(cell(window, r, 0, DETAIL_ROLE)) for r in range(2)]
    assert sum("still shows 1 face" in d for d in details) == 1
