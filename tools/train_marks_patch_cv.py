"""Grouped CV of the small-mark patch net's weight (dev tool, used by train_marks_patch.py).

A small candidate's score is p ** (1 - w) * q ** w (p: the small trees, q: the patch net;
``marks_model.TreeModel.score``). Both w and the small threshold are chosen here on the
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
from pathlib import Path

import numpy as np
import train_marks as tm
import train_marks_small as tsm
from sklearn.ensemble import HistGradientBoostingClassifier
from train_marks_samples import Sample, load_all

from veil.bench.marks import TARGETS

MODEL = tm.ROOT / "assets" / "models" / "marks_trees.json"
#: Patch-net weights tried (0: the small trees alone, as before the patch net).
WEIGHTS = (0.0, 0.3, 0.5, 0.7)
#: The main scorer's stand-in (the shipped trees' depth and learning rate).
STAND_IN = {"max_iter": 250, "max_depth": 4, "learning_rate": 0.05, "min_samples_leaf": 20}


def _fit_main(samples: list[Sample]) -> HistGradientBoostingClassifier:
    clf = HistGradientBoostingClassifier(random_state=0, **STAND_IN)
    clf.fit(np.concatenate([s.features for s in samples]),
            (np.concatenate([s.labels for s in samples]) > 0).astype(int),
            sample_weight=np.concatenate([tm.weights(s) for s in samples]))
    return clf


def scores_with(samples: list[Sample], main: list[np.ndarray], small: list[np.ndarray],
                patch: dict[tuple[str, int], float], w: float, t: float,
                main_t: float) -> list[np.ndarray]:
    """The detector's scores with patch weight ``w`` and small threshold ``t``."""
    out = []
    for s, m, p in zip(samples, main, small, strict=True):
        if len(m) == 0:
            out.append(m)
            continue
        q = np.array([patch.get((s.name, i), 0.0) for i in range(len(m))])
        out.append(tsm.combined(s, m, np.power(p, 1 - w) * np.power(q, w), t, main_t))
    return out


def choose(shared: Path, data: dict[str, np.ndarray], oof: np.ndarray) -> tuple[float, float]:
    """(patch weight, small threshold) by grouped CV; prints the curve. Falls back to the
    small trees alone at the current threshold when no choice helps."""
    samples = load_all(shared)
    main_t = float(json.loads(MODEL.read_text())["threshold"])
    patch = {(str(n), int(i)): float(p)
             for n, i, p in zip(data["name"], data["index"], oof, strict=True)}
    maps = tm.fold_maps(samples)
    mains = tsm.out_of_fold_by(samples, _fit_main, tm.predict, maps)
    smalls = tsm.out_of_fold_by(
        samples, lambda tr: tsm.fit_small(tr, tm.SEED, tm.weights), tm.predict, maps)

    def mean(runs: list[dict[str, float]]) -> dict[str, float]:
        return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}

    without = mean([tm.score_set(samples, m, main_t) for m in mains])
    print(f"without a small scorer: {tm.describe(without)}")
    pool = []
    for w in WEIGHTS:
        for t in tsm.SMALL_THRESHOLDS:
            nums = mean([tm.score_set(samples, scores_with(samples, m, s, patch, w, t, main_t),
                                      main_t) for m, s in zip(mains, smalls, strict=True)])
            print(f"  w={w:.1f} t={t:.2f} {tm.describe(nums)}", flush=True)
            if (nums["neg_fa"] <= without["neg_fa"] + 1e-9
                    and nums["roll_fa"] <= without["roll_fa"] + 1e-9
                    and nums["precision"] >= TARGETS["precision"]
                    and nums["real_recall"] >= without["real_recall"] - tm.FLAT):
                pool.append((round(nums["synth_recall"], 3), round(nums["precision"], 3), w, t))
    if not pool:
        current = json.loads(MODEL.read_text())["small"]["threshold"]
        print("patch net: no choice helps; the small trees alone")
        return 0.0, float(current)
    synth, precision, w, t = max(pool)
    print(f"chosen: patch weight {w:.1f}, small threshold {t:.2f} "
          f"(synthetic {synth:.3f}, precision {precision:.3f})")
    return w, t


def write_choice(weight: float, threshold: float, path: Path = MODEL) -> None:
    """Set the small scorer's patch weight and threshold in the model file (trees kept)."""
    doc = json.loads(path.read_text())
    doc["small"]["threshold"] = threshold
    doc["small"]["patch_weight"] = weight
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
