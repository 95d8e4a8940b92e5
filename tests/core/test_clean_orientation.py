"""The orientation a cleaner keeps or bakes is exactly the one Pillow (and the audit) apply to
the source: PNG's choice of eXIf chunk, WebP's VP8X flags, JPEG's last standard XMP."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from tests.factories import exif as ex
from tests.factories import jpeg as fj
from tests.factories import png as fp
from tests.factories import webp as fw
from veil.core.formats import detect
from veil.core.formats.base import CleanOutcome
from veil.core.model import ExportOptions


def clean(tmp_path: Path, data: bytes) -> tuple[bytes, CleanOutcome]:
    fmt = detect(data[:64])
    assert fmt is not None
    src = tmp_path / "src"
    src.write_bytes(data)
    out = io.BytesIO()
    outcome = fmt.write_clean(src, out, ExportOptions())
    return out.getvalue(), outcome


def shown(data: bytes) -> Image.Image:
    """The picture as Pillow displays it (orientation applied)."""
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return ImageOps.exif_transpose(im).convert("RGB")


def assert_displays_alike(source: bytes, out: bytes) -> None:
    a, b = shown(source), shown(out)
    assert a.size == b.size and a.tobytes() == b.tobytes()


def test_png_orientation_from_the_exif_chunk_pillow_reads(tmp_path: Path) -> None:
    """First eXIf without Orientation, second with 6: Pillow applies 6 (the verification
    used to refuse the copy, whose orientation came from the first chunk)."""
    chunks = [fp.chunk("eXIf", fp.exif_tiff()), fp.chunk("eXIf", fp.exif_tiff(6))]
    png = fp.assemble(fp.base_png(), chunks)
    assert shown(png).size == (16, 24)
    out, outcome = clean(tmp_path, png)
    assert "orientation (baked into pixels)" in outcome.kept
    assert_displays_alike(png, out)


def test_webp_exif_without_its_vp8x_flag_is_not_applied(tmp_path: Path) -> None:
    """libwebp (and Pillow) ignore an EXIF chunk whose VP8X flag is clear: the copy must
    not start applying its orientation."""
    base = fw.dirty_webp(orientation=6)
    parts = []
    for fourcc, data in fw.split(base):
        if fourcc == "VP8X":
            data = bytes([data[0] & ~0x08]) + data[1:]
        parts.append(fw.chunk(fourcc, data))
    webp = fw.riff(parts)
    assert shown(webp).size == shown(fw.pillow_webp()).size
    out, outcome = clean(tmp_path, webp)
    assert "orientation" not in outcome.kept
    assert shown(out).size == shown(webp).size


def test_jpeg_orientation_from_the_last_standard_xmp(tmp_path: Path) -> None:
    """No EXIF; two XMP blocks saying 3 then 6: Pillow reads the last one."""
    def xmp(value: int) -> bytes:
        return fj.app1_xmp(ex.xmp_packet(
            '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
            f'tiff:Orientation="{value}"/>'))

    data = fj.insert(fj.encode(fj.noise_image((40, 24))), xmp(3), xmp(6))
    assert shown(data).size == (24, 40)
    out, outcome = clean(tmp_path, data)
    assert "orientation" in outcome.kept
    assert_displays_alike(data, out)
