"""An orientation stored only as an XMP ``tiff:Orientation``: the preview (``load_upright``,
also what the detectors see), the written copy and the --heic-to-jpeg conversion agree.

HEIF/AVIF viewers turn a picture by its irot/imir only (libheif, libavif: the XMP is an
inert copy), PNG viewers by its eXIf only, so there the XMP turns nothing (Pillow alone
reads it). Found with Pillow's ``avif/xmp_tags_orientation.avif``: previewed upside down,
its copy was not; its twin ``xmp_tags_orientation.png`` was previewed and saved upside
down.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat, features
from PIL.PngImagePlugin import PngInfo

from tests.factories import export as fx
from tests.factories.exif import xmp_packet
from tests.factories.isobmff import Coded, simple_heif
from veil.core.export import export_clean
from veil.core.export.upright import exif_orientation
from veil.core.model import ExportOptions, ExportResult, ExportStatus
from veil.core.pixels import load_upright, register_heif

XMP3 = xmp_packet(
    '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="3"/>'
)


def _avif(path: Path, **kwargs: object) -> Path:
    if not features.check("avif"):
        pytest.skip("Pillow built without AVIF")
    fx.gradient((96, 64)).save(path, quality=95, **kwargs)
    return path


def _stored(path: Path) -> Image.Image:
    """The pixels as the file stores them (no orientation of any kind applied)."""
    register_heif()
    with Image.open(path) as im:
        return im.convert("RGB")


def _clean(src: Path, out: Path) -> ExportResult:
    result = export_clean(src, out, ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.verified, result.error
    assert result.output is not None and b"xmpmeta" not in result.output.read_bytes()
    return result


def _preview_is_the_copy(src: Path, result: ExportResult) -> Image.Image:
    """Veil's upright view of ``src`` (full size) is, pixel for pixel, the copy as a viewer
    decodes it (the copy has no XMP left: Pillow's EXIF rule is the viewer's there)."""
    assert result.output is not None
    preview = load_upright(src, 4096).image
    register_heif()
    copy = fx.decode_upright(result.output)
    assert preview.size == copy.size
    assert ImageChops.difference(preview, copy).getbbox() is None, "preview != copy"
    return preview


def test_avif_xmp_only_orientation_turns_nothing(tmp_path: Path) -> None:
    src = _avif(tmp_path / "x.avif", xmp=XMP3)
    _turns_nothing(src, tmp_path)  # as stored: libavif shows it so


def test_heif_xmp_only_orientation_turns_nothing(tmp_path: Path, coded: Coded) -> None:
    pytest.importorskip("pillow_heif")
    src = tmp_path / "x.heic"
    src.write_bytes(simple_heif(coded, xmp=XMP3))
    _turns_nothing(src, tmp_path)


def test_png_xmp_only_orientation_turns_nothing(tmp_path: Path) -> None:
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP3.decode())
    src = tmp_path / "x.png"
    fx.gradient((96, 64)).save(src, pnginfo=info)
    _turns_nothing(src, tmp_path)


def _turns_nothing(src: Path, tmp_path: Path) -> None:
    """The copy is the preview, both as stored, and its Result claims no turn."""
    result = _clean(src, tmp_path / "out")
    preview = _preview_is_the_copy(src, result)
    assert ImageChops.difference(preview, _stored(src)).getbbox() is None
    assert not [k for k in result.kept if "orientation" in k]


def test_png_exif_orientation_still_turns_and_beats_the_xmp(tmp_path: Path) -> None:
    """eXIf is a PNG's orientation: baked into the copy, and its Result says so."""
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP3.decode())
    exif = Image.Exif()
    exif[0x0112] = 6
    src = tmp_path / "e.png"
    fx.gradient((96, 64)).save(src, pnginfo=info, exif=exif)
    result = _clean(src, tmp_path / "out")
    preview = _preview_is_the_copy(src, result)
    turned = _stored(src).transpose(Image.Transpose.ROTATE_270)
    assert ImageChops.difference(preview, turned).getbbox() is None
    assert "orientation (baked into pixels)" in result.kept


def test_avif_irot_still_turns_and_beats_the_xmp(tmp_path: Path) -> None:
    """The container's turn (Pillow's AVIF writer stores EXIF 6 as irot/imir) is applied,
    by preview and copy alike, whatever the XMP says."""
    exif = Image.Exif()
    exif[0x0112] = 6
    src = _avif(tmp_path / "r.avif", exif=exif, xmp=XMP3)
    result = _clean(src, tmp_path / "out")
    preview = _preview_is_the_copy(src, result)
    assert preview.size == (64, 96)


def test_orientation_ignores_a_cached_xmp_fallback(tmp_path: Path) -> None:
    """getexif() caches its XMP fallback: a caller that asked first must not change the
    export's answer (it used to hide the XMP only around its own getexif call)."""
    src = _avif(tmp_path / "x.avif", xmp=XMP3)
    with Image.open(src) as im:
        assert im.getexif().get(0x0112) == 3  # Pillow's own reading
        assert exif_orientation(im) == 1


def test_heic_to_jpeg_conversion_is_not_turned_by_xmp(tmp_path: Path) -> None:
    from veil.core.formats.heif_jpeg import convert_to_jpeg

    src = _avif(tmp_path / "x.avif", xmp=XMP3)
    out = io.BytesIO()
    convert_to_jpeg(src, out, ExportOptions())
    with Image.open(io.BytesIO(out.getvalue())) as im:
        got = im.convert("RGB")
    stored = _stored(src)
    as_is = ImageStat.Stat(ImageChops.difference(got, stored)).mean
    turned = ImageStat.Stat(
        ImageChops.difference(got, stored.transpose(Image.Transpose.ROTATE_180))
    ).mean
    assert max(as_is) < 3 < min(turned), (as_is, turned)
