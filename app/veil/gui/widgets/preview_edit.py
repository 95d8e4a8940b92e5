"""Mouse and keys of the preview: select, toggle, move, resize and draw boxes; zoom; pan.

The base class of :class:`~veil.gui.widgets.preview.PreviewCanvas` (kept apart so each file
stays small); it reads and edits the canvas's state and calls its geometry helpers.
When the canvas is not ``_editable`` (a video's poster frame: nothing in a clip is covered)
no box can be drawn, picked or changed; a left drag pans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from veil.core.model import Region
from veil.gui.redactions import OverlayBox, drawn_label

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

    from veil.gui.widgets.preview_view import View

HANDLE = 9
CLICK_SLOP = 4
ZOOM_STEP = 1.25
PAN_STEP = 60  # widget pixels per arrow key press when zoomed in
_ARROWS = {
    Qt.Key.Key_Left: (1, 0),
    Qt.Key.Key_Right: (-1, 0),
    Qt.Key.Key_Up: (0, 1),
    Qt.Key.Key_Down: (0, -1),
}


class BoxEditing(QWidget):
    """Event handlers and edit signals; the canvas provides the state below and the
    geometry methods."""

    boxes_edited = Signal(tuple)
    box_selected = Signal(int)  # index in ``boxes`` (-1: none)

    _boxes: list[OverlayBox]
    _pixmap: QPixmap | None
    _full: tuple[int, int]
    _hidden: bool
    _drag: tuple[Any, ...] | None
    _selected: int
    _hover: int
    _space: bool
    _recipient: bool
    _editable: bool
    view: View

    if TYPE_CHECKING:  # provided by PreviewCanvas

        def _scale(self) -> float: ...
        def _target(self) -> QRectF: ...
        def _to_widget(self, region: Region) -> QRectF: ...
        def _to_full(self, point: QPointF) -> tuple[float, float]: ...
        def _clamped(self, x: float, y: float, w: float, h: float) -> Region: ...
        def delete_box(self, index: int) -> None: ...
        def set_box_covered(self, index: int, covered: bool) -> None: ...
        def fit(self) -> None: ...
        def pan_by(self, dx: float, dy: float) -> None: ...
        def zoom_by(self, factor: float, at: QPointF | None = None) -> None: ...

    def _hit(self, pos: QPointF) -> tuple[str, int, int] | None:
        """("corner", box, corner) or ("inside", box, -1) for the top-most box under ``pos``."""
        if not self._editable:
            return None
        for i in range(len(self._boxes) - 1, -1, -1):
            rect = self._to_widget(self._boxes[i].region)
            for c, corner in enumerate(corners(rect)):
                if abs(corner.x() - pos.x()) <= HANDLE and abs(corner.y() - pos.y()) <= HANDLE:
                    return "corner", i, c
            if rect.contains(pos):
                return "inside", i, -1
        return None

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if self._pixmap is None or self._hidden or not steps:
            return
        self.zoom_by(ZOOM_STEP**steps, event.position())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_Delete and self._selected >= 0:
            self.delete_box(self._selected)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected >= 0:
            box = self._boxes[self._selected]
            self.set_box_covered(self._selected, not box.accepted)
        elif key in _ARROWS and self.view.zoom > 1.0:
            dx, dy = _ARROWS[Qt.Key(key)]
            self.pan_by(dx * PAN_STEP, dy * PAN_STEP)
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pixmap is None or self._hidden:
            return
        pos = event.position()
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton
            and (self._space or self._recipient or not self._editable)
        ):
            self._drag = ("pan", -1, pos)
            return
        hit = self._hit(pos)
        if button == Qt.MouseButton.RightButton:
            if hit:
                self.delete_box(hit[1])
            return
        if button != Qt.MouseButton.LeftButton:
            return
        if hit is None:
            if self._target().contains(pos):
                box = OverlayBox(Region(0, 0, 0, 0), True, "drawn", drawn_label(self._boxes))
                self._boxes.append(box)
                self._drag = ("draw", len(self._boxes) - 1, self._to_full(pos), pos)
        elif hit[0] == "corner":
            self._drag = ("resize", hit[1], hit[2], pos)
        else:
            self._drag = ("move", hit[1], self._boxes[hit[1]].region, pos, False)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag is None:
            self._hover_at(pos)
            return
        mode, i = self._drag[0], self._drag[1]
        if mode == "pan":
            last: QPointF = self._drag[2]
            self.pan_by(pos.x() - last.x(), pos.y() - last.y())
            self._drag = ("pan", -1, pos)
            return
        box = self._boxes[i]
        fx, fy = self._to_full(pos)
        if mode == "draw":
            sx, sy = self._drag[2]
            region = self._clamped(sx, sy, fx - sx, fy - sy)
        elif mode == "resize":
            r = box.region
            xs, ys = [r.x, r.x + r.w], [r.y, r.y + r.h]
            corner = self._drag[2]
            xs[0 if corner in (0, 3) else 1] = fx
            ys[0 if corner in (0, 1) else 1] = fy
            region = self._clamped(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0])
        else:
            start: Region = self._drag[2]
            origin: QPointF = self._drag[3]
            if not self._drag[4] and (pos - origin).manhattanLength() < CLICK_SLOP:
                return
            self._drag = (*self._drag[:4], True)
            s = self._scale()
            dx, dy = (pos.x() - origin.x()) / s, (pos.y() - origin.y()) / s
            x = min(max(0, start.x + dx), self._full[0] - start.w)
            y = min(max(0, start.y + dy), self._full[1] - start.h)
            region = self._clamped(x, y, start.w, start.h)
        self._boxes[i] = box.with_region(region)
        self.update()

    def _hover_at(self, pos: QPointF) -> None:
        hit = self._hit(pos) if self._pixmap is not None and not self._recipient else None
        cursor = Qt.CursorShape.CrossCursor
        if self._recipient or self._space or not self._editable:
            cursor = Qt.CursorShape.OpenHandCursor
        elif hit is not None:
            cursor = (
                Qt.CursorShape.SizeFDiagCursor
                if hit[0] == "corner"
                else Qt.CursorShape.PointingHandCursor
            )
        self.setCursor(cursor)
        hover = -1 if hit is None else hit[1]
        if hover != self._hover:
            self._hover = hover
            self.update()

    def leaveEvent(self, event: Any) -> None:
        if self._hover != -1:
            self._hover = -1
            self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        drag, self._drag = self._drag, None
        mode, i = drag[0], drag[1]
        if mode == "pan":
            return
        box = self._boxes[i]
        if mode == "draw":
            if box.region.w * self._scale() < 6 or box.region.h * self._scale() < 6:
                del self._boxes[i]  # a click on the picture, not a box
                self._select(-1)
                self.update()
                return
        elif mode == "move" and not drag[4]:
            self._boxes[i] = box.toggled()
        self._emit()
        self._select(i)

    def _select(self, index: int) -> None:
        if index != self._selected:
            self._selected = index
            self.box_selected.emit(index)

    def _emit(self) -> None:
        self.update()
        self.boxes_edited.emit(tuple(self._boxes))


def corners(rect: QRectF) -> tuple[QPointF, QPointF, QPointF, QPointF]:
    """Top-left, top-right, bottom-right, bottom-left."""
    return rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()
