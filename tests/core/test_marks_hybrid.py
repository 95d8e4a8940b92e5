"""Joining the two mark proposers: the CNN's view of each box, and its areas as candidates."""

from __future__ import annotations

import numpy as np
import pytest

from tests.factories.marks import tattoo_photo
from veil.core.detectors import marks_cnn, marks_hybrid
from veil.core.detectors import marks_features as mf


def _cells(probs: np.ndarray, scale: float = 1.0) -> marks_cnn.CellMap:
    rows, cols = probs.shape
    k = marks_cnn.STRIDE / scale
    return marks_cnn.CellMap(probs.astype(np.float32), scale, int(cols * k), int(rows * k))


def test_cnn_features_read_peak_mean_ring_and_fit_in_image_pixels() -> None:
    probs = np.zeros((10, 10), np.float32)
    probs[4:6, 4:6] = [[0.9, 0.5], [0.5, 0.1]]
    # scale 0.5: one 8 px cell is 16 image pixels; the hot 2x2 cells are pixels 64..96.
    cells = _cells(probs, 0.5)
    boxes = np.array([[64, 64, 96, 96],  # exactly the hot cells
                      [0, 0, 32, 32],  # a cold corner
                      [70, 70, 80, 80]], np.float64)  # inside one cell: still that cell
    areas = np.array([[64, 64, 96, 96]], np.float64)
    f = marks_hybrid.cnn_features(boxes, cells, areas)
    names = marks_hybrid.CNN_FEATURES
    peak, mean, ring, fit = (f[:, names.index(n)] for n in
                             ("cnn_max", "cnn_mean", "cnn_ring", "cnn_fit"))
    assert peak[0] == pytest.approx(0.9) and mean[0] == pytest.approx(0.5)
    assert ring[0] == pytest.approx(0.0)  # nothing hot around the hot cells
    assert fit[0] == pytest.approx(1.0) and fit[1] == 0.0
    assert peak[1] == 0.0 and mean[1] == 0.0
    assert peak[2] == pytest.approx(0.9) and mean[2] == pytest.approx(0.9)
    # The box around the hot cells sees them in its ring.
    around = marks_hybrid.cnn_features(np.array([[96, 64, 128, 96]], np.float64), cells, areas)
    assert around[0, names.index("cnn_ring")] == pytest.approx((0.5 + 0.1) / 12)


def test_cnn_features_of_no_boxes_or_an_empty_map() -> None:
    empty = marks_hybrid.cnn_features(np.zeros((0, 4)), _cells(np.ones((4, 4))), np.zeros((0, 4)))
    assert empty.shape == (0, len(marks_hybrid.CNN_FEATURES))
    flat = marks_hybrid.cnn_features(np.array([[0, 0, 10, 10]], np.float64),
                                     _cells(np.zeros((0, 0))), np.zeros((0, 4)))
    assert flat.shape == (1, len(marks_hybrid.CNN_FEATURES)) and not flat.any()


