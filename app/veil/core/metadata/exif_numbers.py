"""A faster ``ExifHeader.s2n`` for the exifread release it was checked against.

exifread reads every number of an IFD (tag, type, count, offset, each value) through
``s2n``, which builds a dict and a format string on each call: ~19,000 calls for
../shared/corpus, ~10% of a metadata-only scan's per-file time. This one looks the
``struct.Struct`` up instead; results, exceptions and the short-read warning are exifread's
own (tests/core/test_metadata_exif_numbers.py compares both on every kind of input).
It is installed only for ``CHECKED_VERSION``: any other exifread keeps its own ``s2n``.
"""

from __future__ import annotations

import struct

import exifread
from exifread.core import exif_header

CHECKED_VERSION = "3.5.1"
#: exifread's own table, with its 8-byte "L"/"l" (4-byte codes: unpacking 8 bytes raises
#: struct.error there, and so here).
_CODES = {(1, False): "B", (1, True): "b", (2, False): "H", (2, True): "h",
          (4, False): "I", (4, True): "i", (8, False): "L", (8, True): "l"}
_STRUCTS = {
    (endian == "I", length, signed): struct.Struct(("<" if endian == "I" else ">") + code)
    for endian in ("I", "M")
    for (length, signed), code in _CODES.items()
}
ORIGINAL = exif_header.ExifHeader.s2n


def s2n(self: exif_header.ExifHeader, offset: int, length: int, signed: bool = False) -> int:
    """exifread 3.5.1's ``ExifHeader.s2n``, without rebuilding its format per call."""
    unpacker = _STRUCTS.get((self.endian == "I", length, signed))
    if unpacker is None:
        raise ValueError(f"unexpected unpacking length: {length}")
    fh = self.file_handle
    fh.seek(self.offset + offset)
    buf = fh.read(length)
    if not buf:
        return 0
    if len(buf) != length:
        exif_header.logger.warning("Unexpected slice length: %d", len(buf))
        return 0
    value: int = unpacker.unpack(buf)[0]
    return value


def install() -> bool:
    """Use :func:`s2n` when exifread is the checked release; True when installed."""
    if getattr(exifread, "__version__", None) != CHECKED_VERSION:
        return False
    exif_header.ExifHeader.s2n = s2n  # type: ignore[method-assign]
    return True
