"""Candidate regions and their features for the "possible tattoo or mark" detector.

The pipeline, all in working pixels (long side :data:`WORK_SIDE`):

1. A skin mask (:mod:`marks_skin`) across skin tones: a YCrCb box and an HSV hue/saturation rule
   must both agree; where faces were found, skin sampled inside them adds a per-photo
   colour model (lighting and skin tone vary far more between photos than within one).
2. The *local* skin colour: a normalised blur of Lab over skin pixels only, so ink is
   measured against the skin right around it, not against a global average (shading along
   an arm would otherwise look like ink). Ink = darker than, or a different colour from,
   that local skin, where the neighbourhood is mostly skin and inside the skin region
   (skin with its gaps and holes filled, so the background along a limb's outline is out).
3. Candidates: ink pixels grouped at several scales (small marks stay separate at the fine
   scale, a big tattoo's fragments merge into one box at a coarse one), at two ink
   contrast levels (strong ink alone gives tighter boxes around a tattoo on busy skin);
   each box is also offered grown by 20 % (annotated boxes are loose around the ink).
4. A few physically meaningful features per candidate for the learned scorer (ink
   contrast and colour, dark thin lines, texture, how much skin surrounds it). Faces are a
   feature (overlap with a face box), never a mask: the face detector also fires on
   tattooed faces and necks.

Training (tools/train_marks.py) calls :func:`extract` so run time and training see the very
same numbers. The steps live in role modules: :mod:`marks_skin` (1), :mod:`marks_ink` (2),
:mod:`marks_group` (3) and :mod:`marks_describe` (4); this module joins them. Their faster
forms give the same boxes and features as the first formulation, bit for bit apart from the
order of float64 sums (tests/core/test_marks_speed.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from veil.core.detectors.marks_describe import LINE_WIDTH, WIDE_SIGMA, describe
from veil.core.detectors.marks_group import (
    GROUP_SCALES,
    MAX_CANDIDATES_PER_SCALE,
    MIN_SIDE,
    POOL_MIN_KERNEL,
    first_rows,
    group,
)
from veil.core.detectors.marks_ink import (
    ENCLOSE,
    INK_CHROMA,
    INK_DARKER,
    LOCAL_SIGMA,
    MIN_SKIN_NEIGHBOURHOOD,
    ink_maps,
)

__all__ = [
    "ENCLOSE", "FEATURE_NAMES", "GROUP_SCALES", "INK_CHROMA", "INK_DARKER", "INK_LEVELS",
    "LINE_WIDTH", "LOCAL_SIGMA", "MAX_CANDIDATES_PER_SCALE", "MIN_SIDE",
    "MIN_SKIN_NEIGHBOURHOOD", "PAD_FRACS", "POOL_MIN_KERNEL", "WIDE_SIGMA", "WORK_SIDE",
    "Candidates", "extract", "to_work",
]

#: Long side of the working image: marks of ~1 % of the photo are still ~6 px here.
WORK_SIDE = 640
#: Ink contrast levels (multiples of the thresholds): strong ink gives tighter boxes.
INK_LEVELS = (1.0, 2.0)
#: Each candidate box is also offered grown by these fractions of its sides: annotated boxes
#: are loose around the ink (grouped CV: (0, 0.2) beat no padding and (0, 0.15, 0.3)).
PAD_FRACS: tuple[float, ...] = (0.0, 0.2)

FEATURE_NAMES: tuple[str, ...] = (
    "log_area",  # box area / image area (log)
    "aspect",  # |log(w/h)|
    "ink_fill",  # share of ink pixels in the box
    "ink_dark",  # how much darker than local skin the ink is
    "ink_chroma",  # how far in colour from local skin the ink is
    "ink_da",  # signed a* shift of the ink (red/green)
    "ink_db",  # signed b* shift of the ink (yellow/blue): ink goes blue, hair/shadow do not
    "skin_box",  # share of skin pixels in the box
    "skin_ring",  # share of skin in a ring around the box (enclosed by skin?)
    "ink_ring",  # share of ink in the ring (isolated, or part of a bigger dark area?)
    "edge_box",  # texture inside (line-work has edges, shadows do not)
    "edge_ring",  # texture around
    "very_dark",  # share of near-black pixels (hair, clothing, background holes)
    "thin_ink",  # share of the ink in thin strokes (line-work) rather than blobs
    "hue_shift",  # hue turn of the ink away from the skin's (shadows keep the skin's hue)
    "skin_light",  # lightness of the local skin (skin tone / exposure)
    "edge_ratio",  # texture inside vs around (line-work on smooth skin is high)
    "ink_ratio",  # ink inside vs around (a drawing on clean skin is high)
    "skin_texture",  # the photo's typical skin texture (noise, pores, hair, JPEG)
    "skin_share",  # share of the photo that is skin (close-up or scene)
    "face_overlap",  # share of the box inside a face box
    "face_near",  # distance to the nearest face centre, in face sizes (capped)
    "border",  # how many image borders the box touches (0..4)
    "pad",  # how much the box was grown around its ink (0 or a PAD_FRACS value)
    "line_dark",  # dark thin-line response (black-hat) in the box, inside skin areas
    "line_ratio",  # line response inside vs around (line-work on smooth skin is high)
    "skin_area_box",  # share of the box inside a wide skin area (on a limb, not beside it)
    "skin_area_ring",  # the same for the ring around the box
    "chroma_contrast",  # colour distance to local skin, box minus ring (all pixels)
)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate boxes (working pixels, x0, y0, x1, y1 exclusive) and their features."""

    boxes: np.ndarray  # (n, 4) float32
    features: np.ndarray  # (n, len(FEATURE_NAMES)) float32
    scale: float  # working pixels per input pixel


