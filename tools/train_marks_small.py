"""The mark model's second scorer, for small candidates (dev tool, used by train_marks.py).

Small tattoos and birthmarks (a symbol or a word on a wrist, a mole-sized birthmark) cover
0.01-0.5 % of a photo; the tattoos that dominate the main scorer's positives are close-ups
(median box 28 % of the picture, 10 % of them under 4 %). One set of trees learnt that small
means "not a mark": on ``../shared/marks`` most composited marks had a candidate that fits
them (IoU >= 0.3 for 0.90 of them), scored below the threshold. A second set of trees,
trained only on candidates under :data:`SMALL_MAX_AREA` of the picture, compares a small
candidate only with other small things (eyes, moles, jewellery, buttons, shadows).

Its positives are the small candidates on the marks composited by
:mod:`train_marks_samples` (and the few small real tattoos); its negatives every other small
candidate (people without a tattoo, the roll's training half, the tattoo photos away from
their tattoos, and fragments of those tattoos), weighted as the main scorer's times
:data:`SMALL_NEGATIVE_WEIGHT`. Twice as many composites (seed 7, also on the tattoo photos)
made it worse on ../shared/marks: at the same share of people flagged (0.08), synthetic
recall 0.385 against 0.538.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
from train_marks_export import hist_tree_doc, random_rows
from train_marks_samples import Sample

from veil.core.detectors.marks_hybrid import FEATURE_NAMES
from veil.core.detectors.marks_model import from_dict, onto_threshold

#: Candidates whose box covers less than this share of the picture go to the small scorer.
SMALL_MAX_AREA = 0.01
#: Histogram gradient boosting (scikit-learn's own early stopping on a seeded 10 % of the
#: candidates): on the same folds it beat plain gradient boosting of the main scorer's kind
#: (200 trees, subsample 0.8) at every threshold, e.g. at 0.70 on ../shared/marks precision
#: 0.733 against 0.710 and 5 against 7 held-out roll photos flagged, and fits in seconds.
SMALL_PARAMS = {
    "max_iter": 200,
    "max_depth": 3,
    "learning_rate": 0.05,
    "min_samples_leaf": 20,
}
#: Positive weight of a composited mark in the small scorer.
SMALL_POSITIVE_WEIGHT = 1.0
#: Its negatives weigh as the main scorer's times this, by kind of photo: small dark spots
#: next to faces in ordinary portraits (ears, nostrils, moles, stubble) were its false
#: alarms. Grouped CV (HGB stand-in for the main scorer, small threshold 0.70), weights 1/1
#: -> 4/2: people without a tattoo flagged 0.060 -> 0.050 (the detector's own rate without
#: a small scorer), at a cost: precision 0.735 -> 0.728, synthetic recall 0.270 -> 0.249.
#: On ../shared/marks the held-out roll half flagged 6/87 -> 5/87 (main scorer alone: 5/87).
SMALL_NEGATIVE_WEIGHT = {"roll": 4.0, "negative": 2.0}
SMALL_THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.40, 0.91, 0.05))
_LOG_AREA = FEATURE_NAMES.index("log_area")


def is_small(s: Sample) -> np.ndarray:
    """Which of ``s``'s candidates the small scorer ranks."""
    return s.features[:, _LOG_AREA] < np.log(SMALL_MAX_AREA)


