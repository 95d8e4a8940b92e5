"""The main window's actions, menu bar and tool bar (built here; the window owns the slots).

Every action lives in the menu bar, so each is findable with the mouse and shows its
shortcut; the same actions feed the shortcuts window (F1), which therefore never lists a
key that does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit, QSizePolicy, QToolBar, QWidget

from veil.gui.widgets.file_list import FILTERS
from veil.gui.widgets.findings_panel import plain_label

if TYPE_CHECKING:
    from veil.gui.main_window import MainWindow

LIST_ONLY = Qt.ShortcutContext.WidgetWithChildrenShortcut


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[..., Any],
    *shortcuts: Any,
    tip: str = "",
    on: QWidget | None = None,
) -> QAction:
    """An action; with ``on``, its shortcut works only while that widget has the focus."""
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    if on is not None:
        action.setShortcutContext(LIST_ONLY)
        on.addAction(action)
    else:
        window.addAction(action)
    action.triggered.connect(lambda *_: slot())
    return action


def build_actions(w: MainWindow) -> None:
    """Create the window's actions (as attributes of ``w``), its menu bar and tool bar."""
    table = w.table
    w.add_photos_action = _action(w, "Add photos…", w.add_photos, "Ctrl+O")
    w.add_folder_action = _action(w, "Add folder…", w.add_folder, "Ctrl+Shift+O")
    w.export_action = _action(w, "Export…", w.show_export, "Ctrl+E")
    w.quit_action = _action(w, "Quit", w.close, QKeySequence.StandardKey.Quit)
    w.undo_action = _action(w, "Undo remove", w.undo_remove, QKeySequence.StandardKey.Undo)
    w.select_all_action = _action(
        w, "Select all", table.selectAll, QKeySequence.StandardKey.SelectAll, on=table
    )
    w.remove_action = _action(
        w,
        "Remove from list",
        w.remove_selected,
        QKeySequence.StandardKey.Delete,
        tip="Take the selected files off the list (the files themselves are not touched)",
        on=table,
    )
    w.clear_action = _action(
        w, "Clear list", w.clear_list, "Ctrl+Shift+Del", tip="Take every file off the list"
    )
    w.find_action = _action(w, "Find by name", w.focus_find, QKeySequence.StandardKey.Find)
    w.privacy_action = QAction("Hide previews", w)
    w.privacy_action.setCheckable(True)
    w.privacy_action.setShortcut(QKeySequence("Esc"))
    w.privacy_action.setToolTip("Privacy screen: hide every preview at once (Esc; Esc again shows)")
    w.privacy_action.toggled.connect(w.set_previews_hidden)
    w.addAction(w.privacy_action)
    w.check_rest_action = _action(w, "Check the rest", w.check_rest)
    w.cancel_action = _action(w, "Stop checking", w.session.cancel_audits)
    w.help_action = _action(w, "Keyboard shortcuts", w.show_shortcuts, "F1")
    table.help_requested.connect(w.show_shortcuts)  # "?" in the list

    menus = w.menuBar()
    for title, actions in (
        ("&File", (w.add_photos_action, w.add_folder_action, None, w.export_action, None,
                   w.quit_action)),
        ("&Edit", (w.undo_action, None, w.select_all_action, w.remove_action, w.clear_action,
                   None, w.find_action)),
        ("&View", (w.privacy_action, None, w.cancel_action, w.check_rest_action)),
        ("&Help", (w.help_action,)),
    ):  # fmt: skip
        menu = menus.addMenu(title)
        for action in actions:
            menu.addAction(action) if action is not None else menu.addSeparator()

    bar = QToolBar("Main")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    bar.addAction(w.add_photos_action)
    bar.addAction(w.add_folder_action)
    bar.addSeparator()
    bar.addWidget(plain_label(" Show: ", wrap=False))
    w.filter_combo = QComboBox()
    w.filter_combo.setAccessibleName("Show photos with risk")
    for text, _, _ in FILTERS:
        w.filter_combo.addItem(text)
    bar.addWidget(w.filter_combo)
    w.find_box = QLineEdit()
    w.find_box.setPlaceholderText("Find by name (Ctrl+F)")
    w.find_box.setAccessibleName("Find files by name")
    w.find_box.setClearButtonEnabled(True)
    w.find_box.setMaximumWidth(260)
    bar.addWidget(w.find_box)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    bar.addAction(w.privacy_action)
    bar.addAction(w.export_action)
    w.addToolBar(bar)
    w.tool_bar = bar


def shortcut_actions(w: MainWindow) -> list[QAction]:
    """The actions listed in the shortcuts window, in menu order."""
    return [
        w.add_photos_action,
        w.add_folder_action,
        w.export_action,
        w.find_action,
        w.select_all_action,
        w.remove_action,
        w.undo_action,
        w.clear_action,
        w.privacy_action,
        w.help_action,
        w.quit_action,
    ]
