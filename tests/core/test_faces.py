"""Face detector: shipped model, detections, orientation, mapping, dev-set scores."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

import pytest
from PIL import Image

from tests.factories.faces import (
    ASTRONAUT_FACE,
    astronaut,
    group_photo,
    save_with_orientation,
)
from veil.bench.common import Detection, Truth, iou, match_image
from veil.core.assets import asset_path
from veil.core.cancel import CancelToken
from veil.core.detectors import PixelContext
from veil.core.detectors import faces as faces_mod
from veil.core.detectors.dnn import NetPool, default_threads
from veil.core.detectors.faces import DETECTOR, FaceDetector
from veil.core.errors import Cancelled
from veil.core.model import CheckStatus, Finding, FindingKind, Severity
from veil.core.pixels import UprightImage, load_upright

MODEL = asset_path("models", "centerface.onnx")


def _detect(path: Path, max_side: int = 640) -> list[Finding]:
    return DETECTOR.detect(load_upright(path, max_side), CancelToken(), PixelContext())


def _box(f: Finding) -> tuple[float, float, float, float]:
    assert f.region is not None
    r = f.region
    return (r.x, r.y, r.x + r.w, r.y + r.h)


def test_shipped_model_matches_models_md() -> None:
    assert MODEL is not None, "assets/models/centerface.onnx is missing"
    doc = (MODEL.parent / "MODELS.md").read_text(encoding="utf-8")
    converted = re.search(r"converted sha256 \| `([0-9a-f]{64})`", doc)
    assert converted, "MODELS.md lost its converted sha256 line"
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() == converted.group(1)
    assert (MODEL.parent / "LICENSE-centerface.txt").read_text().count("MIT License") >= 1


def test_shipped_model_has_dynamic_input_and_no_weight_inputs() -> None:
    onnx = pytest.importorskip("onnx")
    assert MODEL is not None
    graph = onnx.load(str(MODEL)).graph
    assert [i.name for i in graph.input] == ["input.1"]
    dims = graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["B", 3, "H", "W"]


def test_detector_is_available() -> None:
    assert DETECTOR.id == "faces"
    assert DETECTOR.available() is CheckStatus.DONE


def test_missing_model_is_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faces_mod, "asset_path", lambda *parts: None)
    assert FaceDetector().available() is CheckStatus.NOT_AVAILABLE


def test_missing_opencv_is_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "cv2" else real(name)
    )
    assert FaceDetector().available() is CheckStatus.NOT_AVAILABLE


def test_finds_the_astronaut_face(tmp_path: Path) -> None:
    path = tmp_path / "astronaut.png"
    astronaut().save(path)
    found = _detect(path)
    assert len(found) == 1
    face = found[0]
    assert face.kind is FindingKind.FACE
    assert face.severity is Severity.HIGH
    assert face.summary == "A face is visible (top centre)"
    assert iou(_box(face), ASTRONAUT_FACE) >= 0.5
    assert face.confidence is not None and 0.35 <= face.confidence <= 1.0
    assert face.confidence == round(face.confidence, 3)
    assert face.region is not None
    assert face.detail["box_px"] == face.region.as_list()
    nx, ny, nw, nh = face.detail["box_normalized"]
    assert nx == pytest.approx(face.region.x / 256, abs=1e-3)
    assert nw == pytest.approx(face.region.w / 256, abs=1e-3)


def test_group_photo_boxes_map_to_full_size(tmp_path: Path) -> None:
    # 2000 px wide: the detector works at 640, so every box is scaled back by 3.125.
    heads = [(100, 100, 260), (900, 150, 150), (1500, 900, 70), (600, 1000, 66)]
    img, truth = group_photo((2000, 1400), heads)
    path = tmp_path / "group.jpg"
    img.save(path, quality=90)
    for side in (640, 1024):  # the audit may decode larger when another detector wants it
        found = _detect(path, side)
        dets = [Detection(_box(f), f.confidence or 0) for f in found]
        match = match_image(dets, [Truth(b) for b in truth], min_iou=0.5)
        assert all(match.found), (side, [f.region for f in found], truth)
        assert match.false_alarms == 0
    summaries = {f.summary for f in found}
    assert "A face is visible (top left)" in summaries
    assert "A face is visible (bottom right)" in summaries


def test_small_faces_count(tmp_path: Path) -> None:
    # Faces 22-26 px wide at working size: the first pass alone must find them.
    heads = [(40 + i * 120, 150, 22 + 2 * i) for i in range(4)]
    img, truth = group_photo((640, 400), heads, seed=3)
    path = tmp_path / "small.png"
    img.save(path)
    found = _detect(path)
    dets = [Detection(_box(f), f.confidence or 0) for f in found]
    assert all(match_image(dets, [Truth(b) for b in truth]).found)


def _crowd_found(img: Image.Image, truth: list[tuple[float, float, float, float]]) -> int:
    image = UprightImage(img, img.width, img.height, 1.0)
    found = DETECTOR.detect(image, CancelToken(), PixelContext())
    match = match_image([Detection(_box(f), f.confidence or 0) for f in found], map(Truth, truth))
    assert match.false_alarms == 0
    return sum(match.found)


def test_zoom_pass_finds_a_back_row_of_tiny_faces(monkeypatch: pytest.MonkeyPatch) -> None:
    # 18 faces 16 px wide at working size: the back rows of a group photo.
    heads = [(40 + c * 100 + (r * 37) % 40, 60 + r * 110, 16) for r in range(3) for c in range(6)]
    img, truth = group_photo((640, 400), heads, seed=1)
    assert _crowd_found(img, truth) == len(truth)
    monkeypatch.setattr(faces_mod, "ZOOM_MAX_WINDOWS", 0)
    assert _crowd_found(img, truth) < len(truth) // 2  # what the first pass alone finds


@pytest.mark.parametrize("orientation", range(2, 9))
def test_exif_rotated_copies_give_the_same_upright_boxes(tmp_path: Path, orientation: int) -> None:
    img, _ = group_photo((900, 600), [(80, 60, 180), (560, 300, 90)], seed=orientation)
    upright = _detect(save_with_orientation(img, tmp_path / "r1.jpg", 1))
    turned_path = save_with_orientation(img, tmp_path / f"r{orientation}.jpg", orientation)
    with Image.open(turned_path) as stored:
        assert stored.size == ((600, 900) if orientation >= 5 else (900, 600))
    turned = _detect(turned_path)
    assert len(upright) == 2
    assert len(turned) == len(upright)
    for a in upright:
        assert max(iou(_box(a), _box(b)) for b in turned) >= 0.85


@pytest.mark.parametrize("fill", ["grey", "noise", "tiny"])
def test_no_faces_in_blank_or_noise(tmp_path: Path, fill: str) -> None:
    if fill == "grey":
        img = Image.new("RGB", (800, 600), (128, 128, 128))
    elif fill == "tiny":
        img = Image.new("RGB", (3, 2), (200, 180, 160))
    else:
        img, _ = group_photo((800, 600), [], seed=7)
    path = tmp_path / f"{fill}.png"
    img.save(path)
    assert _detect(path) == []


def test_audit_reports_faces_in_upright_full_size_pixels(tmp_path: Path) -> None:
    from veil.core import formats
    from veil.core.audit import audit_file

    img, truth = group_photo((1500, 1000), [(100, 80, 240), (1000, 500, 120)], seed=11)
    path = save_with_orientation(img, tmp_path / "turned.jpg", 6)
    if formats.detect(path.read_bytes()[:64]) is None:
        pytest.skip("no JPEG format handler in this tree yet")
    report = audit_file(path)
    assert report.ok, report.error
    assert report.checks["faces"] is CheckStatus.DONE
    assert (report.width, report.height) == (1500, 1000)
    faces = [f for f in report.findings if f.kind is FindingKind.FACE]
    dets = [Detection(_box(f), f.confidence or 0) for f in faces]
    match = match_image(dets, [Truth(b) for b in truth], min_iou=0.5)
    assert all(match.found) and match.false_alarms == 0, faces
    skipped = audit_file(path, metadata_only=True)
    assert skipped.checks["faces"] is CheckStatus.SKIPPED
    assert not [f for f in skipped.findings if f.kind is FindingKind.FACE]


def test_non_rgb_image_is_accepted() -> None:
    grey = UprightImage(astronaut().convert("L"), 512, 512, 0.5)
    found = DETECTOR.detect(grey, CancelToken(), PixelContext())
    assert len(found) == 1
    # Working pixels are half the full size: the region is scaled back up.
    x1, y1, x2, y2 = ASTRONAUT_FACE
    assert iou(_box(found[0]), (2 * x1, 2 * y1, 2 * x2, 2 * y2)) >= 0.5


def test_cancelled_token_stops_before_inference() -> None:
    token = CancelToken()
    token.cancel()
    image = UprightImage(astronaut(), 256, 256, 1.0)
    with pytest.raises(Cancelled):
        DETECTOR.detect(image, token, PixelContext())


def test_a_net_is_never_lent_to_two_threads_at_once() -> None:
    # A cv2.dnn.Net holds its input blob: threads sharing one would swap each other's photos.
    nets = NetPool(lambda: asset_path(*faces_mod.MODEL_PARTS), "face model")
    inside = threading.Barrier(3, timeout=30)
    held: list[object] = []

    def hold() -> None:
        with nets.borrow() as net:
            held.append(net)
            inside.wait()  # all three hold a net at the same time

    workers = [threading.Thread(target=hold) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len({id(n) for n in held}) == 3
    with nets.borrow() as again:  # returned nets are reused, not reloaded
        assert any(again is n for n in held)


def test_threads_detect_in_parallel_without_mixing_photos() -> None:
    # Four threads, two different photos: each thread must see its own photo's faces.
    one, _ = group_photo((640, 480), [(60, 60, 60)])
    two, _ = group_photo((640, 480), [(60, 60, 60), (400, 200, 60)], seed=1)
    expected = {1: len(faces_mod.find_faces(one)[0]), 2: len(faces_mod.find_faces(two)[0])}
    assert expected == {1: 1, 2: 2}
    counts: list[tuple[int, int]] = []

    def run(image: Image.Image, want: int) -> None:
        for _ in range(3):
            counts.append((want, len(faces_mod.find_faces(image)[0])))

    workers = [threading.Thread(target=run, args=(im, n)) for im, n in [(one, 1), (two, 2)] * 2]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(counts) == 12
    assert all(want == got for want, got in counts)


def test_thread_count_leaves_a_core(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.delenv("VEIL_DETECTOR_THREADS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert default_threads() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert default_threads() == 1
    monkeypatch.setenv("VEIL_DETECTOR_THREADS", "2")
    assert default_threads() == 2
    monkeypatch.setenv("VEIL_DETECTOR_THREADS", "many")
    assert default_threads() == 1


def test_matching_rule_sets_aside_ignore_boxes() -> None:
    truths = [Truth((0, 0, 10, 10)), Truth((100, 100, 200, 200), ignore=True)]
    dets = [
        Detection((1, 1, 10, 10), 0.5),  # the face
        Detection((0, 0, 9, 9), 0.9),  # stronger duplicate takes the face first
        Detection((140, 140, 150, 150), 0.8),  # centre inside ignore box: set aside
        Detection((300, 300, 310, 310), 0.7),  # false alarm
    ]
    m = match_image(dets, truths)
    assert m.found == (True,)
    assert (m.hits, m.set_aside, m.false_alarms) == (1, 1, 2)


@pytest.mark.slow
def test_dev_set_scores_meet_targets(shared_dir: Path) -> None:
    from veil.bench import faces as bench

    folder = shared_dir / "faces"
    if not (folder / "annotations.json").is_file():
        pytest.skip("../shared/faces is not present")
    truths = bench.load_annotations(folder)
    photos = sorted((folder / "images").iterdir())
    tally, counts, _ = bench.score(photos, truths, bench.detect_faces)
    assert counts["failed"] == 0
    assert tally.recall >= 0.95, tally
    assert tally.precision >= 0.85, tally
    found, total = tally.tag_recall()["exif_rotated"]
    assert found == total


def test_bench_scores_an_annotated_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse
    import json

    from veil.bench import faces as bench

    images = tmp_path / "set" / "images"
    images.mkdir(parents=True)
    astronaut().save(images / "portrait.png")
    Image.new("RGB", (300, 200), (90, 120, 150)).save(images / "blank.png")
    annotations = {
        "portrait.png": {"faces": [{"box": list(ASTRONAUT_FACE), "ignore": False, "tags": ["x"]}]},
        "blank.png": {"faces": [], "negative": True},
        "missing.png": {"faces": [{"box": [0, 0, 10, 10], "ignore": False, "tags": []}]},
    }
    (tmp_path / "set" / "annotations.json").write_text(json.dumps(annotations))
    monkeypatch.setattr(bench, "_big_photo_ms", lambda: ((1.0, 1.0), (1.0, 1.0), "faces"))
    args = argparse.Namespace(paths=[tmp_path / "set"], shared=None)
    assert bench.run(args) == 0
    out = capsys.readouterr().out
    # The photo that is not there is not scored; the portrait's face is found, nothing else.
    assert "[detector alone]: recall=1.000 precision=1.000 found=1/1 false_alarms=0" in out
    assert "recall per tag: x=1/1" in out
    assert "negatives with a false alarm: 0/1" in out
    assert "1 annotated photo(s) absent, not scored" in out


def test_conversion_tool_makes_dims_dynamic_and_drops_weight_inputs() -> None:
    import importlib.util

    onnx = pytest.importorskip("onnx")
    import cv2
    import numpy as np

    from tests.factories.faces import mini_centerface_model

    tool = Path(__file__).resolve().parents[2] / "tools" / "convert_centerface.py"
    spec = importlib.util.spec_from_file_location("convert_centerface", tool)
    assert spec is not None and spec.loader is not None
    convert = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(convert)

    model = mini_centerface_model(convert.OUTPUT_CHANNELS)
    converted = convert.convert(model)
    assert [i.name for i in converted.graph.input] == ["input.1"]
    assert "bn.num_batches_tracked" not in {i.name for i in converted.graph.initializer}
    # The runtime Veil uses (OpenCV's DNN) reads it at a size other than the export's 32x32.
    net = cv2.dnn.readNetFromONNX(np.frombuffer(converted.SerializeToString(), np.uint8))
    net.setInput(np.zeros((1, 3, 64, 96), np.float32), "input.1")
    heat = net.forward("537")
    assert heat.shape == (1, 1, 16, 24)
    with pytest.raises(ValueError):  # not a CenterFace export: refuse rather than guess
        convert.convert(onnx.ModelProto())
