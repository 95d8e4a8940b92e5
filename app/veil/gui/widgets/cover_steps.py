"""The bar shown while stepping through the large covers ("Look at them"): where the user
is ("Large covers: 2 of 8"), Previous / Next (buttons and keys) and Done.

Only the widgets; :mod:`veil.gui.cover_review` decides what is shown. The bar is one line
that sits above the detail pane's tabs, so showing it takes height from the preview and
never changes the window's size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from veil.gui.widgets.findings_panel import plain_label

#: Keys that step while the bar is shown (Alt+Left / Alt+Right on Linux and Windows,
#: Ctrl+[ / Ctrl+] on macOS): not the arrows alone, which move in the list.
PREVIOUS_KEY, NEXT_KEY = QKeySequence.StandardKey.Back, QKeySequence.StandardKey.Forward


def key_name(key: QKeySequence.StandardKey) -> str:
    sequences = QKeySequence.keyBindings(key)
    return sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""


def position_text(number: int, count: int) -> str:
    """The position: "Large covers: 2 of 8" (``number`` from 1; 0: not one of them)."""
    if number:
        return f"Large covers: {number} of {count}"
    return f"Large covers: {count} (the photo shown is not one of them)"


class CoverStepBar(QWidget):
    """Position, Previous, Next and Done; hidden until :meth:`show_position`."""

    previous_clicked = Signal()
    next_clicked = Signal()
    done_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CoverSteps")
        self.setAccessibleName("Stepping through the large covers")
        self.position = plain_label("", wrap=False, name="Heading")
        # The label may be cut, never widen the pane (the buttons keep their width).
        self.position.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.previous = QPushButton("Previous")
        self.next = QPushButton("Next")
        self.done = QPushButton("Done")
        self.done.setToolTip("Stop looking and go back to Export")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 4)
        layout.addWidget(self.position, 1)
        for button, key, signal in (
            (self.previous, PREVIOUS_KEY, self.previous_clicked),
            (self.next, NEXT_KEY, self.next_clicked),
        ):
            button.setToolTip(f"{button.text()} photo with a large cover ({key_name(key)})")
            button.clicked.connect(signal)
            # The keys work wherever the focus is in the window (list, preview, findings),
            # only while the bar is shown (a shortcut of a hidden widget never fires).
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(button.click)  # does nothing while it is off
            layout.addWidget(button)
        self.done.clicked.connect(self.done_clicked)
        layout.addWidget(self.done)
        self.hide()

    def show_position(self, number: int, count: int, first: bool, last: bool) -> None:
        """Say ``number`` of ``count`` (0: not one of them); ``first`` / ``last`` turn
        Previous / Next off (nothing before / after)."""
        self.position.setText(position_text(number, count))
        self.previous.setEnabled(not first)
        self.next.setEnabled(not last)
        self.show()
