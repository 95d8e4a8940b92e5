"""PNG reading: every chunk walked, every payload found, hostile input bounded."""

from __future__ import annotations

import contextlib
import io
import struct
import tracemalloc
import zlib
from pathlib import Path

import exifread
import pytest

from tests.factories import png as fp
from tests.factories.damage import assert_truncations_flagged, damaged_copies
from veil.core.errors import CorruptFile
from veil.core.formats import detect
from veil.core.formats.base import ContainerScan
from veil.core.formats.png import Png


def read(data: bytes) -> ContainerScan:
    return Png.read(io.BytesIO(data), len(data))


def test_sniff_and_registry() -> None:
    png = fp.base_png()
    assert Png.sniff(png[:64])
    assert not Png.sniff(b"GIF89a" + png[6:64])
    assert detect(png[:64]) is Png


def test_walk_lists_every_chunk_in_order() -> None:
    data = fp.dirty_png()
    scan = read(data)
    expected = [t for t, _ in fp.split(data[: data.index(b"IEND") + 8])]
    assert [b.name for b in scan.blocks] == [*expected, "trailer"]
    assert scan.blocks[0].offset == 8
    for a, b in zip(scan.blocks, scan.blocks[1:], strict=False):
        assert a.offset + a.length == b.offset  # contiguous: nothing skipped unseen
    assert scan.blocks[-1].offset + scan.blocks[-1].length == len(data)
    assert (scan.width, scan.height) == (24, 16)
    assert scan.complete and not scan.warnings


def test_text_xmp_exif_c2pa_time_found() -> None:
    scan = read(fp.dirty_png())
    text = dict(scan.text)
    assert text["Author"] == "Jane Doe"
    assert text["Comment"] == "at home, 12 Rue de la Paix"
    assert text["Description"] == "my secret holiday"  # zTXt, decompressed
    assert text["tIME"] == "2023-11-05T14:30:12"
    assert len(scan.xmp) == 1 and b"exif:GPSLatitude" in scan.xmp[0]
    assert scan.c2pa
    kinds = {b.name: b.kind for b in scan.blocks}
    assert kinds["iTXt"] == "xmp" and kinds["eXIf"] == "exif" and kinds["caBX"] == "c2pa"


def test_exif_payload_carries_gps_and_serial() -> None:
    scan = read(fp.dirty_png(orientation=6))
    assert len(scan.exif) == 1 and scan.exif[0][:4] in (b"II*\0", b"MM\0*")
    tags = exifread.process_file(io.BytesIO(scan.exif[0]), details=False)
    assert str(tags["EXIF BodySerialNumber"]) == "0123456789"
    assert str(tags["GPS GPSLatitudeRef"]) == "N"
    assert [float(v) for v in tags["GPS GPSLatitude"].values][:2] == [48.0, 51.0]
    assert tags["Image Orientation"].values == [6]


def test_exif_with_exif_prefix_is_tolerated() -> None:
    data = fp.assemble(fp.base_png(), [fp.chunk("eXIf", b"Exif\0\0" + fp.exif_tiff())])
    scan = read(data)
    assert scan.exif[0][:4] in (b"II*\0", b"MM\0*")


def test_imagemagick_raw_profiles() -> None:
    tiff = fp.exif_tiff()
    iim = b"\x1c\x02\x50\x00\x08Jane Doe"  # IPTC By-line
    chunks = [
        fp.ztxt("Raw profile type exif", fp.raw_profile("exif", b"Exif\0\0" + tiff)),
        fp.text("Raw profile type iptc", fp.raw_profile("iptc", iim)),
        fp.itxt("Raw profile type xmp", fp.raw_profile("xmp", fp.xmp_packet().encode())),
    ]
    scan = read(fp.assemble(fp.base_png(), chunks))
    assert scan.exif == (tiff,)
    assert scan.iptc == (iim,)
    assert b"GPSLatitude" in scan.xmp[0]
    assert scan.complete and scan.text == ()


def test_binary_exif_in_text_chunk() -> None:
    tiff = fp.exif_tiff()
    scan = read(fp.assemble(fp.base_png(), [fp.chunk("tEXt", b"exif\0Exif\0\0" + tiff)]))
    assert scan.exif == (tiff,)


