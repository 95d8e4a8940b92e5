"""The upright preview with face/mark boxes the user accepts, rejects, resizes or draws.

Boxes are stored in full-size upright pixels (the same space as core's regions) and only
mapped to widget pixels for painting and hit-testing. Click a box to toggle covered / not
covered; drag a corner to resize; drag inside to move; drag on empty picture to draw a new
box; right-click a drawn box to remove it. Every edit emits ``boxes_edited``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from veil.core.model import Region
from veil.gui.imaging import Picture
from veil.gui.redactions import OverlayBox, clamp_region

HANDLE = 9
CLICK_SLOP = 4
COVERED = QColor(17, 20, 24, 190)
ACCENT = QColor("#F4F1EA")
REJECTED = QColor("#E0A100")


class PreviewCanvas(QWidget):
    """Paints the picture scaled to fit, and the boxes over it."""

    boxes_edited = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleName("Photo preview")
        self._pixmap: QPixmap | None = None
        self._full = (0, 0)
        self._boxes: list[OverlayBox] = []
        self._message = "Select a photo to see it here."
        self._hidden = False
        self._drag: tuple[Any, ...] | None = None

    # State --------------------------------------------------------------------------------
    def set_picture(self, picture: Picture | None, message: str = "") -> None:
        """Show ``picture`` (GUI thread: the QPixmap is made here), or ``message``."""
        if picture is None or picture.image is None:
            self._pixmap, self._full = None, (0, 0)
            self._message = message or (picture.error if picture else "") or ""
        else:
            self._pixmap = QPixmap.fromImage(picture.image)
            self._full = (picture.full_width, picture.full_height)
            self._message = ""
        self.update()

    def set_boxes(self, boxes: tuple[OverlayBox, ...]) -> None:
        """Replace the boxes (e.g. when the audit found faces)."""
        self._boxes = list(boxes)
        self.update()

    @property
    def has_picture(self) -> bool:
        """True when a picture is loaded."""
        return self._pixmap is not None

    @property
    def boxes(self) -> tuple[OverlayBox, ...]:
        """The boxes as now edited."""
        return tuple(self._boxes)

    def set_hidden(self, hidden: bool) -> None:
        """Privacy screen: paint nothing of the photo."""
        self._hidden = hidden
        self.update()

    # Geometry -----------------------------------------------------------------------------
    def _target(self) -> QRectF:
        if self._pixmap is None or not self._full[0]:
            return QRectF()
        fw, fh = self._full
        avail = QRectF(self.rect()).adjusted(12, 12, -12, -12)
        scale = min(avail.width() / fw, avail.height() / fh)
        w, h = fw * scale, fh * scale
        return QRectF(avail.center().x() - w / 2, avail.center().y() - h / 2, w, h)

    def _scale(self) -> float:
        target = self._target()
        return target.width() / self._full[0] if self._full[0] else 1.0

    def _to_widget(self, region: Region) -> QRectF:
        t, s = self._target(), self._scale()
        return QRectF(t.x() + region.x * s, t.y() + region.y * s, region.w * s, region.h * s)

    def _to_full(self, point: QPointF) -> tuple[float, float]:
        t, s = self._target(), self._scale()
        return (point.x() - t.x()) / s, (point.y() - t.y()) / s

    def _clamped(self, x: float, y: float, w: float, h: float) -> Region:
        return clamp_region(x, y, w, h, *self._full)

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
        else:
            painter.drawPixmap(self._target(), self._pixmap, QRectF(self._pixmap.rect()))
            for box in self._boxes:
                self._paint_box(painter, box)
        painter.end()

    def _paint_message(self, painter: QPainter, text: str) -> None:
        painter.setPen(QColor("#55606B"))
        painter.drawText(
            self.rect().adjusted(24, 24, -24, -24),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            text,
        )

    def _paint_box(self, painter: QPainter, box: OverlayBox) -> None:
        rect = self._to_widget(box.region)
        if box.accepted:
            painter.fillRect(rect, COVERED)
            painter.setPen(QPen(ACCENT, 2))
        else:
            painter.setPen(QPen(REJECTED, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        painter.setBrush(ACCENT if box.accepted else REJECTED)
        painter.setPen(Qt.PenStyle.NoPen)
        for corner in _corners(rect):
            painter.drawRect(QRectF(corner.x() - 3, corner.y() - 3, 6, 6))
        word = "Covered" if box.accepted else "Not covered"
        label = f"{box.label} · {word}"
        font = painter.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        chip = QRectF(
            rect.x(),
            rect.y() - metrics.height() - 6,
            metrics.horizontalAdvance(label) + 12,
            metrics.height() + 4,
        )
        if chip.y() < 0:
            chip.moveTop(rect.bottom() + 2)
        painter.setBrush(QColor(17, 20, 24, 220) if box.accepted else REJECTED)
        painter.drawRoundedRect(chip, 4, 4)
        painter.setPen(QColor("#FFFFFF") if box.accepted else QColor("#1B1B1B"))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)

    # Mouse --------------------------------------------------------------------------------
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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pixmap is None or self._hidden:
            return
        pos = event.position()
        hit = self._hit(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if hit and self._boxes[hit[1]].origin == "drawn":
                del self._boxes[hit[1]]
                self._emit()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if hit is None:
            if self._target().contains(pos):
                self._boxes.append(OverlayBox(Region(0, 0, 0, 0), True, "drawn", "Your box"))
                self._drag = ("draw", len(self._boxes) - 1, self._to_full(pos), pos)
        elif hit[0] == "corner":
            self._drag = ("resize", hit[1], hit[2], pos)
        else:
            self._drag = ("move", hit[1], self._boxes[hit[1]].region, pos, False)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag is None:
            hit = self._hit(pos) if self._pixmap is not None else None
            cursor = Qt.CursorShape.CrossCursor
            if hit is not None:
                cursor = (
                    Qt.CursorShape.SizeFDiagCursor
                    if hit[0] == "corner"
                    else Qt.CursorShape.PointingHandCursor
                )
            self.setCursor(cursor)
            return
        mode, i = self._drag[0], self._drag[1]
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

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        drag, self._drag = self._drag, None
        mode, i = drag[0], drag[1]
        box = self._boxes[i]
        if mode == "draw":
            if box.region.w * self._scale() < 6 or box.region.h * self._scale() < 6:
                del self._boxes[i]  # a click on the picture, not a box
                self.update()
                return
        elif mode == "move" and not drag[4]:
            self._boxes[i] = box.toggled()
        self._emit()

    def set_covered(self, finding: int, covered: bool) -> None:
        """Cover or uncover the box of finding number ``finding`` (the keyboard path)."""
        for i, box in enumerate(self._boxes):
            if box.finding == finding and box.accepted != covered:
                self._boxes[i] = box.toggled()
                self._emit()
                return

    def _emit(self) -> None:
        self.update()
        self.boxes_edited.emit(tuple(self._boxes))


def _corners(rect: QRectF) -> tuple[QPointF, QPointF, QPointF, QPointF]:
    """Top-left, top-right, bottom-right, bottom-left."""
    return rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()
