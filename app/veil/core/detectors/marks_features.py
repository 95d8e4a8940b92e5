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
same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from veil.core.detectors.marks_skin import skin_mask, skin_region

#: Long side of the working image: marks of ~1 % of the photo are still ~6 px here.
WORK_SIDE = 640
#: Grouping scales as fractions of the long side (dilation before connected components).
GROUP_SCALES = (0.004, 0.01, 0.02, 0.04, 0.08)
#: Neighbourhood (Gaussian sigma, fraction of the long side) of the local skin colour.
LOCAL_SIGMA = 0.035
#: Ink thresholds in Lab units (0..255 scale) against the local skin colour.
INK_DARKER = 14.0
INK_CHROMA = 13.0
#: The neighbourhood must be at least this much skin for a pixel to count as ink.
MIN_SKIN_NEIGHBOURHOOD = 0.3
#: Gap size (fraction of the long side) bridged when filling the skin region; 0 = off.
ENCLOSE = 0.06
#: Candidates smaller than this (fraction of the long side, shorter box side) are dropped.
MIN_SIDE = 0.008
MAX_CANDIDATES_PER_SCALE = 60
#: Coarse scales are grouped on a pooled mask, pooled while the kernel stays this wide.
POOL_MIN_KERNEL = 6
#: Ink contrast levels (multiples of the thresholds): strong ink gives tighter boxes.
INK_LEVELS = (1.0, 2.0)
#: Each candidate box is also offered grown by these fractions of its sides: annotated boxes
#: are loose around the ink (grouped CV: (0, 0.2) beat no padding and (0, 0.15, 0.3)).
PAD_FRACS: tuple[float, ...] = (0.0, 0.2)
#: Black-hat (dark line) filter width, fraction of the long side: fine-line strokes.
LINE_WIDTH = 0.012
#: Wider skin neighbourhood (fraction of the long side) for the "inside a skin area" feature.
WIDE_SIGMA = 0.07

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


