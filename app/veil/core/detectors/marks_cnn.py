"""The mark CNN: a per-cell "tattoo or birthmark here" probability, on OpenCV's DNN module.

A small fully convolutional network (``assets/models/marks_cnn.onnx``, trained from scratch
by ``tools/train_marks_cnn.py``; see ``assets/models/MODELS.md``) looks at the upright photo
resized to :data:`WORK_SIDE` px on its long side (sides padded by edge replication to a
multiple of :data:`MULTIPLE`) and returns one probability per :data:`STRIDE` x STRIDE cell,
and from its box head the distances from each cell to the sides of the mark it lies on.
:func:`cell_probs` gives both (a :class:`CellMap`); :func:`regions` turns the probabilities
into candidate areas and :func:`mark_boxes` the head's distances into one box per mark. The
mark detector uses all three (grid values as candidate features, areas and boxes as extra
candidates). Pure numpy/OpenCV: no Qt, no onnxruntime (it phones home, issue 12).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from veil.core.assets import asset_path
from veil.core.detectors.dnn import NetPool
from veil.core.detectors.regions import nms

MODEL_PARTS = ("models", "marks_cnn.onnx")
#: Long side the network works at (as trained): ~15 ms per photo on one idle core, ~25 ms
#: on this loaded 2-core machine (MODELS.md).
WORK_SIDE = 512
#: One output cell per STRIDE x STRIDE working pixels.
STRIDE = 8
#: The network's input sides must be multiples of this (five stride-2 steps).
MULTIPLE = 32
#: A cell at or above this is part of a candidate area (:func:`regions`): the default
#: operating point of the CNN alone (see MODELS.md for the figures at other thresholds; the
#: hybrid detector picks its own).
THRESHOLD = 0.9
#: Each area is cut at this share of its own peak: boxes hug the ink, and two tattoos joined
#: by a faint bridge of cells become two boxes.
SPLIT = 0.75
#: ... but seeds joined by cells at or above this share of the peak are one mark.
JOIN = 0.55
#: The model's outputs: the cell probabilities, and (second stage) the box head's distances.
PROB_OUTPUT = "prob"
BOX_OUTPUT = "box"
#: Box-head boxes of one mark overlap: one overlapping a stronger box by more than this IoU
#: is the same mark (:func:`mark_boxes`).
BOX_NMS = 0.5


@dataclass(frozen=True, slots=True)
class CellMap:
    """The network's output for one image.

    Attributes:
        probs: float32 (rows, cols): probability of a mark per STRIDE x STRIDE cell of the
            working image (padding cut off: rows = ceil(work_h / STRIDE)).
        scale: working pixels per pixel of the image given to :func:`cell_probs`; cell
            (r, c) covers given-image x in [c * STRIDE / scale, (c + 1) * STRIDE / scale).
        width, height: size of the image given to :func:`cell_probs`.
        dists: float32 (4, rows, cols) or None: the box head's distances, in cells, from each
            cell's centre to the left, top, right and bottom of the mark it lies on (None
            for a model without the head).
    """

    probs: np.ndarray
    scale: float
    width: int
    height: int
    dists: np.ndarray | None = None

    def cell_box(self, r0: int, c0: int, r1: int, c1: int) -> tuple[float, float, float, float]:
        """Cells rows r0..r1, cols c0..c1 (inclusive) as (x0, y0, x1, y1) in given pixels."""
        k = STRIDE / self.scale
        return (min(self.width, c0 * k), min(self.height, r0 * k),
                min(self.width, (c1 + 1) * k), min(self.height, (r1 + 1) * k))


@dataclass(frozen=True, slots=True)
class CellRegion:
    """A candidate box (x0, y0, x1, y1 in given-image pixels) with its cells' peak and mean."""

    box: tuple[float, float, float, float]
    peak: float
    mean: float


