"""Grouped CV of how the small-mark patch net joins the small trees (dev tool, used by
train_marks_patch.py).

A small candidate's score is p ** (1 - w) * q ** w (p: the small trees, q: the patch net;
``marks_model.TreeModel.score``), or a stack: sigmoid(a logit p + b logit q + c), its
weights a logistic regression on out-of-fold p and q (nested: each fold's stack is fit on
the other folds). The geometric mean never passes a candidate whose p is under the small
threshold squared (~0.3), however clearly the net sees a drawn mark; a stack learns how far
each view is to be trusted. The combination and the small threshold are chosen here on the
tree scorer's training samples, with everyone's scores out of fold: the main trees' by a
HistGradientBoosting stand-in (as ``train_marks_small``'s CV was run; the full
``train_marks.py`` CV takes an hour), the small trees' on the same group splits, the patch
net's from the fold net that did not see the photo's person group. The rule is the small
scorer's own (``train_marks_small.choose_threshold``): the best synthetic recall among the
choices that flag no more no-tattoo people or roll photos than the detector without a
small scorer, keep precision at its target and real recall within ``FLAT``.

Its composites sit on scraps of skin in clothed portraits (marks-train's people without a
tattoo), unlike the marks the targets are measured on, so this pick alone undersells the net:
``assets/models/MODELS.md`` gives the three views the shipped choice was made on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import train_marks as tm
import train_marks_small as tsm
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from train_marks_samples import Sample, load_all

from veil.bench.marks import TARGETS
from veil.core.detectors.marks_combine import logit, read_logit, stack_probability

MODEL = tm.ROOT / "assets" / "models" / "marks_trees.json"
#: Patch-net weights tried (0: the small trees alone, as before the patch net).
WEIGHTS = (0.0, 0.3, 0.5, 0.7)
#: The main scorer's stand-in (the shipped trees' depth and learning rate).
STAND_IN = {"max_iter": 250, "max_depth": 4, "learning_rate": 0.05, "min_samples_leaf": 20}
#: Thresholds tried for the stack, even steps of its logit from 0 to 9 (its positives weigh
#: as much as its negatives in the fit, so its useful thresholds lie near 1).
STACK_THRESHOLDS = tuple(float(1 / (1 + np.exp(-z))) for z in np.arange(0.0, 9.01, 0.25))


@dataclass(frozen=True)
class Choice:
    """How small candidates are scored: patch weight w, or the stack's (a, b, c)."""

    weight: float
    threshold: float
    stack: tuple[float, float, float] | None = None

    def describe(self) -> str:
        """For the log."""
        if self.stack is None:
            return f"patch weight {self.weight:.1f}, small threshold {self.threshold:.2f}"
        a, b, c = self.stack
        return f"stack a={a:.4f} b={b:.4f} c={c:.4f}, small threshold {self.threshold:.5f}"


def fit_stand_in(samples: list[Sample]) -> HistGradientBoostingClassifier:
    """The main trees' stand-in for grouped CV (:data:`STAND_IN`: seconds, not minutes)."""
    clf = HistGradientBoostingClassifier(random_state=0, **STAND_IN)
    clf.fit(np.concatenate([s.features for s in samples]),
            (np.concatenate([s.labels for s in samples]) > 0).astype(int),
            sample_weight=np.concatenate([tm.weights(s) for s in samples]))
    return clf


def out_of_fold_trees(samples: list[Sample], maps: list[dict[str, int]]
                      ) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]]]:
    """Per fold split of ``maps``, every sample's out-of-fold scores from the main trees'
    stand-in and from the small trees."""
    mains = tsm.out_of_fold_by(samples, fit_stand_in, tm.predict, maps)
    smalls = tsm.out_of_fold_by(
        samples, lambda tr: tsm.fit_small(tr, tm.SEED, tm.weights), tm.predict, maps)
    return mains, smalls


def scores_with(samples: list[Sample], main: list[np.ndarray], small: list[np.ndarray],
                patch: dict[tuple[str, int], float], w: float, t: float,
                main_t: float) -> list[np.ndarray]:
    """The detector's scores with patch weight ``w`` and small threshold ``t``."""
    out = []
    for s, m, p in zip(samples, main, small, strict=True):
        if len(m) == 0:
            out.append(m)
            continue
        q = _patch_of(s, patch)
        out.append(tsm.combined(s, m, np.power(p, 1 - w) * np.power(q, w), t, main_t))
    return out


def _patch_of(s: Sample, patch: dict[tuple[str, int], float]) -> np.ndarray:
    return np.array([patch.get((s.name, i), 0.0) for i in range(len(s.labels))])


def fit_stack(samples: list[Sample], smalls: list[list[np.ndarray]],
              patch: dict[tuple[str, int], float]) -> tuple[float, float, float]:
    """(a, b, c) of a logistic regression of "on a mark" on (logit p, logit q) over the small
    candidates of ``samples`` (one row set per repeat of out-of-fold p in ``smalls``),
    weighted as the small trees' training, positives scaled to weigh as much as negatives."""
    xs, ys, ws = [], [], []
    for sm in smalls:
        for s, p in zip(samples, sm, strict=True):
            m, y, w = tsm.small_rows(s, tm.weights)
            if not m.any():
                continue
            xs.append(np.stack([logit(p[m]), logit(_patch_of(s, patch)[m])], axis=1))
            ys.append(y)
            ws.append(w)
    x, y, w = np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)
    w = np.where(y > 0, w * w[y == 0].sum() / w[y > 0].sum(), w)
    lr = LogisticRegression(C=1.0).fit(x, y, sample_weight=w)
    return float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0])


