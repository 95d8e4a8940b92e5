"""Pixel detector: possible tattoos and skin marks.

No package ships tattoo weights, so Veil trains its own on ``../shared/marks-train``:
candidates from two proposers, hand-made ink grouping (:mod:`marks_features`) and a small
CNN (:mod:`marks_cnn`), joined by :mod:`marks_hybrid` and scored by boosted trees
(:mod:`marks_model`, ``tools/train_marks.py``); of the boxes that pass, the best-fitting
go first (the model's box-fit trees), one box per mark. Each
finding is a *question* for the user ("check this area"), never a verdict, and when nothing
is found the report says nothing about tattoos at all (never "no tattoos"). In a photo with
no face, only a sure candidate or one on skin is reported (:func:`person_gate`).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from veil.core.cancel import CancelToken
from veil.core.covers import box_fraction, covered_by_default
from veil.core.detectors import PixelContext, marks_cnn, marks_hybrid, marks_patch
from veil.core.detectors import marks_features as mf
from veil.core.detectors.marks_model import ModelError, TreeModel, load
from veil.core.detectors.regions import box_detail, position_words
from veil.core.model import CheckStatus, Finding, FindingKind, Severity
from veil.core.pixels import UprightImage

MODEL_NAME = "marks_trees.json"
#: Scores at or above this are ``detail["confident"]``: only then may
#: :func:`veil.core.covers.covered_by_default` tick "Cover" for a small box. Every reported
#: mark scores at least the model's threshold (0.85), but not every one is likely right: on
#: ../shared/marks and the held-out roll half, of the reported boxes up to 15 % of the
#: picture, those scoring 0.85-0.90 were 4 marks and 16 false alarms, those from 0.90 up 38
#: marks and 9 false alarms (with the patch net; 5/13 and 33/9 before it). Below 0.90 a box
#: is still reported ("check this area"), just not ticked: an export the user did not look
#: at should not black out a violin's scroll.
CONFIDENT = 0.90


def model_path() -> Path | None:
    """The bundled model file (installed package first, then the repo's ``assets/``)."""
    from veil.core.assets import asset_path

    return asset_path("models", MODEL_NAME)


def face_boxes(context: PixelContext, image: UprightImage) -> np.ndarray:
    """Face findings so far, as (n, 4) x0, y0, x1, y1 boxes in ``image.image`` pixels."""
    boxes = [
        (r.x * image.scale, r.y * image.scale, (r.x + r.w) * image.scale, (r.y + r.h) * image.scale)
        for f in context.findings
        if f.kind is FindingKind.FACE and (r := f.region) is not None
    ]
    return np.asarray(boxes, np.float32).reshape(-1, 4)


#: "No person, no tattoo". In a photo where no face was found, a candidate is reported only
#: when the scorer is at least this sure ...
PERSONLESS_SCORE = 0.80
#: ... or it sits on skin (this share of its box and of the ring around it is skin) in a
#: photo that is not "all skin" (fur, petals, wood and sand fill the loose skin mask: a cat
#: photo reads ~0.96 skin). Tuned on ../shared/marks-train and the roll's training half. With
#: the CNN's features the scorer itself rarely needs it: grouped CV at the shipped threshold,
#: roll photos flagged 0.031 -> 0.019 with it, everything else the same; the model file says
#: whether it applies (``person_gate``). The gate only ever removes findings.
ON_SKIN_BOX = 0.70
ON_SKIN_RING = 0.50
SKIN_SCENE = 0.80
#: ... and never when the photo's "skin" is rough: the median edge strength over its skin
#: pixels (feature ``skin_texture``) at least this. Fur, foliage and soil fill the skin
#: mask with texture no skin has; a flagged tiger (skin_texture 68, score 0.95) passed both
#: rules above. Tattoo photos without a face in ../shared/marks-train: median 20, 95th
#: percentile 44, 3 of 206 at 60 or more; ordinary roll photos without a face: 12 of 38.
#: Grouped CV at the shipped threshold: real recall 0.579 -> 0.575, the rest unchanged
#: (its roll half is already never flagged); on the held-out roll half 5/87 -> 4/87 photos
#: flagged, ../shared/marks unchanged.
ROUGH_SKIN = 60.0
_SKIN_BOX = mf.FEATURE_NAMES.index("skin_box")
_SKIN_RING = mf.FEATURE_NAMES.index("skin_ring")
_SKIN_SHARE = mf.FEATURE_NAMES.index("skin_share")
_SKIN_TEXTURE = mf.FEATURE_NAMES.index("skin_texture")


def person_gate(features: np.ndarray, scores: np.ndarray, has_face: bool) -> np.ndarray:
    """Which candidates may be reported (bool per row of ``features``): all of them when the
    photo has a face; otherwise only a sure one or one on skin in a not-all-skin photo,
    and none in a photo whose "skin" is rough (fur, foliage, soil).

    Camera-roll photos without people (tigers, flowers, kitchens) were the worst false
    alarms; a tattoo close-up has no face but is mostly a skin area with the candidate on it.
    """
    if has_face:
        return np.ones(len(scores), bool)
    on_skin = (
        (features[:, _SKIN_BOX] >= ON_SKIN_BOX)
        & (features[:, _SKIN_RING] >= ON_SKIN_RING)
        & (features[:, _SKIN_SHARE] <= SKIN_SCENE)
    )
    smooth = features[:, _SKIN_TEXTURE] < ROUGH_SKIN
    return ((scores >= PERSONLESS_SCORE) | on_skin) & smooth


#: A candidate box over more than this share of the picture is never reported: "possible
#: tattoo" over most of the frame is no answer (issue 13), and such boxes were the ones that
#: blacked out whole photos. A real tattoo filling most of a close-up stays uncaught: then the
#: whole photo shows it, and that photo is not one to share anyway.
MAX_BOX_SHARE = 0.5
_LOG_AREA = mf.FEATURE_NAMES.index("log_area")


def sized(features: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """``scores`` with the boxes over :data:`MAX_BOX_SHARE` of the picture set to -1."""
    too_big = features[:, _LOG_AREA] > np.log(MAX_BOX_SHARE)
    return np.where(too_big, -1.0, scores)


def select(
    boxes: np.ndarray,
    scores: np.ndarray,
    threshold: float,
    nms_iou: float,
    max_keep: int,
    contain: float | None = None,
    rank: np.ndarray | None = None,
) -> list[int]:
    """Indices of the candidates to report: at or above ``threshold``, best first, no
    near-copies. Which boxes pass is the scores' decision alone; "best" is the higher
    ``rank`` when one is given (the shipped model's predicted box fit,
    :meth:`TreeModel.rank`), ties and the default going by score.

    A candidate is dropped when it overlaps a better one by IoU > ``nms_iou``, or, with
    ``contain``, when more than that share of the smaller of the two boxes lies inside the
    other: one box per mark, never a box nested in another (issue 13).
    """
    keys = scores if rank is None else rank
    order = [int(i) for i in np.lexsort((-scores, -keys)) if scores[i] >= threshold]
    kept: list[int] = []
    for i in order:
        b = boxes[i]
        area_b = max(1e-6, float((b[2] - b[0]) * (b[3] - b[1])))
        clash = False
        for j in kept:
            k = boxes[j]
            iw = min(b[2], k[2]) - max(b[0], k[0])
            ih = min(b[3], k[3]) - max(b[1], k[1])
            if iw <= 0 or ih <= 0:
                continue
            inter = float(iw * ih)
            area_k = max(1e-6, float((k[2] - k[0]) * (k[3] - k[1])))
            if inter / (area_b + area_k - inter) > nms_iou or (
                contain is not None and inter / min(area_b, area_k) > contain
            ):
                clash = True
                break
        if not clash:
            kept.append(i)
            if len(kept) >= max_keep:
                break
    return kept


class MarkDetector:
    """Finds areas that may be a tattoo or a birthmark; the model loads once, lazily."""

    id = "marks"
    max_side = 640  # the working size of marks_features; decoding larger buys nothing

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._model: TreeModel | None = None
        self._error: str | None = None
        self._lock = threading.Lock()

    def _load(self) -> TreeModel | None:
        with self._lock:
            if self._model is None and self._error is None:
                path = self._path or model_path()
                if path is None:
                    self._error = f"{MODEL_NAME} is not installed"
                else:
                    try:
                        self._model = load(path, marks_hybrid.FEATURE_NAMES)
                    except ModelError as exc:
                        self._error = str(exc)
            return self._model

    def available(self) -> CheckStatus:
        """DONE when the scorer and the CNNs it needs load, NOT_AVAILABLE otherwise."""
        model = self._load()
        if model is None or not marks_cnn.available():
            return CheckStatus.NOT_AVAILABLE
        if model.uses_patch and not marks_patch.available():
            return CheckStatus.NOT_AVAILABLE
        return CheckStatus.DONE

    def detect(
        self, image: UprightImage, cancel: CancelToken, context: PixelContext
    ) -> list[Finding]:
        """Possible tattoos/marks, regions in full-size upright pixels.

        Raises:
            RuntimeError: the model is not available (call :meth:`available` first).
        """
        model = self._load()
        if model is None:
            raise RuntimeError(self._error or "mark model not available")
        pil = image.image if image.image.mode == "RGB" else image.image.convert("RGB")
        rgb = np.asarray(pil)
        faces = face_boxes(context, image)
        cands = marks_hybrid.propose(rgb, faces)
        cancel.raise_if_cancelled()
        if len(cands.boxes) == 0:
            return []
        boxes = cands.boxes.astype(np.float64) / cands.scale  # in ``rgb`` pixels
        scores = sized(cands.features, model.score(
            cands.features, lambda rows: marks_patch.patch_probs(rgb, boxes[rows])))
        keep = select(cands.boxes, scores, model.threshold, model.nms_iou, model.max_detections,
                      model.contain, model.rank(cands.features, scores))
        # The gate runs after the selection, as tuned: a gated-out box still suppresses its
        # near-copies (they are the same false alarm).
        allowed = person_gate(cands.features, scores, len(faces) > 0 or not model.person_gate)
        keep = [i for i in keep if allowed[i]]
        findings = []
        for i in keep:
            x0, y0, x1, y1 = (float(v) for v in boxes[i])
            region = image.to_full(x0, y0, x1 - x0, y1 - y0)
            fw, fh = image.full_width, image.full_height
            where = position_words(region, fw, fh)
            score = round(float(scores[i]), 4)
            finding = Finding(
                kind=FindingKind.TATTOO,
                severity=Severity.MEDIUM,
                summary=f"Possible tattoo or birthmark — check this area ({where})",
                source="pixels",
                detail={
                    **box_detail(region, fw, fh),
                    "score": score,
                    "heuristic": True,
                    "box_fraction": round(box_fraction(region, fw, fh), 4),
                    "confident": score >= CONFIDENT,
                },
                region=region,
                confidence=score,
            )
            cover = covered_by_default(finding, fw, fh)
            detail = {**finding.detail, "cover_by_default": cover}
            findings.append(Finding(finding.kind, finding.severity, finding.summary,
                                    finding.source, detail, region, score))
        return findings


DETECTOR = MarkDetector()
