"""Where the picture sits in the preview: fit, zoom about a point, pan (pure geometry).

Full-size upright pixels (the space of core's regions) map to widget pixels through one
scale and the picture point shown at the middle of the view. Zoom 1 fits the whole picture;
zoomed in, the view never shows past the picture's edges.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from veil.core.model import Region

MAX_ZOOM = 16.0


class View:
    """The mapping between a ``full``-size picture and an ``avail`` widget area."""

    def __init__(self) -> None:
        self.full = (0, 0)
        self.avail = QRectF()
        self.zoom = 1.0
        self.center = (0.0, 0.0)

    def reset(self, full: tuple[int, int]) -> None:
        """A new picture, shown whole."""
        self.full = full
        self.fit()

    def fit(self) -> None:
        """Zoom 1: the whole picture, centred."""
        self.zoom = 1.0
        self.center = (self.full[0] / 2, self.full[1] / 2)

    def scale(self) -> float:
        """Widget pixels per picture pixel."""
        fw, fh = self.full
        if not fw or not fh:
            return 1.0
        fit = min(self.avail.width() / fw, self.avail.height() / fh)
        return max(fit, 1e-6) * self.zoom

    def target(self) -> QRectF:
        """The whole picture's rectangle in widget pixels (may reach past the view)."""
        if not self.full[0]:
            return QRectF()
        s, c = self.scale(), self.avail.center()
        x, y = c.x() - self.center[0] * s, c.y() - self.center[1] * s
        return QRectF(x, y, self.full[0] * s, self.full[1] * s)

    def to_widget(self, region: Region) -> QRectF:
        """``region`` in widget pixels."""
        t, s = self.target(), self.scale()
        return QRectF(t.x() + region.x * s, t.y() + region.y * s, region.w * s, region.h * s)

    def to_full(self, point: QPointF) -> tuple[float, float]:
        """The picture point under widget ``point``."""
        t, s = self.target(), self.scale()
        return (point.x() - t.x()) / s, (point.y() - t.y()) / s

    def clamp(self) -> None:
        """Keep the picture filling the view when zoomed; centred along a side that fits."""
        s = self.scale()
        fw, fh = self.full
        half_w, half_h = self.avail.width() / (2 * s), self.avail.height() / (2 * s)
        cx, cy = self.center
        cx = fw / 2 if half_w * 2 >= fw else min(max(cx, half_w), fw - half_w)
        cy = fh / 2 if half_h * 2 >= fh else min(max(cy, half_h), fh - half_h)
        self.center = (cx, cy)

    def zoom_by(self, factor: float, at: QPointF) -> None:
        """Zoom by ``factor`` (clamped to 1..MAX_ZOOM) keeping the point under ``at``."""
        fx, fy = self.to_full(at)
        self.zoom = min(MAX_ZOOM, max(1.0, self.zoom * factor))
        s, c = self.scale(), self.avail.center()
        self.center = (fx - (at.x() - c.x()) / s, fy - (at.y() - c.y()) / s)
        self.clamp()

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the picture by ``dx``, ``dy`` widget pixels (the drag's direction)."""
        s = self.scale()
        self.center = (self.center[0] - dx / s, self.center[1] - dy / s)
        self.clamp()

    def show(self, region: Region) -> None:
        """Centre ``region`` (as far as the edges allow)."""
        self.center = (region.x + region.w / 2, region.y + region.h / 2)
        self.clamp()

    def bring_close(self, region: Region, least: float, close: float) -> None:
        """Zoom in, when ``region``'s shorter side is under ``least`` widget pixels, until it
        is ``close`` pixels (at most :data:`MAX_ZOOM`; never zooms out), and centre it."""
        short = min(region.w, region.h) * self.scale()
        if 0 < short < least:
            self.zoom = min(MAX_ZOOM, self.zoom * close / short)
        self.show(region)
