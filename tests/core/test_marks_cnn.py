"""The mark CNN: shipped model on OpenCV's DNN, cell grid, training tool agreement (its cell
areas: test_marks_cnn_regions.py)."""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from tests.factories.marks import SKIN_DARK, SKIN_LIGHT, skin_photo, tattoo_photo
from veil.core.assets import asset_path
from veil.core.detectors import marks_cnn
from veil.core.detectors.marks_cnn import STRIDE, WORK_SIDE, cell_probs, regions

ROOT = Path(__file__).resolve().parents[2]
MODEL = asset_path(*marks_cnn.MODEL_PARTS)


def _grid(work_h: int, work_w: int) -> tuple[int, int]:
    return -(-work_h // STRIDE), -(-work_w // STRIDE)


def test_shipped_model_loads_through_opencv_dnn() -> None:
    assert MODEL is not None and MODEL.stat().st_size < 5_000_000
    assert marks_cnn.available()
    with marks_cnn._NETS.borrow() as net:
        assert type(net).__module__.startswith("cv2")
        net.setInput(np.zeros((1, 3, 64, 96), np.float32))
        assert net.forward().shape == (1, 1, 8, 12)


def test_models_md_lists_the_shipped_file_hash() -> None:
    assert MODEL is not None
    digest = hashlib.sha256(MODEL.read_bytes()).hexdigest()
    text = (ROOT / "assets" / "models" / "MODELS.md").read_text()
    section = text.split("## marks_cnn.onnx", 1)[1]
    assert digest in section
    assert f"{MODEL.stat().st_size:,}" in section


@pytest.mark.parametrize(("h", "w"), [(480, 640), (640, 427), (300, 200), (9, 40), (1024, 1)])
def test_grid_covers_the_working_image_and_maps_back(h: int, w: int) -> None:
    rgb = np.asarray(skin_photo((w, h)))
    cells = cell_probs(rgb)
    k = WORK_SIDE / max(h, w)
    work_h, work_w = max(1, round(h * k)), max(1, round(w * k))
    assert cells.probs.shape == _grid(work_h, work_w)
    assert cells.probs.dtype == np.float32
    assert cells.scale == pytest.approx(k)
    assert (cells.width, cells.height) == (w, h)
    assert float(cells.probs.min()) >= 0.0 and float(cells.probs.max()) <= 1.0
    rows, cols = cells.probs.shape
    x0, y0, x1, y1 = cells.cell_box(0, 0, rows - 1, cols - 1)
    assert (x0, y0) == (0, 0) and (x1, y1) == (w, h)  # the last cells reach the edge


def test_rejects_what_is_not_rgb() -> None:
    with pytest.raises(ValueError):
        cell_probs(np.zeros((10, 10), np.uint8))


def test_outputs_are_deterministic_also_across_threads() -> None:
    img, _ = tattoo_photo()
    rgb = np.asarray(img)
    first = cell_probs(rgb).probs
    assert np.array_equal(first, cell_probs(rgb).probs)
    other = np.asarray(skin_photo(tone=SKIN_DARK))
    got: dict[int, list[np.ndarray]] = {0: [], 1: []}

    def work(i: int) -> None:  # two threads, two different photos, nets from the pool
        src = rgb if i == 0 else other
        got[i].extend(cell_probs(src).probs for _ in range(4))

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(p, first) for p in got[0])
    expected = cell_probs(other).probs
    assert all(np.array_equal(p, expected) for p in got[1])


@pytest.mark.parametrize("tone", [SKIN_LIGHT, SKIN_DARK])
def test_ink_on_skin_scores_higher_than_flat_skin(tone: tuple[int, int, int]) -> None:
    img, box = tattoo_photo(tone=tone)
    inked = cell_probs(np.asarray(img))
    flat = cell_probs(np.asarray(skin_photo(tone=tone)))
    k = inked.scale / STRIDE
    c0, r0, c1, r1 = (int(v * k) for v in box)
    inside = float(inked.probs[r0:r1 + 1, c0:c1 + 1].max())
    assert inside >= float(flat.probs.max()) + 0.05, (inside, float(flat.probs.max()))
    # ... and the ink is where the net looks: its best region is the tattoo.
    found = regions(inked, threshold=min(marks_cnn.THRESHOLD, inside * 0.9))
    assert found
    bx0, by0, bx1, by1 = found[0].box
    assert bx0 < box[2] and bx1 > box[0] and by0 < box[3] and by1 > box[1]


def _tools() -> None:
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))


def _in_subprocess(code: str) -> str:
    """Run torch code in a child process: torch's OpenMP pool is not fork-safe, and later
    tests fork worker processes (a segfault in tests/gui/test_processes.py otherwise)."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


_TOOLS_PATH = f"import sys; sys.path[:0] = [{str(ROOT / 'tools')!r}, {str(ROOT / 'app')!r}]\n"


def test_training_export_agrees_with_opencv(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("onnx")
    _tools()
    from train_marks_cnn_net import MULTIPLE

    assert MULTIPLE == marks_cnn.MULTIPLE
    out = _in_subprocess(_TOOLS_PATH + f"""
