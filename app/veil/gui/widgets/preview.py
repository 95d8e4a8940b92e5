"""The upright preview with face/mark boxes the user accepts, rejects, resizes or draws.

Boxes are stored in full-size upright pixels (the same space as core's regions) and only
mapped to widget pixels for painting and hit-testing. Click a box to select it and toggle
covered / not covered; drag a corner to resize; drag inside to move; drag on empty picture
to draw a new box; right-click (or Delete) removes a drawn box. Wheel or +/- zooms, 0 fits,
middle-drag or Space+drag pans. Every edit emits ``boxes_edited``; selecting a box emits
``box_selected`` (the findings list lights up the same box).

A covered box is painted as the copy will have it: a solid, padded fill (hover it to peek
underneath). "What a recipient will see" shows the preview run through core's own
:func:`veil.core.redact.cover`, the function the export uses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from veil.core.model import Region
from veil.gui.imaging import Picture
from veil.gui.redactions import OverlayBox, clamp_region, drawn_label
from veil.gui.widgets.preview_paint import padded_region, place_labels, recipient_image

HANDLE = 9
CLICK_SLOP = 4
MAX_ZOOM = 16.0
ZOOM_STEP = 1.25
COVER = QColor(0, 0, 0)  # the export's fill
PEEK = QColor(0, 0, 0, 110)  # hovering a cover shows what is under it
ACCENT = QColor("#F4F1EA")
REJECTED = QColor("#E0A100")
SELECTED = QColor("#3B82F6")


class PreviewCanvas(QWidget):
    """Paints the picture (fit, or zoomed and panned) and the boxes over it."""

    boxes_edited = Signal(tuple)
    box_selected = Signal(int)  # index in ``boxes`` (-1: none)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Photo preview")
        self._image: Any = None  # QImage of the preview (for the recipient view)
        self._pixmap: QPixmap | None = None
        self._full = (0, 0)
        self._boxes: list[OverlayBox] = []
        self._message = "Select a photo to see it here."
        self._hidden = False
        self._drag: tuple[Any, ...] | None = None
        self._zoom = 1.0
        self._center = (0.0, 0.0)
        self._selected = -1
        self._hover = -1
        self._space = False
        self._recipient = False
        self._recipient_cache: tuple[tuple[OverlayBox, ...], QPixmap] | None = None
        self._labels_cache: tuple[Any, list[QRectF]] | None = None

    # State --------------------------------------------------------------------------------
    def set_picture(self, picture: Picture | None, message: str = "") -> None:
        """Show ``picture`` (GUI thread: the QPixmap is made here), or ``message``."""
        self._recipient_cache = None
        if picture is None or picture.image is None:
            self._image, self._pixmap, self._full = None, None, (0, 0)
            self._message = message or (picture.error if picture else "") or ""
        else:
            self._image = picture.image
            self._pixmap = QPixmap.fromImage(picture.image)
            self._full = (picture.full_width, picture.full_height)
            self._message = ""
        self.fit()

    def set_boxes(self, boxes: tuple[OverlayBox, ...]) -> None:
        """Replace the boxes (e.g. when the audit found faces); keeps a valid selection."""
        self._boxes = list(boxes)
        if self._selected >= len(self._boxes):
            self._selected = -1
        self._hover = -1
        self.update()

    @property
    def has_picture(self) -> bool:
        """True when a picture is loaded."""
        return self._pixmap is not None

    @property
    def boxes(self) -> tuple[OverlayBox, ...]:
        """The boxes as now edited."""
        return tuple(self._boxes)

    @property
    def selected(self) -> int:
        """Index of the selected box, -1 for none."""
        return self._selected

    @property
    def zoom(self) -> float:
        """1.0 is "fit the picture"; up to :data:`MAX_ZOOM`."""
        return self._zoom

    @property
    def recipient_view(self) -> bool:
        """True while the preview shows the copy as it will be written."""
        return self._recipient

    def set_hidden(self, hidden: bool) -> None:
        """Privacy screen: paint nothing of the photo."""
        self._hidden = hidden
        self.update()

    def set_recipient_view(self, on: bool) -> None:
        """Show the cleaned copy as a recipient will see it (no labels, no editing)."""
        self._recipient = on
        self._drag = None
        self.update()

    def select_box(self, index: int) -> None:
        """Light up box ``index`` (from the findings list); zoomed in, bring it into view."""
        self._selected = index if 0 <= index < len(self._boxes) else -1
        if self._selected >= 0 and self._zoom > 1.0:
            r = self._boxes[self._selected].region
            self._center = (r.x + r.w / 2, r.y + r.h / 2)
            self._clamp_center()
        self.update()

    def delete_box(self, index: int) -> None:
        """Remove box ``index`` if the user drew it (detected boxes are only uncovered)."""
        if 0 <= index < len(self._boxes) and self._boxes[index].origin == "drawn":
            del self._boxes[index]
            self._selected = -1
            self._emit()
            self.box_selected.emit(-1)

    def set_covered(self, finding: int, covered: bool) -> None:
        """Cover or uncover the box of finding number ``finding`` (the keyboard path)."""
        for i, box in enumerate(self._boxes):
            if box.finding == finding and box.accepted != covered:
                self._boxes[i] = box.toggled()
                self._emit()
                return

    def set_box_covered(self, index: int, covered: bool) -> None:
        """Cover or uncover box ``index`` (drawn boxes have no finding number)."""
        if 0 <= index < len(self._boxes) and self._boxes[index].accepted != covered:
            self._boxes[index] = self._boxes[index].toggled()
            self._emit()

    # Geometry -----------------------------------------------------------------------------
    def _avail(self) -> QRectF:
        return QRectF(self.rect()).adjusted(12, 12, -12, -12)

    def _scale(self) -> float:
        if self._pixmap is None or not self._full[0] or not self._full[1]:
            return 1.0
        avail = self._avail()
        fit = min(avail.width() / self._full[0], avail.height() / self._full[1])
        return max(fit, 1e-6) * self._zoom

    def _target(self) -> QRectF:
        if self._pixmap is None or not self._full[0]:
            return QRectF()
        s, c = self._scale(), self._avail().center()
        x = c.x() - self._center[0] * s
        y = c.y() - self._center[1] * s
        return QRectF(x, y, self._full[0] * s, self._full[1] * s)

    def _to_widget(self, region: Region) -> QRectF:
        t, s = self._target(), self._scale()
        return QRectF(t.x() + region.x * s, t.y() + region.y * s, region.w * s, region.h * s)

    def _to_full(self, point: QPointF) -> tuple[float, float]:
        t, s = self._target(), self._scale()
        return (point.x() - t.x()) / s, (point.y() - t.y()) / s

    def _clamped(self, x: float, y: float, w: float, h: float) -> Region:
        return clamp_region(x, y, w, h, *self._full)

    def _clamp_center(self) -> None:
        """Keep the picture filling the view when zoomed; centred when it fits."""
        s, avail = self._scale(), self._avail()
        fw, fh = self._full
        cx, cy = self._center
        half_w, half_h = avail.width() / (2 * s), avail.height() / (2 * s)
        cx = fw / 2 if half_w * 2 >= fw else min(max(cx, half_w), fw - half_w)
        cy = fh / 2 if half_h * 2 >= fh else min(max(cy, half_h), fh - half_h)
        self._center = (cx, cy)

    def fit(self) -> None:
        """Show the whole picture (zoom 1)."""
        self._zoom = 1.0
        self._center = (self._full[0] / 2, self._full[1] / 2)
        self.update()
        self.zoom_changed.emit(self._zoom)

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the picture point under ``at`` (default: the middle)."""
        if self._pixmap is None:
            return
        at = self._avail().center() if at is None else at
        fx, fy = self._to_full(at)
        self._zoom = min(MAX_ZOOM, max(1.0, self._zoom * factor))
        s, c = self._scale(), self._avail().center()
        self._center = (fx - (at.x() - c.x()) / s, fy - (at.y() - c.y()) / s)
        self._clamp_center()
        self.update()
        self.zoom_changed.emit(self._zoom)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by ``dx``, ``dy`` widget pixels (drag direction)."""
        s = self._scale()
        self._center = (self._center[0] - dx / s, self._center[1] - dy / s)
        self._clamp_center()
        self.update()

    # Painting -----------------------------------------------------------------------------
    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), QColor("#E9ECEF"))
        if self._hidden:
            self._paint_message(
                painter,
                "Previews hidden (privacy screen).\nPress the eye button to show them again.",
            )
        elif self._pixmap is None:
            self._paint_message(painter, self._message)
        elif self._recipient:
            source = QRectF(self._pixmap.rect())
            painter.drawPixmap(self._target(), self._recipient_pixmap(), source)
        else:
            painter.drawPixmap(self._target(), self._pixmap, QRectF(self._pixmap.rect()))
            for i, box in enumerate(self._boxes):
                self._paint_box(painter, i, box)
            self._paint_labels(painter)
        painter.end()

    def _recipient_pixmap(self) -> QPixmap:
        key = tuple(self._boxes)
        if self._recipient_cache is None or self._recipient_cache[0] != key:
            image = recipient_image(self._image, self._full, key)
            self._recipient_cache = (key, QPixmap.fromImage(image))
        return self._recipient_cache[1]

    def _paint_message(self, painter: QPainter, text: str) -> None:
        painter.setPen(QColor("#55606B"))
        painter.drawText(
            self.rect().adjusted(24, 24, -24, -24),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            text,
        )

    def _paint_box(self, painter: QPainter, i: int, box: OverlayBox) -> None:
        rect = self._to_widget(box.region)
        cover = self._to_widget(padded_region(box.region, *self._full))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if box.accepted:
            painter.fillRect(cover, PEEK if i == self._hover else COVER)
            painter.setPen(QPen(ACCENT, 1, Qt.PenStyle.DotLine))
        else:
            painter.setPen(QPen(REJECTED, 2, Qt.PenStyle.DashLine))
        painter.drawRect(rect)
        if i == self._selected:
            painter.setPen(QPen(SELECTED, 3))
            painter.drawRect((cover if box.accepted else rect).adjusted(-2, -2, 2, 2))
        painter.setBrush(ACCENT if box.accepted else REJECTED)
        painter.setPen(Qt.PenStyle.NoPen)
        for corner in _corners(rect):
            painter.drawRect(QRectF(corner.x() - 3, corner.y() - 3, 6, 6))

    def _paint_labels(self, painter: QPainter) -> None:
        if not self._boxes:
            return
        font = painter.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        texts = [f"{b.label} · {'Covered' if b.accepted else 'Not covered'}" for b in self._boxes]
        sizes = [(metrics.horizontalAdvance(t) + 12.0, metrics.height() + 4.0) for t in texts]
        anchors = [self._to_widget(b.region) for b in self._boxes]
        bounds = self._target().intersected(QRectF(self.rect()).adjusted(2, 2, -2, -2))
        # Placing 26 labels of a group photo takes ~0.1 s: only when boxes or view change.
        key = (tuple(r.getRect() for r in anchors), tuple(sizes), bounds.getRect())
        if self._labels_cache is None or self._labels_cache[0] != key:
            self._labels_cache = (key, place_labels(anchors, sizes, bounds))
        chips = self._labels_cache[1]
        for i, (box, text, chip) in enumerate(zip(self._boxes, texts, chips, strict=True)):
            fill = QColor(17, 20, 24, 230) if box.accepted else REJECTED
            painter.setPen(QPen(SELECTED, 2) if i == self._selected else Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, 4, 4)
            painter.setPen(QColor("#FFFFFF") if box.accepted else QColor("#1B1B1B"))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)

    # Mouse and keys -----------------------------------------------------------------------
    def _hit(self, pos: QPointF) -> tuple[str, int, int] | None:
        """("corner", box, corner) or ("inside", box, -1) for the top-most box under ``pos``."""
        for i in range(len(self._boxes) - 1, -1, -1):
            rect = self._to_widget(self._boxes[i].region)
            for c, corner in enumerate(_corners(rect)):
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
            button == Qt.MouseButton.LeftButton and (self._space or self._recipient)
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
        if self._recipient or self._space:
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


def _corners(rect: QRectF) -> tuple[QPointF, QPointF, QPointF, QPointF]:
    """Top-left, top-right, bottom-right, bottom-left."""
    return rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()
