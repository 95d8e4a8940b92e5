"""How a small mark candidate's two views join (used by :mod:`marks_model`).

p is the small trees' probability (where a candidate is, how it contrasts), q the small-mark
patch net's (:mod:`marks_patch`: what its pixels look like, a drawn star or an ear). Two
forms, stored in the model file's ``small`` section:

* ``patch_weight`` w: p ** (1 - w) * q ** w. It never passes a candidate whose p is under
  the threshold ** (1 / (1 - w)), however clearly the net sees a mark.
* ``patch_logit`` (a, b, c): sigmoid(a logit p + b logit q + c), a logistic regression the
  training tool fits on out-of-fold p and q (``tools/train_marks_patch_cv.py``), so a clear
  look from the net can outweigh the trees' doubt.

Either way the net is asked only about the rows its surest answer could lift over the
small threshold; the others score 0, as do all rows when the net is not there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any

import numpy as np

#: Probabilities are clipped to [EPS, 1 - EPS] before a logit: the stack's weights were fit
#: on the same clipping, and it bounds how far one view can outvote the other.
EPS = 1e-3

Patch = Callable[[np.ndarray], np.ndarray]


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)) of ``p`` clipped to [EPS, 1 - EPS] (the stack's inputs, here and in
    the training tool)."""
    p = np.clip(np.asarray(p, np.float64), EPS, 1.0 - EPS)
    return np.log(p / (1.0 - p))


def geometric(p: np.ndarray, rows: np.ndarray, w: float, threshold: float,
              patch: Patch | None) -> np.ndarray:
    """p ** (1 - w) * q ** w for the small ``rows`` whose trees' probability is ``p``."""
    trees = np.power(p, 1.0 - w)
    out = np.zeros(len(rows))
    hopeful = trees >= threshold
    if patch is not None and hopeful.any():
        q = np.clip(np.asarray(patch(rows[hopeful]), np.float64), 0.0, 1.0)
        out[hopeful] = trees[hopeful] * np.power(q, w)
    return out


def stack_probability(p: np.ndarray, q: np.ndarray,
                      coef: tuple[float, float, float]) -> np.ndarray:
    """sigmoid(a logit p + b logit q + c): the stack's score, here and in the training
    tool's cross-validation."""
    a, b, c = coef
    return 1.0 / (1.0 + np.exp(-(a * logit(p) + b * logit(q) + c)))


def stacked(p: np.ndarray, rows: np.ndarray, coef: tuple[float, float, float],
            threshold: float, patch: Patch | None) -> np.ndarray:
    """:func:`stack_probability` for the small ``rows`` with trees' ``p``."""
    a, b, c = coef
    # The threshold's own logit, unclipped: a row passes when a logit p + b logit q + c
    # reaches it, so one whose p cannot get there with the surest q is not shown to the net.
    need = float(np.log(threshold / (1.0 - threshold))) - b * float(logit(np.array(1.0)))
    hopeful = a * logit(p) + c >= need
    out = np.zeros(len(rows))
    if patch is not None and hopeful.any():
        q = np.asarray(patch(rows[hopeful]), np.float64)
        out[hopeful] = stack_probability(p[hopeful], q, coef)
    return out


def read_weight(small: Mapping[str, Any]) -> float:
    """The ``patch_weight`` (0 when absent); ValueError outside [0, 1)."""
    w = float(small.get("patch_weight", 0.0))
    if not 0.0 <= w < 1.0:
        raise ValueError("the small scorer's patch_weight must be in [0, 1)")
    return w


def read_logit(small: Mapping[str, Any]) -> tuple[float, float, float] | None:
    """The ``patch_logit`` (a, b, c) or None; ValueError unless three finite numbers with
    a >= 0, b > 0 (a mark looking more like one never lowers its score), without a patch
    weight, and a small threshold strictly between 0 and 1."""
    v = small.get("patch_logit")
    if v is None:
        return None
    if not (isinstance(v, list) and len(v) == 3
            and all(isinstance(x, Real) and not isinstance(x, bool) for x in v)):
        raise ValueError("the small scorer's patch_logit must be a list of three numbers")
    a, b, c = (float(x) for x in v)
    if not all(np.isfinite((a, b, c))) or a < 0 or b <= 0:
        raise ValueError("the small scorer's patch_logit must be finite with a >= 0, b > 0")
    if read_weight(small) > 0:
        raise ValueError("the small scorer has both a patch_weight and a patch_logit")
    if not 0.0 < float(small.get("threshold", 0.5)) < 1.0:
        raise ValueError("a stacked small scorer's threshold must be in (0, 1)")
    return a, b, c
