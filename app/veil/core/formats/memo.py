"""A reader's parse of one file, handed to that format's cleaner instead of parsing again.

An export reads the source for its audit and then again in the cleaner. A reader that
wants to spare the cleaner the second parse leaves its result here under the open file's
identity (device, inode, size, modification and change times); the cleaner takes it back
(once) when it opens a file with the same identity, else it parses as before. One entry per
kind, per process: only the most recent parse is kept, so nothing accumulates.

Soundness: the parse describes the bytes the cleaner reads, unless the file was rewritten
in place with the same size within the file system's timestamp granularity; even then the
copy is verified on its own bytes (re-audit, structure, decode) before it is called clean.
"""

from __future__ import annotations

import os
import stat
from typing import Any, BinaryIO

_Key = tuple[int, int, int, int, int]
_memo: dict[str, tuple[_Key, Any]] = {}


def _key(f: BinaryIO) -> _Key | None:
    try:
        st = os.fstat(f.fileno())
    except (OSError, AttributeError, ValueError):  # not a real file (BytesIO...)
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def leave(f: BinaryIO, kind: str, parse: Any) -> None:
    """Leave ``parse`` (never mutated afterwards) of the file open as ``f`` for ``kind``'s
    cleaner, replacing any earlier one."""
    key = _key(f)
    if key is None:
        _memo.pop(kind, None)
    else:
        _memo[kind] = (key, parse)


def take(f: BinaryIO, kind: str) -> Any | None:
    """The parse left for the file open as ``f`` (removed from the memo), or None."""
    entry = _memo.pop(kind, None)
    if entry is None:
        return None
    key = _key(f)
    return entry[1] if key is not None and entry[0] == key else None
