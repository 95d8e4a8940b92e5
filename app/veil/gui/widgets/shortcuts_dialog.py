"""The keyboard shortcuts window (F1 or ?): built from the window's own actions."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from veil.gui.widgets.cover_steps import NEXT_KEY, PREVIOUS_KEY, key_name

#: Keys that are not actions: how the list itself is driven.
LIST_KEYS = (
    ("Up / Down", "Previous / next photo"),
    ("Home / End", "First / last photo"),
    ("Type a name", "Jump to the first photo whose name starts so"),
    ("Shift+click, Ctrl+click", "Select several photos"),
    ("Tab / Shift+Tab", "Move between the list, the photo and its findings"),
)


def _label(text: str, *, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if bold:
        label.setStyleSheet("font-weight: 600;")
    return label


class ShortcutsDialog(QDialog):
    """Every shortcut of the window, listed from the actions (never out of date)."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — Veil")  # as the window's: Veil once
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.rows: list[tuple[str, str]] = []
        for action in actions:
            keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
            if keys:
                self.rows.append((" or ".join(keys), action.text().replace("&", "").rstrip("…")))
        self.rows.extend(LIST_KEYS)
        # Not actions either: they step only while "Look at them" shows its bar.
        steps = f"{key_name(PREVIOUS_KEY)} / {key_name(NEXT_KEY)}"
        self.rows.append((steps, "Previous / next large cover, after “Look at them”"))
        for i, (shortcut, what) in enumerate(self.rows):
            grid.addWidget(_label(shortcut, bold=True), i, 0)
            grid.addWidget(_label(what), i, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
