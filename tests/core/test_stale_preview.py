"""Stale previews by content (detectors/stale.py): a preview that shows what the photo no
longer shows (cropped to the same shape, part painted over, another picture) is high; a
preview of the same picture (recompressed, toned, stored sideways, padded) is not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from tests.factories.exif import exif_payload
from tests.factories.faces import astronaut, group_photo
from tests.factories.jpeg import mpo
from tests.factories.maker_apps import jpeg_with_exif
from veil.core.audit import audit_file
from veil.core.detectors.stale import verdict
from veil.core.model import FindingKind, Severity

HEADS = [(60, 80, 60), (300, 120, 70), (480, 60, 50)]


def _scene() -> Image.Image:
    return group_photo((640, 480), HEADS, seed=3)[0]


def _jpeg(image: Image.Image, quality: int = 80) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def _preview(image: Image.Image, size: tuple[int, int] = (160, 120)) -> Image.Image:
    return _jpeg(image.resize(size, Image.Resampling.LANCZOS), 70)


def _painted(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    out = image.copy()
    ImageDraw.Draw(out).rectangle(box, fill=(128, 128, 128))
    return out


def _cropped(image: Image.Image, keep: float, at: tuple[float, float] = (0.5, 0.5)) -> Image.Image:
    w, h = image.size
    cw, ch = w * keep, h * keep
    x, y = (w - cw) * at[0], (h - ch) * at[1]
    return image.crop((round(x), round(y), round(x + cw), round(y + ch))).resize((w, h))


def test_same_picture_matches() -> None:
    scene = _scene()
    assert verdict(_jpeg(scene, 92), _preview(scene)) is None


@pytest.mark.parametrize("edit", ["brighter", "contrast", "sharper", "low_quality", "greyscale"])
def test_tone_and_quality_edits_still_match(edit: str) -> None:
    scene = _scene()
    main = {"brighter": lambda: ImageEnhance.Brightness(scene).enhance(1.25),
            "contrast": lambda: ImageEnhance.Contrast(scene).enhance(1.4),
            "sharper": lambda: scene.filter(ImageFilter.SHARPEN),
            "low_quality": lambda: _jpeg(scene, 25),
            "greyscale": lambda: scene.convert("L").convert("RGB")}[edit]()
    assert verdict(main, _preview(scene)) is None


def test_padded_dcf_preview_of_a_wider_photo_matches() -> None:
    wide = group_photo((600, 400), HEADS[:2], seed=5)[0]
    padded = Image.new("RGB", (160, 120))
    padded.paste(wide.resize((160, 107)), (0, 6))
    assert verdict(wide, _jpeg(padded, 75)) is None


@pytest.mark.parametrize("keep", [0.85, 0.65])
@pytest.mark.parametrize("at", [(0.7, 0.4), (0.0, 1.0)])
def test_crop_to_the_same_shape_is_found(keep: float, at: tuple[float, float]) -> None:
    scene = _scene()
    assert verdict(_cropped(scene, keep, at), _preview(scene)) == "cropped"


def test_a_tight_crop_is_stale_at_least() -> None:
    scene = _scene()  # half the width: the zoomed part is too blurry to place, still stale
    assert verdict(_cropped(scene, 0.5, (0.7, 0.4)), _preview(scene)) in ("cropped", "different")


def test_a_face_painted_over_is_found() -> None:
    scene = _scene()
    assert verdict(_painted(scene, (290, 110, 390, 240)), _preview(scene)) == "edited"


def test_background_blurred_is_found() -> None:
    scene = _scene()
    blurred = scene.filter(ImageFilter.GaussianBlur(12))
    blurred.paste(scene.crop((280, 100, 400, 260)), (280, 100))
    assert verdict(blurred, _preview(scene)) in ("edited", "different")


def test_another_picture_is_found() -> None:
    other = astronaut().resize((640, 480))
    assert verdict(other, _preview(_scene())) == "different"


def test_flat_pictures_are_not_judged() -> None:
    black = Image.new("RGB", (640, 480))
    assert verdict(black, _preview(_scene())) is None


def _photo(tmp_path: Path, main: Image.Image, thumb: Image.Image, orientation: int | None = None
           ) -> Path:
    buf = io.BytesIO()
    thumb.save(buf, "JPEG", quality=75)
    tiff = exif_payload(make="Acme", model="Cam", thumbnail=buf.getvalue(),
                        orientation=orientation)
    body = io.BytesIO()
    main.save(body, "JPEG", quality=90)
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_with_exif(tiff, image=body.getvalue()))
    return path


def _thumb(report_findings: tuple) -> dict:  # type: ignore[type-arg]
    found = [f for f in report_findings if f.kind is FindingKind.THUMBNAIL]
    assert len(found) == 1
    return {"severity": found[0].severity, **dict(found[0].detail)}


def test_full_scan_raises_a_cropped_preview_to_high(tmp_path: Path) -> None:
    scene = _scene()
    path = _photo(tmp_path, _cropped(scene, 0.6), _preview(scene))
    thumb = _thumb(audit_file(path).findings)
    assert thumb["severity"] is Severity.HIGH and thumb["stale_by"] == "content"
    assert "cropped" in thumb["reason"]
    quick = _thumb(audit_file(path, metadata_only=True).findings)
    assert quick["severity"] is Severity.MEDIUM and quick["content_checked"] is False


def test_full_scan_keeps_a_matching_sideways_preview_medium(tmp_path: Path) -> None:
    scene = _scene()
    stored = scene.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    path = _photo(tmp_path, stored, _preview(stored, (120, 160)), orientation=6)
    thumb = _thumb(audit_file(path).findings)
    assert thumb["severity"] is Severity.MEDIUM and thumb["content_checked"] is True


def test_full_scan_compares_an_mpf_preview(tmp_path: Path) -> None:
    scene = _scene()
    main = io.BytesIO()
    _painted(scene, (290, 110, 390, 240)).save(main, "JPEG", quality=90)
    big = io.BytesIO()
    scene.resize((320, 240)).save(big, "JPEG", quality=80)
    path = tmp_path / "mpf.jpg"
    path.write_bytes(mpo(main.getvalue(), big.getvalue(), attr=0x010001))
    report = audit_file(path)
    thumb = _thumb(report.findings)
    assert thumb["severity"] is Severity.HIGH and "painted" in thumb["reason"], report.findings


def _cut(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    """``image`` cropped to ``box`` (fractions of its size), not resized: a new shape."""
    w, h = image.size
    return image.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w),
                       round(box[3] * h)))


# A 4:3 photo cut square (or to a portrait or a letterbox strip) keeps its 4:3 160x120
# preview. The shape check lets 160x120 pass (DCF writers pad any photo to it), so only the
# content can tell; it once said nothing here ("Contains a small preview copy").
@pytest.mark.parametrize("box", [(0.0, 0.0, 0.75, 1.0), (0.125, 0.0, 0.875, 1.0),
                                 (0.3, 0.2, 0.8, 0.866), (0.1, 0.0, 0.55, 1.0),
                                 (0.0, 0.2, 1.0, 0.7)])
def test_crop_to_another_shape_is_found(box: tuple[float, float, float, float]) -> None:
    scene = _scene()
    assert verdict(_cut(scene, box), _preview(scene)) == "cropped"


def test_a_wider_photo_squeezed_into_160x120_matches() -> None:
    wide = group_photo((600, 400), HEADS[:2], seed=5)[0]  # 3:2 stretched to 4:3, no bars
    assert verdict(wide, _preview(wide)) is None


def test_a_squeezed_preview_of_an_edited_photo_is_found() -> None:
    wide = group_photo((600, 400), HEADS, seed=5)[0]
    painted = _painted(wide, (270, 100, 370, 230))
    assert verdict(painted, _preview(wide)) in ("edited", "different")


def _padded(image: Image.Image) -> Image.Image:
    """A DCF writer's 160x120 preview: the picture fitted inside, black bars around."""
    small = image.copy()
    small.thumbnail((160, 120))
    out = Image.new("RGB", (160, 120))
    out.paste(small, ((160 - small.width) // 2, (120 - small.height) // 2))
    return _jpeg(out, 75)


@pytest.mark.parametrize("size", [(300, 600), (240, 640), (480, 480), (520, 500)])
def test_a_padded_preview_of_a_tall_or_square_photo_matches(size: tuple[int, int]) -> None:
    # Bars wider than a quarter of the preview (a 1:2 portrait's are 31% a side) were not
    # stripped, and the search for a part of another shape then called the photo "cropped".
    photo = group_photo(size, HEADS[:2], seed=4)[0]
    assert verdict(photo, _padded(photo)) is None


def test_a_square_photo_with_flat_margins_and_a_padded_preview_matches() -> None:
    photo = Image.new("RGB", (480, 480), (250, 250, 250))
    photo.paste(group_photo((360, 480), HEADS[:2], seed=6)[0], (60, 0))
    assert verdict(photo, _padded(photo)) is None


def test_full_scan_raises_a_square_crop_with_its_uncropped_preview(tmp_path: Path) -> None:
    scene = _scene()
    path = _photo(tmp_path, _cut(scene, (0.1, 0.0, 0.85, 1.0)), _preview(scene))
    thumb = _thumb(audit_file(path).findings)
    assert thumb["severity"] is Severity.HIGH and thumb["stale_by"] == "content"
    assert "cropped" in thumb["reason"]
