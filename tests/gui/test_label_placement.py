"""Box labels stay next to their own box when there is room (reviewer's finding: an 18x20 px
mark at the top right of a tattoo photo got its label 60 px down, in the middle of the
picture, on top of the large mark's box)."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF

from veil.gui.widgets.preview_paint import LABEL_GAP, leader, place_labels

#: The preview of real__ins_0b3afdf5de.jpg as the window drew it (1080x1080 at 200 px):
#: the large uncovered mark, the covered one at the top, the 18x20 px one (3x4 on screen).
BOUNDS = QRectF(164.5, 12, 200, 200)
ANCHORS = [QRectF(238, 61, 64, 95), QRectF(207, 12, 82, 62), QRectF(306, 24, 3, 4)]
SIZES = [(191.0, 18.0), (106.0, 18.0), (191.0, 18.0)]


def gap(a: QRectF, b: QRectF) -> float:
    dx = max(0.0, b.left() - a.right(), a.left() - b.right())
    dy = max(0.0, b.top() - a.bottom(), a.top() - b.bottom())
    return max(dx, dy)


def test_a_tiny_box_keeps_its_label_next_to_it(qapp) -> None:  # type: ignore[no-untyped-def]
    labels = place_labels(ANCHORS, SIZES, BOUNDS)
    for label, anchor in zip(labels, ANCHORS, strict=True):
        assert BOUNDS.contains(label), label
        assert gap(label, anchor) <= LABEL_GAP + 1, (label, anchor)  # it was 60 px off
    tiny = labels[2].intersected(ANCHORS[2])
    assert tiny.width() * tiny.height() < 0.5 * 3 * 4  # and does not hide it
    assert not [(i, j) for i in range(3) for j in range(i) if labels[i].intersects(labels[j])]


def test_labels_avoid_other_boxes_when_there_is_room(qapp) -> None:  # type: ignore[no-untyped-def]
    # Two small boxes side by side on a large picture: neither label lies on the other box.
    bounds = QRectF(0, 0, 800, 600)
    anchors = [QRectF(400, 300, 20, 20), QRectF(430, 300, 20, 20)]
    labels = place_labels(anchors, [(120.0, 18.0)] * 2, bounds)
    for i, label in enumerate(labels):
        assert gap(label, anchors[i]) <= LABEL_GAP + 1
        assert not label.intersects(anchors[1 - i]), (i, label)
        assert not label.intersects(anchors[i])
    assert not labels[0].intersects(labels[1])


def test_a_crowded_label_is_tied_to_its_box_by_a_line(qapp) -> None:  # type: ignore[no-untyped-def]
    start, end = leader(QRectF(10, 100, 80, 18), QRectF(40, 20, 10, 10))
    assert (start.x(), start.y()) == (45, 100)  # from the label's top edge...
    assert (end.x(), end.y()) == (45, 30)  # ...straight up to the box's bottom edge


def test_26_labels_are_placed_quickly(qapp) -> None:  # type: ignore[no-untyped-def]
    bounds = QRectF(10, 10, 600, 400)
    anchors = [QRectF(10 + i * 11, 10, 10, 10) for i in range(26)] + [QRectF(400, 300, 50, 50)]
    began = time.perf_counter()
    labels = place_labels(anchors, [(90.0, 16.0)] * len(anchors), bounds)
    assert time.perf_counter() - began < 1.0  # ~0.1 s; placed once per view change
    assert all(bounds.contains(r) for r in labels)
