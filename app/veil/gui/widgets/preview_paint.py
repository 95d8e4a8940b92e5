"""Painting for the preview: covers as the copy will have them, labels that stay inside the
picture and never overlap, and "what a recipient will see" made with core's own redaction.

Kept apart from :mod:`veil.gui.widgets.preview` (state and mouse) so each stays small; the
label layout is a pure function over rectangles and is tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from veil.core.covers import DEFAULT_PADDING
from veil.core.model import Region
from veil.core.redact import cover, padded_box
from veil.gui.redactions import OverlayBox
from veil.gui.widgets.preview_edit import corners

#: Gap between a label and the next one it would overlap.
LABEL_GAP = 2.0
REJECTED = QColor("#E0A100")
SELECTED = QColor("#3B82F6")
COVER = QColor(0, 0, 0)  # the export's fill
PEEK = QColor(0, 0, 0, 110)  # hovering a cover shows what is under it
ACCENT = QColor("#F4F1EA")
#: Labels taking more than this share of the picture on screen get shorter.
COMPACT_LABELS = 0.12
#: What the labels were placed for (boxes, sizes, bounds) and where they went.
LabelCache = tuple[Any, list[QRectF]]


def padded_region(region: Region, width: int, height: int) -> Region:
    """The area the export fills for ``region`` (padding included), in the same pixels."""
    x0, y0, x1, y1 = padded_box(region, DEFAULT_PADDING, width, height)
    return Region(x0, y0, x1 - x0, y1 - y0)


def paint_box(
    painter: QPainter, box: OverlayBox, rect: QRectF, cover: QRectF, *, selected: bool,
    peek: bool,
) -> None:
    """One box at ``rect`` (widget pixels): covered, a solid fill over its padded ``cover``
    as the copy will have it (see-through while ``peek``: the mouse is over it); not
    covered, a dashed outline. Corner handles, and a ring when ``selected``."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if box.accepted:
        painter.fillRect(cover, PEEK if peek else COVER)
        painter.setPen(QPen(ACCENT, 1, Qt.PenStyle.DotLine))
    else:
        painter.setPen(QPen(REJECTED, 2, Qt.PenStyle.DashLine))
    painter.drawRect(rect)
    if selected:
        painter.setPen(QPen(SELECTED, 3))
        painter.drawRect((cover if box.accepted else rect).adjusted(-2, -2, 2, 2))
    painter.setBrush(ACCENT if box.accepted else REJECTED)
    painter.setPen(Qt.PenStyle.NoPen)
    for corner in corners(rect):  # where BoxEditing finds the handles
        painter.drawRect(QRectF(corner.x() - 3, corner.y() - 3, 6, 6))


def place_labels(
    anchors: Sequence[QRectF], sizes: Sequence[tuple[float, float]], bounds: QRectF
) -> list[QRectF]:
    """One label rectangle per box: inside ``bounds`` (the picture on screen) and not
    overlapping an earlier label.

    Each label tries the box's top-left inside the box, then above it, then below it; when
    all overlap, the nearest free spot on a grid around the box (half a label wide, one
    label high). Only when the picture is full does a label overlap (at its first choice);
    a label bigger than ``bounds`` is pinned to its top-left corner.
    """
    placed: list[QRectF] = []
    for anchor, (w, h) in zip(anchors, sizes, strict=True):
        first = QRectF(anchor.x() + 4, anchor.y() + 4, w, h)
        tries = [
            first,
            QRectF(anchor.x(), anchor.y() - h - LABEL_GAP, w, h),
            QRectF(anchor.x(), anchor.bottom() + LABEL_GAP, w, h),
        ]
        chosen = _first_free(tries, bounds, placed)
        if chosen is None:
            chosen = _first_free(_grid(first, bounds), bounds, placed)
        placed.append(chosen if chosen is not None else _inside(first, bounds))
    return placed


