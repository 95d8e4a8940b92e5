"""The fast mark proposer finds exactly what the first formulation found.

The boosted trees (assets/models/marks_trees.json) were trained on the candidate boxes and
features of the ink proposer as first written; the speed-up of issue 13 (marks_skin,
marks_ink, marks_group, marks_describe) must not move a box or a feature. Each test compares
the product code with tests/factories/marks_reference.py, that first formulation, on drawn
photos, on odd masks and, when ../shared is present, on real photos at the bench's decode
size. Boxes must be equal; features may differ only by float rounding (<= 1e-5 relative).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.factories import marks_reference as ref
from tests.factories.marks import SKIN_DARK, SKIN_LIGHT, skin_photo, tattoo_photo
from veil.core.detectors import marks_cnn, marks_group, marks_ink, marks_skin
from veil.core.detectors import marks_features as mf

#: Largest feature difference allowed, relative to max(1, |value|): float32 rounding only.
TOLERANCE = 1e-5


def _assert_same(rgb: np.ndarray, faces: np.ndarray | None, extra: np.ndarray | None) -> int:
    """Same boxes (exactly) and features (to TOLERANCE) as the reference; returns n boxes."""
    fast = mf.extract(rgb, faces, extra)
    slow = ref.candidates(rgb, faces, extra)
    assert fast.scale == slow.scale
    np.testing.assert_array_equal(fast.boxes, slow.boxes)
    assert fast.features.shape == slow.features.shape == (len(slow.boxes), len(mf.FEATURE_NAMES))
    err = np.abs(fast.features.astype(np.float64) - slow.features)
    worst = (err / np.maximum(1.0, np.abs(slow.features))).max(initial=0.0)
    assert worst <= TOLERANCE, f"feature differs by {worst:.3g}"
    return len(slow.boxes)


def _photos() -> list[tuple[str, np.ndarray, np.ndarray | None, np.ndarray | None]]:
    light, box = tattoo_photo()
    dark, _ = tattoo_photo((640, 480), SKIN_DARK)
    face = np.array([[150, 40, 330, 230]], np.float32)  # a "face" on the skin: colour model
    big = light.resize((1100, 1466), Image.Resampling.BILINEAR)  # downscaled to 640 here
    odd = dark.resize((517, 333), Image.Resampling.BILINEAR)  # sides not multiples of 4
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (301, 403, 3), dtype=np.uint8)
    blobs = np.asarray(skin_photo((400, 300), SKIN_LIGHT)).copy()
    for y, x in rng.integers(0, 290, (60, 2)):  # many separate dark spots: many components
        blobs[y : y + 4, x % 390 : x % 390 + 5] = (60, 50, 55)
    extra = np.array([[10, 10, 200, 120], [box[0], box[1], box[2], box[3]], [0, 0, 3, 3]],
                     np.float64)
    return [
        ("tattoo", np.asarray(light), None, None),
        ("tattoo+face+extra", np.asarray(light), face, extra),
        ("dark skin", np.asarray(dark), None, extra),
        ("large", np.asarray(big), face * 2.29, extra * 2.29),
        ("odd sides", np.asarray(odd), None, None),
        ("noise", noise, np.array([[50, 50, 150, 150]], np.float32), None),
        ("spots", blobs, None, None),
        ("tiny", np.asarray(light.resize((23, 31))), None, None),
        ("no skin", np.full((200, 300, 3), (40, 90, 200), np.uint8), None, extra),
    ]


@pytest.mark.parametrize("photo", _photos(), ids=lambda p: p[0])
def test_fast_proposer_equals_the_first_formulation_on_drawn_photos(
    photo: tuple[str, np.ndarray, np.ndarray | None, np.ndarray | None],
) -> None:
    _, rgb, faces, extra = photo
    _assert_same(rgb, faces, extra)


def test_drawn_tattoo_has_candidates_to_compare() -> None:
    # The comparisons above must not pass vacuously: the tattoo photo has candidates.
    img, _ = tattoo_photo()
    assert _assert_same(np.asarray(img), None, None) >= 5


@pytest.mark.parametrize("tone", [SKIN_LIGHT, SKIN_DARK])
def test_ink_and_skin_masks_are_bit_identical(tone: tuple[int, int, int]) -> None:
    img, _ = tattoo_photo((480, 640), tone)
    work, _ = mf.to_work(np.asarray(img))
    faces = np.array([[100, 60, 260, 240]], np.float32)
    fast = marks_ink.ink_maps(work, faces)
    slow = ref.ink_maps(work, faces)
    np.testing.assert_array_equal(fast.skin, slow["skin"])
    np.testing.assert_array_equal(fast.ink, slow["ink"])
    for c in range(3):
        np.testing.assert_array_equal(fast.local[c], slow["local"][..., c])
        np.testing.assert_array_equal(fast.diff[c], slow["diff"][..., c])
    np.testing.assert_array_equal(fast.chroma, slow["chroma"])
    assert fast.ink.any() and fast.skin.any()


def _masks() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(11)
    sparse = (rng.random((480, 640)) < 0.004).astype(np.uint8)  # many components, cropped
    corner = np.zeros((480, 640), np.uint8)
    corner[0:7, 0:9] = 1  # touches two image edges
    corner[470:480, 633:640] = 1
    odd = np.zeros((333, 517), np.uint8)
    odd[101:140:3, 57:300:2] = 1  # odd offsets: the crop rounds them down to even
    dense = np.zeros((700, 640), np.uint8)
    dense[::2, ::2] = 1  # > 65,000 blocks with ink everywhere: 32-bit labels
    return [("sparse", sparse), ("corner", corner), ("odd", odd), ("dense", dense),
            ("empty", np.zeros((100, 80), np.uint8))]


@pytest.mark.parametrize("mask", _masks(), ids=lambda m: m[0])
def test_grouping_equals_whole_mask_components(mask: tuple[str, np.ndarray]) -> None:
    _, ink = mask
    long_side = max(ink.shape)
    np.testing.assert_array_equal(marks_group.group(ink, long_side), ref.group(ink, long_side))


def test_first_rows_equals_numpy_unique_rows() -> None:
    rng = np.random.default_rng(8)
    for n in (0, 1, 7, 300):
        boxes = rng.integers(0, 5, (n, 4)).astype(np.int32)  # many repeated rows
        boxes[: n // 3] *= 130  # and values over 255
        expected = np.sort(np.unique(boxes, axis=0, return_index=True)[1]) if n else []
        np.testing.assert_array_equal(marks_group.first_rows(boxes), expected)


def test_median_from_histogram_equals_numpy() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 10, 101, 5000):
        values = rng.integers(0, 256, n).astype(np.uint8)
        assert marks_ink.median_u8(values) == np.median(values.astype(np.float32))
        wide = rng.integers(0, 2041, n).astype(np.int16)
        assert marks_ink.median_u8(wide) == np.median(wide.astype(np.float32))


def test_face_colour_model_marks_the_same_skin() -> None:
    img = np.asarray(skin_photo((320, 240), SKIN_DARK)).copy()
    img[:, :40] = (63, 24, 0)  # deep brown, saturation > 200: skin only by the face model
    faces = np.array([[60, 40, 200, 200]], np.float32)
    fast = marks_skin.skin_mask(img, faces)
    np.testing.assert_array_equal(fast, ref.skin_mask(img, faces))
    assert not np.array_equal(fast, marks_skin.skin_mask(img, np.zeros((0, 4), np.float32)))


@pytest.mark.parametrize("size", [(512, 384), (300, 512), (33, 512), (1, 1)])
def test_network_input_equals_padding_and_scaling(size: tuple[int, int]) -> None:
    h, w = size
    work = np.random.default_rng(h).integers(0, 256, (h, w, 3), dtype=np.uint8)
    ph, pw = -(-h // marks_cnn.MULTIPLE) * marks_cnn.MULTIPLE, -(-w // 32) * 32
    padded = np.pad(work, ((0, ph - h), (0, pw - w), (0, 0)), mode="edge")
    expected = padded.transpose(2, 0, 1)[None].astype(np.float32) / 255.0
    np.testing.assert_array_equal(marks_cnn.network_input(work), expected)


def test_real_photos_at_the_bench_size(shared_dir: Path) -> None:
    from veil.core.pixels import load_upright

    names = sorted((shared_dir / "marks" / "images").glob("*"))[::12]
    names += sorted((shared_dir / "corpus").rglob("*.jpg"))[::15]
    if not names:
        pytest.skip("no photos in ../shared/marks or ../shared/corpus")
    total = 0
    for path in names:
        image = load_upright(path, 1024)
        rgb = np.asarray(image.image.convert("RGB"))
        h, w = rgb.shape[:2]
        face = np.array([[w * 0.4, h * 0.2, w * 0.6, h * 0.45]], np.float32)
        total += _assert_same(rgb, face, np.array([[w * 0.1, h * 0.1, w * 0.3, h * 0.4]]))
    assert total > 50
