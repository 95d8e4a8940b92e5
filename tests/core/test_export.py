"""export_clean / export_batch: dirty -> clean -> re-audit per format, names, safety, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.factories import export as fx
from tests.factories.png import dirty_png
from tests.factories.webp import dirty_webp
from veil.core.audit import audit_file
from veil.core.export import export_clean
from veil.core.metadata.icc import safe_icc
from veil.core.model import PIXEL_KINDS, ExportOptions, ExportStatus, FindingKind, Region

OPTS = ExportOptions()


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _metadata_findings(path: Path) -> list[str]:
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    return [
        f"{f.kind}: {f.summary}"
        for f in report.findings
        if f.kind not in PIXEL_KINDS and f.kind is not FindingKind.FILENAME
    ]


def _clean_ok(src: Path, out: Path, options: ExportOptions = OPTS, **kw: object):
    before = fx.sha256(src)
    result = export_clean(src, out, options, **kw)  # type: ignore[arg-type]
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.verified and result.output is not None and result.output.is_file()
    assert fx.sha256(src) == before, "the original was modified"
    assert fx.leaked(result.output.read_bytes()) == []
    assert _metadata_findings(result.output) == []
    assert not [p for p in out.rglob(".veil-*")], "temp file left behind"
    return result


# -- JPEG -------------------------------------------------------------------------------


def test_jpeg_every_leak_removed_scan_bytes_and_pixels_identical(tmp_path: Path) -> None:
    src = tmp_path / "in" / "IMG_1234.jpg"
    src.parent.mkdir()
    src.write_bytes(fx.dirty_jpeg())
    source_kinds = {
        f.kind.value
        for f in audit_file(src, metadata_only=True).findings
        if f.kind is not FindingKind.FILENAME
    }
    assert {"location", "device", "identity", "thumbnail", "embedded_media"} <= source_kinds

    result = _clean_ok(src, tmp_path / "out")
    assert result.output == tmp_path / "out" / "IMG_1234.jpg"
    assert result.lossless and "icc" in result.kept
    assert source_kinds <= set(result.removed)
    data = result.output.read_bytes()
    assert fx.scan_data(data) == fx.scan_data(src.read_bytes())
    assert data.endswith(b"\xff\xd9")  # nothing after EOI: the motion-photo video is gone
    with Image.open(src) as a, Image.open(result.output) as b:
        assert a.tobytes() == b.tobytes()
        # Same colours, texts and device codes neutralised (see veil.core.metadata.icc).
        assert b.info.get("icc_profile") == safe_icc(fx.SRGB_ICC)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_displays_upright_losslessly(tmp_path: Path, orientation: int) -> None:
    src = tmp_path / f"o{orientation}.jpg"
    src.write_bytes(fx.dirty_jpeg(orientation=orientation, trailer=False))
    result = _clean_ok(src, tmp_path / "out")
    assert result.lossless
    if orientation != 1:
        assert "orientation" in result.kept
    expected, got = fx.decode_upright(src), fx.decode_upright(result.output)
    assert ImageChops.difference(expected, got).getbbox() is None


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_bake_orientation_rotates_pixels_and_writes_no_exif(
    tmp_path: Path, orientation: int
) -> None:
    src = tmp_path / "p.jpg"
    src.write_bytes(fx.dirty_jpeg(orientation=orientation, trailer=False))
    result = _clean_ok(src, tmp_path / "out", ExportOptions(bake_orientation=True))
    assert not result.lossless
    with Image.open(result.output) as im:
        assert im.getexif().get(0x0112) in (None, 1)
        assert b"Exif\x00\x00" not in result.output.read_bytes()
        got = im.convert("RGB")
    expected = fx.decode_upright(src)
    assert got.size == expected.size
    diff = ImageChops.difference(expected, got).convert("L")
    assert diff.getextrema()[1] < 40  # a re-encode, not a rotation mistake


def test_cmyk_jpeg_keeps_adobe_marker_and_colours(tmp_path: Path) -> None:
    src = tmp_path / "cmyk.jpg"
    src.write_bytes(fx.dirty_jpeg(fx.gradient(mode="CMYK"), trailer=False, icc=False))
    assert b"Adobe" in src.read_bytes()
    result = _clean_ok(src, tmp_path / "out")
    assert b"Adobe" in result.output.read_bytes()
    with Image.open(src) as a, Image.open(result.output) as b:
        assert b.mode == "CMYK" and a.tobytes() == b.tobytes()


def test_redaction_is_solid_black_in_the_written_jpeg(tmp_path: Path) -> None:
    src = tmp_path / "face.jpg"
    src.write_bytes(fx.dirty_jpeg(fx.gradient((160, 120)), orientation=6, trailer=False))
    box = Region(20, 30, 40, 40)  # upright coordinates (the photo is rotated)
    result = _clean_ok(src, tmp_path / "out", ExportOptions(redactions=(box,)))
    assert not result.lossless
    got = fx.decode_upright(result.output)
    original = fx.decode_upright(src)
    assert got.size == original.size == (120, 160)
    for x, y in ((24, 34), (40, 50), (55, 65)):
        assert max(got.getpixel((x, y))) < 40, (x, y)
    far = (110, 150)
    pairs = zip(got.getpixel(far), original.getpixel(far), strict=True)
    assert sum(abs(a - b) for a, b in pairs) < 40


# -- other containers ---------------------------------------------------------------------


def test_png_text_exif_and_after_iend_bytes_removed(tmp_path: Path) -> None:
    src = tmp_path / "shot.png"
    src.write_bytes(dirty_png())
    result = _clean_ok(src, tmp_path / "out")
    data = result.output.read_bytes()
    assert result.lossless and data.endswith(b"IEND\xaeB`\x82")
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"caBX"):
        assert chunk not in data
    with Image.open(src) as a, Image.open(result.output) as b:
        assert a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()


@pytest.mark.parametrize("lossless", [True, False])
def test_webp_exif_and_xmp_removed(tmp_path: Path, lossless: bool) -> None:
    src = tmp_path / "w.webp"
    src.write_bytes(dirty_webp(lossless=lossless, orientation=6))
    result = _clean_ok(src, tmp_path / "out")
    data = result.output.read_bytes()
    assert b"XMP " not in data and result.lossless
    assert (
        ImageChops.difference(fx.decode_upright(src), fx.decode_upright(result.output)).getbbox()
        is None
    )


def test_tiff_rewritten_with_structure_only(tmp_path: Path) -> None:
    src = fx.dirty_tiff(tmp_path / "scan.tif")
    result = _clean_ok(src, tmp_path / "out")
    assert result.output.suffix == ".tif" and "icc" in result.kept
    with Image.open(src) as a, Image.open(result.output) as b:
        assert a.tobytes() == b.tobytes()
        for tag in (0x010F, 0x0110, 0x013B, 0x0132, 0x010E):
            assert tag not in b.getexif()


def test_heic_cleaned_without_leaks(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    src = fx.dirty_heic(tmp_path / "IMG_0001.HEIC")
    result = export_clean(src, tmp_path / "out", OPTS)
    if result.status is not ExportStatus.CLEANED:  # refusing is allowed, half-cleaning is not
        assert result.error and result.output is None and _files(tmp_path / "out") == []
        return
    _clean_ok(src, tmp_path / "out2")
    assert result.verified and fx.leaked(result.output.read_bytes()) == []


def test_dng_is_refused_with_a_reason(tmp_path: Path) -> None:
    src = tmp_path / "raw.dng"
    fx.gradient((16, 16)).save(src, format="TIFF", tiffinfo={50706: b"\x01\x04\x00\x00"})
    result = export_clean(src, tmp_path / "out", OPTS)
    assert result.status is ExportStatus.SKIPPED and "DNG" in (result.error or "")
    assert _files(tmp_path / "out") == []


def test_mpo_second_image_extended_xmp_and_samsung_trailer_removed(tmp_path: Path) -> None:
    from tests.factories import jpeg as jpeg_f

    primary = fx.dirty_jpeg(trailer=False)
    primary = jpeg_f.insert(primary, *jpeg_f.ext_xmp_segments(fx.xmp() * 3))
    second = fx.jpeg_bytes(fx.gradient((48, 32)).rotate(90, expand=True))
    src = tmp_path / "stereo.mpo"
    src.write_bytes(
        jpeg_f.mpo(primary, second) + jpeg_f.samsung_trailer({"Image_UTC_Data": b"1699195812000"})
    )
    result = _clean_ok(src, tmp_path / "out")
    data = result.output.read_bytes()
    assert data.count(b"\xff\xd8") == 1 and b"MPF\x00" not in data
    assert b"http://ns.adobe.com/xmp/extension/" not in data and b"SEFT" not in data
    assert fx.scan_data(data) == fx.scan_data(primary)


def test_xmp_only_orientation_still_displays_upright(tmp_path: Path) -> None:
    from tests.factories import exif as exif_f
    from tests.factories import jpeg as jpeg_f

    packet = exif_f.xmp_packet(
        '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/>'
    )
    src = tmp_path / "xmp6.jpg"
    base = jpeg_f.strip_jfif(jpeg_f.encode(fx.gradient((96, 64))))
    src.write_bytes(jpeg_f.insert(base, jpeg_f.app1_xmp(packet)))
    result = _clean_ok(src, tmp_path / "out")
    assert b"xmpmeta" not in result.output.read_bytes()
    expected, got = fx.decode_upright(src), fx.decode_upright(result.output)
    assert got.size == (64, 96) and ImageChops.difference(expected, got).getbbox() is None
