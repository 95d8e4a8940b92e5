"""Cleaning a HEIF in memory and checking the copy, for the HEIF cleaning tests
(test_clean_heif, its damage and corpus files)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from tests.factories.basic import gps_serial_exif
from tests.factories.isobmff import Coded, Item, build_heif, exif_payload, ispe
from veil.core.formats.base import CleanOutcome, ContainerScan
from veil.core.formats.heif import Heif
from veil.core.model import ExportOptions

#: Bytes of the identifying test metadata: none may be left in a copy.
LEAK_WORDS = (b"Jane Doe", b"0123456789", b"Canon", b"c2pa manifest", b"Exif\0\0", b"xmpmeta")


def clean(
    src: Path, options: ExportOptions | None = None, pixels: object = None
) -> tuple[bytes, CleanOutcome]:
    """(the copy's bytes, the outcome) of Heif.write_clean into memory."""
    out = io.BytesIO()
    outcome = Heif.write_clean(src, out, options or ExportOptions(), pixels)
    return out.getvalue(), outcome


def scan_of(data: bytes) -> ContainerScan:
    """What Veil reads of a HEIF held in memory."""
    return Heif.read(io.BytesIO(data), len(data))


#: What Pillow / pillow-heif raise for a picture they cannot decode (libheif errors surface
#: as ValueError or RuntimeError depending on the release).
SOURCE_DECODE_ERRORS = (OSError, EOFError, ValueError, RuntimeError)


def pixels(data: bytes | Path) -> np.ndarray:
    """The decoded RGBA picture (the caller has registered pillow-heif's opener)."""
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with Image.open(src) as im:
        return np.asarray(im.convert("RGBA"))


def assert_no_leaks(data: bytes) -> None:
    """No metadata, no embedded image but alpha, all read, and none of LEAK_WORDS."""
    scan = scan_of(data)
    assert not scan.exif and not scan.xmp and not scan.c2pa
    assert not [
        e for e in scan.embedded if e.kind != "aux_image" or e.detail["aux_type"] != "alpha"
    ]
    assert scan.complete, scan.warnings
    for word in LEAK_WORDS:
        assert word not in data, word


def grid_heif(tile: Coded, tile_px: int, cols: int, rows: int, first_id: int) -> bytes:
    """A grid image (descriptor in idat) of ``cols`` x ``rows`` copies of ``tile``, plus an
    identifying Exif item."""
    ids = [first_id + k for k in range(cols * rows)]
    tiles = [Item(i, "hvc1", tile.data, list(tile.props), hidden=True) for i in ids]
    width, height = cols * tile_px, rows * tile_px
    desc = bytes([0, 0, rows - 1, cols - 1]) + width.to_bytes(2, "big") + height.to_bytes(2, "big")
    grid = Item(1, "grid", desc, [ispe(width, height)], in_idat=True)
    exif = Item(2, "Exif", exif_payload(gps_serial_exif()))
    return build_heif([grid, *tiles, exif], 1, [("dimg", 1, ids), ("cdsc", 2, [1])])