def test_compressed_itxt_and_icc() -> None:
    profile = b"\0\0\x02\x0cfake icc profile bytes" * 10
    iccp = fp.chunk("iCCP", b"sRGB\0\0" + zlib.compress(profile))
    xmp = fp.itxt("XML:com.adobe.xmp", fp.xmp_packet(creator="Zoë"), compressed=True)
    scan = read(fp.assemble(fp.base_png(), [iccp, xmp]))
    assert scan.icc == profile
    assert "Zoë".encode() in scan.xmp[0]


def test_apng_and_harmless_private_chunks_are_known() -> None:
    actl = fp.chunk("acTL", struct.pack(">II", 2, 0))
    idot = fp.chunk("iDOT", b"\0" * 28)
    scan = read(fp.assemble(fp.base_png(), [actl, idot]))
    assert scan.complete and all(b.known for b in scan.blocks)
    assert "2 frames" in next(b.note for b in scan.blocks if b.name == "acTL")


def test_unknown_chunk_makes_scan_incomplete() -> None:
    scan = read(fp.assemble(fp.base_png(), [fp.chunk("prVW", b"a hidden preview")]))
    block = next(b for b in scan.blocks if b.name == "prVW")
    assert not block.known and block.kind == "unknown"
    assert not scan.complete and any("prVW" in w for w in scan.warnings)


def test_bad_crc_is_a_warning() -> None:
    data = fp.assemble(fp.base_png(), [fp.chunk("tEXt", b"Author\0Jane", bad_crc=True)])
    scan = read(data)
    assert not scan.complete
    assert any("checksum" in w for w in scan.warnings)
    assert ("Author", "Jane") in scan.text  # still reported: damaged is not clean


def test_zip_bomb_is_capped() -> None:
    bomb = fp.chunk("zTXt", b"Comment\0\0" + zlib.compress(b"\0" * (40 * 1024 * 1024), 9))
    data = fp.assemble(fp.base_png(), [bomb])
    tracemalloc.start()
    try:
        scan = read(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not scan.complete and any("zip bomb" in w for w in scan.warnings)
    assert peak < 24 * 1024 * 1024  # 8 MB cap (+ the working copy), never 40 MB


def test_huge_length_is_bounded() -> None:
    huge = struct.pack(">I", 0x7FFFFFF0) + b"tEXt" + b"Author\0x"
    scan = read(fp.assemble(fp.base_png(), [huge]))
    assert not scan.complete and any("more bytes than the file has" in w for w in scan.warnings)


@pytest.mark.parametrize(
    "data",
    [b"", fp.SIG, fp.SIG + b"\0\0\0\x0dIHDR", b"\x89PNG\r\n\x1a\x0b" + b"\0" * 40,
     fp.SIG + fp.chunk("tEXt", b"a\0b")],
    ids=["empty", "signature-only", "truncated-ihdr", "bad-signature", "no-ihdr"],
)
def test_broken_headers_raise_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read(data)


def test_zero_length_ihdr_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        read(fp.SIG + fp.chunk("IHDR", b"") + fp.chunk("IEND", b""))


def test_every_truncation_is_corrupt_or_incomplete() -> None:
    data = fp.dirty_png()
    assert_truncations_flagged(read, data, data.index(b"IEND") + 8)


def test_random_damage_never_escapes() -> None:
    for broken in damaged_copies(fp.dirty_png(), seed=4, start=8):
        with contextlib.suppress(CorruptFile):
            read(broken)


def test_leftover_after_iend_is_reported() -> None:
    data = fp.dirty_png()
    scan = read(data)
    emb = scan.embedded[0]
    assert emb.kind == "cropped_leftover"
    assert emb.offset == data.index(b"IEND") + 8 and emb.offset + emb.length == len(data)


def test_zero_padding_after_iend_is_not_hidden_content() -> None:
    scan = read(fp.assemble(fp.base_png(), after=b"\0" * 64))
    assert scan.embedded == () and scan.blocks[-1].kind == "trailer"


def test_file_on_disk_reads_like_memory(tmp_path: Path) -> None:
    data = fp.dirty_png()
    path = tmp_path / "a.png"
    path.write_bytes(data)
    with open(path, "rb") as f:  # a real descriptor takes the os.pread path
        assert Png.read(f, len(data)) == read(data)


def test_many_large_text_chunks_hit_the_total_budget() -> None:
    blob = zlib.compress(b"a" * (7 * 1024 * 1024), 9)
    chunks = [fp.chunk("zTXt", f"k{i}".encode() + b"\0\0" + blob) for i in range(12)]
    scan = read(fp.assemble(fp.base_png(), chunks))
    assert not scan.complete
    assert 0 < len(scan.text) < 12  # read until the 64 MB budget, then stopped
    assert any("too much compressed metadata" in w for w in scan.warnings)


def _leftovers(scan: ContainerScan) -> list:
    return [e for e in scan.embedded if e.kind == "cropped_leftover"]


@pytest.mark.parametrize("own_chunk", [False, True])
def test_bytes_after_the_idat_stream_are_found_by_the_scan(own_chunk: bool) -> None:
    """Issue 15: the cleaner cut them but the scan did not see them (risk could be none)."""
    base = fp.base_png()
    tail = fp.leftover()
    data = fp.with_idat_tail(base, tail, own_chunk=own_chunk)
    (found,) = _leftovers(read(data))
    assert found.length == len(tail) and found.detail["inside"] == "IDAT"
    assert data[found.offset : found.offset + len(tail)] == tail
    assert not _leftovers(read(base))


def test_bytes_after_an_apng_frame_stream_are_found() -> None:
    frames = [fp.gradient((24, 16)), fp.gradient((24, 16)).transpose(0)]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:])
    parts = fp.split(buf.getvalue())
    assert any(t == "fdAT" for t, _ in parts)
    out = [fp.SIG]
    for ctype, raw in parts:
        if ctype == "fdAT":
            raw = fp.chunk("fdAT", raw[8:-4] + b"old picture bytes")
        out.append(raw)
    (found,) = _leftovers(read(b"".join(out)))
    assert found.length == len(b"old picture bytes") and found.detail["inside"] == "fdAT"


