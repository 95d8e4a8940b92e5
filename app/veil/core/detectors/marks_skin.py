"""Skin for the mark detector: which pixels are skin, and where ink on skin can be.

Split from :mod:`marks_features` (same numbers): a skin mask that works across skin tones
(a YCrCb box AND an HSV hue/saturation rule, plus a per-photo colour model sampled inside
the faces found), and the skin *region* (skin with its gaps and holes filled), outside of
which nothing counts as ink.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Skin rules (OpenCV 8-bit units). Loose on purpose: pale, pinkish skin under cool light
#: sits at Cr ~130, hue ~150-180 and low saturation; the ink test tolerates extra "skin".
SKIN_CR_MIN = 130
SKIN_HUE_WRAP = 150
SKIN_SAT_MIN = 15


def skin_mask(rgb: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Skin as a float32 0/1 mask; ``faces`` are (n, 4) working-pixel boxes."""
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    y, cr, cb = ycc[..., 0], ycc[..., 1].astype(np.int16), ycc[..., 2].astype(np.int16)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    # Wide YCrCb box (covers dark and light skin) AND a reddish-orange hue with some
    # saturation: each rule alone takes in wood, sand or beige walls.
    ycc_rule = (cr >= SKIN_CR_MIN) & (cr <= 180) & (cb >= 77) & (cb <= 135) & (y >= 30)
    hue_ok = (hue <= 25) | (hue >= SKIN_HUE_WRAP)  # OpenCV hue is 0..180; pinks wrap round
    hsv_rule = hue_ok & (sat >= SKIN_SAT_MIN) & (sat <= 200) & (val >= 40)
    skin = ycc_rule & hsv_rule
    model = face_skin_model(ycc, skin, faces)
    if model is not None:
        mean, inv_cov = model
        d0 = cr.astype(np.float32) - mean[0]
        d1 = cb.astype(np.float32) - mean[1]
        maha = inv_cov[0, 0] * d0 * d0 + 2 * inv_cov[0, 1] * d0 * d1 + inv_cov[1, 1] * d1 * d1
        skin |= (maha < 6.0) & (y >= 30)
    return skin.astype(np.float32)


def face_skin_model(
    ycc: np.ndarray, skin: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Mean and inverse covariance of (Cr, Cb) in the cheeks/forehead of the faces found."""
    samples = []
    for x0, y0, x1, y1 in faces.astype(int):
        w, h = x1 - x0, y1 - y0
        # The centre of a face box is mostly skin (eyes, brows and mouth are at its edges).
        cx0, cx1 = x0 + w // 4, x1 - w // 4
        cy0, cy1 = y0 + h // 4, y1 - h // 4
        if cx1 - cx0 < 3 or cy1 - cy0 < 3:
            continue
        patch = ycc[max(0, cy0) : max(0, cy1), max(0, cx0) : max(0, cx1)]
        keep = skin[max(0, cy0) : max(0, cy1), max(0, cx0) : max(0, cx1)]
        if keep.sum() >= 20:  # the face really is skin-coloured (not a face-like pattern)
            samples.append(patch[keep][:, 1:3].astype(np.float32))
    if not samples:
        return None
    pts = np.concatenate(samples)
    mean = pts.mean(axis=0)
    cov = np.cov(pts.T) + np.eye(2, dtype=np.float64) * 4.0  # floor: never a needle
    return mean.astype(np.float32), np.linalg.inv(cov).astype(np.float32)


def skin_region(skin: np.ndarray, size: float) -> np.ndarray:
    """Skin with its gaps and holes filled: where ink *on* skin can be.

    A closing bridges the skin between tattoo lines; filling holes takes in solid ink
    enclosed by skin. The background along a limb's outline stays out (a closing does not
    grow convex outlines), which keeps shadows and clothing edges from reading as ink.
    """
    h, w = skin.shape
    f = 4
    small = cv2.resize(skin, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    small = (small >= 0.5).astype(np.uint8)
    k = max(3, int(round(size / f)) | 1)
    closed = cv2.morphologyEx(
        small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    # Holes: non-skin areas that do not reach the image border.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(1 - closed, connectivity=4)
    sh, sw = closed.shape
    touches = (
        (stats[:, cv2.CC_STAT_LEFT] == 0)
        | (stats[:, cv2.CC_STAT_TOP] == 0)
        | (stats[:, cv2.CC_STAT_LEFT] + stats[:, cv2.CC_STAT_WIDTH] >= sw)
        | (stats[:, cv2.CC_STAT_TOP] + stats[:, cv2.CC_STAT_HEIGHT] >= sh)
    )
    filled = closed.astype(bool) | ~touches[labels]
    big = cv2.resize(filled.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
    return big.astype(bool)
