"""Keyboard-only use: shortcuts and a sensible Tab order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.factories.gui_photos import photo_folder, risky_jpeg
from tests.gui.helpers import wait_idle
from veil.gui.main_window import MainWindow


def test_shortcuts_add_export_delete_escape(qtbot, window: MainWindow, tmp_path: Path) -> None:
    files = photo_folder(tmp_path / "album")
    extra = risky_jpeg(tmp_path / "extra.jpg")
    window.ask_files = lambda: [extra]
    window.ask_folder = lambda: tmp_path / "album"
    window.activateWindow()

    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window, rows=1)
    qtbot.keyClick(
        window,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    wait_idle(qtbot, window, rows=5)

    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.detail.tabs.currentWidget() is window.export_pane

    window.table.setFocus()
    window.table.selectAll()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert window.session.model.rowCount() == 0
    assert window.stack.currentWidget() is window.drop_zone
    assert all(p.exists() for p in [*files.values(), extra])  # removed from the list only

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.privacy_action.isChecked()


def test_tab_moves_from_the_list_to_the_detail_pane(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.add_paths([risky_jpeg(tmp_path / "a.jpg")])
    wait_idle(qtbot, window, rows=1)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table, timeout=2000)
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not window.table
    assert window.detail.isAncestorOf(focused)
