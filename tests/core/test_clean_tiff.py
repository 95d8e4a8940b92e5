"""TIFF cleaning: pixel rewrite with structural tags only; DNG refused."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from tests.factories import exif as ex
from tests.factories import tiff as ft
from tests.factories.jpeg import encode, fake_icc, noise_image
from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.base import CleanOutcome
from veil.core.formats.tiff import Tiff
from veil.core.formats.tiffwalk import bytes_reader, walk_tiff
from veil.core.metadata.icc import neutral_icc
from veil.core.model import ExportOptions

#: Tags a cleaned TIFF may hold: image structure, resolution, ICC.
STRUCTURAL = {256, 257, 258, 259, 262, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320, 338,
              339, 34675}


def clean(tmp_path: Path, data: bytes, **kw: object) -> tuple[bytes, CleanOutcome]:
    src = tmp_path / "src.tif"
    src.write_bytes(data)
    out = io.BytesIO()
    outcome = Tiff.write_clean(src, out, ExportOptions(**kw))  # type: ignore[arg-type]
    return out.getvalue(), outcome


def tags_of(data: bytes) -> set[int]:
    info = walk_tiff(bytes_reader(data), len(data))
    assert info is not None
    return {tag for ifd in info.ifds for tag in ifd.entries}


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK", "RGBA", "I;16", "1"])
def test_only_structural_tags_and_exact_pixels(tmp_path: Path, mode: str) -> None:
    data = ft.make_tiff(mode=mode)
    out, outcome = clean(tmp_path, data)
    assert tags_of(out) <= STRUCTURAL
    assert outcome.lossless
    for kind in ("exif", "xmp", "iptc"):
        assert kind in outcome.removed
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert a.mode == b.mode and a.tobytes() == b.tobytes()


def test_icc_is_kept(tmp_path: Path) -> None:
    out, outcome = clean(tmp_path, ft.make_tiff(icc=fake_icc(600)))
    assert outcome.kept == ("icc",)
    assert Tiff.read(io.BytesIO(out), len(out)).icc == neutral_icc(fake_icc(600))
    out, outcome = clean(tmp_path, ft.make_tiff(icc=fake_icc(600)), keep_icc=False)
    assert outcome.kept == () and 34675 not in tags_of(out)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_baked_upright(tmp_path: Path, orientation: int) -> None:
    data = ft.make_tiff(orientation=orientation)
    out, _ = clean(tmp_path, data)
    assert 0x0112 not in tags_of(out)
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        upright = ImageOps.exif_transpose(a)
        assert b.size == upright.size and b.tobytes() == upright.tobytes()


def test_cleaning_twice_gives_identical_bytes(tmp_path: Path) -> None:
    once, _ = clean(tmp_path, ft.make_tiff(orientation=6, icc=fake_icc(300)))
    twice, outcome = clean(tmp_path, once)
    assert once == twice and outcome.removed == ()


def test_multi_page_keeps_first_page_only(tmp_path: Path) -> None:
    out, outcome = clean(tmp_path, ft.make_tiff(pages=3))
    assert "mpf_image" in outcome.removed
    with Image.open(io.BytesIO(out)) as b:
        assert getattr(b, "n_frames", 1) == 1


def test_dng_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Unsupported, match="DNG"):
        clean(tmp_path, ft.make_tiff(dng=True))


def test_corrupt_tiff_raises(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile):
        clean(tmp_path, b"II*\x00\x00\x00\x00\x00")


def test_redacted_pixels_are_written(tmp_path: Path) -> None:
    data = ft.make_tiff()
    src = tmp_path / "src.tif"
    src.write_bytes(data)
    with Image.open(src) as im:
        pixels = ImageOps.exif_transpose(im)
    pixels.paste((0, 0, 0), (0, 0, 8, 8))
    out = io.BytesIO()
    outcome = Tiff.write_clean(src, out, ExportOptions(), pixels)
    with Image.open(io.BytesIO(out.getvalue())) as b:
        assert b.getpixel((3, 3)) == (0, 0, 0) and outcome.lossless


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_finds_nothing_identifying(tmp_path: Path) -> None:
    out, _ = clean(tmp_path, ft.make_tiff(orientation=3))
    path = tmp_path / "out.tif"
    path.write_bytes(out)
    res = subprocess.run(["exiftool", "-j", "-G", "-a", str(path)], capture_output=True,
                         text=True, check=True)
    tags = json.loads(res.stdout)[0]
    for key in tags:
        assert not key.startswith(("XMP", "IPTC", "EXIF:GPS")), key
        assert key not in ("EXIF:Make", "EXIF:Model", "EXIF:Artist", "EXIF:Software",
                           "EXIF:ModifyDate", "EXIF:SerialNumber", "EXIF:Orientation")


def test_cfa_raw_is_refused(tmp_path: Path) -> None:
    from tests.factories.exif import LONG, SHORT, Ifd, tiff

    ifd = Ifd({256: (SHORT, 4), 257: (SHORT, 4), 258: (SHORT, 16), 259: (SHORT, 1),
               262: (SHORT, 32803), 273: (LONG, 8), 277: (SHORT, 1), 279: (LONG, 32)})
    with pytest.raises(Unsupported, match="raw"):
        clean(tmp_path, tiff(ifd) + b"\x00" * 32)


def test_photoshop_thumbnail_is_reported_removed_and_gone(tmp_path: Path) -> None:
    thumb = encode(noise_image((16, 12), seed=7), quality=70)
    resources = ex.photoshop((0x040C, b"\x00" * 28 + thumb))[len(b"Photoshop 3.0\0") :]
    out, outcome = clean(tmp_path, ft.make_tiff(iptc=None, photoshop=resources))
    assert "thumbnail" in outcome.removed
    assert thumb[:64] not in out and b"8BIM" not in out and tags_of(out) <= STRUCTURAL


def test_phase_one_iiq_is_refused_not_cleaned_into_its_1x1_preview(tmp_path: Path) -> None:
    """Issue 12 item 8: a 198-byte 1x1 TIFF used to be written and called lossless."""
    from tests.factories.raw import iiq

    data = iiq()
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (1, 1)  # what Pillow (and so the old cleaner) sees
    with pytest.raises(Unsupported, match="raw files are not cleaned: export a JPEG") as err:
        clean(tmp_path, data)
    assert "Phase One" in str(err.value)


@pytest.mark.parametrize("extra, reason", [
    ({0x0103: (ex.SHORT, 34713)}, "raw compression"),
    ({0x00FE: (ex.LONG, 1), 0x014A: None}, "raw layout"),
    ({0x0117: (ex.LONG, 3_000_000)}, "far more data"),
])
def test_raws_are_told_by_content(tmp_path: Path, extra: dict, reason: str) -> None:
    from veil.core.formats.rawsig import raw_reason
    from veil.core.formats.tiffwalk import bytes_reader

    ifd0 = ex.Ifd({0x0100: (ex.LONG, 4), 0x0101: (ex.LONG, 4), 0x0102: (ex.SHORT, 8),
                   0x0103: (ex.SHORT, 1), 0x0106: (ex.SHORT, 1), 0x0111: (ex.LONG, 8),
                   0x0115: (ex.SHORT, 1), 0x0116: (ex.LONG, 4), 0x0117: (ex.LONG, 16)})
    for tag, value in extra.items():
        if value is None:  # a full-size sub-directory below a reduced IFD0
            ifd0.children[tag] = ex.Ifd({0x00FE: (ex.LONG, 0), 0x0100: (ex.LONG, 4000)})
        else:
            ifd0.entries[tag] = value
    data = ex.tiff(ifd0)
    data += b"\0" * max(0, 3_100_000 - len(data)) if "far" in reason else b"\0" * 16
    info = walk_tiff(bytes_reader(data), len(data))
    assert info is not None
    assert reason in (raw_reason(bytes_reader(data), info, len(data)) or "")
    plain = ex.tiff(ex.Ifd({k: v for k, v in ifd0.entries.items() if k not in extra}))
    info = walk_tiff(bytes_reader(plain), len(plain))
    assert info is not None and raw_reason(bytes_reader(plain), info, len(plain)) is None


def _broken_strip_tiff() -> bytes:
    """An LZW TIFF of two strips whose second strip's byte count is 0: libtiff prints
    "TIFFFillStrip: Invalid strip byte count 0, strip 1." from C straight to fd 2."""
    import struct

    out = io.BytesIO()
    noise_image().save(out, format="TIFF", compression="tiff_lzw",
                       tiffinfo={278: 8})  # RowsPerStrip 8: several strips
    data = bytearray(out.getvalue())
    info = walk_tiff(bytes_reader(bytes(data)), len(data), pages=True)
    counts = info.ifd("IFD0").entries[0x0117]
    assert counts.count > 1
    struct.pack_into("<I", data, counts.value_offset + 4, 0)
    return bytes(data)


def test_clean_keeps_libtiff_messages_off_stderr(tmp_path: Path) -> None:
    """Hostile retest of issue 12 item 10b: the scan kept libtiff off stderr, but `veil clean`
    of a TIFF with a broken strip printed 'TIFFFillStrip: ...' (and Pillow's UserWarnings)."""
    import os
    import sys

    src = tmp_path / "broken.tif"
    src.write_bytes(_broken_strip_tiff())
    proc = subprocess.run([sys.executable, "-m", "veil", "clean", str(src), "--out",
                           str(tmp_path / "out")], capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    assert b"broken.tif" in proc.stdout
    assert proc.stderr == b"", proc.stderr


def test_a_phase_one_note_in_ifd0_is_a_raw_too(tmp_path: Path) -> None:
    """Hostile retest of issue 12 item 8: with its Phase One note pointed to from IFD0 (not
    the EXIF directory) and under 1 MB, an IIQ was again written as a 198-byte 1x1 TIFF
    "verified clean (lossless)"."""
    from tests.factories.raw import phase_one_note, with_strip

    ifd0 = ex.Ifd({0x0100: (ex.LONG, 1), 0x0101: (ex.LONG, 1), 0x0102: (ex.SHORT, [8, 8, 8]),
                   0x0103: (ex.SHORT, 1), 0x0106: (ex.SHORT, 2),
                   0x010F: (ex.ASCII, "Phase One"), 0x0111: (ex.LONG, 0),
                   0x0115: (ex.SHORT, 3), 0x0116: (ex.LONG, 1), 0x0117: (ex.LONG, 3),
                   0x927C: (ex.UNDEFINED, phase_one_note("IQ301234", size=200_000))})
    data = with_strip(ex.tiff(ifd0), b"\x80\x80\x80")
    with pytest.raises(Unsupported, match="raw files are not cleaned") as err:
        clean(tmp_path, data)
    assert "Phase One" in str(err.value)
