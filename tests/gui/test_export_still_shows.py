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
    # Not "2 … clean"; said once, pointing at the Result column.
    assert lines == ["1 verified clean · 1 still shows a face (see Result)"
                     " · 1 with covered areas"]  # covered.jpg's face carries a black box
    rows = {cell(window, r, 0): str(cell(window, r, COL_RESULT)) for r in range(2)}
    # What it shows comes first (the cell is cut at its width): "Still shows 1 face — …".
    assert rows["portrait.jpg"].startswith("Still shows 1 face"), rows
    assert "still shows" not in rows["covered.jpg"]
    details = [str(cell(window, r, 0, DETAIL_ROLE)) for r in range(2)]
    assert sum("Still shows 1 face" in d for d in details) == 1


def test_before_writing_the_plan_says_which_copies_will_show_a_face(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # The row said "Ready: covers 1 area" (or "Ready") and the note nothing: that a face
    # would stay visible was said only once the copy was written.
    shown = with_face(window, gradient_jpeg(tmp_path / "portrait.jpg"), Region(20, 20, 60, 60))
    with_face(window, gradient_jpeg(tmp_path / "covered.jpg"), Region(20, 20, 60, 60))
    boxes = window.session.redactions[shown]
    window.session.set_redactions(shown, tuple(b.toggled() for b in boxes))  # unticked
    show_export_tab(qtbot, window)
    note = window.export_pane.plan_note
    qtbot.waitUntil(lambda: "will show" in note.text(), timeout=5_000)
    assert "1 copy will show a face left uncovered (see Result)" in note.text()
    rows = {cell(window, r, 0): str(cell(window, r, COL_RESULT)) for r in range(2)}
    assert rows == {"portrait.jpg": "Ready — will still show 1 face",
                    "covered.jpg": "Ready: covers 1 area"}
    details = [str(cell(window, r, 0, DETAIL_ROLE)) for r in range(2)]
    assert sum("will still show 1 face" in d for d in details) == 1
    # Covering off in the pane, both copies will show their face.
    window.export_pane.cover.setChecked(False)
    qtbot.waitUntil(lambda: "2 copies will show" in note.text(), timeout=5_000)
    assert {str(cell(window, r, COL_RESULT)) for r in range(2)} == {
        "Ready — will still show 1 face"}
