"""Where a cleaned copy's JPEG scans end, from its source's walk a moment ago.

Finding where entropy-coded data ends means searching every byte of it for the next marker
(see :meth:`veil.core.formats.jpeg_window.FileWindow.next_marker`), once for the source's audit
and again for the copy's, whose scans are the source's bytes. Inside :func:`remembering`
(the export's source audit) the walk of a file keeps each scan's bytes up to and including
the marker that ended it; the cleaner writes those very bytes instead of reading the scans
from the file again (they come with the walk's layout, see :mod:`veil.core.formats.memo`),
and the walk of the copy in memory compares its k-th scan with the source's k-th: when the
bytes are equal (one ``memcmp`` where they lie, never a hash), the first marker in them is
at the same place, because the search's answer depends on nothing but those bytes. Any
difference, and any scan that was not kept, is searched as before.

One source's scans per process, replaced by the next source's (never mutated), at most
:data:`MAX_REMEMBERED` bytes.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from veil.core.scoped import ScopedFlag

__all__ = ["MAX_REMEMBERED", "Keeper", "keeper", "remembering", "scan_end"]

#: Most bytes of one source's scans kept (a 12 MP photo's are 3-8 MB).
MAX_REMEMBERED = 32 << 20

_REMEMBER = ScopedFlag("veil_jpeg_remember_scans")
#: The last kept source's scans, in order (None: not kept).
_last: tuple[bytes | None, ...] = ()


def remembering() -> AbstractContextManager[None]:
    """Within this block (this thread), JPEG files walked from their start keep their scans
    for the copy that will be walked next (the export's source audit)."""
    return _REMEMBER.raised()


class _Window(Protocol):
    base: int
    n: int
    view: memoryview

    def next_marker(self, off: int) -> int | None: ...

    def whole(self, off: int, n: int) -> memoryview | None: ...

    def window_at(self, off: int) -> None: ...


class Keeper:
    """The scans of one walk of a file, published for the next copy when the walk ends."""

    __slots__ = ("_scans", "_size")

    def __init__(self) -> None:  # noqa: D107 - nothing kept yet
        self._scans: list[bytes | None] = []
        self._size = 0

    def keep(self, scan: memoryview | None) -> None:
        """The next scan's bytes with its ending marker (None: not in the window)."""
        if scan is not None and self._size + len(scan) <= MAX_REMEMBERED:
            self._size += len(scan)
            self._scans.append(bytes(scan))
        else:
            self._scans.append(None)

    def publish(self) -> tuple[bytes | None, ...]:
        """This walk's scans replace the last source's; returns them (the walk's layout
        carries them to the cleaner, which writes them instead of reading them again)."""
        global _last
        _last = tuple(self._scans)
        return _last


def keeper() -> Keeper | None:
    """A keeper for a walk of a file from its start, inside :func:`remembering` only."""
    return Keeper() if _REMEMBER.is_raised() else None


def scan_end(buf: _Window, pos: int, k: int, keep: Keeper | None) -> int | None:
    """Offset of the marker that ends the ``k``-th scan, starting at ``pos``, or None.

    A file walked in memory (a copy: ``buf.whole`` gives its bytes) does not search a scan
    equal to the last source's ``k``-th again. ``keep``: the walk keeps its scans.
    """
    scans = _last
    known = scans[k] if k < len(scans) else None
    if known is not None:
        here = buf.whole(pos, len(known))
        if here is not None and known.startswith(here):  # same length: equal
            return pos + len(known) - 2
    if keep is not None:
        buf.window_at(pos)
    nxt = buf.next_marker(pos)
    if keep is not None:
        start, end = pos - buf.base, (nxt or 0) + 2 - buf.base
        keep.keep(buf.view[start:end] if nxt is not None and start >= 0 and end <= buf.n
                  else None)
    return nxt
