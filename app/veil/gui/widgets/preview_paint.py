"""Painting for the preview: covers as the copy will have them, labels that stay inside the
picture and never overlap, and "what a recipient will see" made with core's own redaction.

Kept apart from :mod:`veil.gui.widgets.preview` (state and mouse) so each stays small; the
label layout is a pure function over rectangles and is tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
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
#: A ticked box's label while the export's "Cover the faces and marks" is off (short: a chip
#: on the picture; the counts under it say "none covered: covering is off in the Export tab").
TICKED_NOT_COVERING = "Ticked (covering off)"
#: A ticked box's label when the export writes no copy at all (an animation with covers).
TICKED_NO_COPY = "Ticked (no copy)"
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
    """One label rectangle per box: inside ``bounds`` (the picture on screen), not
    overlapping an earlier label, and near its own box.

    Small boxes are labelled first (a 3x4 px box is found by its label; a large one has
    room all round). Each label takes the first free spot next to its box that leaves its
    box in view and covers no other box: inside its top-left (only a box the label fits
    in), above or below it (left- or right-aligned), beside it. A label never lies on a box
    smaller than itself while any spot off it is free: the user judges what the box is on.
    When every spot next to it overlaps a label, or would lie on its own box, the free spot
    nearest to the box on a grid over ``bounds`` (half a label wide, one label high) off its
    own box, one hiding no other box if under two labels' height farther. Only when the
    picture is full does a label overlap (at its first choice); one bigger than ``bounds``
    is pinned to its top-left corner.
    """
    placed: list[QRectF | None] = [None] * len(anchors)
    taken: list[QRectF] = []
    order = sorted(range(len(anchors)), key=lambda i: anchors[i].width() * anchors[i].height())
    for i in order:
        anchor, (w, h) = anchors[i], sizes[i]
        others = [a for j, a in enumerate(anchors) if j != i]
        near = [_inside(r, bounds) for r in _next_to(anchor, w, h)]
        free = [(_hides(r, anchor, others), k) for k, r in enumerate(near) if not _hits(r, taken)]
        best = min(free, default=None)
        if best is not None and best[0] == (False, False):
            chosen = near[best[1]]
        else:  # every spot next to it is taken or lies on a box: look farther
            chosen = _farther(anchor, w, h, bounds, taken, others, near, best)
        placed[i] = chosen
        taken.append(chosen)
    return [r for r in placed if r is not None]


def _farther(
    anchor: QRectF, w: float, h: float, bounds: QRectF, taken: Sequence[QRectF],
    others: Sequence[QRectF], near: Sequence[QRectF],
    best: tuple[tuple[bool, bool], int] | None,
) -> QRectF:
    """The label spot when no spot next to ``anchor`` is free and off every box: the grid's
    (:func:`_nearest_free`) if it hides no box, else the free one next to it off its own
    box, else the grid's off its own box; only a full picture puts it on its own box."""
    farther = _nearest_free(anchor, w, h, bounds, taken, others)
    if farther is not None and _hides(farther, anchor, others) == (False, False):
        return farther
    if best is not None and not best[0][0]:
        return near[best[1]]
    if farther is not None and not _hides(farther, anchor, ())[0]:
        return farther
    return near[best[1]] if best is not None else farther or near[0]


def _next_to(anchor: QRectF, w: float, h: float) -> list[QRectF]:
    """Spots touching ``anchor``, best first: inside its top-left, above, below (left- then
    right-aligned), right of it, left of it."""
    above, below = anchor.y() - h - LABEL_GAP, anchor.bottom() + LABEL_GAP
    right = anchor.right() - w
    return [
        QRectF(anchor.x() + 4, anchor.y() + 4, w, h),
        QRectF(anchor.x(), above, w, h),
        QRectF(anchor.x(), below, w, h),
        QRectF(right, above, w, h),
        QRectF(right, below, w, h),
        QRectF(anchor.right() + LABEL_GAP, anchor.y(), w, h),
        QRectF(anchor.x() - w - LABEL_GAP, anchor.y(), w, h),
    ]


