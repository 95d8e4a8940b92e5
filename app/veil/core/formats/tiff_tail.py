"""Bytes at the end of a TIFF that nothing in it points to.

A TIFF has no end marker: its directories, values and strips can lie anywhere, and bytes
after the last of them are read by nobody. They can hold anything (an earlier, uncropped
version of the picture; another file), so a scan that ignores them must not call the file
clean. The cleaner writes a new TIFF and never copies them.
"""

from __future__ import annotations

from veil.core.formats.tiff_ifd import TiffInfo
from veil.core.formats.tiffwalk import ReadAt, entry_ints

#: Writers pad to a word or a sector; a tail this short holds nothing worth reporting.
SLACK = 64
#: Strip/tile tables longer than this are not summed (the tail is then not judged).
MAX_PARTS = 65536
_PARTS = ((0x0111, 0x0117), (0x0144, 0x0145))  # strip offsets/counts, tile offsets/counts


def unreferenced_tail(read: ReadAt, info: TiffInfo, size: int) -> int:
    """How many bytes follow the last byte any directory, value, strip, tile or thumbnail
    of ``info`` uses (0 when within :data:`SLACK`, or when a table is too long to sum)."""
    end = 16 if info.bigtiff else 8
    for offset, length in info.extents:
        end = max(end, offset + length)
    if info.thumbnail:
        end = max(end, info.thumbnail[0] + info.thumbnail[1])
    for ifd in info.ifds:
        for offsets_tag, counts_tag in _PARTS:
            offsets, counts = ifd.entries.get(offsets_tag), ifd.entries.get(counts_tag)
            if offsets is None or counts is None:
                continue
            starts = entry_ints(read, info, offsets, MAX_PARTS)
            lengths = entry_ints(read, info, counts, MAX_PARTS)
            if len(starts) >= MAX_PARTS:
                return 0
            for start, length in zip(starts, lengths, strict=False):
                end = max(end, start + length)
    tail = size - end
    return tail if tail > SLACK else 0
