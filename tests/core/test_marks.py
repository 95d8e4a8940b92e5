"""The "possible tattoo or mark" detector: fixtures, model file, evaluator, dev-set scores."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.factories.marks import SKIN_DARK, SKIN_LIGHT, skin_photo, tattoo_photo
from veil.core.cancel import NEVER
from veil.core.detectors import PixelContext
from veil.core.detectors import marks_features as mf
from veil.core.detectors.marks import DETECTOR, MarkDetector, model_path, select
from veil.core.detectors.marks_hybrid import FEATURE_NAMES
from veil.core.detectors.marks_model import ModelError, from_dict, load
from veil.core.detectors.regions import position_words
from veil.core.model import CheckStatus, Finding, FindingKind, Region, Severity
from veil.core.pixels import UprightImage

ROOT = Path(__file__).resolve().parents[2]


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


@pytest.mark.parametrize("tone", [SKIN_LIGHT, SKIN_DARK])
def test_tattoo_drawn_on_skin_is_found_in_full_size_pixels(tone: tuple[int, int, int]) -> None:
    img, box = tattoo_photo(tone=tone)
    # The working image is half the photo's size: regions must come back at full size.
    upright = UprightImage(img, img.width * 2, img.height * 2, 0.5)
    found = DETECTOR.detect(upright, NEVER, PixelContext())
    full_box = tuple(2 * v for v in box)
    hits = [
        f for f in found
        if f.region and _iou((f.region.x, f.region.y, f.region.x + f.region.w,
                              f.region.y + f.region.h), full_box) >= 0.3
    ]
    assert hits, [f.region for f in found]
    f = hits[0]
    assert f.kind is FindingKind.TATTOO and f.severity is Severity.MEDIUM
    assert f.summary.startswith("Possible tattoo or birthmark — check this area (")
    assert 0.0 < (f.confidence or 0.0) <= 1.0
    assert f.detail["box_px"] == f.region.as_list()
    frac = f.region.w * f.region.h / (upright.full_width * upright.full_height)
    assert f.detail["box_fraction"] == pytest.approx(frac, abs=1e-3)
    assert isinstance(f.detail["confident"], bool)
    assert isinstance(f.detail["cover_by_default"], bool)


@pytest.mark.parametrize("tone", [SKIN_LIGHT, SKIN_DARK])
def test_blank_skin_is_not_flagged(tone: tuple[int, int, int]) -> None:
    img = skin_photo(tone=tone)
    assert DETECTOR.detect(UprightImage(img, img.width, img.height, 1.0), NEVER,
                           PixelContext()) == []


def test_face_findings_are_a_feature_not_a_mask() -> None:
    img, box = tattoo_photo()
    face = Finding(FindingKind.FACE, Severity.HIGH, "A face", "pixels",
                   region=Region(box[0], box[1], box[2] - box[0], box[3] - box[1]))
    upright = UprightImage(img, img.width, img.height, 1.0)
    feats_plain = mf.extract(np.asarray(img)).features
    feats_face = mf.extract(np.asarray(img), np.array([box], np.float32)).features
    overlap = mf.FEATURE_NAMES.index("face_overlap")
    assert feats_plain[:, overlap].max() == 0.0 and feats_face[:, overlap].max() > 0.5
    # The candidates are still there (and scored): a face box does not blank them out.
    assert len(feats_face) > 0
    DETECTOR.detect(upright, NEVER, PixelContext((face,)))  # runs with faces in context


def test_shipped_model_loads_and_matches_the_features() -> None:
    path = model_path()
    assert path is not None and path.name == "marks_trees.json"
    model = load(path, FEATURE_NAMES)
    assert model.features == FEATURE_NAMES
    assert 0.0 < model.threshold < 1.0
    p = model.predict(np.zeros((3, len(FEATURE_NAMES)), np.float32))
    assert p.shape == (3,) and np.all((p > 0) & (p < 1))
    assert DETECTOR.available() is CheckStatus.DONE


def test_missing_or_hostile_model_is_not_available(tmp_path: Path) -> None:
    assert MarkDetector(tmp_path / "absent.json").available() is CheckStatus.NOT_AVAILABLE
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    assert MarkDetector(bad).available() is CheckStatus.NOT_AVAILABLE
    doc = json.loads(model_path().read_text())  # type: ignore[union-attr]
    with pytest.raises(ModelError):
        from_dict({**doc, "features": ["x"]}, FEATURE_NAMES)
    loop = {**doc, "trees": [{"feature": [0, 0], "threshold": [0.0, 0.0], "left": [1, 0],
                              "right": [1, 0], "value": [0.0, 0.0]}]}
    with pytest.raises(ModelError):
        from_dict(loop, FEATURE_NAMES)
    out_of_range = {**doc, "trees": [{"feature": [0], "threshold": [0.0], "left": [5],
                                      "right": [5], "value": [0.0]}]}
    with pytest.raises(ModelError):
        from_dict(out_of_range, FEATURE_NAMES)


def test_numpy_evaluator_matches_scikit_learn() -> None:
    ensemble = pytest.importorskip("sklearn.ensemble")
    spec = importlib.util.spec_from_file_location("train_marks", ROOT / "tools" / "train_marks.py")
    assert spec and spec.loader
    train = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = train  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(train)
    finally:
        sys.modules.pop(spec.name, None)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, len(FEATURE_NAMES))).astype(np.float32)
    y = (x[:, 0] + x[:, 3] * x[:, 5] + 0.3 * rng.normal(size=400) > 0).astype(float)
    clf = ensemble.GradientBoostingClassifier(n_estimators=25, max_depth=3, random_state=0)
    clf.fit(x, y)
    doc = train.export(clf, 0.5, x)
    assert train.check_equivalence(clf, doc, x) < 1e-9


def test_select_drops_near_copies_and_low_scores() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60], [80, 80, 90, 90]], float)
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    assert select(boxes, scores, 0.5, 0.3, 8) == [0, 2]
    assert select(boxes, scores, 0.5, 0.3, 1) == [0]


def test_a_box_nested_in_a_better_one_is_dropped_and_the_shipped_model_says_so() -> None:
    # Issue 13: one box per mark, never a small box inside a bigger one (their IoU is low,
    # so only the containment rule catches it), nor a big one around a better small one.
    boxes = np.array([[0, 0, 100, 100], [10, 10, 30, 30], [200, 200, 210, 210],
                      [195, 195, 260, 260]], float)
    scores = np.array([0.9, 0.8, 0.85, 0.7])
    assert select(boxes, scores, 0.5, 0.1, 8) == [0, 2, 1, 3]
    assert select(boxes, scores, 0.5, 0.1, 8, contain=0.6) == [0, 2]
    model = DETECTOR._load()
    assert model is not None and model.contain is not None and model.contain <= 0.6


def test_position_words() -> None:
    assert position_words(Region(0, 0, 20, 20), 300, 300) == "top left"
    assert position_words(Region(140, 140, 20, 20), 300, 300) == "centre"
    assert position_words(Region(280, 140, 20, 20), 300, 300) == "middle right"
    assert position_words(Region(140, 280, 20, 20), 300, 300) == "bottom centre"


@pytest.mark.slow
def test_dev_set_scores_stay_at_the_measured_level(shared_dir: Path) -> None:
    folder = shared_dir / "marks"
    if not (folder / "annotations.json").is_file():
        pytest.skip("../shared/marks is not present")
    from veil.bench.marks import evaluate

    r = evaluate(folder, time_detector=False)
    # Measured with the shipped models (trained on ../shared/marks-train only; this set was
    # never trained on): real 0.696 (48 of 69), precision 0.735, synthetic 0.615 (24 of
    # 39), no-tattoo photos flagged 0.080 = 2 of 25 (see assets/models/MODELS.md). Fails if
    # a change makes any of them clearly worse (two marks fewer of 69 or 39, precision
    # under its target, one more flagged photo of 25).
    assert r["real_recall"] >= 46 / 69 - 1e-9
    assert r["precision"] >= 0.70
    assert r["synth_recall"] >= 22 / 39 - 1e-9
    assert r["neg_fa"] <= 0.12


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (5, 40), (3000, 20)])
def test_degenerate_images_give_no_findings_and_no_crash(size: tuple[int, int]) -> None:
    from PIL import Image

    rng = np.random.default_rng(1)
    noise = Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8))
    for img in (noise, Image.new("L", size, 128), Image.new("RGB", size, SKIN_LIGHT)):
        upright = UprightImage(img, size[0], size[1], 1.0)
        assert DETECTOR.detect(upright, NEVER, PixelContext()) == []


@pytest.mark.slow
def test_camera_roll_false_alarms_are_counted_on_what_scan_reads(shared_dir: Path) -> None:
    if not (shared_dir / "corpus").is_dir() or not (shared_dir / "faces").is_dir():
        pytest.skip("../shared/corpus or ../shared/faces is not present")
    from veil.bench.marks import roll_false_alarms, roll_half, roll_paths

    paths = roll_paths(shared_dir)
    assert len(paths) >= 100 and all(p.is_file() for p in paths)
    halves = [roll_half(p) for p in paths]
    assert 0.3 < halves.count("held") / len(halves) < 0.7  # about half held out
    r = roll_false_alarms(shared_dir)
    assert r["n"] >= 100 and r["held"] <= r["n"]
    # Measured with the shipped models: 8 of 167 photos (0.048) flagged, 5 of the 87 held
    # out (0.057); issue 13's target is <= 5 %. Fails if a change makes it clearly worse.
    assert r["flagged"] / r["n"] <= 0.065


def test_a_box_over_half_the_picture_is_never_reported() -> None:
    from veil.core.detectors.marks import MAX_BOX_SHARE, sized

    feats = np.zeros((3, len(FEATURE_NAMES)), np.float32)
    area = mf.FEATURE_NAMES.index("log_area")
    feats[:, area] = np.log([0.9, MAX_BOX_SHARE * 0.99, 0.02])
    scores = np.array([0.99, 0.9, 0.8])
    kept = sized(feats, scores)
    assert kept[0] < 0 and kept[1] == 0.9 and kept[2] == 0.8
    assert select(np.array([[0, 0, 90, 60], [0, 0, 50, 50], [5, 5, 10, 10]], float), kept,
                  0.5, 0.3, 6) == [1, 2]


def test_only_marks_above_the_reporting_threshold_start_covered() -> None:
    # Every reported mark clears the model's threshold; only the surer ones may start ticked
    # "Cover" (on ../shared/marks, small boxes at 0.85-0.90 were 5 marks and 13 false alarms).
    from veil.core.detectors.marks import CONFIDENT, model_path
    from veil.core.detectors.marks_hybrid import FEATURE_NAMES
    from veil.core.detectors.marks_model import load

    model = load(model_path(), FEATURE_NAMES)  # type: ignore[arg-type]
    assert model.threshold < CONFIDENT < 1.0
