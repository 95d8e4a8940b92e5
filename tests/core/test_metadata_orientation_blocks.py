"""Several EXIF/XMP blocks: the orientation comes from the block Pillow (and browsers) read.

JPEG: the first EXIF APP1 only, the last standard XMP APP1. PNG: the last eXIf before IDAT,
else the last after it. WebP: the first EXIF/XMP chunk, and only when VP8X flags it.
Each case checks the report against what Pillow itself does with the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import jpeg as fj
from tests.factories import png as fp
from tests.factories import webp as fw
from tests.factories.exif import ASCII, SHORT, Ifd, tiff, xmp_packet
from veil.core.audit import audit_file
from veil.core.formats.webp import Webp
from veil.core.formats.webp_exif import effective_orientation

NO_TAG = tiff(Ifd({0x010F: (ASCII, "Canon")}))
SIX = tiff(Ifd({0x0112: (SHORT, 6)}))
TIFF_NS = 'xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'


def _xmp(value: int) -> bytes:
    return xmp_packet(f'<rdf:Description {TIFF_NS} tiff:Orientation="{value}"/>')


def _report(tmp_path: Path, name: str, data: bytes) -> tuple[int | None, int | None, tuple]:
    """(Pillow's orientation, ours, our (width, height))."""
    path = tmp_path / name
    path.write_bytes(data)
    with Image.open(path) as im:
        pillow = im.getexif().get(0x0112)
    report = audit_file(path, metadata_only=True)
    return pillow, report.orientation, (report.width, report.height)


def test_jpeg_orientation_only_in_a_second_exif_block_is_not_applied(tmp_path: Path) -> None:
    base = fj.encode(fj.noise_image((64, 48)))
    data = fj.insert(base, fj.app1_exif(NO_TAG), fj.app1_exif(SIX))
    pillow, ours, size = _report(tmp_path, "two.jpg", data)
    assert pillow is None
    assert ours is None and size == (64, 48)


def test_jpeg_first_block_orientation_is_applied(tmp_path: Path) -> None:
    base = fj.encode(fj.noise_image((64, 48)))
    data = fj.insert(base, fj.app1_exif(SIX), fj.app1_exif(NO_TAG))
    assert _report(tmp_path, "first.jpg", data) == (6, 6, (48, 64))


def test_jpeg_uses_the_last_standard_xmp_packet(tmp_path: Path) -> None:
    base = fj.encode(fj.noise_image((64, 48)))
    data = fj.insert(base, fj.app1_xmp(_xmp(6)), fj.app1_xmp(_xmp(8)))
    assert _report(tmp_path, "xmp.jpg", data) == (8, 8, (48, 64))


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [((NO_TAG, SIX), (), 6), ((SIX, NO_TAG), (), None), ((NO_TAG,), (SIX,), None),
     ((), (NO_TAG, SIX), 6)],
)
def test_png_takes_the_last_exif_chunk_before_idat_else_after(
    tmp_path: Path, before: tuple[bytes, ...], after: tuple[bytes, ...], expected: int | None
) -> None:
    data = fp.assemble(fp.base_png((24, 16)), before_idat=[fp.chunk("eXIf", p) for p in before],
                       before_iend=[fp.chunk("eXIf", p) for p in after])
    pillow, ours, size = _report(tmp_path, "a.png", data)
    assert pillow == expected
    assert ours == expected
    assert size == ((16, 24) if expected == 6 else (24, 16))


def _webp(flags: int, exifs: tuple[bytes, ...], xmps: tuple[bytes, ...] = ()) -> bytes:
    chunks = []
    for fourcc, data in fw.split(fw.pillow_webp(lossless=True, exif=NO_TAG)):
        if fourcc == "VP8X":
            data = bytes([flags]) + data[1:]
        if fourcc != "EXIF":
            chunks.append(fw.chunk(fourcc, data))
    chunks += [fw.chunk("EXIF", p) for p in exifs] + [fw.chunk("XMP ", p) for p in xmps]
    return fw.riff(chunks)


@pytest.mark.parametrize(
    ("flags", "exifs", "xmps", "expected"),
    [(0x08, (NO_TAG, SIX), (), None), (0x08, (SIX, NO_TAG), (), 6), (0x00, (SIX,), (), None),
     (0x04, (), (_xmp(6), _xmp(8)), 6), (0x00, (), (_xmp(6),), None)],
)
def test_webp_takes_the_first_flagged_chunk(
    tmp_path: Path, flags: int, exifs: tuple[bytes, ...], xmps: tuple[bytes, ...],
    expected: int | None,
) -> None:
    pillow, ours, _ = _report(tmp_path, "a.webp", _webp(flags, exifs, xmps))
    assert pillow == expected
    assert ours == expected


def test_webp_handler_still_reports_the_vp8x_flags(tmp_path: Path) -> None:
    """pillow_orientation reads the flags from the VP8X block's note: pin that wording."""
    data = _webp(0x08, (SIX,))
    scan = Webp.read(io.BytesIO(data), len(data))
    (vp8x,) = [b for b in scan.blocks if b.name == "VP8X"]
    assert "(flags 0x08)" in vp8x.note


def test_effective_orientation_reads_only_the_first_exif_payload() -> None:
    assert effective_orientation([NO_TAG, SIX], []) == 1
    assert effective_orientation([SIX, NO_TAG], []) == 6
    # a first payload without the tag lets the XMP decide; one with a bogus tag does not
    assert effective_orientation([NO_TAG], [_xmp(8)]) == 8
    bogus = tiff(Ifd({0x0112: (SHORT, 9)}))
    assert effective_orientation([bogus], [_xmp(8)]) == 1
