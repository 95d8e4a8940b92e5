"""A tiny pure-numpy evaluator for the boosted trees that rank mark candidates.

The model is trained by ``tools/train_marks.py`` (scikit-learn's gradient boosting, binary
log-loss) and stored as JSON, so run time needs neither scikit-learn nor a pickle (a pickle
would execute code from a file). Format::

    {"format": "veil-marks-trees/1", "features": [names...], "init": float,
     "learning_rate": float, "threshold": float, "nms_iou": float, "max_detections": int,
     "contain": float | null, "person_gate": bool,
     "trees": [{"feature": [...], "threshold": [...], "left": [...], "right": [...],
                "value": [...]}, ...],
     "small": {"max_area": float, "init": float, "learning_rate": float,
               "threshold": float, "trees": [...],
               "patch_weight": float,        # optional, default 0
               "patch_logit": [a, b, c]},   # optional, instead of patch_weight
     "quality": {"init": float, "learning_rate": float, "trees": [...]}}  # optional

Each tree is sklearn's node arrays: ``left``/``right`` are -1 at leaves; a sample goes left
when ``x[feature] <= threshold``.

``small`` is a second scorer for candidates whose box covers less than ``max_area`` of the
picture: small composited tattoos and birthmarks look nothing like the close-up tattoos
that dominate the main scorer's positives (median box 28 % of the picture against
0.15 %), and one set of trees ranked them below its threshold. Its probability is mapped
onto the main scale (:func:`onto_threshold`) so both kinds share one threshold and one
selection. With ``patch_weight`` or ``patch_logit`` the small scorer's probability is
first joined with the small-mark patch net's (:mod:`marks_combine`).

``quality`` predicts how well a candidate's box fits its mark (IoU; ``tools/
train_marks_quality.py``): of the passing boxes the best-fitting go first, so one box per
mark keeps the tight one, not a looser one or one around two tattoos (:meth:`TreeModel.rank`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from veil.core.detectors import marks_combine

FORMAT = "veil-marks-trees/1"
#: A model file beyond this is not ours (ours is a few hundred KB at most).
MAX_MODEL_BYTES = 8 * 1024 * 1024


class ModelError(ValueError):
    """The model file is missing, malformed or for other features."""


@dataclass(frozen=True, slots=True)
class TreeModel:
    """Boosted regression trees, padded into dense (n_trees, n_nodes) arrays."""

    features: tuple[str, ...]
    init: float
    learning_rate: float
    threshold: float
    nms_iou: float
    max_detections: int
    #: Drop a box when more than this share of the smaller box lies in a better one (None: off).
    contain: float | None
    #: Whether the "no person, no tattoo" gate (:func:`marks.person_gate`) applies.
    person_gate: bool
    feature: np.ndarray  # int32, leaves point at feature 0 (never read)
    split: np.ndarray  # float64 thresholds
    left: np.ndarray  # int32, leaves point at themselves
    right: np.ndarray
    value: np.ndarray  # float64
    depth: int
    #: The small-candidate scorer and the box share (of the picture) below which it scores.
    small: TreeModel | None = None
    small_max_area: float = 0.0
    #: Weight of the patch net in a small candidate's score (0: the small trees alone).
    patch_weight: float = 0.0
    #: Or (a, b, c): a small candidate's score is sigmoid(a logit p + b logit q + c).
    patch_logit: tuple[float, float, float] | None = None
    #: Trees predicting a candidate's box fit (IoU with its mark), or None: rank by score.
    quality: TreeModel | None = None

    @property
    def uses_patch(self) -> bool:
        """Whether small candidates need the patch net (without it none passes)."""
        return self.patch_weight > 0 or self.patch_logit is not None

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for each row of ``x`` (n, n_features)."""
        x = np.asarray(x, np.float32).astype(np.float64)  # sklearn compares in float32
        n = len(x)
        if n == 0:
            return np.zeros(0)
        n_trees = self.feature.shape[0]
        trees = np.arange(n_trees)[None, :]
        node = np.zeros((n, n_trees), np.int32)
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            f = self.feature[trees, node]
            go_left = x[rows, f] <= self.split[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        return self.init + self.learning_rate * self.value[trees, node].sum(axis=1)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability (0..1) that each candidate is a mark."""
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    def rank(self, x: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """The order in which the selection considers the passing candidates (higher
        first): their ``scores`` without a ``quality`` model, else their predicted box fit.
        Only candidates at or above the threshold are ranked (others are never reported)."""
        if self.quality is None:
            return scores
        # Only the order changes: with the threshold at or above marks.PERSONLESS_SCORE the
        # person gate keeps all of a photo's passing boxes or none, so the photos flagged
        # are the same whichever box of a mark is kept.
        keys = np.zeros(len(scores))
        rows = np.flatnonzero(scores >= self.threshold)
        if len(rows):
            keys[rows] = self.quality.raw(np.asarray(x)[rows])
        return keys

    def score(
        self, x: np.ndarray, patch: Callable[[np.ndarray], np.ndarray] | None = None
    ) -> np.ndarray:
        """Each candidate's score on the main scale: the main trees', or for a box under
        ``small_max_area`` of the picture the small scorer's (combined with the patch net's
        by ``patch_weight`` > 0 or ``patch_logit``), mapped so that its threshold lands on
        the main threshold.

        ``patch(rows)`` gives the patch net's probability for those rows of ``x``; it is
        asked only for the small candidates that could pass with its help, the others score
        0. Without it a model that uses the patch net passes no small candidate (a model
        tuned for both looks is never run with one); without either combination the small
        trees decide alone.
        """
        scores = self.predict(x)
        if self.small is None or len(scores) == 0:
            return scores
        area = np.asarray(x, np.float64)[:, self.features.index("log_area")]
        rows = np.flatnonzero(area < np.log(self.small_max_area))
        if len(rows):
            own = self.small.predict(np.asarray(x)[rows])
            t = self.small.threshold
            if self.patch_logit is not None:
                own = marks_combine.stacked(own, rows, self.patch_logit, t, patch)
            elif self.patch_weight > 0:
                own = marks_combine.geometric(own, rows, self.patch_weight, t, patch)
            scores[rows] = onto_threshold(own, t, self.threshold)
        return scores


def onto_threshold(p: np.ndarray, own: float, main: float) -> np.ndarray:
    """Map probabilities ``p`` monotonically (piecewise linear, 0 -> 0, 1 -> 1) so that the
    threshold ``own`` lands on ``main``: a small candidate passes exactly when it passes its
    own scorer's threshold, and is ranked among the others by how far it clears it."""
    own = min(max(own, 1e-6), 1 - 1e-6)
    return np.where(p >= own, main + (1 - main) * (p - own) / (1 - own), main * p / own)


