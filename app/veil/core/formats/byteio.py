"""Bounded byte reads and copies shared by the container handlers and their cleaners.

Files are hostile input: a read returns what is there (possibly less than asked), and a copy
of a range that turns out shorter than the walk said raises :class:`CorruptFile` instead of
writing a silently truncated output.
"""

from __future__ import annotations

from typing import BinaryIO

from veil.core.errors import CorruptFile

#: Largest piece held in memory while copying coded image data (a copy never loads it whole).
COPY_CHUNK = 1 << 20


def read_at(f: BinaryIO, offset: int, n: int) -> bytes:
    """Up to ``n`` bytes at ``offset`` (fewer at the end of the file; none when ``n <= 0``)."""
    f.seek(offset)
    # f.read(-1) would read to the end of the file: a negative count must read nothing.
    return f.read(max(0, n))


def read_exact(f: BinaryIO, offset: int, n: int, short_reason: str) -> bytes:
    """Exactly ``n`` bytes at ``offset``.

    Raises:
        CorruptFile: the file holds fewer; the message is ``short_reason``.
    """
    data = read_at(f, offset, n)
    if len(data) != n:
        raise CorruptFile(short_reason)
    return data


def copy_range(
    src: BinaryIO, dst: BinaryIO, offset: int, length: int, short_reason: str
) -> None:
    """Copy ``length`` bytes at ``offset`` of ``src`` into ``dst`` in bounded pieces.

    Raises:
        CorruptFile: ``src`` ends before ``length`` bytes were copied; the message is
            ``short_reason`` (the caller says what that means for its file).
    """
    src.seek(offset)
    while length > 0:
        chunk = src.read(min(length, COPY_CHUNK))
        if not chunk:
            raise CorruptFile(short_reason)
        dst.write(chunk)
        length -= len(chunk)