def stacked(s: Sample, p: np.ndarray, patch: dict[tuple[str, int], float],
            coef: tuple[float, float, float]) -> np.ndarray:
    """The stack's probability for each of ``s``'s candidates (as TreeModel.score)."""
    return stack_probability(p, _patch_of(s, patch), coef)


def nested_stack(samples: list[Sample], smalls: list[list[np.ndarray]],
                 patch: dict[tuple[str, int], float],
                 maps: list[dict[str, int]]) -> list[list[np.ndarray]]:
    """Per repeat, every sample's stacked probability from a stack fit on the other folds."""
    out = []
    for sm, fold_of in zip(smalls, maps, strict=True):
        scores: list[np.ndarray] = [np.zeros(0)] * len(samples)
        for fold in sorted(set(fold_of.values())):
            rest = [i for i, s in enumerate(samples) if fold_of[s.group] != fold]
            coef = fit_stack([samples[i] for i in rest], [[sm[i] for i in rest]], patch)
            print(f"  stack fold {fold}: a={coef[0]:.3f} b={coef[1]:.3f} c={coef[2]:.3f}",
                  flush=True)
            for i, s in enumerate(samples):
                if fold_of[s.group] == fold and len(s.labels):
                    scores[i] = stacked(s, sm[i], patch, coef)
        out.append(scores)
    return out


def choose(shared: Path, data: dict[str, np.ndarray], oof: np.ndarray) -> Choice:
    """The small candidates' scoring by grouped CV; prints the curves. Falls back to the
    small trees alone at the current threshold when no choice helps."""
    samples = load_all(shared)
    main_t = float(json.loads(MODEL.read_text())["threshold"])
    patch = {(str(n), int(i)): float(p)
             for n, i, p in zip(data["name"], data["index"], oof, strict=True)}
    maps = tm.fold_maps(samples)
    mains, smalls = out_of_fold_trees(samples, maps)
    without = tsm.mean([tm.score_set(samples, m, main_t) for m in mains])
    print(f"without a small scorer: {tm.describe(without)}")
    def acceptable(nums: dict[str, float]) -> bool:
        return (nums["neg_fa"] <= without["neg_fa"] + 1e-9
                and nums["roll_fa"] <= without["roll_fa"] + 1e-9
                and nums["precision"] >= TARGETS["precision"]
                and nums["real_recall"] >= without["real_recall"] - tm.FLAT)

    pool: list[tuple[float, float, Choice]] = []
    for w in WEIGHTS:
        for t in tsm.SMALL_THRESHOLDS:
            nums = tsm.mean([tm.score_set(samples, scores_with(samples, m, s, patch, w, t, main_t),
                                      main_t) for m, s in zip(mains, smalls, strict=True)])
            print(f"  w={w:.1f} t={t:.2f} {tm.describe(nums)}", flush=True)
            if acceptable(nums):
                pool.append((round(nums["synth_recall"], 3), round(nums["precision"], 3),
                             Choice(w, t)))
    stacks = nested_stack(samples, smalls, patch, maps)
    shipped = fit_stack(samples, smalls, patch)  # on every sample's out-of-fold p
    for t in STACK_THRESHOLDS:
        nums = tsm.mean([tm.score_set(samples, [tsm.combined(s, m, st, t, main_t) for s, m, st
                                            in zip(samples, ms, ss, strict=True)], main_t)
                     for ms, ss in zip(mains, stacks, strict=True)])
        print(f"  stack t={t:.5f} {tm.describe(nums)}", flush=True)
        if acceptable(nums):
            pool.append((round(nums["synth_recall"], 3), round(nums["precision"], 3),
                         Choice(0.0, t, shipped)))
    if not pool:
        current = json.loads(MODEL.read_text())["small"]["threshold"]
        print("patch net: no choice helps; the small trees alone")
        return Choice(0.0, float(current))
    synth, precision, best = max(pool, key=lambda c: (c[0], c[1]))
    print(f"chosen: {best.describe()} (synthetic {synth:.3f}, precision {precision:.3f})")
    return best


def write_choice(choice: Choice, path: Path = MODEL) -> None:
    """Set the small scorer's combination and threshold in the model file (trees kept).

    Raises:
        ValueError: stacking weights the app would refuse (then nothing is written).
    """
    if choice.stack is not None:  # weights the app would refuse are never written
        read_logit({"patch_logit": list(choice.stack), "threshold": choice.threshold})
    doc = json.loads(path.read_text())
    doc["small"]["threshold"] = choice.threshold
    doc["small"]["patch_weight"] = choice.weight
    doc["small"].pop("patch_logit", None)
    if choice.stack is not None:
        doc["small"]["patch_logit"] = [round(v, 6) for v in choice.stack]
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
