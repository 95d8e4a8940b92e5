"""A saved copy that still shows a face or possible mark is never worded as clean, in the
three places that said so after an export: the Export tab's Result cell began "Verified
clean" (cut there at 1280x800, so " — still shows 1 face" was never seen), the file list's
Status said "Clean copy saved" in green, and the status bar counted the copy among
"Export finished: 2 verified clean". Veil must never look clean when it is not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import row_named
from tests.gui.test_export_caution import CAUTION, OK, face_and_arm, portrait, rows, untick
from tests.gui.test_export_review import cell, export, show_export_tab
from veil.gui.export_tasks import ExportSummary
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT, DETAIL_ROLE
from veil.gui.models.export_wording import will_show_note
from veil.gui.models.file_table import COL_STATUS

TIP = Qt.ItemDataRole.ToolTipRole


def status_cell(window: MainWindow, name: str) -> tuple[str, str]:
    """The file list's Status cell of ``name``: its words and their colour."""
    model = window.session.model
    at = model.rows.index(row_named(window, name))
    index = model.index(at, COL_STATUS)
    colour = index.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(colour, QColor)
    return str(index.data()), colour.name()


def on_screen(window: MainWindow, row: int) -> str:
    """The Result cell's words as the table shows them at its width (elided at the right;
    the icon and the cell's padding take ~30 px)."""
    table = window.export_pane.table
    width = table.columnWidth(COL_RESULT) - 30
    text = str(cell(window, row, COL_RESULT))
    return table.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)


def spoken(window: MainWindow, row: int, col: int) -> str:
    """What a screen reader is told of the export table's cell (Qt's own accessible cell,
    found where the cell is drawn)."""
    view = window.export_pane.table
    table = QAccessible.queryAccessibleInterface(view)
    assert table is not None
    rect = view.visualRect(window.export_pane.results.proxy.index(row, col))
    at = view.viewport().mapToGlobal(rect.center())
    cell_ = table.childAt(at.x(), at.y())
    assert cell_ is not None and cell_.role() is QAccessible.Role.Cell
    return cell_.text(QAccessible.Text.Name)