def _box_sum(ii: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Sums over boxes (n, 4 ints, exclusive ends) from an integral image."""
    x0, y0, x1, y1 = boxes.T
    return ii[y1, x1] - ii[y0, x1] - ii[y1, x0] + ii[y0, x0]


def _max_pool2(mask: np.ndarray) -> np.ndarray:
    """Half size; 1 where any pixel of each 2 x 2 cell is set."""
    # A 2x2 kernel anchored top-left makes each pixel the max of its cell's 4.
    grown = cv2.dilate(mask, np.ones((2, 2), np.uint8), anchor=(0, 0))
    return np.ascontiguousarray(grown[::2, ::2])


def _group(ink: np.ndarray, long_side: int) -> np.ndarray:
    """Candidate boxes from ink pixels grouped at every scale in :data:`GROUP_SCALES`.

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
                pools[f] = _max_pool2(pools[f // 2])
        mask = pools[f]
        ks = max(1, round(k / f))
        sh, sw = mask.shape
        grown = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (ks, ks)))
        n, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
        if n <= 1:
            continue
        st = stats[1:]
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
    _, first = np.unique(allb[:, :4], axis=0, return_index=True)
    return allb[np.sort(first)]


@dataclass(frozen=True, slots=True)
class InkMaps:
    """Per-pixel planes of one working image (float32 unless said otherwise)."""

    skin: np.ndarray
    lab: np.ndarray
    local: np.ndarray  # local skin colour in Lab
    diff: np.ndarray  # lab - local
    dark: np.ndarray  # how much darker than the local skin (>= 0)
    chroma: np.ndarray  # colour distance to the local skin (a*, b*)
    ink: np.ndarray  # uint8 0/1


def _smooth(plane: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur computed at 1/4 size (wide blurs dominate the run time)."""
    h, w = plane.shape[:2]
    small = cv2.resize(plane, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / 4))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def ink_maps(work: np.ndarray, face_boxes: np.ndarray) -> InkMaps:
    """Skin, local skin colour and ink for a working-size RGB image."""
    long_side = max(work.shape[:2])
    skin = skin_mask(work, face_boxes)
    lab = cv2.cvtColor(work, cv2.COLOR_RGB2LAB).astype(np.float32)
    sigma = LOCAL_SIGMA * long_side
    density = _smooth(skin, sigma)
    weighted = _smooth(lab * skin[..., None], sigma)
    # Where there is little skin nearby, lean on the photo's median skin colour.
    if skin.sum() > 0:
        prior = np.median(lab[::2, ::2][skin[::2, ::2] > 0], axis=0)
    else:
        prior = np.array([170.0, 150.0, 150.0], np.float32)
    k = 0.05
    local = (weighted + k * prior) / (density[..., None] + k)
    diff = lab - local
    dark = np.maximum(-diff[..., 0], 0.0)
    chroma = np.sqrt(diff[..., 1] ** 2 + diff[..., 2] ** 2)
    mostly_skin = _smooth(skin, 2 * sigma) >= MIN_SKIN_NEIGHBOURHOOD
    if ENCLOSE > 0:
        mostly_skin &= skin_region(skin, ENCLOSE * long_side)
    ink = (((dark >= INK_DARKER) | (chroma >= INK_CHROMA)) & mostly_skin).astype(np.uint8)
    return InkMaps(skin, lab, local, diff, dark, chroma, ink)


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
    skin, lab, local, diff, dark, chroma, ink = (
        maps.skin, maps.lab, maps.local, maps.diff, maps.dark, maps.chroma, maps.ink
    )
    parts = []
    for level, mult in enumerate(INK_LEVELS):
        mask = ink if mult == 1.0 else (
            ((dark >= INK_DARKER * mult) | (chroma >= INK_CHROMA * mult)) & (ink > 0)
        ).astype(np.uint8)
        c = _group(mask, long_side)
        parts.append(np.concatenate([c, np.full((len(c), 1), level, np.int32)], axis=1))
    if extra is not None and len(extra):
        e = np.round(np.asarray(extra, np.float64).reshape(-1, 4) * factor).astype(np.int32)
        e[:, [0, 2]] = np.clip(e[:, [0, 2]], 0, w)
        e[:, [1, 3]] = np.clip(e[:, [1, 3]], 0, h)
        e = e[(e[:, 2] - e[:, 0] >= 2) & (e[:, 3] - e[:, 1] >= 2)]
        tag = np.full((len(e), 1), -1, np.int32)  # no grouping scale, no ink level
        parts.append(np.concatenate([e, tag, tag], axis=1))
    cand = np.concatenate(parts)
    _, first = np.unique(cand[:, :4], axis=0, return_index=True)
    cand = cand[np.sort(first)]
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
        _, first = np.unique(allv, axis=0, return_index=True)
        first = np.sort(first)
        boxes, pads = allv[first], np.concatenate(pv)[first]
    gx = cv2.Sobel(lab[..., 0], cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(lab[..., 0], cv2.CV_32F, 0, 1, ksize=3)
    edge = np.abs(gx) + np.abs(gy)
    inkf = ink.astype(np.float32)
    on_skin = (skin > 0) & (ink == 0)
    # Strokes up to ~2 px wide vanish under a 3x3 opening; blobs (hair, holes) survive it.
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    thin = (ink & (1 - opened)).astype(np.float32)
    ink_angle = cv2.phase(diff[..., 1] + local[..., 1] - 128, diff[..., 2] + local[..., 2] - 128)
    skin_angle = cv2.phase(local[..., 1] - 128, local[..., 2] - 128)
    turn = np.abs(ink_angle - skin_angle)
    hue_shift = np.minimum(turn, 2 * np.pi - turn)
    skin_texture = float(np.median(edge[on_skin])) if on_skin.any() else 0.0
    planes = {
        "ink": inkf,
        "dark": dark * inkf,
        "chroma": chroma * inkf,
        "da": diff[..., 1] * inkf,
        "db": diff[..., 2] * inkf,
        "skin": skin,
        "edge": edge,
        "very_dark": (lab[..., 0] < 45).astype(np.float32),
        "skin_l": local[..., 0],
        "thin": thin,
        "hue_shift": hue_shift * inkf,
    }
    # A black-hat (closing minus image) lights up dark strokes narrower than its kernel:
    # fine-line tattoos, which change the local skin colour too little to be "ink".
    k = max(3, int(round(LINE_WIDTH * long_side)) | 1)
    line = cv2.morphologyEx(
        lab[..., 0], cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    skin_area = (_smooth(skin, WIDE_SIGMA * long_side) >= MIN_SKIN_NEIGHBOURHOOD).astype(
        np.float32
    )
    planes["line"] = line * skin_area
    planes["skin_area"] = skin_area
    planes["chroma_all"] = chroma
    sums = {}
    bw = boxes[:, 2] - boxes[:, 0]
    bh = boxes[:, 3] - boxes[:, 1]
    pad_x = np.maximum(2, bw // 4)
    pad_y = np.maximum(2, bh // 4)
    outer = np.stack(
        [
            np.maximum(0, boxes[:, 0] - pad_x),
            np.maximum(0, boxes[:, 1] - pad_y),
            np.minimum(w, boxes[:, 2] + pad_x),
            np.minimum(h, boxes[:, 3] + pad_y),
        ],
        axis=1,
    )
    for name, plane in planes.items():
        ii = cv2.integral(np.ascontiguousarray(plane, np.float32), sdepth=cv2.CV_64F)
        sums[name] = (_box_sum(ii, boxes), _box_sum(ii, outer))
    area = (bw * bh).astype(np.float64)
    ring_area = np.maximum(1.0, (outer[:, 2] - outer[:, 0]) * (outer[:, 3] - outer[:, 1]) - area)
    n_ink = np.maximum(1.0, sums["ink"][0])

    def inside(name: str) -> np.ndarray:
        return sums[name][0] / area

    def ring(name: str) -> np.ndarray:
        return (sums[name][1] - sums[name][0]) / ring_area

    face_overlap, face_near = _face_features(boxes, face_boxes)
    border = (
        (boxes[:, 0] <= 0).astype(np.float64) + (boxes[:, 1] <= 0) + (boxes[:, 2] >= w)
        + (boxes[:, 3] >= h)
    )
    feats = np.stack(
        [
            np.log(area / float(w * h)),
            np.abs(np.log(bw / bh)),
            inside("ink"),
            sums["dark"][0] / n_ink,
            sums["chroma"][0] / n_ink,
            sums["da"][0] / n_ink,
            sums["db"][0] / n_ink,
            inside("skin"),
            ring("skin"),
            ring("ink"),
            inside("edge"),
            ring("edge"),
            inside("very_dark"),
            sums["thin"][0] / n_ink,
            sums["hue_shift"][0] / n_ink,
            inside("skin_l"),
            inside("edge") / (ring("edge") + 8.0),
            inside("ink") / (ring("ink") + 0.02),
            np.full(len(boxes), skin_texture),
            np.full(len(boxes), float(skin.mean())),
            face_overlap,
            face_near,
            border,
            pads,
            inside("line"),
            inside("line") / (ring("line") + 1.0),
            inside("skin_area"),
            ring("skin_area"),
            inside("chroma_all") - ring("chroma_all"),
        ],
        axis=1,
    )

    return Candidates(boxes.astype(np.float32), feats.astype(np.float32), factor)


def _face_features(boxes: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of each box inside any face box; distance to the nearest face in face sizes."""
    n = len(boxes)
    if len(faces) == 0:
        return np.zeros(n), np.full(n, 10.0)
    b = boxes[:, None, :].astype(np.float64)
    f = faces[None, :, :].astype(np.float64)
    iw = np.clip(np.minimum(b[..., 2], f[..., 2]) - np.maximum(b[..., 0], f[..., 0]), 0, None)
    ih = np.clip(np.minimum(b[..., 3], f[..., 3]) - np.maximum(b[..., 1], f[..., 1]), 0, None)
    area = ((b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])).clip(1)
    overlap = (iw * ih / area).max(axis=1)
    bc = (b[..., :2] + b[..., 2:]) / 2
    fc = (f[..., :2] + f[..., 2:]) / 2
    size = np.maximum(f[..., 2] - f[..., 0], f[..., 3] - f[..., 1]).clip(1)
    dist = (np.hypot(*(bc - fc).transpose(2, 0, 1)) / size).min(axis=1)
    return overlap, np.minimum(dist, 10.0)
