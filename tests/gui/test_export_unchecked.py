"""A saved copy whose faces or marks were never looked for is never worded as clean.

After Cancel stopped the pixel checks (or with a detector not available), an export with
"Cover" unticked saved copies the file list called "Clean copy saved" in green and the
Export tab called "Verified clean", though nobody looked for faces or marks: the copy may
well show them. The CLI says ``checks: {faces: skipped, marks: skipped}``; the window now
says it too, in caution amber, and counts such copies apart from the clean ones.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.factories.gui_photos import plain_png, risky_jpeg
from tests.gui.helpers import checked, row_named
from tests.gui.test_export_caution import CAUTION, OK, colour, rows
from tests.gui.test_export_review import cell, export, show_export_tab
from tests.gui.test_export_shown_words import status_cell
from veil.core.model import CheckStatus
from veil.gui.export_tasks import ExportSummary
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT
from veil.gui.states import RowState


def audited(window: MainWindow, path: Path, **checks: CheckStatus) -> None:
    """``path`` listed as audited, its faces and marks checks DONE unless given."""
    base = checked(path)
    window.session.show_report(path, dataclasses.replace(base, checks={**base.checks, **checks}))


def test_a_copy_made_after_cancel_says_faces_and_marks_were_not_checked(
    qtbot, held_window, tmp_path: Path
) -> None:
    window: MainWindow
    window, pool = held_window
    window.resize(1280, 800)
    (tmp_path / "album").mkdir()
    risky_jpeg(tmp_path / "album" / "risky.jpg")
    plain_png(tmp_path / "album" / "plain.png")
    window.add_paths([tmp_path / "album"])
    listed = window.session.model.rows
    qtbot.waitUntil(lambda: len(listed) == 2 and all(
        r.state is RowState.CHECKING_PIXELS for r in listed), timeout=5000)
    window.status_cancel.click()  # faces and marks never ran
    window.export_pane.cover.setChecked(False)  # else the plan asks to check the rest
    show_export_tab(qtbot, window)
    qtbot.waitUntil(lambda: "not checked" in str(cell(window, 0, COL_RESULT)), timeout=5000)

    # Before writing: the plan says so, as a caution.
    at = rows(window)
    assert cell(window, at["plain.png"], COL_RESULT) == "Ready — faces and marks not checked"
    assert {colour(window, r) for r in at.values()} == {CAUTION}

    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    assert all(r.verified for r in window.exporter.results.results)
    at = rows(window)
    for name in ("risky.jpg", "plain.png"):
        said = str(cell(window, at[name], COL_RESULT))
        assert said.startswith("Faces and marks not checked — metadata removed, verified"), said
        assert "clean" not in said.lower()
        assert colour(window, at[name]) == CAUTION
        # The cell's few words read whole at 1024x700; the tooltip has the sentence.
        assert status_cell(window, name) == ("Saved — not checked", CAUTION)
        assert row_named(window, name).status == "Copy saved — faces and marks not checked"
    said = "0 verified clean · 2 not checked for faces or marks"
    assert window.status_label.text() == f"Export finished: {said}"
    assert window.export_pane.summary.text().splitlines()[0] == said


def test_a_missing_marks_check_is_named_alone(qtbot, window: MainWindow, tmp_path: Path) -> None:
    audited(window, risky_jpeg(tmp_path / "nomarks.jpg"), marks=CheckStatus.NOT_AVAILABLE)
    audited(window, risky_jpeg(tmp_path / "full.jpg"))
    show_export_tab(qtbot, window)
    at = rows(window)
    assert cell(window, at["nomarks.jpg"], COL_RESULT) == "Ready — marks not checked"
    assert colour(window, at["full.jpg"]) == OK

    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    at = rows(window)
    assert str(cell(window, at["nomarks.jpg"], COL_RESULT)).startswith(
        "Marks not checked — metadata removed, verified")
    assert colour(window, at["nomarks.jpg"]) == CAUTION
    assert str(cell(window, at["full.jpg"], COL_RESULT)).startswith("Verified clean")
    assert status_cell(window, "nomarks.jpg") == ("Saved — marks not checked", CAUTION)
    assert row_named(window, "nomarks.jpg").status == "Copy saved — marks not checked"
    assert status_cell(window, "full.jpg") == ("Clean copy saved", OK)
    assert window.status_label.text() == (
        "Export finished: 1 verified clean · 1 not checked for faces or marks")


def test_the_summary_counts_unchecked_copies_apart() -> None:
    assert ExportSummary(4, 4, 0, False, shows=1, unchecked=2).text() == (
        "1 verified clean · 1 still shows a face · 2 not checked for faces or marks")
    assert ExportSummary(1, 1, 0, False, unchecked=1).text() == (
        "0 verified clean · 1 not checked for faces or marks")