def paint_labels(
    painter: QPainter,
    boxes: Sequence[OverlayBox],
    anchors: Sequence[QRectF],
    bounds: QRectF,
    selected: int,
    cache: LabelCache | None,
) -> LabelCache:
    """Paint each box's label chip ("Face 1 · Covered") inside ``bounds``; returns the
    placement, reused while boxes, sizes and bounds stay the same."""
    font = painter.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    painter.setFont(font)
    metrics = painter.fontMetrics()
    texts = [f"{b.label} · {'Covered' if b.accepted else 'Not covered'}" for b in boxes]
    sizes = [(metrics.horizontalAdvance(t) + 12.0, metrics.height() + 4.0) for t in texts]
    if sum(w * h for w, h in sizes) > COMPACT_LABELS * bounds.width() * bounds.height():
        # Many labels on a small picture: a covered box already shows as solid black,
        # so only the uncovered ones keep their words.
        texts = [b.label if b.accepted else f"{b.label} · Not covered" for b in boxes]
        sizes = [(metrics.horizontalAdvance(t) + 12.0, metrics.height() + 4.0) for t in texts]
    # Placing 26 labels of a group photo takes ~0.1 s: only when boxes or view change.
    key = (tuple(r.getRect() for r in anchors), tuple(sizes), bounds.getRect())
    if cache is None or cache[0] != key:
        cache = (key, place_labels(anchors, sizes, bounds))
    for i, (box, text, chip) in enumerate(zip(boxes, texts, cache[1], strict=True)):
        fill = QColor(17, 20, 24, 230) if box.accepted else REJECTED
        painter.setPen(QPen(SELECTED, 2) if i == selected else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, 4, 4)
        painter.setPen(QColor("#FFFFFF") if box.accepted else QColor("#1B1B1B"))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
    return cache


def _first_free(tries: Iterable[QRectF], bounds: QRectF, placed: Sequence[QRectF]) -> QRectF | None:
    for rect in tries:
        rect = _inside(rect, bounds)
        if not any(rect.intersects(other) for other in placed):
            return rect
    return None


def _grid(first: QRectF, bounds: QRectF) -> list[QRectF]:
    """Spots around ``first`` over all of ``bounds``, nearest first."""
    dx, dy = max(first.width() / 2, 4.0), first.height() + LABEL_GAP
    nx = int(bounds.width() // dx) + 1
    ny = int(bounds.height() // dy) + 1
    spots = [(i, j) for i in range(-nx, nx + 1) for j in range(-ny, ny + 1) if i or j]
    spots.sort(key=lambda s: (s[0] * dx) ** 2 + (s[1] * dy) ** 2)
    return [first.translated(i * dx, j * dy) for i, j in spots]


def _inside(rect: QRectF, bounds: QRectF) -> QRectF:
    """``rect`` moved (not resized) to lie inside ``bounds`` as far as it can."""
    x = min(max(rect.x(), bounds.x()), max(bounds.x(), bounds.right() - rect.width()))
    y = min(max(rect.y(), bounds.y()), max(bounds.y(), bounds.bottom() - rect.height()))
    return QRectF(x, y, rect.width(), rect.height())


def recipient_image(image: QImage, full: tuple[int, int], boxes: Sequence[OverlayBox]) -> QImage:
    """The preview ``image`` with the accepted boxes covered by :func:`veil.core.redact.cover`
    (solid, padded, the export's own function), boxes mapped from ``full``-size pixels.

    Boxes are mapped outward (floor/ceil), so the preview never shows less cover than the
    written copy.
    """
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h = rgb.width(), rgb.height()
    pil = Image.frombuffer("RGB", (w, h), bytes(rgb.constBits()), "raw", "RGB", rgb.bytesPerLine())
    sx, sy = w / max(full[0], 1), h / max(full[1], 1)
    regions = []
    for box in boxes:
        if not box.accepted:
            continue
        r = box.region
        x0, y0 = math.floor(r.x * sx), math.floor(r.y * sy)
        x1, y1 = math.ceil((r.x + r.w) * sx), math.ceil((r.y + r.h) * sy)
        regions.append(Region(x0, y0, x1 - x0, y1 - y0))
    out = cover(pil, regions, DEFAULT_PADDING).convert("RGB")
    data = out.tobytes("raw", "RGB")
    return QImage(data, out.width, out.height, 3 * out.width, QImage.Format.Format_RGB888).copy()
