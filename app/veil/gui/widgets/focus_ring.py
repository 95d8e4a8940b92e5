"""``FocusRing``: one visible ring around whatever has the keyboard focus in the window.

Styles draw focus differently per widget, and some draw nothing (a table with a style
sheet, a custom-painted preview, a scroll area). Rather than hope every widget paints its
own, the window overlays a single transparent, mouse-transparent frame on the focused
widget, so every Tab stop shows where the keyboard is. The ring follows the widget and every
container it sits in: a line of text appearing above a container moves the container, not
the widget inside it (the ring stayed behind, framing nothing, after an export).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QWidget

from veil.gui.style import ACCENT

WIDTH = 2


class FocusRing(QWidget):
    """Draws an accent frame around the focused descendant of ``window``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.target: QWidget | None = None
        #: The target and its containers up to the window: any of them moving moves it.
        self._watched: list[QWidget] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        for old in self._watched:
            if shiboken6.isValid(old):
                old.removeEventFilter(self)
        self._watched = []
        inside = new is not None and new is not self and self._window.isAncestorOf(new)
        self.target = new if inside else None
        widget = self.target
        while widget is not None and widget is not self._window:
            widget.installEventFilter(self)
            self._watched.append(widget)
            widget = widget.parentWidget()
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if any(watched is w for w in self._watched) and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self.follow()
        return False

    def follow(self) -> None:
        """Put the ring around the focused widget (or hide it)."""
        target = self.target
        if target is not None and not shiboken6.isValid(target):
            target = self.target = None  # deleted while focused
        if target is None or not target.isVisible():
            self.hide()
            return
        top_left = target.mapTo(self._window, target.rect().topLeft())
        rect = QRect(top_left, target.size()).adjusted(-WIDTH, -WIDTH, WIDTH, WIDTH)
        self.setGeometry(rect.intersected(self._window.rect()))
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        pen = QPen(QColor(ACCENT))
        pen.setWidth(WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        inset = WIDTH // 2  # the pen is centred on the path: keep all of it inside
        painter.drawRect(self.rect().adjusted(inset, inset, -inset, -inset))
        painter.end()
