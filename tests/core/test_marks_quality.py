"""Box fit: passing mark candidates are ranked by how well their box fits (``quality``)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import Image

from veil.bench.common import Truth
from veil.core.cancel import NEVER
from veil.core.detectors import PixelContext, marks_cnn, marks_hybrid
from veil.core.detectors.marks import DETECTOR, PERSONLESS_SCORE, MarkDetector, select
from veil.core.detectors.marks_features import Candidates
from veil.core.detectors.marks_hybrid import FEATURE_NAMES
from veil.core.detectors.marks_model import ModelError, TreeModel, from_dict
from veil.core.model import Region
from veil.core.pixels import UprightImage

ROOT = Path(__file__).resolve().parents[2]
FIT = 2  # the made-up models' box fit reads this feature; their score reads feature 1


def _stump(feature: int, split: float, low: float, high: float) -> dict[str, list]:
    return {"feature": [feature, -2, -2], "threshold": [split, -2.0, -2.0], "left": [1, -1, -1],
            "right": [2, -1, -1], "value": [0.0, low, high]}


def _model_doc(quality: dict | None) -> dict:
    doc = {"format": "veil-marks-trees/1", "features": list(FEATURE_NAMES), "init": 0.0,
           "learning_rate": 1.0, "threshold": 0.85, "trees": [_stump(1, 0.5, -3.0, 3.0)],
           "nms_iou": 0.1, "max_detections": 6, "contain": 0.6, "person_gate": False}
    if quality is not None:
        doc["quality"] = quality
    return doc


def _model(quality: dict | None) -> TreeModel:
    return from_dict(_model_doc(quality), FEATURE_NAMES)


FITTED = {"init": 0.3, "learning_rate": 1.0, "trees": [_stump(FIT, 0.5, -0.2, 0.5)]}


def _candidates() -> tuple[np.ndarray, np.ndarray]:
    """A loose box around a tattoo (scored best), a tight one inside it, a far one."""
    boxes = np.array([[0, 0, 100, 100], [20, 20, 60, 60], [300, 300, 340, 340]], float)
    x = np.zeros((3, len(FEATURE_NAMES)), np.float32)
    x[:, 1] = [1.0, 1.0, 0.0]  # rows 0-1 pass (score 0.95), row 2 does not (0.05)
    x[:, FIT] = [0.0, 1.0, 1.0]  # the box-fit trees like rows 1 and 2 (0.8 against 0.1)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    x[:, FEATURE_NAMES.index("log_area")] = np.log(area / 400**2)  # of a 400 px photo
    return boxes, x


def _kept(model: TreeModel) -> list[int]:
    boxes, x = _candidates()
    scores = model.score(x)
    return select(boxes, scores, model.threshold, model.nms_iou, model.max_detections,
                  model.contain, model.rank(x, scores))


def test_the_better_fitting_box_is_kept_among_passing_ones() -> None:
    assert _kept(_model(None)) == [0]  # by score: the loose box hides the tight one
    assert _kept(_model(FITTED)) == [1]  # by fit: the tight box; the loose one is its copy


def test_the_fit_never_lets_a_failing_candidate_pass() -> None:
    # Row 2 fits best of all but scores 0.05: which boxes pass is the score's alone.
    model = _model(FITTED)
    boxes, x = _candidates()
    scores = model.score(x)
    rank = model.rank(x, scores)
    assert rank[1] == pytest.approx(0.8) and rank[0] == pytest.approx(0.1)
    assert 2 not in select(boxes, scores, model.threshold, 0.1, 6, 0.6, rank)
    # Without a fit model the rank is the score itself.
    plain = _model(None)
    assert np.array_equal(plain.rank(x, plain.score(x)), plain.score(x))


    # Nor may select: a failing row with the highest rank of all stays out.
    assert select(boxes, scores, 0.85, 0.1, 6, 0.6, np.array([0.0, 0.0, 5.0])) == [0]


EMPTY = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}


@pytest.mark.parametrize("quality", [
    {"init": 0.0, "learning_rate": 1.0, "trees": [_stump(999, 0.5, 0.0, 1.0)]},
    {"init": 0.0, "trees": [_stump(FIT, 0.5, 0.0, 1.0)]},
    {"init": 0.0, "learning_rate": 1.0, "trees": []},
    {"init": 0.0, "learning_rate": 1.0, "trees": [EMPTY]},
    {"init": float("nan"), "learning_rate": 1.0, "trees": [_stump(FIT, 0.5, 0.0, 1.0)]},
    {"init": 0.0, "learning_rate": 1.0, "trees": [_stump(FIT, 0.5, 0.0, float("inf"))]},
    {"init": 0.0, "learning_rate": 1.0, "trees": [{**_stump(FIT, 0.5, 0.0, 1.0),
                                                   "value": [0.0, None, 1.0]}]},
    [], "x", 0,
])
def test_a_malformed_fit_model_is_refused(quality: object) -> None:
    with pytest.raises(ModelError):
        _model(quality)  # type: ignore[arg-type]


def test_the_detector_reports_the_best_fitting_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The whole path, proposer stubbed: the tight box is the one reported.
    doc = json.loads(json.dumps(_model_doc(FITTED)))
    path = tmp_path / "marks_trees.json"
    path.write_text(json.dumps(doc))
    boxes, x = _candidates()
    monkeypatch.setattr(marks_hybrid, "propose",
                        lambda rgb, faces: Candidates(boxes.astype(np.float32), x, 1.0))
    monkeypatch.setattr(marks_cnn, "available", lambda: True)
    image = UprightImage(Image.new("RGB", (400, 400), (200, 160, 140)), 400, 400, 1.0)
    found = MarkDetector(path).detect(image, NEVER, PixelContext())
    assert [f.region for f in found] == [Region(20, 20, 40, 40)]
    path.write_text(json.dumps(_model_doc(None)))
    found = MarkDetector(path).detect(image, NEVER, PixelContext())
    assert [f.region for f in found] == [Region(0, 0, 100, 100)]


def test_the_shipped_model_ranks_by_box_fit_without_changing_the_photos_flagged() -> None:
    model = DETECTOR._load()
    assert model is not None and model.quality is not None
    # The person gate then keeps all of a photo's passing boxes or none (marks_model.rank).
    assert model.threshold >= PERSONLESS_SCORE


def _tool() -> ModuleType:
    pytest.importorskip("sklearn.ensemble")
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    spec = importlib.util.spec_from_file_location(
        "train_marks_quality", ROOT / "tools" / "train_marks_quality.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tool
    try:
        spec.loader.exec_module(tool)
    finally:
        sys.modules.pop(spec.name, None)
    return tool


def _sample(tool: ModuleType, seed: int) -> object:
    """Boxes scattered around one mark at (40, 40)-(80, 80), plus one ignored mark; feature
    FIT is the box's IoU with the mark, blurred by noise."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 60, (120, 2))
    side = rng.uniform(20, 80, (120, 1))
    boxes = np.hstack([xy, xy + side])
    truths = [Truth((40.0, 40.0, 80.0, 80.0)), Truth((400.0, 400.0, 420.0, 420.0), ignore=True)]
    sample = tool.Sample("s", "real", f"g{seed}", True, truths, boxes,
                         np.zeros((120, len(FEATURE_NAMES))), np.zeros(120))
    fit = tool.targets(sample)
    sample.features[:, FIT] = fit + rng.normal(0, 0.05, 120)
    sample.labels[:] = fit >= 0.3
    sample.labels[0] = -1  # on an ignored mark: no weight
    return sample


def test_the_tool_learns_box_fit_and_exports_what_the_app_evaluates() -> None:
    tool = _tool()
    samples = [_sample(tool, seed) for seed in range(6)]
    s = samples[0]
    fit = tool.targets(s)
    assert fit.max() <= 1.0 and np.all(fit >= 0.0) and fit.max() > 0.5
    weights = tool.row_weights(s)
    assert weights[0] == 0.0 and np.all(weights[1:] == pytest.approx(0.5))  # 60 / 120
    reg = tool.fit_quality(samples)
    doc = tool.hist_tree_doc(reg)
    x = np.concatenate([s.features for s in samples])
    assert tool.check_equivalence(reg, doc, x) < 1e-9
    model = _model(doc)
    assert model.quality is not None
    held_out = _sample(tool, 99)
    guess = model.quality.raw(held_out.features)
    assert np.corrcoef(guess, tool.targets(held_out))[0, 1] > 0.9
