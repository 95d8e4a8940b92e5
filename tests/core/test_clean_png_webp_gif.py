"""Cleaning PNG / WebP / GIF: dirty -> clean -> re-read finds nothing; pixels unchanged;
cleaning twice gives the same bytes; broken sources refused. Agreement with exiftool is
tested in test_clean_png_webp_gif_exiftool."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import gif as fg
from tests.factories import png as fp
from tests.factories import webp as fw
from tests.factories.jpeg import fake_icc
from tests.factories.png_webp_gif import DIRTY, assert_no_metadata, clean, frames, reread
from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.webp_exif import orientation_exif
from veil.core.metadata.icc import neutral_icc
from veil.core.model import ExportOptions


@pytest.mark.parametrize("name", list(DIRTY))
def test_clean_removes_everything_and_keeps_pixels(tmp_path: Path, name: str) -> None:
    dirty = DIRTY[name]()
    out, outcome = clean(tmp_path, dirty)
    scan = reread(out)
    assert_no_metadata(scan, allow_orientation="orientation" in outcome.kept)
    assert outcome.lossless
    assert frames(out) == frames(dirty)
    before = reread(dirty)
    assert ("xmp" in outcome.removed) == bool(before.xmp)
    assert ("exif" in outcome.removed) == bool(before.exif)
    assert ("trailer" in outcome.removed) == any(b.kind == "trailer" for b in before.blocks)


@pytest.mark.parametrize("name", list(DIRTY))
def test_cleaning_twice_gives_identical_bytes(tmp_path: Path, name: str) -> None:
    once, _ = clean(tmp_path, DIRTY[name](), name="a")
    twice, outcome = clean(tmp_path, once, name="b")
    assert twice == once
    assert outcome.removed == ()


def test_png_copies_image_chunks_verbatim(tmp_path: Path) -> None:
    dirty = fp.dirty_png()
    out, outcome = clean(tmp_path, dirty)
    kept = dict(fp.split(out))
    src = dict(fp.split(dirty[: dirty.index(b"IEND") + 8]))
    assert list(kept) == ["IHDR", "IDAT", "IEND"]
    assert kept["IDAT"] == src["IDAT"] and kept["IHDR"] == src["IHDR"]
    assert set(outcome.removed) >= {"text", "xmp", "exif", "c2pa", "trailer"}


def test_png_icc_kept_or_dropped(tmp_path: Path) -> None:
    import zlib

    iccp = fp.chunk("iCCP", b"cam\0\0" + zlib.compress(fake_icc(600)))
    phys = fp.chunk("pHYs", struct.pack(">IIB", 3000, 2000, 1))
    dirty = fp.assemble(fp.base_png(), [iccp, phys, fp.text("Author", "x")])
    out, outcome = clean(tmp_path, dirty)
    assert reread(out).icc == neutral_icc(fake_icc(600)) and outcome.kept == ("icc",)
    assert next(b.note for b in reread(out).blocks if b.name == "iCCP") == (
        "colour profile 'ICC Profile'")  # the name "cam" was free text: replaced
    out, outcome = clean(tmp_path, dirty, ExportOptions(keep_icc=False))
    assert reread(out).icc is None and "icc" in outcome.removed


def test_png_baked_rotation_swaps_density_and_keeps_colour(tmp_path: Path) -> None:
    import zlib

    phys = fp.chunk("pHYs", struct.pack(">IIB", 3000, 2000, 1))
    iccp = fp.chunk("iCCP", b"cam\0\0" + zlib.compress(fake_icc(600)))
    dirty = fp.assemble(fp.base_png(), [iccp, phys, fp.chunk("eXIf", fp.exif_tiff(6))])
    out, outcome = clean(tmp_path, dirty)
    assert "orientation (baked into pixels)" in outcome.kept and outcome.lossless
    chunks = dict(fp.split(out))
    assert struct.unpack(">IIB", chunks["pHYs"][8:17]) == (2000, 3000, 1)
    assert chunks["iCCP"][8:20] == b"ICC Profile\0"  # neutral name, neutral profile texts
    assert zlib.decompress(chunks["iCCP"][21:-4]) == neutral_icc(fake_icc(600))
    assert Image.open(io.BytesIO(out)).size == (16, 24)


def test_png_palette_with_transparency_bakes_exactly(tmp_path: Path) -> None:
    img = fp.gradient((20, 10)).convert("P", palette=Image.Palette.ADAPTIVE, colors=32)
    buf = io.BytesIO()
    img.save(buf, "PNG", transparency=3)
    dirty = fp.assemble(buf.getvalue(), [fp.chunk("eXIf", fp.exif_tiff(8))])
    out, _ = clean(tmp_path, dirty)
    assert frames(out) == frames(dirty)
    with Image.open(io.BytesIO(out)) as im:
        assert im.mode == "P" and "transparency" in im.info


def test_png_16bit_colour_keeps_orientation_tag_instead(tmp_path: Path) -> None:
    import zlib

    raw = b"".join(b"\0" + bytes(range(y, y + 6 * 5)) for y in range(3))
    ihdr = fp.chunk("IHDR", struct.pack(">IIBBBBB", 5, 3, 16, 2, 0, 0, 0))
    dirty = (fp.SIG + ihdr + fp.chunk("eXIf", fp.exif_tiff(3))
             + fp.chunk("IDAT", zlib.compress(raw)) + fp.chunk("IEND", b""))
    out, outcome = clean(tmp_path, dirty)
    assert outcome.kept == ("orientation",) and outcome.lossless
    scan = reread(out)
    assert_no_metadata(scan, allow_orientation=True)
    assert dict(fp.split(out))["IDAT"] == dict(fp.split(dirty))["IDAT"]


def test_xmp_orientation_is_honoured_like_pillow_but_not_in_png(tmp_path: Path) -> None:
    """WebP keeps Pillow's XMP fallback; a PNG's XMP turns no viewer's picture, so its copy
    is neither turned nor tagged (``veil.core.pixels.orient``)."""
    xmp = fp.xmp_packet().replace("<dc:creator>", '<tiff:Orientation>6</tiff:Orientation>'
                                  "<dc:creator>").replace(
        "xmlns:dc=", 'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:dc=')
    png = fp.assemble(fp.base_png(), [fp.itxt("XML:com.adobe.xmp", xmp)])
    out, outcome = clean(tmp_path, png)
    assert not [k for k in outcome.kept if "orientation" in k]
    with Image.open(io.BytesIO(out)) as a, Image.open(io.BytesIO(png)) as b:
        assert a.size == (24, 16) and a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()
    webp = fw.pillow_webp(xmp=xmp, exif=Image.Exif().tobytes())
    out, outcome = clean(tmp_path, webp, name="w")
    assert outcome.kept == ("orientation",) and frames(out) == frames(webp)


def test_png_with_pixels_encodes_them(tmp_path: Path) -> None:
    pixels = fp.gradient((16, 24)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    out, outcome = clean(tmp_path, fp.dirty_png(orientation=6), pixels=pixels)
    assert_no_metadata(reread(out))
    with Image.open(io.BytesIO(out)) as im:
        assert im.tobytes() == pixels.tobytes()


def test_png_bad_crc_in_image_data_refused(tmp_path: Path) -> None:
    data = bytearray(fp.dirty_png())
    at = data.index(b"IDAT") + 10
    data[at] ^= 0xFF
    with pytest.raises(CorruptFile):
        clean(tmp_path, bytes(data))


def test_apng_with_rotation_keeps_its_tag_and_refuses_pixels(tmp_path: Path) -> None:
    # Pillow can't turn an animation's frames: the tag is kept (before the frames, where
    # Pillow reads it) rather than the copy refused; new pixels for it are still refused.
    dirty = fp.assemble(fp.base_png(), [fp.chunk("acTL", struct.pack(">II", 1, 0)),
                                        fp.chunk("eXIf", fp.exif_tiff(6))])
    out, outcome = clean(tmp_path, dirty)
    kinds = [kind for kind, _ in fp.split(out)]
    assert kinds[:3] == ["IHDR", "eXIf", "acTL"] and kinds.count("eXIf") == 1
    assert dict(fp.split(out))["eXIf"] == fp.chunk("eXIf", orientation_exif(6))
    assert "orientation" in outcome.kept and outcome.lossless
    with pytest.raises(Unsupported):
        clean(tmp_path, fp.assemble(fp.base_png(), [fp.chunk("acTL", struct.pack(">II", 1, 0))]),
              pixels=fp.gradient())


def test_png_hdr_colour_chunks_kept(tmp_path: Path) -> None:
    cicp = fp.chunk("cICP", bytes([9, 16, 0, 1]))  # BT.2020 primaries, PQ transfer
    out, _ = clean(tmp_path, fp.assemble(fp.base_png(), [cicp, fp.text("Author", "x")]))
    assert dict(fp.split(out))["cICP"] == cicp


@pytest.mark.parametrize("builder", [fp.dirty_png, fw.dirty_webp, fg.dirty_gif],
                         ids=["png", "webp", "gif"])
def test_truncated_sources_refused(tmp_path: Path, builder: Callable[[], bytes]) -> None:
    data = builder()
    cut = len(data) // 2 if not data.startswith(fp.SIG) else data.index(b"IEND") - 2
    with pytest.raises(CorruptFile):
        clean(tmp_path, data[:cut])


def test_webp_flags_and_orientation_only_exif(tmp_path: Path) -> None:
    out, outcome = clean(tmp_path, fw.dirty_webp(lossless=False, orientation=6))
    chunks = fw.split(out)
    flags = chunks[0][1][0]
    assert chunks[0][0] == "VP8X" and flags & 0x20 and flags & 0x08 and not flags & 0x04
    assert [c for c, _ in chunks] == ["VP8X", "ICCP", "VP8 ", "EXIF"]
    assert outcome.kept == ("icc", "orientation") and outcome.lossless
    assert struct.unpack("<I", out[4:8])[0] == len(out) - 8
    with Image.open(io.BytesIO(out)) as im:
        assert im.getexif().get(0x0112) == 6


def test_webp_without_icc_clears_the_flag(tmp_path: Path) -> None:
    out, _ = clean(tmp_path, fw.dirty_webp(), ExportOptions(keep_icc=False))
    chunks = fw.split(out)
    assert [c for c, _ in chunks] == ["VP8X", "VP8L"] and chunks[0][1][0] & 0x3C == 0


@pytest.mark.parametrize("lossless", [True, False])
def test_webp_with_pixels(tmp_path: Path, lossless: bool) -> None:
    pixels = fp.gradient((16, 24))
    out, outcome = clean(tmp_path, fw.dirty_webp(lossless=lossless, orientation=6),
                         pixels=pixels)
    assert_no_metadata(reread(out))
    assert not outcome.lossless and reread(out).icc is not None
    with Image.open(io.BytesIO(out)) as im:
        assert im.size == (16, 24)
        if lossless:
            assert im.convert("RGB").tobytes() == pixels.tobytes()


def test_animated_webp_with_pixels_refused(tmp_path: Path) -> None:
    with pytest.raises(Unsupported):
        clean(tmp_path, fw.animated_webp(), pixels=fp.gradient((16, 16)))


def test_gif_with_pixels(tmp_path: Path) -> None:
    pixels = fp.gradient((20, 12)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    out, outcome = clean(tmp_path, fg.dirty_gif(), pixels=pixels)
    assert_no_metadata(reread(out))
    assert outcome.lossless
    with Image.open(io.BytesIO(out)) as im:
        assert im.convert("RGB").tobytes() == pixels.convert("RGB").tobytes()