def test_cnn_areas_become_candidates_with_both_kinds_of_features() -> None:
    img, _ = tattoo_photo()
    rgb = np.asarray(img)
    h, w = rgb.shape[:2]
    probs = np.zeros((-(-h // 8), -(-w // 8)), np.float32)
    probs[2:4, 2:5] = 0.95  # an area the ink proposer has no reason to find
    cells = marks_cnn.CellMap(probs, 1.0, w, h)
    cands = marks_hybrid.propose(rgb, np.zeros((0, 4), np.float32), cells)
    assert cands.features.shape[1] == len(marks_hybrid.FEATURE_NAMES)
    on_image = cands.boxes / cands.scale
    fit = cands.features[:, marks_hybrid.FEATURE_NAMES.index("cnn_fit")]
    best = int(np.argmax(fit))
    assert fit[best] > 0.9
    assert on_image[best] == pytest.approx([16, 16, 40, 32], abs=2 / cands.scale)
    # Without the area, the ink proposer's own candidates stay the same.
    plain = mf.extract(rgb, np.zeros((0, 4), np.float32))
    assert len(cands.boxes) > len(plain.boxes)
    assert marks_hybrid.FEATURE_NAMES[: len(mf.FEATURE_NAMES)] == mf.FEATURE_NAMES


def _head_cells(probs: np.ndarray, dists: np.ndarray, scale: float = 1.0) -> marks_cnn.CellMap:
    rows, cols = probs.shape
    k = marks_cnn.STRIDE / scale
    return marks_cnn.CellMap(probs.astype(np.float32), scale, int(cols * k), int(rows * k),
                             dists.astype(np.float32))


def test_box_head_cells_of_one_mark_give_one_box_in_image_pixels() -> None:
    probs = np.zeros((8, 8), np.float32)
    dists = np.zeros((4, 8, 8), np.float32)
    # Four cells (rows 2-3, cols 2-3) all say: the mark spans cells 1..5 across, 2..4 down.
    # Cell (r, c)'s centre is at ((c + 0.5), (r + 0.5)) cells.
    for r in (2, 3):
        for c in (2, 3):
            probs[r, c] = 0.9 - 0.1 * (r - 2) - 0.05 * (c - 2)
            dists[:, r, c] = (c + 0.5 - 1, r + 0.5 - 2, 5 - (c + 0.5), 4 - (r + 0.5))
    probs[6, 6] = 0.2  # below the threshold: proposes nothing
    dists[:, 6, 6] = 1.0
    # scale 0.5: a cell is 16 image pixels, so the mark is x 16..80, y 32..64.
    boxes = marks_cnn.mark_boxes(_head_cells(probs, dists, 0.5), 0.3)
    assert len(boxes) == 1
    assert boxes[0].box == pytest.approx((16, 32, 80, 64))
    assert boxes[0].peak == pytest.approx(0.9)


def test_box_head_keeps_two_marks_apart_clips_to_the_image_and_needs_the_head() -> None:
    probs = np.zeros((8, 8), np.float32)
    dists = np.zeros((4, 8, 8), np.float32)
    probs[1, 1], dists[:, 1, 1] = 0.8, (2.5, 2.5, 0.5, 0.5)  # reaches past the top-left corner
    probs[6, 6], dists[:, 6, 6] = 0.7, (0.5, 0.5, 9.0, 0.5)  # reaches past the right edge
    boxes = marks_cnn.mark_boxes(_head_cells(probs, dists), 0.5)
    assert [b.box for b in boxes] == [pytest.approx((0, 0, 16, 16)),
                                      pytest.approx((48, 48, 64, 56))]
    no_head = marks_cnn.CellMap(probs, 1.0, 64, 64)
    assert marks_cnn.mark_boxes(no_head, 0.5) == []


def test_box_head_boxes_become_candidates_and_features() -> None:
    img, _ = tattoo_photo()
    rgb = np.asarray(img)
    h, w = rgb.shape[:2]
    rows, cols = -(-h // 8), -(-w // 8)
    probs = np.zeros((rows, cols), np.float32)
    dists = np.zeros((4, rows, cols), np.float32)
    probs[3, 3], dists[:, 3, 3] = 0.95, (2.5, 1.5, 3.5, 2.5)  # x 8..56, y 16..48
    cells = marks_cnn.CellMap(probs, 1.0, w, h, dists)
    cands = marks_hybrid.propose(rgb, np.zeros((0, 4), np.float32), cells)
    names = marks_hybrid.FEATURE_NAMES
    on_image = cands.boxes / cands.scale
    fit = cands.features[:, names.index("box_fit")]
    score = cands.features[:, names.index("box_score")]
    best = int(np.argmax(fit))
    assert fit[best] > 0.9 and np.allclose(on_image[best], (8, 16, 56, 48), atol=2 / cands.scale)
    assert score[best] == pytest.approx(0.95 * fit[best], rel=1e-5)
    # A candidate that does not touch the head's box gets nothing from it.
    apart = (on_image[:, 0] >= 56) | (on_image[:, 2] <= 8) | (on_image[:, 1] >= 48) \
        | (on_image[:, 3] <= 16)
    assert apart.any() and not fit[apart].any() and not score[apart].any()
