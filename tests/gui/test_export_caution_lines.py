"""The window's last words that called every copy clean: the detail pane's plan line began
"A clean copy …" for a photo nobody checked for faces or marks (Cancel, a detector not
available) and for one whose copy leaves a face in view; the file list's tooltip said
"Saving a clean copy…" while any copy was written; and after an export the Export tab said
a copy still shows a face or mark twice, with "(N already saved there)" put beside the
"verified clean" count even when those copies were cautions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.factories.gui_photos import risky_jpeg
from tests.gui.helpers import row_named, select
from tests.gui.test_copy_line import back_to_review, line
from tests.gui.test_export_caution import portrait, untick
from tests.gui.test_export_review import export
from tests.gui.test_export_shown_words import export_one_left_showing
from tests.gui.test_export_unchecked import audited
from veil.core.model import CheckStatus
from veil.gui.export_tasks import ExportSummary
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_STATUS
from veil.gui.states import RowState


def test_the_plan_line_calls_only_a_checked_covered_copy_clean(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.resize(1280, 800)
    audited(window, risky_jpeg(tmp_path / "cancelled.jpg"),
            faces=CheckStatus.SKIPPED, marks=CheckStatus.SKIPPED)
    audited(window, risky_jpeg(tmp_path / "nomarks.jpg"), marks=CheckStatus.NOT_AVAILABLE)
    shown = portrait(window, tmp_path / "shown.jpg")
    portrait(window, tmp_path / "covered.jpg")
    untick(window, shown)

    said = {}
    for name in ("cancelled.jpg", "nomarks.jpg", "shown.jpg", "covered.jpg"):
        select(window, name)
        back_to_review(qtbot, window)
        qtbot.waitUntil(lambda: bool(window.detail.copy_line.full_text()), timeout=5000)
        said[name] = line(window)
    # What was not checked, and what stays in view, come first: the line is cut at its width.
    assert said["cancelled.jpg"].startswith(
        "Faces and marks were not checked. A copy removes "), said
    assert said["nomarks.jpg"].startswith("Marks were not checked. A copy removes "), said
    assert said["shown.jpg"].startswith("A copy leaves 1 face visible and removes "), said
    # Checked and covered: the wording is the same as before.
    assert said["covered.jpg"].startswith("A clean copy removes "), said
    assert "covers 1 area" in said["covered.jpg"]
    assert sum("clean" in text for text in said.values()) == 1


def test_a_row_being_saved_is_not_called_clean(qtbot, window: MainWindow, tmp_path: Path) -> None:
    audited(window, risky_jpeg(tmp_path / "nofaces.jpg"), faces=CheckStatus.NOT_AVAILABLE)
    row = row_named(window, "nofaces.jpg")
    row.show_export(RowState.EXPORTING)
    window.session.model.rows_changed([row.key], status_only=True)
    model = window.session.model
    index = model.index(model.rows.index(row), COL_STATUS)
    assert row.status == "Saving a copy…"
    assert index.data() == "Saving a copy…"
    assert "clean" not in str(index.data(Qt.ItemDataRole.ToolTipRole))


def test_the_export_summary_says_each_fact_once(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    export_one_left_showing(qtbot, window, tmp_path)
    lines = window.export_pane.summary.text().splitlines()
    covered = " · 1 with covered areas"  # the other copy's face carries a black box
    assert lines == [f"1 verified clean · 1 still shows a face (see Result){covered}"]
    # The status bar (the file list's tab has no Result column) has no pointer.
    assert window.status_label.text() == (
        f"Export finished: 1 verified clean · 1 still shows a face{covered}")

    # Again into the same folder: both copies are there already, one of them a caution.
    export(qtbot, window, tmp_path / "out")
    summary = window.export_pane.summary.text()
    assert summary.splitlines()[0] == (
        f"1 verified clean · 1 still shows a face (see Result){covered}"
        " · 2 copies already saved there, not written again"), summary


def test_already_saved_is_beside_verified_clean_only_when_all_are_clean() -> None:
    assert ExportSummary(3, 3, 0, False, unchanged=2).text() == (
        "3 verified clean (2 already saved there, not written again)")
    assert ExportSummary(3, 3, 0, False, unchanged=1, unchecked=1).text() == (
        "2 verified clean · 1 not checked for faces or marks"
        " · 1 copy already saved there, not written again")