def _tree_depth(left: list[int], right: list[int]) -> int:
    depth = 0
    stack = [(0, 0)]
    while stack:
        node, d = stack.pop()
        if d > 64:
            raise ModelError("tree too deep (loop?)")
        if left[node] < 0:
            depth = max(depth, d)
        else:
            stack += [(left[node], d + 1), (right[node], d + 1)]
    return depth


def _small(doc: dict[str, Any], features: tuple[str, ...]) -> tuple[TreeModel | None, float]:
    """The optional small-candidate scorer of a model document, and its area limit."""
    sub = doc.get("small")
    if sub is None:
        return None, 0.0
    max_area = float(sub["max_area"])
    if not 0.0 < max_area <= 1.0:
        raise ModelError("small scorer's max_area must be in (0, 1]")
    inner = {**sub, "format": FORMAT, "features": list(features)}
    inner.pop("small", None)  # one level only
    inner.pop("patch_weight", None)
    inner.pop("patch_logit", None)
    return from_dict(inner, features), max_area


def _quality(doc: dict[str, Any], features: tuple[str, ...]) -> TreeModel | None:
    """The optional box-fit regression of a model document (trees only, no threshold)."""
    sub = doc.get("quality")
    if sub is None:
        return None
    inner = {"format": FORMAT, "features": list(features), "init": sub["init"],
             "learning_rate": sub["learning_rate"], "trees": sub["trees"], "threshold": 0.5}
    return from_dict(inner, features)


