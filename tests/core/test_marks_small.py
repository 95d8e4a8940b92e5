"""The mark model's optional second scorer for small candidates (marks_model ``small``)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from veil.core.detectors.marks import model_path
from veil.core.detectors.marks_combine import logit
from veil.core.detectors.marks_hybrid import FEATURE_NAMES
from veil.core.detectors.marks_model import ModelError, from_dict, onto_threshold

LOG_AREA = FEATURE_NAMES.index("log_area")


def _stump(feature: int, split: float, low: float, high: float) -> dict[str, list]:
    """One depth-1 tree: ``low`` when x[feature] <= split, else ``high``."""
    return {"feature": [feature, -2, -2], "threshold": [split, -2.0, -2.0], "left": [1, -1, -1],
            "right": [2, -1, -1], "value": [0.0, low, high]}


def _doc(small: dict | None) -> dict:
    doc = {"format": "veil-marks-trees/1", "features": list(FEATURE_NAMES), "init": 0.0,
           "learning_rate": 1.0, "threshold": 0.85, "trees": [_stump(1, 0.5, -3.0, 3.0)]}
    if small is not None:
        doc["small"] = small
    return doc


def test_onto_threshold_maps_own_threshold_onto_the_main_one() -> None:
    p = np.array([0.0, 0.3, 0.6, 0.8, 1.0])
    m = onto_threshold(p, 0.6, 0.85)
    assert m[0] == 0.0 and m[-1] == pytest.approx(1.0)
    assert m[2] == pytest.approx(0.85)
    assert np.all(np.diff(m) > 0)  # monotone: the ranking among small candidates is kept
    assert m[1] < 0.85 < m[3]


def test_small_candidates_take_the_small_scorer_and_others_the_main_one() -> None:
    # Main trees: feature 1 high -> sure mark. Small scorer: feature 2 high -> sure mark.
    small = {"max_area": 0.01, "init": 0.0, "learning_rate": 1.0, "threshold": 0.6,
             "trees": [_stump(2, 0.5, -4.0, 4.0)]}
    model = from_dict(_doc(small), FEATURE_NAMES)
    x = np.zeros((4, len(FEATURE_NAMES)), np.float32)
    x[:, LOG_AREA] = [math.log(0.001), math.log(0.001), math.log(0.2), math.log(0.2)]
    x[:, 1] = [1.0, 1.0, 1.0, 0.0]  # main says "mark" for rows 0-2
    x[:, 2] = [0.0, 1.0, 0.0, 1.0]  # small says "mark" for rows 1 and 3
    s = model.score(x)
    assert s[0] < model.threshold <= s[1]  # small boxes: the small scorer decides
    assert s[2] >= model.threshold > s[3]  # big boxes: the main trees decide
    plain = from_dict(_doc(None), FEATURE_NAMES)
    assert np.allclose(plain.score(x), plain.predict(x))


@pytest.mark.parametrize("max_area", [0.0, -1.0, 2.0])
def test_small_scorer_with_a_bad_area_limit_is_refused(max_area: float) -> None:
    small = {"max_area": max_area, "init": 0.0, "learning_rate": 1.0, "threshold": 0.6,
             "trees": [_stump(2, 0.5, -4.0, 4.0)]}
    with pytest.raises(ModelError):
        from_dict(_doc(small), FEATURE_NAMES)


def test_shipped_model_has_a_well_formed_small_scorer() -> None:
    doc = json.loads(model_path().read_text())  # type: ignore[union-attr]
    model = from_dict(doc, FEATURE_NAMES)
    assert model.small is not None and 0.0 < model.small_max_area <= 0.05
    assert 0.0 < model.small.threshold < 1.0
    # A candidate under the area limit is scored by the small trees, one over it is not.
    x = np.zeros((2, len(FEATURE_NAMES)), np.float32)
    x[:, LOG_AREA] = [math.log(model.small_max_area / 10), math.log(0.3)]
    s = model.score(x, lambda rows: np.ones(len(rows)))  # the patch net fully agrees
    small_own = model.small.predict(x[:1])
    if model.patch_logit is not None:  # the stack, with the net's surest answer
        a, b, c = model.patch_logit
        z = a * logit(small_own) + b * logit(np.ones(1)) + c
        own = np.where(z >= logit(np.array(model.small.threshold)), 1 / (1 + np.exp(-z)), 0.0)
    else:
        own = small_own ** (1 - model.patch_weight)
        if model.patch_weight > 0:  # one the trees could not pass is not shown to the net
            own = np.where(own >= model.small.threshold, own, 0.0)
    assert s[0] == pytest.approx(float(onto_threshold(own, model.small.threshold,
                                                      model.threshold)[0]))
    assert s[1] == pytest.approx(float(model.predict(x[1:])[0]))
