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

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.privacy_action.isChecked()
    assert "Esc again" in window.privacy_action.toolTip()
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # a second Esc brings the previews back
    assert not window.privacy_action.isChecked()
    assert window.privacy_action.text() == "Hide previews"

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(window.table.selectionModel().selectedRows()) == 5
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert window.session.model.rowCount() == 0
    assert window.stack.currentWidget() is window.drop_zone
    assert all(p.exists() for p in [*files.values(), extra])  # removed from the list only
    assert window.status.undo.isVisibleTo(window)
    assert "Removed 5 files" in window.status_label.text()
    # Nothing to export or hide in an empty list.
    assert not window.export_action.isEnabled() and not window.privacy_action.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.model.rowCount() == 5
    assert window.stack.currentWidget() is window.splitter
    assert window.export_action.isEnabled() and window.privacy_action.isEnabled()


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


def test_every_tab_stop_shows_a_focus_ring(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor

    from veil.gui.style import ACCENT

    photo_folder(tmp_path / "album")
    window.add_paths([tmp_path / "album"])
    wait_idle(qtbot, window, rows=4)
    window.select_first()
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table, timeout=2000)
    stops = []
    while (focused := QApplication.focusWidget()) not in stops and len(stops) < 40:
        stops.append(focused)
        QApplication.processEvents()
        ring = window.focus_ring
        assert ring.isVisible() and ring.target is focused, type(focused).__name__
        box = QRect(focused.mapTo(window, focused.rect().topLeft()), focused.size())
        assert ring.geometry().contains(box.intersected(window.rect().adjusted(2, 2, -2, -2)))
        shot = window.grab().toImage()
        edge = ring.geometry().topLeft() + ring.rect().center() - ring.rect().topLeft()
        edge.setY(ring.geometry().top())  # the ring's top edge, halfway along
        assert shot.pixelColor(edge) == QColor(ACCENT), type(focused).__name__
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert len(stops) >= 6  # the list, the tabs, the preview, findings, the toolbar's filters


def test_f1_and_question_mark_open_the_shortcuts_window(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    keys = dict(dialog.rows)
    assert keys["Ctrl+Z"] == "Undo remove" and keys["Ctrl+F"] == "Find by name"
    assert "Home / End" in keys and keys["Del"] == "Remove from list"
    # The keys that step through "Look at them"'s large covers (not actions either).
    assert keys["Alt+Left / Alt+Right"].startswith("Previous / next large cover"), keys
    dialog.close()
    window.table.setFocus()
    qtbot.keyClicks(window.table, "?")
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not dialog, timeout=2000)
    window.shortcuts_dialog.close()
    # A menu bar holds the main actions.
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Help"]
    edit = window.menuBar().actions()[1].menu()
    assert {"Undo remove", "Clear list", "Remove from list"} <= {a.text() for a in edit.actions()}


def test_the_focus_ring_follows_a_widget_whose_container_moves(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """After an export the results' filter had the focus and the summary line pushed its
    container down: the ring stayed where the filter had been, framing nothing."""
    from PySide6.QtCore import QRect

    window.add_paths([risky_jpeg(tmp_path / "a.jpg")])
    wait_idle(qtbot, window, rows=1)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    pane = window.export_pane
    window.activateWindow()
    combo = pane.results.filter
    combo.setFocus()
    qtbot.waitUntil(lambda: window.focus_ring.target is combo, timeout=2000)
    before = combo.mapTo(window, combo.rect().topLeft())
    pane._say("61 verified clean · 2 skipped\nA second line, to move the table further down.")
    QApplication.processEvents()
    after = combo.mapTo(window, combo.rect().topLeft())
    assert after != before  # its container moved, the filter did not (within it)
    ring = window.focus_ring
    assert ring.geometry().contains(QRect(after, combo.size()))
