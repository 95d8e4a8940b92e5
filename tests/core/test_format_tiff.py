"""TIFF / DNG reading: IFDs walked, metadata tags handed on, previews and pages listed."""

from __future__ import annotations

import contextlib
import io
import random
import struct
from pathlib import Path

import exifread
import pytest
from PIL import Image

from tests.factories import exif as ex
from tests.factories import tiff as ft
from tests.factories.exif import Ifd, tiff
from tests.factories.jpeg import encode, fake_icc, noise_image
from veil.core.errors import CorruptFile
from veil.core.formats.base import ContainerScan
from veil.core.formats.tiff import Tiff
from veil.core.formats.tiffwalk import bytes_reader, walk_tiff


def read(data: bytes) -> ContainerScan:
    return Tiff.read(io.BytesIO(data), len(data))


def test_sniff() -> None:
    assert Tiff.sniff(b"II*\x00\x08\x00\x00\x00") and Tiff.sniff(b"MM\x00*\x00\x00\x00\x08")
    assert not Tiff.sniff(b"\xff\xd8\xff\xe0")


def test_metadata_blocks_are_found() -> None:
    scan = read(ft.make_tiff(icc=fake_icc(600)))
    assert scan.format == "tiff" and (scan.width, scan.height) == (40, 24)
    assert scan.xmp == (b"<x:xmpmeta>creator Jane</x:xmpmeta>",)
    assert scan.iptc and b"Jane Doe" in scan.iptc[0]
    assert scan.icc == fake_icc(600)
    kinds = {b.name: b.kind for b in scan.blocks}
    assert kinds["IFD0"] == "structure" and kinds["ExifIFD"] == "exif" and kinds["GPS"] == "exif"
    assert scan.complete


def test_photoshop_resources_give_thumbnail_iptc_exif_and_xmp() -> None:
    thumb = encode(noise_image((16, 12), seed=7), quality=70)
    block = ex.exif_payload(artist="Ann Roe")
    resources = ex.photoshop((0x040C, b"\x00" * 28 + thumb), (0x0404, ex.iim(2, 80, b"Ann")),
                             (0x0422, block), (0x0424, b"<x:xmpmeta/>"))
    scan = read(ft.make_tiff(iptc=None, photoshop=resources[len(b"Photoshop 3.0\0") :]))
    (found,) = [e for e in scan.embedded if e.detail.get("source") == "Photoshop"]
    assert found.kind == "thumbnail" and found.data == thumb and found.length == len(thumb)
    assert scan.iptc == (ex.iim(2, 80, b"Ann"),)
    assert scan.exif[1:] == (block,) and scan.xmp[-1] == b"<x:xmpmeta/>"
    assert scan.complete, scan.warnings


def test_sparse_exif_copy_decodes_like_the_whole_file() -> None:
    data = ft.make_tiff(size=(300, 200))
    (payload,) = read(data).exif
    ours = exifread.process_file(io.BytesIO(payload), details=False)
    full = exifread.process_file(io.BytesIO(data), details=False)
    for tag in ("Image Make", "Image Model", "Image Artist", "EXIF BodySerialNumber",
                "GPS GPSLatitude", "GPS GPSLongitude"):
        assert str(ours[tag]) == str(full[tag])
    assert len(payload) < len(data) // 10  # the pixel data was not copied


def test_dng_is_detected() -> None:
    assert read(ft.make_tiff(dng=True)).format == "dng"


def test_pages_are_listed_as_extra_images() -> None:
    scan = read(ft.make_tiff(pages=3))
    assert [e.kind for e in scan.embedded] == ["mpf_image", "mpf_image"]


def test_reduced_resolution_subifd_preview_with_jpeg_data() -> None:
    preview = encode(noise_image((16, 12)), quality=60)
    sub = Ifd({0x00FE: (4, 1), 256: (3, 16), 257: (3, 12), 259: (3, 7),
               273: (4, 0), 279: (4, len(preview))})
    main = Ifd({256: (3, 4), 257: (3, 4), 0x010F: (2, "Leica")})
    # The SubIFD is spliced in by hand: the builder has no pointer for tag 330.
    data = _with_subifd(tiff(main), tiff(sub)[8:], preview)
    scan = read(data)
    (emb,) = scan.embedded
    assert emb.kind == "thumbnail" and emb.data == preview