def small_rows(s: Sample, negative_weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which of ``s``'s candidates train a small scorer (small, labels >= 0), their labels
    (1 on a mark) and weights: :data:`SMALL_POSITIVE_WEIGHT` for a mark, else the main
    scorer's (``negative_weights(s)``, whose per-image negative cap applies) times
    :data:`SMALL_NEGATIVE_WEIGHT` by kind of photo. The small trees and the patch tool's
    stack train on the same rows and weights."""
    m = is_small(s) & (s.labels >= 0)
    if not m.any():
        return m, np.zeros(0, int), np.zeros(0)
    y = (s.labels[m] > 0).astype(int)
    w = np.where(y > 0, SMALL_POSITIVE_WEIGHT,
                 negative_weights(s)[m] * SMALL_NEGATIVE_WEIGHT.get(s.subset, 1.0))
    return m, y, w


def fit_small(samples: list[Sample], seed: int,
              negative_weights) -> HistGradientBoostingClassifier:
    """Trees on the small candidates of ``samples`` (:func:`small_rows`)."""
    xs, ys, ws = [], [], []
    for s in samples:
        m, y, w = small_rows(s, negative_weights)
        if not m.any():
            continue
        xs.append(s.features[m])
        ys.append(y)
        ws.append(w)
    clf = HistGradientBoostingClassifier(random_state=seed, **SMALL_PARAMS)
    clf.fit(np.concatenate(xs), np.concatenate(ys), sample_weight=np.concatenate(ws))
    return clf


def combined(s: Sample, main: np.ndarray, small: np.ndarray, small_t: float,
             main_t: float) -> np.ndarray:
    """The detector's scores for ``s``: the main scorer's, the small scorer's mapped onto
    the main scale for small candidates (as ``TreeModel.score`` does at run time)."""
    return np.where(is_small(s), onto_threshold(small, small_t, main_t), main)


def out_of_fold_by(
    samples: list[Sample], fit, predict, fold_maps: list[dict[str, int]],
) -> list[list[np.ndarray]]:
    """Per fold split (``fold_maps``: group -> fold), every sample's scores from a model
    ``fit`` on the other folds. Both scorers' grouped CV use it: train_marks' main trees
    and :func:`cross_validated_threshold`'s small ones, on the same splits."""
    repeats = []
    for fold_of in fold_maps:
        scores: list[np.ndarray] = [np.zeros(0)] * len(samples)
        for fold in sorted(set(fold_of.values())):
            clf = fit([s for s in samples if fold_of[s.group] != fold])
            for i, s in enumerate(samples):
                if fold_of[s.group] == fold:
                    scores[i] = predict(clf, s)
        repeats.append(scores)
    return repeats


def choose_threshold(
    curve: list[tuple[float, dict[str, float]]], without: dict[str, float],
    targets: dict[str, float], flat: float,
) -> tuple[float, dict[str, float]] | None:
    """The small scorer's threshold from its grouped-CV ``curve`` (threshold, numbers of the
    whole detector): the best synthetic recall among thresholds where it adds no false
    alarm (people without a tattoo and roll photos flagged no more often than by the
    detector ``without`` it), keeps precision at its target and loses at most ``flat`` of
    real recall; None when no threshold helps. A second scorer is worth having only if the
    photos a user shares are not questioned more often for it."""
    pool = [(t, n) for t, n in curve
            if n["neg_fa"] <= without["neg_fa"] + 1e-9
            and n["roll_fa"] <= without["roll_fa"] + 1e-9
            and n["precision"] >= targets["precision"]
            and n["real_recall"] >= without["real_recall"] - flat
            and n["synth_recall"] > without["synth_recall"] + flat]
    if not pool:
        return None
    return max(pool, key=lambda c: (round(c[1]["synth_recall"], 3), c[0]))


def export_small(clf: HistGradientBoostingClassifier, threshold: float) -> dict:
    """The ``small`` part of the model document."""
    return {"max_area": SMALL_MAX_AREA, "threshold": threshold, "params": SMALL_PARAMS,
            **hist_tree_doc(clf)}


def mean(runs: list[dict[str, float]]) -> dict[str, float]:
    """The CV's numbers averaged over its repeats."""
    return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}


def cross_validated_threshold(
    samples: list[Sample], main_repeats: list[list[np.ndarray]],
    maps: list[dict[str, int]], main_t: float, score_set, negative_weights, predict,
    describe, targets: dict[str, float], flat: float, seed: int,
) -> float | None:
    """Grouped CV of the whole detector with a small scorer at each of
    :data:`SMALL_THRESHOLDS` (same fold splits as the main scorer's, whose out-of-fold
    scores are ``main_repeats``); prints the curve and returns :func:`choose_threshold`'s
    pick, or None when no threshold helps."""
    small_repeats = out_of_fold_by(
        samples, lambda tr: fit_small(tr, seed, negative_weights), predict, maps)
    without = mean([score_set(samples, main, main_t) for main in main_repeats])
    print(f"without a small scorer: {describe(without)}")
    curve = []
    for t in SMALL_THRESHOLDS:
        nums = mean([score_set(samples, [combined(s, m, q, t, main_t) for s, m, q in
                                         zip(samples, main, sm, strict=True)], main_t)
                     for main, sm in zip(main_repeats, small_repeats, strict=True)])
        print(f"  small t={t:.2f} {describe(nums)}", flush=True)
        curve.append((t, nums))
    choice = choose_threshold(curve, without, targets, flat)
    print("small scorer: none helps" if choice is None
          else f"small scorer at t={choice[0]:.2f}: {describe(choice[1])}")
    return None if choice is None else choice[0]


def check_equivalence(main: GradientBoostingClassifier, clf: HistGradientBoostingClassifier,
                      doc: dict, x: np.ndarray) -> float:
    """Largest |numpy - scikit-learn| score of the whole model (both scorers, the mapping)
    over real feature rows and random ones of every size."""
    model = from_dict(doc, FEATURE_NAMES)
    both = random_rows(x)
    small = both[:, _LOG_AREA] < np.log(SMALL_MAX_AREA)
    mapped = onto_threshold(clf.predict_proba(both)[:, 1], doc["small"]["threshold"],
                            doc["threshold"])
    want = np.where(small, mapped, main.predict_proba(both)[:, 1])
    return float(np.abs(model.score(both) - want).max())