def working_image(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """``rgb`` resized to WORK_SIDE on its long side (up or down) and the scale applied.

    Training (``tools/train_marks_cnn_data.py``) prepares its images with this very function.
    """
    import cv2

    h, w = rgb.shape[:2]
    k = WORK_SIDE / max(h, w)
    size = (max(1, round(w * k)), max(1, round(h * k)))
    if size == (w, h):
        return np.ascontiguousarray(rgb), 1.0
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR
    return cv2.resize(rgb, size, interpolation=interp), k


def network_input(work: np.ndarray) -> np.ndarray:
    """(1, 3, H, W) float32 in 0..1, sides padded by edge replication to MULTIPLE.

    Replication, not zeros: a black border would look like a dark edge of ink. (OpenCV's
    replicated border and a per-channel float32 division give the very values of
    ``np.pad(mode="edge")`` and ``astype(np.float32) / 255``, without the slow transpose.)
    """
    import cv2

    h, w = work.shape[:2]
    ph, pw = -(-h // MULTIPLE) * MULTIPLE, -(-w // MULTIPLE) * MULTIPLE
    padded = cv2.copyMakeBorder(np.ascontiguousarray(work), 0, ph - h, 0, pw - w,
                                cv2.BORDER_REPLICATE)
    blob = np.empty((1, 3, ph, pw), np.float32)
    for c in range(3):
        np.divide(padded[..., c], np.float32(255.0), out=blob[0, c])
    return blob


_NETS = NetPool(lambda: asset_path(*MODEL_PARTS), "mark model")


def available() -> bool:
    """True when OpenCV is installed and the model file is present."""
    import importlib.util

    return importlib.util.find_spec("cv2") is not None and asset_path(*MODEL_PARTS) is not None


def cell_probs(rgb: np.ndarray, net: Any = None) -> CellMap:
    """The mark probability per cell of ``rgb`` (uint8 HxWx3 upright RGB, any size), and the
    box head's distances (``CellMap.dists``) when the model has the ``box`` output.

    ``net``: a ``cv2.dnn`` net of another model file with this one's input and outputs (the
    training tool's fold models, :func:`veil.core.detectors.dnn.read_onnx`; the ``box``
    output is optional); by default the shipped model, borrowed from the pool.

    Raises:
        ValueError: ``rgb`` is not an HxWx3 array.
        RuntimeError, ImportError: the model or OpenCV is missing.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.shape[0] < 1 or rgb.shape[1] < 1:
        raise ValueError(f"expected an HxWx3 RGB array, got shape {rgb.shape}")
    h, w = rgb.shape[:2]
    work, k = working_image(rgb.astype(np.uint8, copy=False))
    wh, ww = work.shape[:2]
    rows, cols = -(-wh // STRIDE), -(-ww // STRIDE)
    with contextlib.nullcontext(net) if net is not None else _NETS.borrow() as lent:
        lent.setInput(network_input(work))
        if BOX_OUTPUT in lent.getUnconnectedOutLayersNames():
            prob, box = lent.forward([PROB_OUTPUT, BOX_OUTPUT])
            dists = np.asarray(box, dtype=np.float32)[0, :, :rows, :cols].copy()
        else:
            prob, dists = lent.forward(), None
    probs = np.asarray(prob, dtype=np.float32)[0, 0, :rows, :cols].copy()
    return CellMap(probs, k, w, h, dists)


def mark_boxes(
    cells: CellMap, threshold: float, max_boxes: int = 16, nms_iou: float = BOX_NMS
) -> list[CellRegion]:
    """The box head's boxes (given-image pixels), strongest first.

    Every cell at or above ``threshold`` proposes the box its distances describe; a box
    overlapping a stronger one by IoU > ``nms_iou`` is the same mark and is dropped. Each
    region's ``peak`` and ``mean`` are its own cell's probability. An empty list for a model
    without the head.
    """
    if cells.dists is None or cells.probs.size == 0:
        return []
    rows, cols = np.nonzero(cells.probs >= threshold)
    if len(rows) == 0:
        return []
    score = cells.probs[rows, cols].astype(np.float64)
    k = STRIDE / cells.scale  # given-image pixels per cell
    cx, cy = (cols + 0.5) * k, (rows + 0.5) * k
    d = cells.dists[:, rows, cols].astype(np.float64) * k
    boxes = np.stack([np.clip(cx - d[0], 0, cells.width), np.clip(cy - d[1], 0, cells.height),
                      np.clip(cx + d[2], 0, cells.width), np.clip(cy + d[3], 0, cells.height)],
                     axis=1)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    real = np.flatnonzero(area > 0)  # a box clipped to nothing proposes nothing
    keep = real[nms(boxes[real], score[real], nms_iou)[:max_boxes]]
    return [CellRegion((float(b[0]), float(b[1]), float(b[2]), float(b[3])), float(p), float(p))
            for b, p in zip(boxes[keep], score[keep], strict=True)]


def _components(mask: np.ndarray) -> list[np.ndarray]:
    import cv2

    n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    return [labels == i for i in range(1, n)]


def _split(probs: np.ndarray, area: np.ndarray, split: float, join: float) -> list[np.ndarray]:
    """Pieces of one connected ``area``, each a box.

    The area is first cut at ``join`` x its peak: parts still connected there are one mark
    (the heat over a large tattoo is uneven: cutting it at every dip gave several boxes per
    sleeve), parts separated by a deeper valley are separate marks. Each part's box is then
    around its cells at or above ``split`` x the part's own peak, which hug the ink. Cells below
    the ``join`` level (the area's fringe) belong to no box.
    """
    peak = float(probs[area].max())
    pieces = []
    for part in _components(area & (probs >= join * peak)):
        pieces.append(part & (probs >= split * float(probs[part].max())))
    return pieces


def regions(
    cells: CellMap,
    threshold: float = THRESHOLD,
    split: float = SPLIT,
    max_regions: int = 16,
    join: float = JOIN,
) -> list[CellRegion]:
    """Candidate boxes from a cell map, strongest first.

    Connected cells (8-neighbours) at or above ``threshold`` form an area. An area is cut
    into marks where it dips below ``join`` x its peak, and each mark's box is around its
    cells at or above ``split`` x its own peak (:func:`_split`): boxes stay tight, two marks
    separated by a valley give two boxes, and pieces never share a cell.
    """
    probs = cells.probs
    out: list[CellRegion] = []
    if probs.size == 0:
        return out
    for area in _components(probs >= threshold):
        for piece in _split(probs, area, split, join):
            values = probs[piece]
            if values.size == 0 or float(values.max()) < threshold:
                continue
            rows, cols = np.nonzero(piece)
            box = cells.cell_box(int(rows.min()), int(cols.min()), int(rows.max()),
                                 int(cols.max()))
            out.append(CellRegion(box, float(values.max()), float(values.mean())))
    out.sort(key=lambda r: -r.peak)
    return out[:max_regions]
