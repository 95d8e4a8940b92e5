"""Mark candidates from two proposers, described for one scorer.

The hand-made ink proposer (:mod:`marks_features`) finds small, faint marks and draws tight
boxes around ink, but it cannot tell ink on skin from a tiger's stripes. The mark CNN
(:mod:`marks_cnn`) has seen tattoos, skin and warm textures, so it knows *what* a mark looks
like, but its 8 px cells draw loose boxes and miss small marks. Its box head says, for each
cell on a mark, where that mark ends: one box per tattoo, even for two tattoos side by side
that the cell areas join into one. Here the CNN's areas and the box head's boxes join the
ink candidates, and every candidate gets the CNN's view of it (peak and mean probability
inside, mean around, fit to the CNN's own areas and to the head's boxes) next to the ink
features; the boosted trees of :mod:`marks_model` learn how to weigh them
(``tools/train_marks.py``).
"""

from __future__ import annotations

import numpy as np

from veil.core.detectors import marks_cnn
from veil.core.detectors import marks_features as mf

CNN_FEATURES: tuple[str, ...] = (
    "cnn_max",  # highest cell probability inside the box
    "cnn_mean",  # mean cell probability inside the box
    "cnn_ring",  # mean cell probability in a ring of half the box around it
    "cnn_fit",  # best IoU of the box with one of the CNN's own areas
    "box_fit",  # best IoU of the box with one of the box head's boxes
    "box_score",  # best (head box's cell probability x IoU with it)
)
FEATURE_NAMES: tuple[str, ...] = mf.FEATURE_NAMES + CNN_FEATURES
#: CNN areas offered as candidates: cells at or above this, each area cut at SPLIT of its
#: peak. Low on purpose: the scorer, not this threshold, decides.
REGION_THRESHOLD = 0.3
REGION_SPLIT = 0.75
#: Box-head boxes offered as candidates: cells at or above this propose one (low on purpose,
#: as above), at most BOX_CANDIDATES after merging each mark's many copies.
BOX_THRESHOLD = 0.3
BOX_CANDIDATES = 16


def _iou(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """(n, m) IoU of every one of ``boxes`` (n, 4) with every one of ``others`` (m, 4)."""
    b = boxes[:, None, :].astype(np.float64)
    o = others[None, :, :].astype(np.float64)
    iw = np.clip(np.minimum(b[..., 2], o[..., 2]) - np.maximum(b[..., 0], o[..., 0]), 0, None)
    ih = np.clip(np.minimum(b[..., 3], o[..., 3]) - np.maximum(b[..., 1], o[..., 1]), 0, None)
    inter = iw * ih
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    area_o = (o[..., 2] - o[..., 0]) * (o[..., 3] - o[..., 1])
    return inter / np.maximum(1e-9, area_b + area_o - inter)


def _iou_max(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each of ``boxes`` (n, 4), its best IoU with any of ``others`` (m, 4)."""
    if len(others) == 0 or len(boxes) == 0:
        return np.zeros(len(boxes))
    return _iou(boxes, others).max(axis=1)


def cnn_features(
    boxes: np.ndarray, cells: marks_cnn.CellMap, areas: np.ndarray,
    head: list[marks_cnn.CellRegion] | None = None,
) -> np.ndarray:
    """The CNN's view of each box (n, 4; pixels of the image the cell map was made from):
    its cells, its fit to the CNN's ``areas`` (m, 4) and to the box ``head``'s boxes.

    Returns (n, len(CNN_FEATURES)) float32. A box covers every cell it touches.
    """
    probs = cells.probs.astype(np.float64)
    rows, cols = probs.shape
    if len(boxes) == 0 or probs.size == 0:
        return np.zeros((len(boxes), len(CNN_FEATURES)), np.float32)
    k = marks_cnn.STRIDE / cells.scale  # image pixels per cell
    c0 = np.clip(np.floor(boxes[:, 0] / k), 0, cols - 1).astype(np.int64)
    r0 = np.clip(np.floor(boxes[:, 1] / k), 0, rows - 1).astype(np.int64)
    c1 = np.clip(np.ceil(boxes[:, 2] / k), c0 + 1, cols).astype(np.int64)
    r1 = np.clip(np.ceil(boxes[:, 3] / k), r0 + 1, rows).astype(np.int64)
    ii = np.zeros((rows + 1, cols + 1))
    ii[1:, 1:] = probs.cumsum(0).cumsum(1)

    def box_sum(a0: np.ndarray, b0: np.ndarray, a1: np.ndarray, b1: np.ndarray) -> np.ndarray:
        return ii[b1, a1] - ii[b0, a1] - ii[b1, a0] + ii[b0, a0]

    n_in = (c1 - c0) * (r1 - r0)
    inside = box_sum(c0, r0, c1, r1)
    gx = np.maximum(1, (c1 - c0) // 2)
    gy = np.maximum(1, (r1 - r0) // 2)
    oc0, or0 = np.maximum(0, c0 - gx), np.maximum(0, r0 - gy)
    oc1, or1 = np.minimum(cols, c1 + gx), np.minimum(rows, r1 + gy)
    n_out = (oc1 - oc0) * (or1 - or0) - n_in
    outside = box_sum(oc0, or0, oc1, or1) - inside
    peak = np.array([probs[a:b, c:d].max() for a, b, c, d in zip(r0, r1, c0, c1, strict=True)])
    ring = np.where(n_out > 0, outside / np.maximum(1, n_out), inside / n_in)
    fit = _iou_max(boxes, areas)
    box_fit = box_score = np.zeros(len(boxes))
    if head:
        ious = _iou(boxes, np.asarray([r.box for r in head], np.float64).reshape(-1, 4))
        box_fit = ious.max(axis=1)
        box_score = (ious * np.asarray([r.peak for r in head])[None, :]).max(axis=1)
    return np.stack([peak, inside / n_in, ring, fit, box_fit, box_score],
                    axis=1).astype(np.float32)


def propose(
    rgb: np.ndarray, faces: np.ndarray, cells: marks_cnn.CellMap | None = None
) -> mf.Candidates:
    """Candidates of both proposers with :data:`FEATURE_NAMES` features.

    Args:
        rgb: upright uint8 RGB (any size; the proposers resize it themselves).
        faces: (n, 4) face boxes in ``rgb`` pixels.
        cells: the CNN's map of ``rgb``, when already made (training passes the map of a
            model that did not see the photo); otherwise the shipped CNN runs here.
    """
    if cells is None:
        cells = marks_cnn.cell_probs(rgb)
    regs = marks_cnn.regions(cells, REGION_THRESHOLD, REGION_SPLIT)
    areas = np.asarray([r.box for r in regs], np.float64).reshape(-1, 4)
    head = marks_cnn.mark_boxes(cells, BOX_THRESHOLD, BOX_CANDIDATES)
    offered = np.concatenate([areas, np.asarray([r.box for r in head], np.float64)
                              .reshape(-1, 4)])
    cands = mf.extract(rgb, faces, offered)
    on_image = cands.boxes.astype(np.float64) / cands.scale
    extra = cnn_features(on_image, cells, areas, head)
    return mf.Candidates(cands.boxes, np.concatenate([cands.features, extra], axis=1),
                         cands.scale)
