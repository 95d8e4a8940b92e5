"""Bytes after the end of a PNG / WebP / GIF image: what they are, for the report.

The only classification done here is the one that needs this container's knowledge: an
aCropalypse leftover (the tail of an older, larger PNG left behind when a cropped screenshot
was written over it without truncating the file). Everything else is a plain "trailer"
(a generic classifier for motion video / second JPEG lives in the shared trailer module).
"""

from __future__ import annotations

from typing import BinaryIO

from veil.core.formats.base import Block, Embedded

#: How much of a trailer we look at; enough to find chunk names of a leftover.
_PROBE = 64 * 1024
_IEND_TAIL = b"\0\0\0\0IEND\xaeB`\x82"


def after_end(
    f: BinaryIO, offset: int, size: int, container: str
) -> tuple[Block, Embedded | None]:
    """Describe the ``size - offset`` bytes after the image's end marker.

    Returns the block for the walk and, unless the bytes are plain zero padding, the
    hidden content to report.
    """
    length = size - offset
    f.seek(offset)
    head = f.read(min(length, _PROBE))
    if length <= _PROBE and not head.strip(b"\0"):
        # Some writers pad files with zeros: nothing can hide in them.
        return Block("trailer", "trailer", offset, length, True, "zero padding"), None
    tail = head[-12:] if length <= _PROBE else _read_tail(f, size)
    if container == "png" and (b"IDAT" in head or tail == _IEND_TAIL):
        note = f"{length} bytes of an older image left after the end (aCropalypse-style)"
        emb = Embedded("cropped_leftover", offset, length, note, None,
                       {"bytes": length, "container": container})
        return Block("trailer", "trailer", offset, length, True, note), emb
    note = f"{length} unknown bytes after the end of the {container.upper()} image"
    emb = Embedded("trailer", offset, length, note, None, {"bytes": length})
    return Block("trailer", "trailer", offset, length, True, note), emb


def _read_tail(f: BinaryIO, size: int) -> bytes:
    f.seek(size - 12)
    return f.read(12)
