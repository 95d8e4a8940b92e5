"""``ElidedLabel``: one line of file-derived text that never changes the window's size.

A plain QLabel asks for its whole text's width, so a 200-character file name widened the
window past the screen. This label asks for nothing: it shows as much as fits, eliding in
the middle (the start and the end of ``IMG_20240714_184210.jpg`` are what tell files
apart), keeps the full text in a tool tip, and copies the full text (Ctrl+C, context menu).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QWidget

from veil.gui.text import rich_escaped


class ElidedLabel(QLabel):
    """A single-line, plain-text, selectable label elided in the middle to its width."""

    #: Where the text is cut when it does not fit (a subclass may cut at the end).
    ELIDE = Qt.TextElideMode.ElideMiddle

    def __init__(self, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Ignored: layouts give it whatever width is left, whatever the text says.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if name:
            self.setObjectName(name)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Set the full text (shown elided to fit)."""
        self._full = text
        self.setToolTip(rich_escaped(text, 600) if text else "")
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        """The text as set, before eliding."""
        return self._full

    def is_elided(self) -> bool:
        """True when the label shows less than its full text."""
        return QLabel.text(self) != self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(16, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(160, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        copy = event.matches(QKeySequence.StandardKey.Copy)
        if copy and self.is_elided() and self.hasSelectedText():
            self.copy_full_text()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        menu = QMenu(self)
        menu.addAction("Copy", self.copy_full_text)
        menu.exec(event.globalPos())

    def copy_full_text(self) -> None:
        """Put the full text on the clipboard."""
        QGuiApplication.clipboard().setText(self._full)

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, self.ELIDE, width)
        if QLabel.text(self) != shown:
            QLabel.setText(self, shown)
