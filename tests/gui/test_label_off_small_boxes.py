"""A box's label never lies on its own box when the box is smaller than the label (user
journey review: "Face 1 · Covered" hid a small false face on a wall of instruments and
"Possible mark 1 · Not covered" a small mark on a doll, so the user could not see what
they were asked to tick or untick). The label goes above, else below, else beside, inside
the picture on screen, and off the other boxes when there is room."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_review import finding, open_first, show
from veil.core.model import FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.widgets.preview_paint import place_labels

BOUNDS = QRectF(100, 40, 600, 450)
SIZE = (150.0, 18.0)  # "Face 1 · Covered" at the preview's font


@pytest.mark.parametrize("box", [
    QRectF(300, 200, 12, 12),  # a speck in the middle
    QRectF(300, 200, 60, 40),  # wider than tall, still smaller than its label
    QRectF(300, 200, 90, 70),  # a face a quarter hidden by its label before
    QRectF(300, 200, 140, 30),  # almost as wide as the label, not tall enough to hold it
    QRectF(100, 40, 20, 20),  # the picture's top-left corner
    QRectF(680, 40, 20, 20),  # top-right corner
    QRectF(100, 470, 20, 20),  # bottom-left corner
    QRectF(680, 470, 20, 20),  # bottom-right corner
    QRectF(400, 41, 30, 30),  # at the top edge: no room above
    QRectF(400, 480, 8, 10),  # at the bottom edge: no room below
])
def test_a_label_is_placed_off_a_box_smaller_than_it(qapp, box: QRectF) -> None:  # type: ignore[no-untyped-def]
    label = place_labels([box], [SIZE], BOUNDS)[0]
    assert BOUNDS.contains(label), label
    assert not label.intersects(box), (label, box)
    assert _gap(label, box) <= 4, (label, box)  # still next to it


def test_a_label_fits_inside_a_large_box_as_before(qapp) -> None:  # type: ignore[no-untyped-def]
    box = QRectF(200, 100, 300, 250)
    label = place_labels([box], [SIZE], BOUNDS)[0]
    assert box.contains(label)  # inside its top-left: the box stays in view


def test_a_small_box_beside_another_keeps_both_in_view(qapp) -> None:  # type: ignore[no-untyped-def]
    # A small mark at the top edge just right of a face: above is off the picture, below
    # lies on its own box's neighbour if left-aligned; a spot off both boxes is free.
    face, mark = QRectF(300, 45, 40, 60), QRectF(345, 42, 14, 14)
    labels = place_labels([face, mark], [SIZE, (210.0, 18.0)], BOUNDS)
    for label in labels:
        assert BOUNDS.contains(label)
        assert not label.intersects(face) and not label.intersects(mark), (label, labels)
    assert not labels[0].intersects(labels[1])


def test_the_preview_draws_labels_off_small_boxes_near_an_edge(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.resize(1280, 800)
    face, mark = Region(560, 4, 270, 200), Region(6, 380, 330, 216)  # top edge, bottom-left
    key = show(window, gradient_jpeg(tmp_path / "wall.jpg", size=(1200, 600)),
               finding(FindingKind.FACE, face, 0.9), finding(FindingKind.TATTOO, mark, 0.6))
    open_first(qtbot, window)
    canvas = window.detail.canvas
    canvas.grab()  # paints, placing the labels
    assert canvas._labels_cache is not None
    boxes = [canvas._to_widget(b.region) for b in window.session.redactions[key]]
    chips = canvas._labels_cache[1]
    assert len(chips) == 2
    assert all(b.width() < c.width() for b, c in zip(boxes, chips, strict=True))  # smaller
    for chip in chips:
        assert QRectF(canvas.rect()).contains(chip), chip
        for box in boxes:
            assert not chip.intersects(box), (chip, box)


def _gap(a: QRectF, b: QRectF) -> float:
    dx = max(0.0, b.left() - a.right(), a.left() - b.right())
    dy = max(0.0, b.top() - a.bottom(), a.top() - b.bottom())
    return max(dx, dy)