import torch
from pathlib import Path
from train_marks_cnn_net import BoxMarkNet, MarkNet, check_cv2, export_onnx
torch.set_num_threads(1)
torch.manual_seed(0)
worst = 0.0
for kind in (MarkNet, BoxMarkNet):
    net = kind()
    with torch.no_grad():  # non-trivial BatchNorm statistics, so the folding is exercised
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
        if kind is BoxMarkNet:  # a box head that is not the constant it starts as
            net.box.weight.normal_(0, 0.05)
    out = Path({str(tmp_path / "m.onnx")!r})
    export_onnx(net, out)
    worst = max(worst, check_cv2(net, out, seed=1))
print(worst)
""")
    assert float(out) < 1e-4


def test_training_cell_targets() -> None:
    pytest.importorskip("torch")
    _tools()
    from train_marks_cnn_fit import cell_targets

    # A box covering cells 1-3 fully and half of cell 4 (x 8..36, y 8..32), an ignore box.
    target, weight = cell_targets([(8, 8, 36, 32, False), (60, 60, 70, 70, True)], 10, 10)
    assert target[1:4, 1:4].all() and target[1:4, 4].all()  # half a cell counts
    assert target.sum() == 12
    assert (weight[7:9, 7:9] == 0).all()  # the ignore box carries no loss
    assert (weight[target == 0][:5] == 1).all() and weight[0, 0] == 1
    # A mark smaller than a cell still gets its best cell.
    target, _ = cell_targets([(18, 18, 22, 22, False)], 5, 5)
    assert target.sum() == 1 and target[2, 2] == 1


def test_box_targets_and_iou_loss() -> None:
    torch = pytest.importorskip("torch")
    _tools()
    from train_marks_cnn_boxes import iou_loss, ltrb_targets

    # Two boxes; the cells of their overlap learn the smaller one; an ignore box teaches none.
    big, small = (0, 0, 64, 64, False), (16, 16, 32, 40, False)
    target, mask = ltrb_targets([big, small, (40, 40, 56, 56, True)], 8)
    assert mask[:, :].all()  # every cell centre lies in the big box
    assert tuple(target[:, 0, 0]) == (0.5, 0.5, 7.5, 7.5)  # cell (0, 0): centre (4, 4) px
    # cell (2, 2), centre (20, 20) px, is in the small box: 4 px = 0.5 cell to its left/top
    assert tuple(target[:, 2, 2]) == (0.5, 0.5, 1.5, 2.5)
    assert tuple(target[:, 6, 6]) == (6.5, 6.5, 1.5, 1.5)  # the ignore box changes nothing
    t = torch.from_numpy(target)[None]
    w = torch.ones(1, 8, 8)
    assert float(iou_loss(torch.log(t), t, w)) == pytest.approx(0.0, abs=1e-5)
    # Twice the size every way: IoU 1/4, loss log 4; cells with weight 0 do not count.
    assert float(iou_loss(torch.log(2 * t), t, w)) == pytest.approx(np.log(4), rel=1e-4)
    w0 = torch.zeros(1, 8, 8)
    w0[0, 2, 2] = 1.0
    half = torch.log(t.clone())
    half[0, :, 2, 2] = torch.log(t[0, :, 2, 2] * 2)
    assert float(iou_loss(half, t, w0)) == pytest.approx(np.log(4), rel=1e-4)


def test_dev_set_figures_stay_at_the_measured_level(shared_dir: Path) -> None:
    folder = shared_dir / "marks"
    if not (folder / "annotations.json").is_file():
        pytest.skip("../shared/marks is not present")
    _tools()
    from train_marks_cnn_eval import figures

    got = figures(folder, marks_cnn.THRESHOLD)
    text = (ROOT / "assets" / "models" / "MODELS.md").read_text().split("## marks_cnn.onnx")[1]
    line = next(x for x in text.splitlines() if x.startswith("| stored operating point"))
    assert f"THRESHOLD {marks_cnn.THRESHOLD}:" in line
    stored = dict(re.findall(r"(real_recall|precision|synth_recall)=([0-9.]+)", line))
    for key in ("real_recall", "precision", "synth_recall"):
        assert got[key] == pytest.approx(float(stored[key]), abs=0.011), key


def test_training_is_deterministic(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    out = _in_subprocess(_TOOLS_PATH + f"""
import numpy as np, torch
from pathlib import Path
import train_marks_cnn_fit as fit
from train_marks_cnn_data import Item
from tests.factories.marks import skin_photo, tattoo_photo
torch.set_num_threads(1)
img, box = tattoo_photo(size=(256, 192))
items = [Item("t", "real", "g", np.asarray(img), [(*map(float, box), False)]),
         Item("s", "negative", "h", np.asarray(skin_photo((256, 192))))]
import train_marks_cnn_boxes as boxes
nets = []
for run in ("a", "b"):  # separate weight caches: both runs really train
    fit.CACHE = boxes.CACHE = Path({str(tmp_path)!r}) / run
    base = fit.train(items, seed=5, steps=2, log=100)
    nets.append(boxes.train_boxes(base, items, seed=5, steps=2, log=100).state_dict())
a, b = nets
same = all(torch.equal(a[k], b[k]) for k in a)
moved = not torch.equal(a["head.weight"], torch.nn.Conv2d(48, 1, 1).weight)
box_moved = not torch.equal(a["box.weight"], torch.zeros_like(a["box.weight"]))
print(same, moved, box_moved)
""")
    assert out == "True True True"