def _combination(doc: dict[str, Any]) -> tuple[float, tuple[float, float, float] | None]:
    """The small scorer's patch weight and stacking weights, checked (:mod:`marks_combine`)."""
    small = doc.get("small") or {}
    try:
        return marks_combine.read_weight(small), marks_combine.read_logit(small)
    except ValueError as exc:
        raise ModelError(str(exc)) from exc


def from_dict(doc: dict[str, Any], expected_features: tuple[str, ...]) -> TreeModel:
    """Build a :class:`TreeModel` from its JSON document.

    Raises:
        ModelError: wrong format, wrong feature list or inconsistent trees.
    """
    try:
        if doc.get("format") != FORMAT:
            raise ModelError(f"not a {FORMAT} model")
        features = tuple(str(f) for f in doc["features"])
        if features != expected_features:
            raise ModelError("the model was trained on other features; retrain it")
        small, small_max_area = _small(doc, features)
        combination = _combination(doc)
        trees = doc["trees"]
        width = max(len(t["feature"]) for t in trees)
        n_trees = len(trees)
        feat = np.zeros((n_trees, width), np.int32)
        split = np.zeros((n_trees, width))
        left = np.zeros((n_trees, width), np.int32)
        right = np.zeros((n_trees, width), np.int32)
        value = np.zeros((n_trees, width))
        depth = 0
        for i, t in enumerate(trees):
            m = len(t["feature"])
            if m == 0:
                raise ModelError("empty tree")
            lt, rt = [int(v) for v in t["left"]], [int(v) for v in t["right"]]
            if not (len(lt) == len(rt) == len(t["threshold"]) == len(t["value"]) == m):
                raise ModelError("tree arrays differ in length")
            if any(not (-1 <= v < m) for v in lt + rt):
                raise ModelError("tree node index out of range")
            depth = max(depth, _tree_depth(lt, rt))
            own = np.arange(m)
            is_leaf = np.array(lt) < 0
            f = np.array(t["feature"], np.int64)
            if np.any(~is_leaf & ((f < 0) | (f >= len(features)))):
                raise ModelError("tree feature index out of range")
            feat[i, :m] = np.where(is_leaf, 0, f)
            split[i, :m] = t["threshold"]
            left[i, :m] = np.where(is_leaf, own, lt)
            right[i, :m] = np.where(is_leaf, own, rt)
            value[i, :m] = t["value"]
        numbers = [float(doc["init"]), float(doc["learning_rate"]), float(doc["threshold"])]
        if not (np.all(np.isfinite(numbers)) and np.all(np.isfinite(split))
                and np.all(np.isfinite(value))):
            raise ModelError("the model holds a number that is not finite")
        return TreeModel(
            features=features,
            init=float(doc["init"]),
            learning_rate=float(doc["learning_rate"]),
            threshold=float(doc["threshold"]),
            nms_iou=float(doc.get("nms_iou", 0.3)),
            max_detections=int(doc.get("max_detections", 8)),
            contain=None if doc.get("contain") is None else float(doc["contain"]),
            person_gate=bool(doc.get("person_gate", True)),
            feature=feat,
            split=split,
            left=left,
            right=right,
            value=value,
            depth=depth,
            small=small,
            small_max_area=small_max_area,
            patch_weight=combination[0],
            patch_logit=combination[1],
            quality=_quality(doc, features),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"malformed model: {exc}") from exc


def load(path: Path, expected_features: tuple[str, ...]) -> TreeModel:
    """Read and check a model file.

    Raises:
        ModelError: the file is missing, too big, not JSON or not a valid model.
    """
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_MODEL_BYTES + 1)
    except OSError as exc:
        raise ModelError(f"cannot read the mark model: {exc}") from exc
    if len(data) > MAX_MODEL_BYTES:
        raise ModelError("the mark model file is too large")
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"the mark model is not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise ModelError("the mark model is not a JSON object")
    return from_dict(doc, expected_features)
