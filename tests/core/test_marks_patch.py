"""The small-mark patch net (marks_patch) and how the tree model combines it (patch_weight)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from veil.core.detectors import marks_patch
from veil.core.detectors.marks_hybrid import FEATURE_NAMES
from veil.core.detectors.marks_model import ModelError, from_dict, onto_threshold

LOG_AREA = FEATURE_NAMES.index("log_area")


def _stump(feature: int, split: float, low: float, high: float) -> dict[str, list]:
    return {"feature": [feature, -2, -2], "threshold": [split, -2.0, -2.0], "left": [1, -1, -1],
            "right": [2, -1, -1], "value": [0.0, low, high]}


def _model(patch_weight: float, patch_logit: list[float] | None = None):  # type: ignore[no-untyped-def]
    small = {"max_area": 0.01, "init": 0.0, "learning_rate": 1.0, "threshold": 0.6,
             "trees": [_stump(2, 0.5, -4.0, 4.0)], "patch_weight": patch_weight}
    if patch_logit is not None:
        small["patch_logit"] = patch_logit
    doc = {"format": "veil-marks-trees/1", "features": list(FEATURE_NAMES), "init": 0.0,
           "learning_rate": 1.0, "threshold": 0.85, "trees": [_stump(1, 0.5, -3.0, 3.0)],
           "small": small}
    return from_dict(doc, FEATURE_NAMES)


def _rows() -> np.ndarray:
    x = np.zeros((4, len(FEATURE_NAMES)), np.float32)
    x[:, LOG_AREA] = [math.log(0.001)] * 3 + [math.log(0.2)]
    x[:, 2] = [1.0, 1.0, 0.0, 0.0]  # the small trees like rows 0 and 1 (p = 0.98)
    x[:, 1] = [0.0, 0.0, 0.0, 1.0]  # the main trees like the big row 3
    return x


def test_a_small_candidate_passes_only_when_the_patch_net_agrees() -> None:
    model = _model(0.5)
    asked: list[list[int]] = []

    def patch(rows: np.ndarray) -> np.ndarray:
        asked.append([int(r) for r in rows])
        return np.where(rows == 0, 0.9, 0.01)  # looks like a mark: row 0 only

    s = model.score(_rows(), patch)
    assert s[0] >= model.threshold > s[1]  # same trees' score, the patch net decides
    assert s[2] < model.threshold  # the trees do not like it: no patch could save it...
    assert asked == [[0, 1]]  # ... so the patch net was not even asked about row 2
    assert s[3] >= model.threshold  # big boxes: the main trees alone


def test_without_the_patch_net_no_small_candidate_passes() -> None:
    # A model tuned for both looks is never run with one: no small box, big ones unchanged.
    s = _model(0.5).score(_rows())
    assert np.all(s[:3] < 0.85) and s[3] >= 0.85
    # With weight 0 the small trees decide alone, as before the patch net.
    alone = _model(0.0).score(_rows())
    assert alone[0] >= 0.85 and alone[1] >= 0.85


@pytest.mark.parametrize("w", [-0.1, 1.0, 2.0])
def test_a_patch_weight_outside_0_1_is_refused(w: float) -> None:
    with pytest.raises(ModelError):
        _model(w)


def test_stacked_a_clear_patch_look_outweighs_the_trees_doubt() -> None:
    # sigmoid(0.5 logit p + 1.0 logit q - 0.5): the trees give rows 0-1 p = 0.98 (logit 4)
    # and row 2 p = 0.018 (logit -4); threshold 0.6 (logit 0.41).
    model = _model(0.0, [0.5, 1.0, -0.5])
    assert model.uses_patch
    asked: list[list[int]] = []

    def patch(rows: np.ndarray) -> np.ndarray:
        asked.append([int(r) for r in rows])
        return np.select([rows == 0, rows == 2], [0.5, 0.99], 0.01)

    s = model.score(_rows(), patch)
    assert s[0] >= model.threshold  # 2 + 0 - 0.5 > 0.41: the trees carry an unsure look
    assert s[1] < model.threshold  # 2 - 4.6 - 0.5: the net says no
    assert s[2] >= model.threshold  # -2 + 4.6 - 0.5: a clear mark, doubted by the trees
    assert asked == [[0, 1, 2]] and s[3] >= model.threshold
    # Without the net no small candidate passes; a row even a sure net could not lift is
    # never shown to it (here: the trees' logit -4 at a = 2 against b * 6.9 = 6.9).
    assert np.all(model.score(_rows())[:3] < 0.85)
    asked.clear()
    strict = _model(0.0, [2.0, 1.0, -0.5])
    strict.score(_rows(), patch)
    assert asked == [[0, 1]]


@pytest.mark.parametrize("logit", [[-0.1, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, float("nan"), 0.0],
                                   "123", [True, True, 0], [1.0, 1.0]])
def test_stacking_weights_that_could_punish_a_mark_are_refused(logit: object) -> None:
    with pytest.raises(ModelError):
        _model(0.0, logit)
    with pytest.raises(ModelError):  # one combination or the other, never both
        _model(0.5, [1.0, 1.0, 0.0])


def test_crop_is_centred_on_the_box_with_its_surroundings() -> None:
    rgb = np.full((200, 300, 3), 200, np.uint8)
    rgb[90:110, 140:160] = 20  # a 20 px dark square
    c = marks_patch.crop(rgb, (140, 90, 160, 110))
    assert c.shape == (marks_patch.SIDE, marks_patch.SIDE, 3) and c.dtype == np.uint8
    # Twice the box's side: the square fills the middle half, skin all around it.
    assert c[12:20, 12:20].mean() < 40 and c[:4].mean() > 180 and c[:, -4:].mean() > 180
    edge = marks_patch.crop(rgb, (0, 0, 6, 6))  # at the border: mirrored, never empty
    assert edge.shape == (marks_patch.SIDE, marks_patch.SIDE, 3) and edge.mean() > 150


def _skin(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = np.array([224, 172, 140], np.float32)
    img = base + rng.normal(0, 4, (320, 320, 3)).astype(np.float32)
    img += np.linspace(-12, 12, 320, dtype=np.float32)[None, :, None]  # soft light
    return np.clip(img, 0, 255).astype(np.uint8)


def _with_star(rgb: np.ndarray) -> np.ndarray:
    """A blue-black outlined star, slightly blurred, as a small tattoo on skin."""
    alpha = Image.new("L", (40, 40), 0)
    d = ImageDraw.Draw(alpha)
    pts = [(20 + (18 if i % 2 == 0 else 7) * math.cos(-math.pi / 2 + i * math.pi / 5),
            20 + (18 if i % 2 == 0 else 7) * math.sin(-math.pi / 2 + i * math.pi / 5))
           for i in range(10)]
    d.polygon(pts, outline=255, width=3)
    a = np.asarray(alpha.filter(ImageFilter.GaussianBlur(0.8)), np.float32)[..., None] / 255 * 0.85
    out = rgb.astype(np.float32)
    ink = np.array([30, 35, 60], np.float32)
    out[140:180, 140:180] = out[140:180, 140:180] * (1 - a) + ink * a
    return out.astype(np.uint8)


@pytest.mark.skipif(not marks_patch.available(), reason="the patch model is not installed")
def test_shipped_net_tells_a_drawn_star_from_bare_skin() -> None:
    skin = _skin(1)
    star = _with_star(_skin(1))
    box = np.array([[140.0, 140.0, 180.0, 180.0]])
    p_star = marks_patch.patch_probs(star, box)[0]
    p_skin = marks_patch.patch_probs(skin, box)[0]
    assert p_star > 0.5 > p_skin
    # A batch gives each box its own answer, in order.
    both = marks_patch.patch_probs(star, np.array([[10.0, 10.0, 50.0, 50.0], box[0]]))
    assert both[1] == pytest.approx(p_star, abs=1e-5) and both[0] < 0.5


def test_models_md_lists_the_shipped_patch_net_and_tree_file_hashes() -> None:
    import hashlib
    from pathlib import Path

    models = Path(__file__).resolve().parents[2] / "assets" / "models"
    for name in ("marks_patch.onnx", "marks_trees.json"):
        section = (models / "MODELS.md").read_text().split(f"## {name}", 1)[1]
        section = section.split("\n## ", 1)[0]
        data = (models / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() in section, name
        assert f"{len(data):,}" in section, name


def test_the_training_tools_stack_learns_to_trust_a_clear_look_and_ships_as_scored() -> None:
    # The stack's fit (tools/train_marks_patch_cv.py; scikit-learn, the train extra) on
    # made-up candidates: on marks the net is sure and the trees only half so; the model
    # file it writes scores a candidate as the tool's own CV did.
    pytest.importorskip("sklearn")
    import sys
    from pathlib import Path

    tools = str(Path(__file__).resolve().parents[2] / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import train_marks_patch_cv as cv
    from train_marks_samples import Sample

    rng = np.random.default_rng(5)
    samples, smalls, patch = [], [], {}
    for k in range(40):
        x = np.zeros((30, len(FEATURE_NAMES)))
        x[:, LOG_AREA] = math.log(0.001)
        labels = (np.arange(30) < 3).astype(float)
        p = np.where(labels > 0, rng.uniform(0.05, 0.6, 30), rng.uniform(0.0, 0.4, 30))
        q = np.where(labels > 0, rng.uniform(0.85, 1.0, 30), rng.uniform(0.0, 0.9, 30) ** 3)
        name = f"s{k}"
        patch.update({(name, i): float(v) for i, v in enumerate(q)})
        samples.append(Sample(name, "negative" if k % 2 else "synthetic", f"g{k % 10}", True,
                              [], np.zeros((30, 4)), x, labels))
        smalls.append(p)
    a, b, c = cv.fit_stack(samples, [smalls], patch)
    assert a > 0 and b > 0 and b > a  # here the net is the sharper view
    maps = [{f"g{g}": g % 5 for g in range(10)}]
    nested = cv.nested_stack(samples, [smalls], patch, maps)[0]
    assert all(len(n) == 30 for n in nested)
    on = np.concatenate([n[:3] for n in nested])
    off = np.concatenate([n[3:] for n in nested])
    assert np.median(on) > 0.8 > np.percentile(off, 90)
    # Written into a model, the runtime gives the tool's probabilities.
    model = _model(0.0, [a, b, c])
    s0 = samples[0]
    s0.features[:, 2] = 1.0  # the test model's small trees: p = sigmoid(4)
    p0 = model.small.predict(s0.features)
    got = model.score(s0.features, lambda r: np.array([patch[(s0.name, int(i))] for i in r]))
    want = cv.stacked(s0, p0, patch, (a, b, c))
    passed = want >= model.small.threshold
    assert np.allclose(got[passed], onto_threshold(want[passed], model.small.threshold,
                                                   model.threshold))
    assert passed.any() and np.all(got[~passed] < model.threshold)
