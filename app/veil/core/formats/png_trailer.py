"""Bytes after the end of a PNG / WebP / GIF image: what they are, for the report.

The only classification done here is the one that needs this container's knowledge: an
aCropalypse leftover (the tail of an older, larger PNG left behind when a cropped screenshot
was written over it without truncating the file). Everything else goes to the shared
classifier in :mod:`veil.core.formats.trailer`.
"""

from __future__ import annotations

from typing import BinaryIO

from veil.core.formats.base import Block, Embedded
from veil.core.formats.byteio import read_at
from veil.core.formats.trailer import classify

#: How much of a trailer we look at; enough to find chunk names of a leftover.
_PROBE = 64 * 1024
_IEND_TAIL = b"\0\0\0\0IEND\xaeB`\x82"


def after_end(
    f: BinaryIO, offset: int, size: int, container: str
) -> tuple[list[Block], list[Embedded], list[str]]:
    """Describe the ``size - offset`` bytes after the image's end marker.

    Returns the blocks for the walk, the hidden content to report (nothing for plain zero
    padding) and warnings. Only the aCropalypse check is PNG-specific; everything else
    (motion video, appended JPEG, padding, unknown) is :func:`trailer.classify`'s job.
    """
    length = size - offset
    f.seek(offset)
    head = f.read(min(length, _PROBE))
    tail = head[-12:] if length <= _PROBE else read_at(f, size - 12, 12)
    if container == "png" and (b"IDAT" in head or tail == _IEND_TAIL):
        note = f"{length} bytes of an older image left after the end (aCropalypse-style)"
        emb = Embedded("cropped_leftover", offset, length, note, None,
                       {"bytes": length, "container": container})
        return [Block("trailer", "trailer", offset, length, True, note)], [emb], []
    found = classify(f, offset, length)
    return found.blocks, found.embedded, found.warnings
