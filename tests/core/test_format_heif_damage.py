"""HEIF reading of hostile, damaged and unknown input: bounded and linear, one clear error
or a salvaged scan that never calls the file complete."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.factories.basic import gps_serial_exif
from tests.factories.isobmff import (
    Coded,
    Item,
    box,
    build_heif,
    ftyp,
    large_box,
    read_heif,
    simple_heif,
)
from veil.core.errors import CorruptFile

pillow_heif = pytest.importorskip("pillow_heif")


def test_many_items_stay_fast(coded: Coded) -> None:
    """20 000 items each with a reference: parsing must stay linear (no hang)."""
    import time

    items = [Item(1, "hvc1", coded.data, list(coded.props))]
    items += [Item(k, "hvc1", b"", hidden=True) for k in range(2, 20_000)]
    refs = [("thmb", k, [1]) for k in range(2, 20_000)]
    data = build_heif(items, 1, refs, iloc_version=2)
    start = time.perf_counter()
    scan = read_heif(data)
    assert len([e for e in scan.embedded if e.kind == "thumbnail"]) == 19_998
    assert time.perf_counter() - start < 30  # generous: quadratic code would take minutes


def test_unknown_boxes_and_items_make_it_incomplete(coded: Coded) -> None:
    scan = read_heif(simple_heif(coded, extra_top=box("zzzz", b"secret")))
    assert not scan.complete and any("zzzz" in w for w in scan.warnings)
    items = [
        Item(1, "hvc1", coded.data, [coded.hvcc]),
        Item(2, "mime", b"x", content_type="application/x-secret"),
    ]
    scan = read_heif(build_heif(items, 1))
    assert not scan.complete
    assert any(not b.known for b in scan.blocks)


def test_truncated_files(coded: Coded) -> None:
    data = simple_heif(coded, exif=gps_serial_exif())
    meta_end = data.index(b"mdat") - 4
    with pytest.raises(CorruptFile):
        read_heif(data[: meta_end - 10])  # cut inside the meta box
    scan = read_heif(data[:-20])  # cut inside mdat (the Exif item is the last one)
    assert not scan.complete and any("beyond" in w for w in scan.warnings)
    with pytest.raises(CorruptFile):
        read_heif(data[:20])
    with pytest.raises(CorruptFile):
        read_heif(b"")


def test_hostile_sizes(coded: Coded) -> None:
    data = simple_heif(coded)
    scan = read_heif(data + large_box("free", b"", claimed=1 << 62))  # 64-bit size past EOF
    assert not scan.complete
    scan = read_heif(data + b"\0\0\0\0free" + b"\0" * 50)  # size 0: to the end of file
    assert scan.complete
    with pytest.raises(CorruptFile):
        read_heif(ftyp() + b"\0\0\0\x04meta")  # size smaller than its header


def test_extents_beyond_the_file(coded: Coded) -> None:
    data = bytearray(simple_heif(coded, exif=gps_serial_exif()))
    # Point the Exif item's extent 1 GB away: the item is skipped with a warning, no read.
    scan = read_heif(bytes(data))
    exif_block = next(b for b in scan.blocks if b.kind == "exif")
    at = bytes(data).index(exif_block.offset.to_bytes(4, "big"), 0, exif_block.offset)
    data[at : at + 4] = (1 << 30).to_bytes(4, "big")
    scan = read_heif(bytes(data))
    assert not scan.exif and not scan.complete


def test_deep_nesting_in_meta(coded: Coded) -> None:
    nested = box("free", b"")
    for _ in range(100):
        nested = box("iprp", nested)
    data = simple_heif(coded)
    # A bogus deep iprp tree in place of a real one still parses (we only read one level),
    # and nothing recurses without a bound.
    scan = read_heif(data + nested)
    assert not scan.complete  # unknown top-level 'iprp'


def test_a_damaged_part_of_the_meta_box_is_salvaged(coded: Coded, tmp_path: Path) -> None:
    """Issue 15: refusing is for files with nothing readable; the cleaner still refuses."""
    from veil.core.errors import CorruptFile as Corrupt
    from veil.core.formats.heif_clean import write_clean
    from veil.core.model import ExportOptions

    data = bytearray(simple_heif(coded, exif=gps_serial_exif()))
    at = data.index(b"iloc")
    data[at + 4] = 7  # an iloc version that does not exist
    scan = read_heif(bytes(data))
    assert not scan.complete
    assert any("damaged" in w and "iloc" in w for w in scan.warnings), scan.warnings
    assert any(b.kind == "exif" for b in scan.blocks)  # the items are still listed
    path = tmp_path / "damaged.heic"
    path.write_bytes(bytes(data))
    with pytest.raises(Corrupt, match="damaged"):
        write_clean(path, io.BytesIO(), ExportOptions())


def test_user_description_is_read_and_unknown_properties_are_not_understood(
        coded: Coded) -> None:
    """Issue 15 'Unknown blocks': an item property Veil can't read blocks "none"."""
    from tests.factories.isobmff import full_box

    udes = full_box("udes", 0, 0, b"en\0Holiday\0Jane at home\0family\0")
    scan = read_heif(build_heif([Item(1, "hvc1", coded.data, [*coded.props, udes])], 1))
    assert ("udes name", "Holiday") in scan.text and ("udes description", "Jane at home") in \
        scan.text
    assert scan.complete, scan.warnings
    odd = box("xyzw", b"owner: Jane Doe")
    scan = read_heif(build_heif([Item(1, "hvc1", coded.data, [*coded.props, odd])], 1))
    assert not scan.complete and any("'xyzw' property" in w for w in scan.warnings)


def test_media_bytes_no_item_uses_block_none(tmp_path: Path) -> None:
    """Hostile retest of issue 15: text hidden in ``mdat`` after the image data, used by no
    item (the cleaner drops it), scanned "none found"."""
    import io
    import struct

    import pillow_heif
    from PIL import Image

    from veil.core.audit import audit_file
    from veil.core.model import Risk

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 200, 30)).save(buf, "HEIF")
    data = bytearray(buf.getvalue())
    at = data.rfind(b"mdat") - 4
    (size,) = struct.unpack_from(">I", data, at)
    assert at + size == len(data)
    hidden = b"Alice Smith, the uncropped original " * 100
    struct.pack_into(">I", data, at, size + len(hidden))
    plain, odd = tmp_path / "plain.heic", tmp_path / "hidden.heic"
    plain.write_bytes(buf.getvalue())
    odd.write_bytes(bytes(data) + hidden)
    assert audit_file(plain, metadata_only=True).risk is Risk.NONE
    report = audit_file(odd, metadata_only=True)
    assert report.risk is not Risk.NONE
    assert any("belong to no picture" in n for n in report.notes), report.notes
