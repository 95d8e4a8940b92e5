"""The export pane at 1024x700: every control reachable (the pane scrolls), the results
table keeps several rows and all its columns without scrolling sideways, and a 200-character
name changes neither the pane's nor the window's size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.helpers import drop_paths, wait_idle
from tests.gui.test_export_review import export
from tests.gui.test_window_layout import LONG, _roll
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_KEPT, COL_RESULT, COL_SAVED
from veil.gui.widgets.export_pane import ExportPane


def reachable(pane: QWidget, widget: QWidget) -> bool:
    """True when scrolling the pane brings all of ``widget`` into view."""
    pane.scroll_area.ensureWidgetVisible(widget, 0, 0)
    QApplication.processEvents()
    return widget.visibleRegion().boundingRect().size() == widget.size()


def columns_fit(pane: QWidget, last: int) -> bool:
    header = pane.table.horizontalHeader()  # type: ignore[attr-defined]
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    scroll = pane.table.horizontalScrollBar()  # type: ignore[attr-defined]
    return right <= pane.table.viewport().width() and scroll.maximum() == 0  # type: ignore[attr-defined]


def _export_pane_of_a_small_window(qtbot, window: MainWindow, tmp_path: Path) -> ExportPane:
    """A 1024x700 window with the 4-photo roll (one long name) checked, on its export pane."""
    window.resize(1024, 700)
    assert drop_paths(window.drop_zone, [_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=4)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    pane = window.export_pane
    qtbot.waitUntil(lambda: pane.results.model.rowCount() == 4)
    return pane


def test_export_pane_at_1024x700(qtbot, window: MainWindow, tmp_path: Path) -> None:
    pane = _export_pane_of_a_small_window(qtbot, window, tmp_path)
    QApplication.processEvents()
    size = window.size()
    assert (size.width(), size.height()) == (1024, 700)

    rows = pane.table.viewport().height() / pane.table.verticalHeader().defaultSectionSize()
    assert rows >= 5, rows  # it was 26 px: less than one row
    assert columns_fit(pane, COL_KEPT)  # 'Kept' needed scrolling sideways
    for widget in (pane.folder_edit, pane.choose, pane.beside, pane.cover, pane.heic,
                   pane.export_selected, pane.export_all, pane.plan_note, pane.results.filter,
                   pane.results.copy, pane.table, pane.show_folder):
        assert reachable(pane, widget), widget

    # The long name in the table, its details line, the summary: the sizes stay.
    pane.beside.setChecked(True)
    export(qtbot, window, None)
    QApplication.processEvents()
    for row in range(pane.results.proxy.rowCount()):
        pane.table.selectRow(row)
        QApplication.processEvents()
        assert window.size() == size
        assert pane.scroll_area.widget().width() <= pane.scroll_area.viewport().width()
    assert any(line.startswith(LONG[:60]) for line in pane.results.detail_lines(list(range(4))))
    # After an export, a 1024-wide window keeps 'Saved as' hidden (the details line names
    # the copy): with it, Result read 'Verifi…'. It shows once there is room.
    assert pane.table.isColumnHidden(COL_SAVED)
    assert columns_fit(pane, COL_KEPT)
    header = pane.table.horizontalHeader()
    words = pane.table.fontMetrics().horizontalAdvance("Verified clean")
    assert header.sectionSize(COL_RESULT) >= words + 16 + 12  # icon and padding
    assert window.size() == size
    window.resize(1280, 800)  # still too narrow: Result would lose "· 2 areas covered"
    QApplication.processEvents()
    assert pane.table.isColumnHidden(COL_SAVED)
    window.resize(1700, 900)
    QApplication.processEvents()
    assert not pane.table.isColumnHidden(COL_SAVED) and columns_fit(pane, COL_SAVED)


def test_a_column_the_user_sized_keeps_its_width(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    pane = _export_pane_of_a_small_window(qtbot, window, tmp_path)
    header = pane.table.horizontalHeader()
    fitted = header.sectionSize(0)
    window.resize(1280, 800)
    QApplication.processEvents()
    assert header.sectionSize(0) > fitted  # not sized by hand: it follows the room

    def mouse(kind: QEvent.Type) -> None:
        buttons = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else (
            Qt.MouseButton.NoButton)
        event = QMouseEvent(kind, QPointF(5, 5), QPointF(5, 5), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(header.viewport(), event)

    mouse(QEvent.Type.MouseButtonPress)  # the user drags a column's edge
    header.resizeSection(0, 222)
    mouse(QEvent.Type.MouseButtonRelease)
    window.resize(1024, 700)
    QApplication.processEvents()
    assert header.sectionSize(0) == 222


def test_saved_as_shows_only_once_a_copy_is_saved(qtbot, tmp_path: Path) -> None:
    from veil.core.model import ExportResult, ExportStatus
    from veil.gui.models.export_results import COL_RESULT, ExportResultsModel
    from veil.gui.widgets.export_table import ExportTable

    # Every copy failed (seen exporting into a read-only folder): 'Saved as' was shown, all
    # dashes, and 'Failed: cannot write to …' was cut to 'Failed: cannot…'.
    table = ExportTable(ExportResultsModel())
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.show()
    failed = [
        ExportResult(tmp_path / f"{n}.jpg", None, ExportStatus.FAILED, "cannot write to out")
        for n in "ab"
    ]
    table.model.append(failed)
    QApplication.processEvents()
    assert table.table.isColumnHidden(COL_SAVED)
    narrow = table.table.columnWidth(COL_RESULT)
    # A copy under its photo's own name: the column would repeat the Photo column (and cut
    # Result to "Verified clean …" at 1280x800).
    same = ExportResult(tmp_path / "c.jpg", tmp_path / "out" / "c.jpg", ExportStatus.CLEANED,
                        verified=True)
    table.model.append([same])
    QApplication.processEvents()
    assert table.table.isColumnHidden(COL_SAVED)
    renamed = ExportResult(tmp_path / "d.jpg", tmp_path / "d.clean.jpg", ExportStatus.CLEANED,
                           verified=True)
    table.model.append([renamed])
    QApplication.processEvents()
    assert not table.table.isColumnHidden(COL_SAVED)
    assert table.table.columnWidth(COL_RESULT) < narrow


def test_headers_stay_whole_in_a_narrow_table(qtbot) -> None:
    from veil.gui.models.export_results import HEADERS, ExportResultsModel
    from veil.gui.widgets.export_table import HEADER_PAD, ExportTable

    # At 1024x700 with the pane's scroll bar the table had ~390 px: 'Removed' read 'Removec'.
    table = ExportTable(ExportResultsModel())
    qtbot.addWidget(table)
    table.resize(395, 300)
    table.show()
    QApplication.processEvents()
    header = table.table.horizontalHeader()
    metrics = header.fontMetrics()
    for col in range(4):
        assert header.sectionSize(col) >= metrics.horizontalAdvance(HEADERS[col]) + HEADER_PAD
    assert columns_fit(_Pane(table), 3)


class _Pane:
    """What columns_fit reads from a pane, for a table on its own."""

    def __init__(self, table: QWidget) -> None:
        self.table = table.table  # type: ignore[attr-defined]
