"""The mark detector's ink proposer as first written (before the speed-up of issue 13).

A test-only reference: the plain formulation (interleaved float32 Lab, one float64 integral
per plane, ``np.median``, connected components of the whole mask), against which
tests/core/test_marks_speed.py checks that the fast modules give the same candidate boxes
and features. The boosted trees were trained on these numbers. Constants and the unchanged
helpers (face colour model, face features, working size) come from the product modules.
"""

from __future__ import annotations

import cv2
import numpy as np

from veil.core.detectors import marks_describe as md
from veil.core.detectors import marks_features as mf
from veil.core.detectors import marks_group as mg
from veil.core.detectors import marks_ink as mi
from veil.core.detectors import marks_skin as ms


def skin_mask(rgb: np.ndarray, faces: np.ndarray) -> np.ndarray:
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    y, cr, cb = ycc[..., 0], ycc[..., 1].astype(np.int16), ycc[..., 2].astype(np.int16)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    ycc_rule = (cr >= ms.SKIN_CR_MIN) & (cr <= 180) & (cb >= 77) & (cb <= 135) & (y >= 30)
    hue_ok = (hue <= 25) | (hue >= ms.SKIN_HUE_WRAP)
    hsv_rule = hue_ok & (sat >= ms.SKIN_SAT_MIN) & (sat <= 200) & (val >= 40)
    skin = ycc_rule & hsv_rule
    model = ms.face_skin_model(ycc, skin, faces)
    if model is not None:
        mean, inv_cov = model
        d0 = cr.astype(np.float32) - mean[0]
        d1 = cb.astype(np.float32) - mean[1]
        maha = inv_cov[0, 0] * d0 * d0 + 2 * inv_cov[0, 1] * d0 * d1 + inv_cov[1, 1] * d1 * d1
        skin |= (maha < 6.0) & (y >= 30)
    return skin.astype(np.float32)


