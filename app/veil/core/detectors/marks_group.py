"""Candidate boxes for the mark detector: ink pixels grouped at several scales.

Split from :mod:`marks_features` (same boxes, step 3 of its pipeline). Small marks stay
separate at the fine scale, a big tattoo's fragments merge into one box at a coarse one.

Connected components dominate this step, so they run only on the part of the mask that holds
ink (its bounding rectangle plus a margin wider than the dilation's reach, on even offsets),
with the block-based BBDT labelling, writing 16-bit labels when the part is small enough that
they cannot overflow. All of this leaves the components, their boxes and their order exactly
as OpenCV's default labelling of the whole mask gave them (see :func:`_component_boxes`).
"""

from __future__ import annotations

import cv2
import numpy as np

#: Grouping scales as fractions of the long side (dilation before connected components).
GROUP_SCALES = (0.004, 0.01, 0.02, 0.04, 0.08)
#: Candidates smaller than this (fraction of the long side, shorter box side) are dropped.
MIN_SIDE = 0.008
MAX_CANDIDATES_PER_SCALE = 60
#: Coarse scales are grouped on a pooled mask, pooled while the kernel stays this wide.
POOL_MIN_KERNEL = 6
#: Labels of an 8-connected labelling never outnumber the 2 x 2 blocks of the image (no two
#: components, and no two new provisional labels, can start in one block): below this many
#: blocks, 16-bit labels are safe (uint16 max 65535, minus the background label).
_U16_BLOCKS = 65_000


def max_pool2(mask: np.ndarray) -> np.ndarray:
    """Half size; 1 where any pixel of each 2 x 2 cell is set."""
    # A 2x2 kernel anchored top-left makes each pixel the max of its cell's 4.
    grown = cv2.dilate(mask, np.ones((2, 2), np.uint8), anchor=(0, 0))
    return np.ascontiguousarray(grown[::2, ::2])


def _component_boxes(mask: np.ndarray, ks: int) -> np.ndarray:
    """Stats (left, top, width, height, area) of the 8-connected components of ``mask``
    dilated by a ks x ks rectangle, background row excluded, in ``mask`` pixels.

    The same rows, in the same order, as ``cv2.connectedComponentsWithStats`` of the whole
    dilated mask: the crop holds every set pixel with a margin of ``ks // 2 + 1`` (a
    dilation reaches at most ``ks // 2`` px), so no component meets a crop edge that is not
    an image edge; offsets are even, so OpenCV's 2 x 2 block scan sees the same blocks and
    numbers the components in the same order.
    """
    x, y, cw, ch = cv2.boundingRect(mask)
    if cw == 0 or ch == 0:
        return np.zeros((0, 5), np.int32)
    h, w = mask.shape
    m = ks // 2 + 1
    x0, y0 = max(0, x - m) & ~1, max(0, y - m) & ~1
    x1, y1 = min(w, x + cw + m), min(h, y + ch + m)
    part = mask[y0:y1, x0:x1]
    grown = cv2.dilate(part, cv2.getStructuringElement(cv2.MORPH_RECT, (ks, ks)))
    blocks = ((y1 - y0 + 1) // 2) * ((x1 - x0 + 1) // 2)
    ltype = cv2.CV_16U if blocks < _U16_BLOCKS else cv2.CV_32S
    # Grana's BBDT, like OpenCV's default (Spaghetti), labels 2 x 2 blocks in raster order
    # (same components, same numbering) and is ~25 % faster on these masks.
    n, _, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(grown, 8, ltype, cv2.CCL_BBDT)
    st = stats[1:n].astype(np.int32)
    st[:, 0] += x0
    st[:, 1] += y0
    return st


def first_rows(boxes: np.ndarray) -> np.ndarray:
    """Indices of the first occurrence of each distinct row of ``boxes``, ascending.

    ``boxes``: (n, 4) integers in 0..65535 (working pixels). The same indices as
    ``np.sort(np.unique(boxes, axis=0, return_index=True)[1])``: each row is packed into
    one int64 key (16 bits a side), and ``np.unique`` returns first occurrences.
    """
    b = boxes.astype(np.int64)
    keys = (b[:, 0] << 48) | (b[:, 1] << 32) | (b[:, 2] << 16) | b[:, 3]
    return np.sort(np.unique(keys, return_index=True)[1])


def group(ink: np.ndarray, long_side: int) -> np.ndarray:
    """Candidate boxes from ink pixels grouped at every scale in :data:`GROUP_SCALES`.

    Returns (n, 5) int32: x0, y0, x1, y1 (exclusive) and the scale's index.

    Coarse scales group a max-pooled mask (a cell is ink if any pixel is): connected
    components dominate the run time, and a box side off by a few pixels does not matter
    for a group tens of pixels wide.
    """
    h, w = ink.shape
    min_side = max(3, MIN_SIDE * long_side)
    found = []
    pools: dict[int, np.ndarray] = {1: ink}
    for idx, frac in enumerate(GROUP_SCALES):
        k = max(1, round(frac * long_side))
        f = 1
        while f * 2 * POOL_MIN_KERNEL <= k:
            f *= 2
            if f not in pools:
                pools[f] = max_pool2(pools[f // 2])
        mask = pools[f]
        ks = max(1, round(k / f))
        sh, sw = mask.shape
        st = _component_boxes(mask, ks)
        if len(st) == 0:
            continue
        # A rect dilation grows the ink's box by ks//2 before and (ks-1)//2 after each axis.
        a, b = ks // 2, (ks - 1) // 2
        x0 = np.where(st[:, 0] > 0, st[:, 0] + b, 0) * f
        y0 = np.where(st[:, 1] > 0, st[:, 1] + b, 0) * f
        x1e, y1e = st[:, 0] + st[:, 2], st[:, 1] + st[:, 3]
        x1 = np.minimum(np.where(x1e < sw, x1e - a, sw) * f, w)
        y1 = np.minimum(np.where(y1e < sh, y1e - a, sh) * f, h)
        keep = (np.minimum(x1 - x0, y1 - y0) >= min_side) & (x1 > x0) & (y1 > y0)
        boxes = np.stack([x0, y0, x1, y1, np.full_like(x0, idx)], axis=1)[keep]
        if len(boxes) > MAX_CANDIDATES_PER_SCALE:  # keep the biggest groups
            area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
            boxes = boxes[np.argsort(-area)[:MAX_CANDIDATES_PER_SCALE]]
        found.append(boxes)
    if not found:
        return np.zeros((0, 5), np.int32)
    allb = np.concatenate(found).astype(np.int32)
    # The same box found at two scales is one candidate (keep the finer scale's index).
    return allb[first_rows(allb[:, :4])]