def export_one_left_showing(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two portraits exported at 1280x800, shown.jpg with its face's Cover unticked,
    covered.jpg covered; both copies verified."""
    window.resize(1280, 800)
    shown = portrait(window, tmp_path / "shown.jpg")
    portrait(window, tmp_path / "covered.jpg")
    untick(window, shown)
    show_export_tab(qtbot, window)
    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    assert all(r.verified for r in window.exporter.results.results)


def test_a_copy_left_showing_a_face_is_not_called_clean(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    export_one_left_showing(qtbot, window, tmp_path)

    # 1. The Result cell says first what the copy still shows; cut to its width it still does.
    at = rows(window)
    said = str(cell(window, at["shown.jpg"], COL_RESULT))
    assert said.startswith("Still shows 1 face — metadata removed, verified"), said
    assert "clean" not in said.lower()
    assert on_screen(window, at["shown.jpg"]).startswith("Still shows"), on_screen(
        window, at["shown.jpg"])
    assert "Still shows 1 face" in str(cell(window, at["shown.jpg"], COL_RESULT, TIP))
    assert "Still shows 1 face" in str(cell(window, at["shown.jpg"], 0, DETAIL_ROLE))
    assert str(cell(window, at["covered.jpg"], COL_RESULT)).startswith("Verified clean")

    # 2. The file list: not "Clean copy saved" in green, but what it shows, in caution amber.
    assert status_cell(window, "shown.jpg") == ("Copy saved — still shows 1 face", CAUTION)
    assert row_named(window, "shown.jpg").status == "Copy saved — still shows 1 face"
    assert status_cell(window, "covered.jpg") == ("Clean copy saved", OK)

    # 3. The status bar and the pane's summary count it apart from the clean copies.
    said = "1 verified clean · 1 still shows a face"
    covered = " · 1 with covered areas"  # covered.jpg's face carries a black box
    assert window.status_label.text() == f"Export finished: {said}{covered}"
    # The pane says it once, pointing at the Result column (a second line repeated it).
    assert window.export_pane.summary.text().splitlines() == [f"{said} (see Result){covered}"]


def test_covering_off_no_copy_is_counted_clean(qtbot, window: MainWindow, tmp_path: Path) -> None:
    face_and_arm(window, tmp_path)
    show_export_tab(qtbot, window)
    window.export_pane.cover.setChecked(False)
    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    assert all(r.verified for r in window.exporter.results.results)
    at = rows(window)
    assert str(cell(window, at["arm.jpg"], COL_RESULT)).startswith(
        "Still shows 1 possible mark — metadata removed, verified")
    assert str(cell(window, at["face.jpg"], COL_RESULT)).startswith("Still shows 1 face")
    assert status_cell(window, "arm.jpg") == ("Copy saved — still shows 1 possible mark", CAUTION)
    assert status_cell(window, "face.jpg") == ("Copy saved — still shows 1 face", CAUTION)
    assert window.status_label.text() == (
        "Export finished: 0 verified clean · 1 still shows a face and 1 a possible mark")


def test_the_summary_counts_copies_that_still_show_apart() -> None:
    assert ExportSummary(3, 3, 0, False).text() == "3 verified clean"
    assert ExportSummary(3, 3, 0, False, shows=1).text() == (
        "2 verified clean · 1 still shows a face")
    text = ExportSummary(7, 4, 1, True, shows=2, unchanged=1).text()
    assert text == ("2 verified clean · 2 still show a face · 1 copy already saved"
                    " there, not written again · 1 failed · cancelled (2 not saved)")


def test_the_summary_says_what_the_copies_still_show() -> None:
    """Four copies each showing one possible mark said "4 still show a face or mark"."""
    marks = ExportSummary(4, 4, 0, False, shows=4, marks_only=4)
    assert marks.text() == "0 verified clean · 4 still show a possible mark"
    both = ExportSummary(5, 5, 0, False, shows=3, marks_only=2)
    assert both.text() == "2 verified clean · 1 still shows a face and 2 a possible mark"
    assert ExportSummary(1, 1, 0, False, shows=1, marks_only=1).text() == (
        "0 verified clean · 1 still shows a possible mark")
    assert will_show_note(0, 4) == "4 copies will show a possible mark left uncovered (see Result)"
    assert will_show_note(1, 2) == (
        "1 copy will show a face and 2 a possible mark left uncovered (see Result)")
    assert will_show_note(0, 0) == ""


def test_the_plan_note_says_a_copy_will_show_a_possible_mark(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    face_and_arm(window, tmp_path)
    show_export_tab(qtbot, window)
    window.export_pane.cover.setChecked(False)
    note = window.export_pane.plan_note
    said = "1 copy will show a face and 1 a possible mark left uncovered (see Result)"
    qtbot.waitUntil(lambda: said in note.text(), timeout=5_000)


@pytest.fixture
def screen_reader() -> Iterator[None]:
    """Accessibility on, as with a screen reader running: only then does Qt's accessible
    table follow the model (else its cells keep what they said before an export)."""
    was = QAccessible.isActive()
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(was)


def test_a_cut_result_cell_keeps_its_whole_sentence_reachable(
    qtbot, window: MainWindow, tmp_path: Path, screen_reader: None
) -> None:
    """At 1280x800 the Result cell of a copy that will still show a face reads "Ready — will
    still sho…": the tooltip and the screen reader's text say it whole, before writing and
    after (the column keeps its width; "Ready" stays the cell's first word)."""
    window.resize(1280, 800)
    shown = portrait(window, tmp_path / "shown.jpg")
    portrait(window, tmp_path / "covered.jpg")
    untick(window, shown)
    show_export_tab(qtbot, window)
    QApplication.processEvents()
    at = rows(window)["shown.jpg"]
    sentence = "Ready — will still show 1 face"
    assert cell(window, at, COL_RESULT) == sentence
    cut = on_screen(window, at)
    assert cut.startswith("Ready — will") and cut.endswith("…") and "face" not in cut, cut
    assert str(cell(window, at, COL_RESULT, TIP)) == f"<p>{sentence}</p>"
    assert spoken(window, at, COL_RESULT) == sentence

    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    at = rows(window)["shown.jpg"]
    said = str(cell(window, at, COL_RESULT))
    assert said.startswith("Still shows 1 face — metadata removed, verified"), said
    assert said in str(cell(window, at, COL_RESULT, TIP))
    assert spoken(window, at, COL_RESULT) == said
