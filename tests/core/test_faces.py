"""Face detector: availability, detections, orientation, mapping to full size (the model,
threads and benchmark have their own test_faces_* files)."""

from __future__ import annotations

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
from veil.core.cancel import CancelToken
from veil.core.detectors import PixelContext
from veil.core.detectors import faces as faces_mod
from veil.core.detectors.faces import DETECTOR, FaceDetector
from veil.core.errors import Cancelled
from veil.core.model import CheckStatus, Finding, FindingKind, Severity
from veil.core.pixels import UprightImage, load_upright


def _detect(path: Path, max_side: int = 640) -> list[Finding]:
    return DETECTOR.detect(load_upright(path, max_side), CancelToken(), PixelContext())


def _box(f: Finding) -> tuple[float, float, float, float]:
    assert f.region is not None
    r = f.region
    return (r.x, r.y, r.x + r.w, r.y + r.h)


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
