"""The tree scorer's JSON document from a fitted scikit-learn model (dev tool, used by
train_marks.py), and the check that the app's numpy evaluator agrees with scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from veil.core.detectors.marks_hybrid import FEATURE_NAMES
from veil.core.detectors.marks_model import from_dict

#: Regression losses whose trees add up to the prediction itself (no link function).
IDENTITY_LOSSES = ("squared_error", "absolute_error", "quantile")
#: Seed of the random feature rows the evaluator check adds to the real ones.
CHECK_SEED = 20261125


def tree_doc(clf: GradientBoostingClassifier, x: np.ndarray) -> dict:
    """The trees of a fitted binary model as the app's evaluator reads them: ``init`` (the
    prior's log-odds, recovered from ``x``'s first row), ``learning_rate`` and ``trees``."""
    trees = []
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            {
                "feature": [int(v) for v in t.feature],
                "threshold": [float(v) for v in t.threshold],
                "left": [int(v) for v in t.children_left],
                "right": [int(v) for v in t.children_right],
                "value": [float(v) for v in t.value[:, 0, 0]],
            }
        )
    lr = float(clf.learning_rate)
    tree_sum = sum(e.predict(x[:1].astype(np.float32))[0] for e in clf.estimators_[:, 0])
    init = float(clf.decision_function(x[:1])[0] - lr * tree_sum)
    return {"init": init, "learning_rate": lr, "trees": trees}


def hist_tree_doc(clf: HistGradientBoostingClassifier | HistGradientBoostingRegressor) -> dict:
    """The trees of a fitted binary ``HistGradientBoostingClassifier`` (or a squared-error
    regressor) in the same layout: its leaf values already include the learning rate (so
    ``learning_rate`` 1) and ``init`` is its baseline (log-odds, or the regressor's mean).
    A node goes left when ``x[feature] <= threshold``, as here; the features never hold
    NaN, so its missing-value direction is never used.

    Raises:
        ValueError: a regressor whose loss has a link other than identity (its baseline and
            leaves would not add up to its prediction), or a categorical split.
    """
    if isinstance(clf, HistGradientBoostingRegressor) and clf.loss not in IDENTITY_LOSSES:
        raise ValueError(f"loss {clf.loss!r} is not on the evaluator's scale")
    trees = []
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        if np.any(nodes["is_categorical"]):
            raise ValueError("categorical splits are not supported")
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": np.where(leaf, -2, nodes["feature_idx"].astype(np.int64)).tolist(),
                "threshold": np.where(leaf, -2.0, nodes["num_threshold"]).tolist(),
                "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
                "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
                "value": np.where(leaf, nodes["value"], 0.0).tolist(),
            }
        )
    return {"init": float(np.ravel(clf._baseline_prediction)[0]), "learning_rate": 1.0,
            "trees": trees}


def random_rows(x: np.ndarray, n: int = 2000) -> np.ndarray:
    """``x``'s rows plus ``n`` random rows spread over its range (float32, as sklearn sees
    them): the evaluator checks cover feature values the data never had."""
    rng = np.random.default_rng(CHECK_SEED)
    lo, hi = x.min(axis=0), x.max(axis=0)
    rand = (lo + (hi - lo) * rng.random((n, x.shape[1]))).astype(np.float32)
    return np.concatenate([x.astype(np.float32), rand])


def check_equivalence(clf: GradientBoostingClassifier, doc: dict, x: np.ndarray) -> float:
    """Largest |numpy - sklearn| probability of the main trees over real and random rows."""
    model = from_dict(doc, FEATURE_NAMES)
    both = random_rows(x)
    return float(np.abs(model.predict(both) - clf.predict_proba(both)[:, 1]).max())
