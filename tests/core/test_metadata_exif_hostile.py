"""EXIF decoding of hostile payloads: garbage, loops, absurd counts and chains, huge or
control-character strings are handled without crashing and bounded."""

from __future__ import annotations

import pytest

from tests.factories.exif import ASCII, Ifd, exif_metadata, exif_payload, tiff
from veil.core.metadata import Metadata


def test_control_characters_and_huge_strings_are_tamed() -> None:
    evil = "Jane\x1b[31m\u202eDoe" + "x" * 10_000
    meta = exif_metadata(exif_payload(artist=evil, make="A\x00B"))
    name = dict(meta.owners)["Artist"]
    assert "\x1b" not in name and "\u202e" not in name
    assert len(name) <= 200
    assert all(len(t.value) <= 500 for t in meta.tags)


def test_exif_header_prefix_is_tolerated() -> None:
    meta = exif_metadata(b"Exif\0\0" + exif_payload(make="Nikon"))
    assert meta.make == "Nikon"


@pytest.mark.parametrize("junk", [b"", b"garbage", b"II*\0" + b"\xff" * 8, b"MM\0*\0\0\0\x08"])
def test_garbage_exif_never_raises(junk: bytes) -> None:
    meta = exif_metadata(junk)
    assert isinstance(meta, Metadata)


def test_payload_without_tiff_header_marks_scan_incomplete() -> None:
    meta = exif_metadata(b"not a tiff at all")
    assert meta.scan.complete is False
    assert meta.warnings


def test_ifd_loop_terminates() -> None:
    payload = bytearray(tiff(Ifd({0x010F: (ASCII, "Loop")})))
    # next-IFD pointer of IFD0 points back at IFD0
    payload[8 + 2 + 12 : 8 + 2 + 12 + 4] = (8).to_bytes(4, "little")
    meta = exif_metadata(bytes(payload))
    assert meta.make == "Loop"


def test_entry_count_beyond_the_block_is_clamped() -> None:
    import struct

    entry = struct.pack("<HHI", 0x010F, 2, 4) + b"Sony"
    payload = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 65535) + entry * 3
    meta = exif_metadata(payload)
    assert meta.make == "Sony"
    assert meta.scan.complete is False
    assert any("more entries" in w for w in meta.warnings)


def test_long_ifd_chain_is_cut() -> None:
    import struct

    out = bytearray(b"II*\0" + struct.pack("<I", 8))
    for i in range(5000):
        at = len(out)
        out += struct.pack("<H", 0) + struct.pack("<I", at + 6 if i < 4999 else 0)
    assert isinstance(exif_metadata(bytes(out)), Metadata)
