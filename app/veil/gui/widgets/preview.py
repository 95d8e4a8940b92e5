"""The upright preview with face/mark boxes the user accepts, rejects, resizes or draws.

Boxes are stored in full-size upright pixels (the same space as core's regions) and only
mapped to widget pixels for painting and hit-testing. Click a box to select it and toggle
covered / not covered; drag a corner to resize; drag inside to move; drag on empty picture
to draw a new box; right-click (or Delete) removes a drawn box. Wheel or +/- zooms, 0 fits,
middle-drag or Space+drag pans. Every edit emits ``boxes_edited``; selecting a box emits
``box_selected`` (the findings list lights up the same box).

A video's poster frame is not editable (:meth:`PreviewCanvas.set_editable`): faces in clips
are not checked and the export covers nothing in them, so it shows no box, a left drag pans
and the recipient sees the frame unchanged.

A covered box is painted as the copy will have it: a solid, padded fill (hover it to peek
underneath; see-through while the export covers nothing). "What a recipient will see" is
the copy as it will be written (:mod:`veil.gui.widgets.preview_recipient`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from veil.core.model import Region
from veil.gui.imaging import Picture
from veil.gui.redactions import OverlayBox, clamp_region
from veil.gui.widgets.preview_paint import (
    SELECTED,
    LabelCache,
    padded_region,
    paint_box,
    paint_labels,
)
from veil.gui.widgets.preview_recipient import RecipientView
from veil.gui.widgets.preview_view import View

#: A selected box whose shorter side is under this many widget pixels is zoomed in on ...
SMALL_ON_SCREEN = 24
#: ... until it is this many.
CLOSE_ON_SCREEN = 64

class PreviewCanvas(RecipientView):
    """Paints the picture (fit, or zoomed and panned) and the boxes over it."""

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 120)
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
        self.view = View()
        self._selected = -1
        self._hover = -1
        self._space = False
        self._recipient = False
        self._editable = True
        self._covering = True  # the export's "Cover the faces and marks" option
        self._recipient_cache: tuple[tuple[OverlayBox, ...], QPixmap] | None = None
        self._no_copy = ""  # why the export will write no copy, in the plan's words
        self._copyless = False  # known to write none (see RecipientView.copyless)
        self._labels_cache: LabelCache | None = None

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
        self.view.reset(self._full)
        self.fit()

    def set_editable(self, editable: bool) -> None:
        """Allow boxes (a photo) or not (a video: no box is shown, drawn or changed)."""
        if editable == self._editable:
            return
        self._editable = editable
        if not editable:
            self._drag = None
            self._selected = -1
            self.set_boxes(())
        hand = Qt.CursorShape.OpenHandCursor
        self.setCursor(Qt.CursorShape.CrossCursor if editable else hand)

    @property
    def editable(self) -> bool:
        """False while a video is shown (nothing in it can be covered)."""
        return self._editable

    def set_boxes(self, boxes: tuple[OverlayBox, ...]) -> None:
        """Replace the boxes (e.g. when the audit found faces); keeps a valid selection.
        Not editable: always none."""
        self._boxes = list(boxes) if self._editable else []
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
        return self.view.zoom

    def set_hidden(self, hidden: bool) -> None:
        """Privacy screen: paint nothing of the photo."""
        self._hidden = hidden
        self.update()

    def select_box(self, index: int) -> None:
        """Light up box ``index`` (from the findings list); zoomed in, bring it into view.
        A box too small to judge at this size (a mark "check this area" was a 5x7 px speck
        on a portrait at 1024x700) is zoomed in on, so the line's question can be answered."""
        self._selected = index if 0 <= index < len(self._boxes) else -1
        if self._selected >= 0 and self._pixmap is not None:
            region, view = self._boxes[self._selected].region, self._view()
            before = view.zoom
            if view.zoom > 1.0 or min(region.w, region.h) * view.scale() < SMALL_ON_SCREEN:
                view.bring_close(region, SMALL_ON_SCREEN, CLOSE_ON_SCREEN)
            if view.zoom != before:
                self.zoom_changed.emit(view.zoom)
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

    # Geometry (see :class:`View`) ----------------------------------------------------------
    def _avail(self) -> QRectF:
        return QRectF(self.rect()).adjusted(12, 12, -12, -12)

    def _view(self) -> View:
        self.view.avail = self._avail()
        return self.view

    def _scale(self) -> float:
        return self._view().scale()

    def _target(self) -> QRectF:
        return QRectF() if self._pixmap is None else self._view().target()

    def _to_widget(self, region: Region) -> QRectF:
        return self._view().to_widget(region)

    def _to_full(self, point: QPointF) -> tuple[float, float]:
        return self._view().to_full(point)

    def _clamped(self, x: float, y: float, w: float, h: float) -> Region:
        return clamp_region(x, y, w, h, *self._full)

    def fit(self) -> None:
        """Show the whole picture (zoom 1)."""
        self.view.fit()
        self.update()
        self.zoom_changed.emit(self.view.zoom)

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the picture point under ``at`` (default: the middle)."""
        if self._pixmap is None:
            return
        view = self._view()
        view.zoom_by(factor, view.avail.center() if at is None else at)
        self.update()
        self.zoom_changed.emit(view.zoom)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by ``dx``, ``dy`` widget pixels (drag direction)."""
        self._view().pan_by(dx, dy)
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
                "Previews hidden (privacy screen).\n"
                "Press Esc again or click “Show previews” to see them.",
            )
        elif self._pixmap is None:
            self._paint_message(painter, self._message)
        elif self._recipient and self._editable:
            self._paint_recipient(painter)
        else:
            painter.drawPixmap(self._target(), self._pixmap, QRectF(self._pixmap.rect()))
            for i, box in enumerate(self._boxes):
                self._paint_box(painter, i, box)
            self._paint_labels(painter)
        if self.hasFocus():  # a visible focus ring: the canvas is a Tab stop (+/-/0 zoom)
            painter.setPen(QPen(SELECTED, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self._space = False
        self.update()

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
        # Covering off or no copy, a ticked box stays see-through: no copy will have it solid.
        peek = i == self._hover or not self._covering or self._copyless
        paint_box(painter, box, rect, cover, selected=i == self._selected, peek=peek)

    def _paint_labels(self, painter: QPainter) -> None:
        if not self._boxes:
            return
        bounds = self._target().intersected(QRectF(self.rect()).adjusted(2, 2, -2, -2))
        anchors = [self._to_widget(b.region) for b in self._boxes]
        self._labels_cache = paint_labels(
            painter, self._boxes, anchors, bounds, self._selected, self._labels_cache,
            self._covering, self._copyless,
        )