def to_work(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """Downscale an RGB uint8 array so its long side is at most :data:`WORK_SIDE`."""
    h, w = rgb.shape[:2]
    factor = min(1.0, WORK_SIDE / max(h, w))
    if factor < 1.0:
        size = (max(1, round(w * factor)), max(1, round(h * factor)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(rgb), factor


def extract(
    rgb: np.ndarray, faces: np.ndarray | None = None, extra: np.ndarray | None = None
) -> Candidates:
    """Candidates and features for one upright RGB uint8 image.

    Args:
        rgb: (h, w, 3) uint8 RGB, any size (downscaled to :data:`WORK_SIDE` here).
        faces: (n, 4) face boxes x0, y0, x1, y1 in ``rgb`` pixels, or None.
        extra: (m, 4) more candidate boxes in ``rgb`` pixels (another proposer's areas),
            described by the same features, or None.
    """
    work, factor = to_work(rgb)
    h, w = work.shape[:2]
    long_side = max(h, w)
    face_boxes = (
        np.zeros((0, 4), np.float32) if faces is None or len(faces) == 0
        else np.asarray(faces, np.float32).reshape(-1, 4) * factor
    )
    maps = ink_maps(work, face_boxes)
    dark, chroma, ink = maps.dark, maps.chroma, maps.ink
    parts = []
    for level, mult in enumerate(INK_LEVELS):
        mask = ink if mult == 1.0 else (
            ((dark >= INK_DARKER * mult) | (chroma >= INK_CHROMA * mult)) & (ink > 0)
        ).astype(np.uint8)
        c = group(mask, long_side)
        parts.append(np.concatenate([c, np.full((len(c), 1), level, np.int32)], axis=1))
    if extra is not None and len(extra):
        e = np.round(np.asarray(extra, np.float64).reshape(-1, 4) * factor).astype(np.int32)
        e[:, [0, 2]] = np.clip(e[:, [0, 2]], 0, w)
        e[:, [1, 3]] = np.clip(e[:, [1, 3]], 0, h)
        e = e[(e[:, 2] - e[:, 0] >= 2) & (e[:, 3] - e[:, 1] >= 2)]
        tag = np.full((len(e), 1), -1, np.int32)  # no grouping scale, no ink level
        parts.append(np.concatenate([e, tag, tag], axis=1))
    cand = np.concatenate(parts)
    cand = cand[first_rows(cand[:, :4])]
    if len(cand) == 0:
        return Candidates(np.zeros((0, 4), np.float32), np.zeros((0, len(FEATURE_NAMES)),
                          np.float32), factor)
    boxes = cand[:, :4]
    pads = np.zeros(len(boxes))
    if len(PAD_FRACS) > 1:
        variants, pv = [], []
        for frac in PAD_FRACS:
            bw0 = boxes[:, 2] - boxes[:, 0]
            bh0 = boxes[:, 3] - boxes[:, 1]
            px = np.round(bw0 * frac / 2).astype(np.int32)
            py = np.round(bh0 * frac / 2).astype(np.int32)
            variants.append(np.stack([np.maximum(0, boxes[:, 0] - px),
                                      np.maximum(0, boxes[:, 1] - py),
                                      np.minimum(w, boxes[:, 2] + px),
                                      np.minimum(h, boxes[:, 3] + py)], axis=1))
            pv.append(np.full(len(boxes), frac))
        allv = np.concatenate(variants)
        first = first_rows(allv)
        boxes, pads = allv[first], np.concatenate(pv)[first]
    feats = describe(maps, boxes, pads, face_boxes)
    return Candidates(boxes.astype(np.float32), feats, factor)