def _nearest_free(
    anchor: QRectF, w: float, h: float, bounds: QRectF, taken: Sequence[QRectF],
    others: Sequence[QRectF],
) -> QRectF | None:
    """The grid spot (see :func:`place_labels`) nearest to ``anchor`` overlapping no label
    in ``taken``; one hiding no box (:func:`_hides`) wins if under ``2 h`` farther."""
    dx, dy = max(w / 2, 4.0), h + LABEL_GAP
    nx = int(bounds.width() // dx) + 1
    ny = int(bounds.height() // dy) + 1
    # Plain numbers, each spot once (many clamp to the same one): a crowded picture is
    # placed again at every pan step, and QRectF calls cost ~1 us each.
    left, right = bounds.x(), max(bounds.x(), bounds.right() - w)
    top, bottom = bounds.y(), max(bounds.y(), bounds.bottom() - h)
    xs = {min(max(anchor.x() + i * dx, left), right) for i in range(-nx, nx + 1)}
    ys = {min(max(anchor.y() + j * dy, top), bottom) for j in range(-ny, ny + 1)}
    ax0, ay0, ax1, ay1 = anchor.left(), anchor.top(), anchor.right(), anchor.bottom()
    gx = {x: max(0.0, ax0 - x - w, x - ax1) for x in xs}
    gy = {y: max(0.0, ay0 - y - h, y - ay1) for y in ys}
    ranked = sorted((math.hypot(gx[x], gy[y]), x, y) for x in xs for y in ys)
    diagonal = 4 * (bounds.width() + bounds.height() + h)  # more than any distance + 2 h
    best: tuple[float, QRectF] | None = None
    for distance, x, y in ranked:
        if best is not None and distance >= best[0]:
            break  # nothing farther can score better
        rect = QRectF(x, y, w, h)
        if _hits(rect, taken):
            continue
        own, other = _hides(rect, anchor, others)
        # A spot on its own box only wins when every spot off it is taken.
        score = distance + 2 * h * other + (diagonal if own else 0.0)
        if best is None or score < best[0]:
            best = (score, rect)
    return best[1] if best else None


def _hides(rect: QRectF, anchor: QRectF, others: Sequence[QRectF]) -> tuple[bool, bool]:
    """Whether a label at ``rect`` hides its own box ``anchor``, and whether it covers
    another box. A label inside a box it fits in (room for it and a margin) leaves the box
    in view; on a smaller box any overlap hides what the user must judge (a small false
    face on a wall of instruments read "Face 1 · Covered" and nothing else)."""
    if rect.width() + 8 <= anchor.width() and rect.height() + 8 <= anchor.height():
        common = rect.intersected(anchor)
        own = 2 * common.width() * common.height() > anchor.width() * anchor.height()
    else:
        own = rect.intersects(anchor)
    return own, _hits(rect, others)


def _hits(rect: QRectF, rects: Iterable[QRectF]) -> bool:
    return any(rect.intersects(other) for other in rects)


def _distance(a: QRectF, b: QRectF) -> float:
    """The gap between two rectangles (0 when they touch or overlap)."""
    dx = max(0.0, b.left() - a.right(), a.left() - b.right())
    dy = max(0.0, b.top() - a.bottom(), a.top() - b.bottom())
    return math.hypot(dx, dy)


def label_texts(
    boxes: Sequence[OverlayBox], bounds: QRectF, width: Callable[[str], float], height: float,
    covering: bool = True, no_copy: bool = False,
) -> tuple[list[str], list[tuple[float, float]]]:
    """Each box's label ("Face 1 · Covered") and its chip's size (text ``width`` and
    ``height`` plus margins). Labels taking more than :data:`COMPACT_LABELS` of ``bounds``
    drop "· Covered", as a covered box shows solid black, but only while the export is
    ``covering``: off, a ticked box is see-through like an unticked one, so the words are
    all that tell them apart, and they say :data:`TICKED_NOT_COVERING`, not "Covered": the
    copy will show it. Nor when there will be ``no_copy`` (:data:`TICKED_NO_COPY`)."""
    ticked = TICKED_NO_COPY if no_copy else "Covered" if covering else TICKED_NOT_COVERING
    texts = [f"{b.label} · {ticked if b.accepted else 'Not covered'}" for b in boxes]
    sizes = [(width(t) + 12.0, height + 4.0) for t in texts]
    crowded = sum(w * h for w, h in sizes) > COMPACT_LABELS * bounds.width() * bounds.height()
    if crowded and covering and not no_copy:
        texts = [b.label if b.accepted else f"{b.label} · Not covered" for b in boxes]
        sizes = [(width(t) + 12.0, height + 4.0) for t in texts]
    return texts, sizes


def paint_labels(
    painter: QPainter,
    boxes: Sequence[OverlayBox],
    anchors: Sequence[QRectF],
    bounds: QRectF,
    selected: int,
    cache: LabelCache | None,
    covering: bool = True,
    no_copy: bool = False,
) -> LabelCache:
    """Paint each box's label chip ("Face 1 · Covered") inside ``bounds``; returns the
    placement, reused while boxes, sizes and bounds stay the same. ``covering``: the
    export's "Cover the faces and marks"; ``no_copy``: none will be written (see
    :func:`label_texts`)."""
    font = painter.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    painter.setFont(font)
    metrics = painter.fontMetrics()
    texts, sizes = label_texts(boxes, bounds, metrics.horizontalAdvance, metrics.height(),
                               covering, no_copy)
    # 27 crowded labels take ~4 ms to place (26 faces ~1 ms): only when boxes or view change.
    key = (tuple(r.getRect() for r in anchors), tuple(sizes), bounds.getRect())
    if cache is None or cache[0] != key:
        cache = (key, place_labels(anchors, sizes, bounds))
    fills = [QColor(17, 20, 24, 230) if b.accepted else REJECTED for b in boxes]
    # A label moved off its box (a crowded picture) is tied to it by a line, under the chips.
    for fill, chip, anchor in zip(fills, cache[1], anchors, strict=True):
        if _distance(chip, anchor) > 2 * LABEL_GAP:
            painter.setPen(QPen(fill, 1.5))
            painter.drawLine(*leader(chip, anchor))
    for i, (box, text, chip, fill) in enumerate(zip(boxes, texts, cache[1], fills, strict=True)):
        painter.setPen(QPen(SELECTED, 2) if i == selected else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, 4, 4)
        painter.setPen(QColor("#FFFFFF") if box.accepted else QColor("#1B1B1B"))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
    return cache


def leader(chip: QRectF, anchor: QRectF) -> tuple[QPointF, QPointF]:
    """The shortest line from a label ``chip`` to its box ``anchor``."""
    centre = anchor.center()
    start = QPointF(_clamp(centre.x(), chip.left(), chip.right()),
                    _clamp(centre.y(), chip.top(), chip.bottom()))
    end = QPointF(_clamp(start.x(), anchor.left(), anchor.right()),
                  _clamp(start.y(), anchor.top(), anchor.bottom()))
    return start, end


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


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