def test_a_damaged_stream_is_not_called_clean() -> None:
    base = fp.base_png()
    idat = dict(fp.split(base))["IDAT"][8:-4]
    broken = idat[:2] + bytes(b ^ 0x5A for b in idat[2:])
    scan = read(base.replace(fp.chunk("IDAT", idat), fp.chunk("IDAT", broken)))
    assert not scan.complete and not _leftovers(scan)


def test_the_stream_check_keeps_memory_bounded() -> None:
    big = fp.base_png((3000, 2000))  # 18 MB of scanlines
    tracemalloc.start()
    read(big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak


def test_a_huge_picture_is_not_inflated_but_not_called_checked() -> None:
    base = fp.base_png()
    ihdr = dict(fp.split(base))["IHDR"]
    huge = fp.chunk("IHDR", struct.pack(">II", 20000, 20000) + ihdr[16:21])
    scan = read(base.replace(ihdr, huge))
    assert not scan.complete and any("too large to check" in w for w in scan.warnings)


def test_a_text_block_cut_by_the_end_of_the_file_is_still_read() -> None:
    """Issue 15 'Damaged files': what comes before the damage is reported."""
    note = fp.text("Comment", "Jane Doe, 12 Rue de la Paix" + " " * 2000)
    data = fp.assemble(fp.base_png(), before_iend=[note])
    at = data.index(note)
    scan = read(data[: at + 200])
    assert any(k == "Comment" and v.startswith("Jane Doe, 12 Rue") for k, v in scan.text)
    assert not scan.complete
    assert any("the rest could not be read" in w for w in scan.warnings)


def test_a_wrong_length_in_the_middle_is_not_read_as_text() -> None:
    huge = struct.pack(">I", 100_000) + b"tEXt" + b"Author\0x"
    scan = read(fp.assemble(fp.base_png(), [huge]))
    assert not any(k == "Author" for k, _ in scan.text)
