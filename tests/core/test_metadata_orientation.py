"""Display orientation: the report must turn the picture exactly as the pixel path does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from tests.factories.exif import exif_payload, scan, xmp_packet
from veil.core.audit import audit_file
from veil.core.metadata import decode
from veil.core.pixels import load_upright

TIFF_NS = 'xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'


def _xmp(orientation: str) -> bytes:
    return xmp_packet(f'<rdf:Description {TIFF_NS} tiff:Orientation="{orientation}"/>')


@pytest.mark.parametrize("fmt", ["jpeg", "webp", "tiff"])
def test_xmp_orientation_is_used_when_exif_has_none(fmt: str) -> None:
    meta = decode(Path(f"/x/a.{fmt}"), scan(fmt, xmp=(_xmp("6"),)))
    assert meta.orientation == 6


def test_a_png_xmp_orientation_turns_nothing() -> None:
    """Viewers take a PNG's orientation from eXIf only (Pillow alone reads the XMP)."""
    assert decode(Path("/x/a.png"), scan("png", xmp=(_xmp("6"),))).orientation is None


def test_exif_orientation_wins_over_xmp() -> None:
    meta = decode(Path("/x/a.jpg"), scan(exif=(exif_payload(orientation=1),), xmp=(_xmp("6"),)))
    assert meta.orientation == 1


def test_a_bogus_exif_orientation_still_blocks_the_xmp_one() -> None:
    """Pillow sees the EXIF tag (value 0), does not look at XMP, and turns nothing."""
    meta = decode(Path("/x/a.jpg"), scan(exif=(exif_payload(orientation=0),), xmp=(_xmp("8"),)))
    assert meta.orientation is None


def test_xmp_child_element_form_and_bad_values() -> None:
    element = xmp_packet(f"<rdf:Description {TIFF_NS}><tiff:Orientation>8</tiff:Orientation>"
                         "</rdf:Description>")
    assert decode(Path("/x/a.jpg"), scan("jpeg", xmp=(element,))).orientation == 8
    for bad in ("0", "9", "x", ""):
        assert decode(Path("/x/a.jpg"), scan("jpeg", xmp=(_xmp(bad),))).orientation is None


def test_heif_keeps_the_container_orientation() -> None:
    meta = decode(Path("/x/a.heic"), scan("heic", xmp=(_xmp("6"),), orientation=1))
    assert meta.orientation == 1


def test_sidecar_xmp_does_not_turn_the_picture(tmp_path: Path) -> None:
    photo = tmp_path / "a.png"
    photo.write_bytes(b"")
    (tmp_path / "a.xmp").write_bytes(_xmp("6"))
    assert decode(photo, scan("png")).orientation is None


def _png_with_xmp(orientation: int) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", _xmp(str(orientation)).decode())
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _saved_with_xmp(fmt: str, orientation: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, fmt, xmp=_xmp(str(orientation)))
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "turn"), [("PNG", None), ("JPEG", 6), ("WEBP", 6)])
def test_report_size_agrees_with_the_pixels(fmt: str, turn: int | None, tmp_path: Path) -> None:
    path = tmp_path / "turned.img"
    path.write_bytes(_png_with_xmp(6) if fmt == "PNG" else _saved_with_xmp(fmt, 6))
    report = audit_file(path, metadata_only=True)
    upright = load_upright(path)
    size = (40, 20) if turn is None else (20, 40)
    assert report.format == fmt.lower() and report.orientation == turn
    assert (report.width, report.height) == (upright.full_width, upright.full_height) == size
    assert upright.image.size == size


def test_pillow_corpus_file(shared_dir: Path) -> None:
    path = shared_dir / "corpus/python-pillow__Pillow/Tests/images/xmp_tags_orientation.png"
    if not path.is_file():
        pytest.skip("corpus file absent")
    with Image.open(path) as im:
        assert im.getexif().get(0x0112) in range(2, 9)  # Pillow's XMP fallback turns it
        stored = im.convert("RGB")
    report = audit_file(path, metadata_only=True)
    assert report.orientation is None  # no viewer does: its XMP is all that says so
    assert load_upright(path, 4096).image.tobytes() == stored.tobytes()


def test_a_gif_is_shown_as_stored_whatever_its_xmp_says(tmp_path: Path) -> None:
    # Pillow's GIF reader keeps no XMP and browsers never turn a GIF: exiftool's
    # XMP-tiff:Orientation there turned only Veil's report, and every copy then failed
    # verification ("the copy is 20x12 upright, the original 12x20").
    from tests.factories import gif as fg
    from veil.core.export.engine import export_clean
    from veil.core.model import ExportOptions

    packet = _xmp("6").decode()
    plain = fg.plain_gif(size=(20, 12))
    path = tmp_path / "turned.gif"
    path.write_bytes(plain[:-1] + fg.xmp_ext(packet) + plain[-1:])  # before the trailer
    assert audit_file(path).ok
    assert decode(path, scan("gif", xmp=(packet.encode(),))).orientation is None
    assert load_upright(path, 64).image.size == (20, 12)
    result = export_clean(path, tmp_path / "out", ExportOptions())
    assert result.verified and result.output is not None, result.error
    with Image.open(result.output) as copy:
        assert copy.size == (20, 12)