def skin_region(skin: np.ndarray, size: float) -> np.ndarray:
    h, w = skin.shape
    small = cv2.resize(skin, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = (small >= 0.5).astype(np.uint8)
    k = max(3, int(round(size / 4)) | 1)
    closed = cv2.morphologyEx(
        small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    n, labels, stats, _ = cv2.connectedComponentsWithStats(1 - closed, connectivity=4)
    sh, sw = closed.shape
    touches = (
        (stats[:, 0] == 0) | (stats[:, 1] == 0)
        | (stats[:, 0] + stats[:, 2] >= sw) | (stats[:, 1] + stats[:, 3] >= sh)
    )
    filled = closed.astype(bool) | ~touches[labels]
    return cv2.resize(filled.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0


def smooth(plane: np.ndarray, sigma: float) -> np.ndarray:
    h, w = plane.shape[:2]
    small = cv2.resize(plane, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / 4))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def ink_maps(work: np.ndarray, face_boxes: np.ndarray) -> dict[str, np.ndarray]:
    """skin, lab, local, diff, dark, chroma, ink (interleaved Lab planes)."""
    long_side = max(work.shape[:2])
    skin = skin_mask(work, face_boxes)
    lab = cv2.cvtColor(work, cv2.COLOR_RGB2LAB).astype(np.float32)
    sigma = mi.LOCAL_SIGMA * long_side
    density = smooth(skin, sigma)
    weighted = smooth(lab * skin[..., None], sigma)
    if skin.sum() > 0:
        prior = np.median(lab[::2, ::2][skin[::2, ::2] > 0], axis=0)
    else:
        prior = np.array([170.0, 150.0, 150.0], np.float32)
    k = 0.05
    local = (weighted + k * prior) / (density[..., None] + k)
    diff = lab - local
    dark = np.maximum(-diff[..., 0], 0.0)
    chroma = np.sqrt(diff[..., 1] ** 2 + diff[..., 2] ** 2)
    mostly_skin = smooth(skin, 2 * sigma) >= mi.MIN_SKIN_NEIGHBOURHOOD
    mostly_skin &= skin_region(skin, mi.ENCLOSE * long_side)
    ink = (((dark >= mi.INK_DARKER) | (chroma >= mi.INK_CHROMA)) & mostly_skin).astype(np.uint8)
    return {"skin": skin, "lab": lab, "local": local, "diff": diff, "dark": dark,
            "chroma": chroma, "ink": ink}


def group(ink: np.ndarray, long_side: int) -> np.ndarray:
    h, w = ink.shape
    min_side = max(3, mg.MIN_SIDE * long_side)
    found = []
    pools = {1: ink}
    for idx, frac in enumerate(mg.GROUP_SCALES):
        k = max(1, round(frac * long_side))
        f = 1
        while f * 2 * mg.POOL_MIN_KERNEL <= k:
            f *= 2
            if f not in pools:
                grown = cv2.dilate(pools[f // 2], np.ones((2, 2), np.uint8), anchor=(0, 0))
                pools[f] = np.ascontiguousarray(grown[::2, ::2])
        mask = pools[f]
        ks = max(1, round(k / f))
        sh, sw = mask.shape
        grown = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (ks, ks)))
        n, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
        if n <= 1:
            continue
        st = stats[1:]
        a, b = ks // 2, (ks - 1) // 2
        x0 = np.where(st[:, 0] > 0, st[:, 0] + b, 0) * f
        y0 = np.where(st[:, 1] > 0, st[:, 1] + b, 0) * f
        x1e, y1e = st[:, 0] + st[:, 2], st[:, 1] + st[:, 3]
        x1 = np.minimum(np.where(x1e < sw, x1e - a, sw) * f, w)
        y1 = np.minimum(np.where(y1e < sh, y1e - a, sh) * f, h)
        keep = (np.minimum(x1 - x0, y1 - y0) >= min_side) & (x1 > x0) & (y1 > y0)
        boxes = np.stack([x0, y0, x1, y1, np.full_like(x0, idx)], axis=1)[keep]
        if len(boxes) > mg.MAX_CANDIDATES_PER_SCALE:
            area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
            boxes = boxes[np.argsort(-area)[: mg.MAX_CANDIDATES_PER_SCALE]]
        found.append(boxes)
    if not found:
        return np.zeros((0, 5), np.int32)
    allb = np.concatenate(found).astype(np.int32)
    _, first = np.unique(allb[:, :4], axis=0, return_index=True)
    return allb[np.sort(first)]


def candidates(
    rgb: np.ndarray, faces: np.ndarray | None = None, extra: np.ndarray | None = None
) -> mf.Candidates:
    """``marks_features.extract`` as first written."""
    work, factor = mf.to_work(rgb)
    h, w = work.shape[:2]
    long_side = max(h, w)
    face_boxes = (
        np.zeros((0, 4), np.float32) if faces is None or len(faces) == 0
        else np.asarray(faces, np.float32).reshape(-1, 4) * factor
    )
    m = ink_maps(work, face_boxes)
    dark, chroma, ink = m["dark"], m["chroma"], m["ink"]
    parts = []
    for level, mult in enumerate(mf.INK_LEVELS):
        mask = ink if mult == 1.0 else (
            ((dark >= mi.INK_DARKER * mult) | (chroma >= mi.INK_CHROMA * mult)) & (ink > 0)
        ).astype(np.uint8)
        c = group(mask, long_side)
        parts.append(np.concatenate([c, np.full((len(c), 1), level, np.int32)], axis=1))
    if extra is not None and len(extra):
        e = np.round(np.asarray(extra, np.float64).reshape(-1, 4) * factor).astype(np.int32)
        e[:, [0, 2]] = np.clip(e[:, [0, 2]], 0, w)
        e[:, [1, 3]] = np.clip(e[:, [1, 3]], 0, h)
        e = e[(e[:, 2] - e[:, 0] >= 2) & (e[:, 3] - e[:, 1] >= 2)]
        tag = np.full((len(e), 1), -1, np.int32)
        parts.append(np.concatenate([e, tag, tag], axis=1))
    cand = np.concatenate(parts)
    _, first = np.unique(cand[:, :4], axis=0, return_index=True)
    cand = cand[np.sort(first)]
    if len(cand) == 0:
        return mf.Candidates(np.zeros((0, 4), np.float32),
                             np.zeros((0, len(mf.FEATURE_NAMES)), np.float32), factor)
    boxes = cand[:, :4]
    variants, pv = [], []
    for frac in mf.PAD_FRACS:
        px = np.round((boxes[:, 2] - boxes[:, 0]) * frac / 2).astype(np.int32)
        py = np.round((boxes[:, 3] - boxes[:, 1]) * frac / 2).astype(np.int32)
        variants.append(np.stack([np.maximum(0, boxes[:, 0] - px),
                                  np.maximum(0, boxes[:, 1] - py),
                                  np.minimum(w, boxes[:, 2] + px),
                                  np.minimum(h, boxes[:, 3] + py)], axis=1))
        pv.append(np.full(len(boxes), frac))
    allv = np.concatenate(variants)
    _, first = np.unique(allv, axis=0, return_index=True)
    first = np.sort(first)
    boxes, pads = allv[first], np.concatenate(pv)[first]
    return mf.Candidates(boxes.astype(np.float32),
                         _features(m, boxes, pads, face_boxes, long_side), factor)


def _features(m: dict[str, np.ndarray], boxes: np.ndarray, pads: np.ndarray,
              face_boxes: np.ndarray, long_side: int) -> np.ndarray:
    skin, lab, local, diff, dark, chroma, ink = (
        m["skin"], m["lab"], m["local"], m["diff"], m["dark"], m["chroma"], m["ink"]
    )
    h, w = ink.shape
    gx = cv2.Sobel(lab[..., 0], cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(lab[..., 0], cv2.CV_32F, 0, 1, ksize=3)
    edge = np.abs(gx) + np.abs(gy)
    inkf = ink.astype(np.float32)
    on_skin = (skin > 0) & (ink == 0)
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    ink_angle = cv2.phase(diff[..., 1] + local[..., 1] - 128, diff[..., 2] + local[..., 2] - 128)
    skin_angle = cv2.phase(local[..., 1] - 128, local[..., 2] - 128)
    turn = np.abs(ink_angle - skin_angle)
    k = max(3, int(round(md.LINE_WIDTH * long_side)) | 1)
    line = cv2.morphologyEx(
        lab[..., 0], cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    skin_area = (smooth(skin, md.WIDE_SIGMA * long_side) >= mi.MIN_SKIN_NEIGHBOURHOOD).astype(
        np.float32
    )
    planes = {
        "ink": inkf, "dark": dark * inkf, "chroma": chroma * inkf, "da": diff[..., 1] * inkf,
        "db": diff[..., 2] * inkf, "skin": skin, "edge": edge,
        "very_dark": (lab[..., 0] < 45).astype(np.float32), "skin_l": local[..., 0],
        "thin": (ink & (1 - opened)).astype(np.float32),
        "hue_shift": np.minimum(turn, 2 * np.pi - turn) * inkf,
        "line": line * skin_area, "skin_area": skin_area, "chroma_all": chroma,
    }
    bw, bh = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    pad_x, pad_y = np.maximum(2, bw // 4), np.maximum(2, bh // 4)
    outer = np.stack([np.maximum(0, boxes[:, 0] - pad_x), np.maximum(0, boxes[:, 1] - pad_y),
                      np.minimum(w, boxes[:, 2] + pad_x), np.minimum(h, boxes[:, 3] + pad_y)],
                     axis=1)
    sums = {}
    for name, plane in planes.items():
        ii = cv2.integral(np.ascontiguousarray(plane, np.float32), sdepth=cv2.CV_64F)
        sums[name] = (md.box_sums(ii, boxes), md.box_sums(ii, outer))
    area = (bw * bh).astype(np.float64)
    ring_area = np.maximum(1.0, (outer[:, 2] - outer[:, 0]) * (outer[:, 3] - outer[:, 1]) - area)
    n_ink = np.maximum(1.0, sums["ink"][0])

    def inside(name: str) -> np.ndarray:
        return sums[name][0] / area

    def ring(name: str) -> np.ndarray:
        return (sums[name][1] - sums[name][0]) / ring_area

    face_overlap, face_near = md.face_features(boxes, face_boxes)
    border = ((boxes[:, 0] <= 0).astype(np.float64) + (boxes[:, 1] <= 0) + (boxes[:, 2] >= w)
              + (boxes[:, 3] >= h))
    texture = float(np.median(edge[on_skin])) if on_skin.any() else 0.0
    n = len(boxes)
    return np.stack([
        np.log(area / float(w * h)), np.abs(np.log(bw / bh)), inside("ink"),
        sums["dark"][0] / n_ink, sums["chroma"][0] / n_ink, sums["da"][0] / n_ink,
        sums["db"][0] / n_ink, inside("skin"), ring("skin"), ring("ink"), inside("edge"),
        ring("edge"), inside("very_dark"), sums["thin"][0] / n_ink, sums["hue_shift"][0] / n_ink,
        inside("skin_l"), inside("edge") / (ring("edge") + 8.0),
        inside("ink") / (ring("ink") + 0.02), np.full(n, texture), np.full(n, float(skin.mean())),
        face_overlap, face_near, border, pads, inside("line"),
        inside("line") / (ring("line") + 1.0), inside("skin_area"), ring("skin_area"),
        inside("chroma_all") - ring("chroma_all"),
    ], axis=1).astype(np.float32)
