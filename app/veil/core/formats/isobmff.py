"""A bounded, loop-safe ISO base media file format (ISOBMFF) box walker.

Used by the HEIF/AVIF handler and the MP4 probe. Files are hostile input, so:

* every box is checked against its parent's end (and so the file's end): a size that
  points beyond it is an error, never a read;
* size 1 means a 64-bit ``largesize`` follows, size 0 means "to the end of the parent";
* a size smaller than its own header is an error (it would make the walker loop);
* nesting is capped at :data:`MAX_DEPTH` and the number of boxes per walk at
  :data:`MAX_BOXES`, so a crafted file cannot make us spin.

Two sources are supported with the same rules: an in-memory ``bytes`` (a meta box already
read, capped) and an open file (top-level boxes, where only headers are read).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from veil.core.errors import CorruptFile

#: Deepest nesting we follow; real files use < 10 levels.
MAX_DEPTH = 16
#: Most boxes one walk yields before it gives up (real files have a few dozen per level).
MAX_BOXES = 100_000


@dataclass(frozen=True, slots=True)
class Box:
    """One box header.

    Attributes:
        type: the four-character code as text ("ftyp", "meta", "©xyz" ...), latin-1.
        offset: where the box starts (in the buffer or file it was read from).
        size: the whole box length, header included.
        header: header length (8, 16 with largesize; +16 for "uuid" boxes).
        uuid: the 16-byte extended type of a "uuid" box, else None.
    """

    type: str
    offset: int
    size: int
    header: int
    uuid: bytes | None = None

    @property
    def end(self) -> int:
        """Offset just past the box."""
        return self.offset + self.size

    @property
    def body(self) -> int:
        """Offset of the first byte after the header."""
        return self.offset + self.header


def parse_header(head: bytes, offset: int, parent_end: int) -> Box:
    """Decode a box header from ``head`` (the bytes at ``offset``, at least 8 of them).

    Args:
        head: up to 32 bytes starting at the box.
        offset: the box's position (buffer or file coordinates).
        parent_end: where the enclosing box (or file) ends; the box must fit inside.

    Raises:
        CorruptFile: truncated header, size smaller than the header, or beyond the parent.
    """
    if len(head) < 8 or offset + 8 > parent_end:
        raise CorruptFile(f"truncated box header at offset {offset}")
    size, raw_type = struct.unpack_from(">I4s", head, 0)
    box_type = raw_type.decode("latin-1")
    header = 8
    if size == 1:
        if len(head) < 16 or offset + 16 > parent_end:
            raise CorruptFile(f"truncated 64-bit box size at offset {offset}")
        size = struct.unpack_from(">Q", head, 8)[0]
        header = 16
    elif size == 0:
        size = parent_end - offset
    uuid = None
    if box_type == "uuid":
        if len(head) < header + 16 or offset + header + 16 > parent_end:
            raise CorruptFile(f"truncated uuid box at offset {offset}")
        uuid = bytes(head[header : header + 16])
        header += 16
    if size < header:
        raise CorruptFile(f"box '{printable(box_type)}' at offset {offset} has an impossible size")
    if offset + size > parent_end:
        raise CorruptFile(
            f"box '{printable(box_type)}' at offset {offset} claims {size} bytes, "
            f"beyond its container's end"
        )
    return Box(box_type, offset, size, header, uuid)


def iter_boxes(buf: bytes, start: int, end: int, depth: int = 0) -> Iterator[Box]:
    """The boxes laid out in ``buf[start:end]`` one after another.

    Raises:
        CorruptFile: a bad header, a box overrunning ``end``, too deep or too many boxes.
    """
    if depth > MAX_DEPTH:
        raise CorruptFile("boxes nest too deeply (corrupt or hostile file)")
    end = min(end, len(buf))
    pos = start
    count = 0
    while pos < end:
        if end - pos < 8:
            raise CorruptFile(f"{end - pos} stray bytes at offset {pos} inside a box")
        box = parse_header(buf[pos : pos + 40], pos, end)
        count += 1
        if count > MAX_BOXES:
            raise CorruptFile("too many boxes (corrupt or hostile file)")
        yield box
        pos = box.end  # size >= header >= 8, so this always moves forward


def iter_file_boxes(f: BinaryIO, start: int, end: int) -> Iterator[Box]:
    """Top-level style walk over an open file between ``start`` and ``end``; headers only.

    Raises:
        CorruptFile: a bad header, a box overrunning ``end`` or too many boxes.
    """
    pos = start
    count = 0
    while pos < end:
        f.seek(pos)
        head = f.read(40)
        box = parse_header(head, pos, end)
        count += 1
        if count > MAX_BOXES:
            raise CorruptFile("too many boxes (corrupt or hostile file)")
        yield box
        pos = box.end


def find_child(buf: bytes, parent: Box, box_type: str, skip: int = 0, depth: int = 0) -> Box | None:
    """First child of ``parent`` (in ``buf``) with ``box_type``; ``skip`` bytes of fields first.

    ``skip`` is 4 for full boxes (version + flags) such as "meta".
    """
    for child in iter_boxes(buf, parent.body + skip, parent.end, depth + 1):
        if child.type == box_type:
            return child
    return None


def full_box(buf: bytes, box: Box) -> tuple[int, int]:
    """(version, flags) of a full box whose header is ``box``.

    Raises:
        CorruptFile: the box is too short to hold them.
    """
    if box.body + 4 > box.end:
        raise CorruptFile(f"'{printable(box.type)}' box too short")
    word = struct.unpack_from(">I", buf, box.body)[0]
    return word >> 24, word & 0xFFFFFF


class Reader:
    """Big-endian field reader over ``buf[pos:end]`` that never reads past ``end``."""

    __slots__ = ("buf", "end", "pos", "what")

    def __init__(self, buf: bytes, pos: int, end: int, what: str) -> None:
        self.buf = buf
        self.pos = pos
        self.end = min(end, len(buf))
        self.what = what

    def _take(self, n: int) -> int:
        if n < 0 or self.pos + n > self.end:
            raise CorruptFile(f"'{self.what}' box is truncated")
        at = self.pos
        self.pos += n
        return at

    def uint(self, n: int) -> int:
        """An unsigned big-endian integer of ``n`` bytes (0 for n == 0)."""
        if n == 0:
            return 0
        at = self._take(n)
        return int.from_bytes(self.buf[at : at + n], "big")

    def bytes(self, n: int) -> bytes:
        """The next ``n`` raw bytes."""
        at = self._take(n)
        return bytes(self.buf[at : at + n])

    def fourcc(self) -> str:
        """A four-character code as text."""
        return self.bytes(4).decode("latin-1")

    def cstring(self) -> str:
        """A NUL-terminated UTF-8 string (a missing NUL at the box end is tolerated)."""
        nul = self.buf.find(b"\0", self.pos, self.end)
        stop = self.end if nul < 0 else nul
        text = bytes(self.buf[self.pos : stop]).decode("utf-8", "replace")
        self.pos = self.end if nul < 0 else nul + 1
        return text

    @property
    def left(self) -> int:
        """Bytes left before ``end``."""
        return self.end - self.pos


def quicktime_keys(buf: bytes, box: Box, *, strict: bool) -> list[str]:
    """The key names of a QuickTime ``keys`` box (``ilst`` items refer to them by index).

    An entry of impossible size ends the list (``strict=False``: a motion photo's video is
    read for what it can tell) or raises :class:`CorruptFile` (``strict=True``: a movie
    being audited must be understood whole).
    """
    r = Reader(buf, box.body + 4, box.end, "keys")
    names: list[str] = []
    for _ in range(min(r.uint(4), 4096)):
        size = r.uint(4)
        if size < 8:
            if strict:
                raise CorruptFile("a 'keys' entry has an impossible size")
            break
        r.fourcc()
        names.append(r.bytes(size - 8).decode("utf-8", "replace"))
    return names


def printable(code: str) -> str:
    """A four-character code safe to show in a one-line message."""
    return "".join(c if 32 <= ord(c) < 127 else "?" for c in code)