def _with_subifd(main: bytes, sub_table: bytes, preview: bytes) -> bytes:
    """Rebuild ``main`` with IFD0 gaining tag 330 -> a SubIFD whose strip is ``preview``."""
    count = struct.unpack_from("<H", main, 8)[0]
    entries = [main[10 + 12 * i : 22 + 12 * i] for i in range(count)]
    values = main[10 + 12 * count + 4 :]
    shift = 12  # one more entry
    fixed = []
    for e in entries:
        tag, typ, n, val = struct.unpack("<HHII", e)
        size = {2: 1, 3: 2, 4: 4}.get(typ, 1) * n
        fixed.append(struct.pack("<HHII", tag, typ, n, val + shift if size > 4 else val))
    sub_at = 8 + 2 + 12 * (count + 1) + 4 + len(values)
    fixed.append(struct.pack("<HHII", 330, 4, 1, sub_at))
    fixed.sort()
    ifd0 = struct.pack("<H", count + 1) + b"".join(fixed) + b"\x00\x00\x00\x00"
    sub_count = struct.unpack_from("<H", sub_table, 0)[0]
    preview_at = sub_at + 2 + 12 * sub_count + 4 + 64
    sub = bytearray(sub_table[: 2 + 12 * sub_count + 4])
    for i in range(sub_count):
        tag = struct.unpack_from("<H", sub, 2 + 12 * i)[0]
        if tag == 273:
            struct.pack_into("<I", sub, 2 + 12 * i + 8, preview_at)
    return b"II*\x00\x08\x00\x00\x00" + ifd0 + values + bytes(sub) + b"\x00" * 64 + preview


def test_loop_and_garbage_do_not_hang() -> None:
    scan = read(ft.looping_tiff())
    assert not scan.complete and any("loop" in w for w in scan.warnings)
    with pytest.raises(CorruptFile):
        read(b"II*\x00\xff\xff\xff\x7f")
    with pytest.raises(CorruptFile):
        read(b"II+\x00")


def test_bigtiff_is_best_effort() -> None:
    scan = read(ft.make_tiff(big=True))
    assert scan.width == 40 and not scan.complete and scan.warnings


def test_truncations_and_bit_flips_never_escape_as_other_errors() -> None:
    data = ft.make_tiff(icc=fake_icc(300), pages=2)
    rng = random.Random(3)
    variants = [data[:n] for n in range(0, len(data), 61)]
    for _ in range(150):
        b = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            b[rng.randrange(min(len(b), 4000))] = rng.randrange(256)
        variants.append(bytes(b))
    for v in variants:
        with contextlib.suppress(CorruptFile):
            assert isinstance(read(v), ContainerScan)


def test_walker_caps_entry_counts() -> None:
    data = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 60000) + b"\x00" * 64
    info = walk_tiff(bytes_reader(data), len(data))
    assert info is not None and not info.complete


def test_corpus_tiffs_decode_like_the_whole_file(shared_dir: Path) -> None:
    root = shared_dir / "corpus"
    if not root.is_dir():
        pytest.skip("../shared/corpus is absent")
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".tif", ".tiff", ".dng"))
    for path in files:
        data = path.read_bytes()
        scan = read(data)
        ours = exifread.process_file(io.BytesIO(scan.exif[0]), details=True)
        full = exifread.process_file(io.BytesIO(data), details=True)
        assert set(ours) == set(full), path.name
        if path.suffix.lower() == ".dng":
            assert scan.format == "dng", path.name
            assert any(e.kind == "thumbnail" for e in scan.embedded), path.name


def test_four_gigabyte_offsets_are_not_followed() -> None:
    entry = struct.pack("<HHII", 0x010F, 2, 64, 0xFFFFFFF0)  # Make, 64 chars "at 4 GB"
    exif_ptr = struct.pack("<HHII", 0x8769, 4, 1, 0xFFFFFF00)
    data = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 2) + entry + exif_ptr + b"\x00" * 4
    scan = read(data)
    assert not scan.complete
    assert len(scan.exif[0]) <= len(data)


def test_directory_over_the_entry_limit_is_read_up_to_it_with_the_reason() -> None:
    """Issue 12 item 10a: 10,000 entries used to give "no readable image directory"."""
    data = ft.crowded_tiff(10_000)
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (4, 4)  # a valid TIFF
    scan = read(data)
    assert (scan.width, scan.height) == (4, 4) and scan.format == "tiff"
    assert not scan.complete
    assert any("10,000 entries" in w and "4,096" in w for w in scan.warnings), scan.warnings


def test_a_tiff_raw_is_never_fully_checked() -> None:
    """The pixel checks would only see the raw's preview (an IIQ's is 1x1)."""
    from tests.factories.raw import iiq

    scan = read(iiq())
    assert not scan.complete
    assert any("Phase One" in w and "preview" in w for w in scan.warnings), scan.warnings
    assert read(ft.make_tiff()).complete


def test_bytes_after_everything_the_tiff_uses_block_none(tmp_path: Path) -> None:
    """Hostile retest of issue 15 ('bytes Veil does not read'): a 1x1 TIFF followed by
    1 MB that no directory points to (an uncropped original, a name) scanned "none found"."""
    from PIL import Image

    from veil.core.audit import audit_file
    from veil.core.model import Risk

    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "TIFF")
    plain, hidden = tmp_path / "plain.tif", tmp_path / "hidden.tif"
    plain.write_bytes(buf.getvalue())
    hidden.write_bytes(buf.getvalue() + b"Alice Smith, the uncropped original " * 30000)
    assert audit_file(plain, metadata_only=True).risk is Risk.NONE
    report = audit_file(hidden, metadata_only=True)
    assert report.risk is not Risk.NONE
    assert any("bytes at the end of the file" in n for n in report.notes), report.notes
