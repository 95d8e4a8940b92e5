"""Copies already seen to decode in this process: a byte-identical copy need not decode again.

Verification decodes every cleaned copy it can't prove identical to its source's coded data
(HEIF/AVIF always: issue 12 item 8b). A roll often holds the same photo more than once
(albums of a Takeout export, a phone's duplicates), and the cleaner is deterministic, so
those copies are byte for byte the same file. A decoder's result depends on nothing but the
bytes it is given: when a copy's SHA-256 equals that of a copy which decoded in full in this
process, under the same checks, the new copy decodes too. The guarantee stays exactly as
strong: every copy called verified has bytes that were decoded successfully here; the
header checks (upright size, orientation, memory cap) still run on each copy.

Only the outcome "decoded" is remembered, never a failure, and never for a redacted copy
(its covered area is read back pixel by pixel every time).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict

#: Digests remembered per process (32 bytes each, oldest forgotten first).
MAX_REMEMBERED = 4096

_decoded: OrderedDict[tuple[bytes, str], None] = OrderedDict()


def file_digest(fd: int) -> bytes:
    """SHA-256 of the whole file open as ``fd`` (read from the start; ``fd`` is not moved).

    Raises:
        OSError: the file can't be read.
    """
    h = hashlib.sha256()
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return h.digest()
        h.update(chunk)
        offset += len(chunk)


def path_digest(path: str | os.PathLike[str]) -> bytes | None:
    """SHA-256 of the file at ``path``, or None when it can't be read (the caller then
    decodes the file as if nothing were remembered)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return file_digest(fd)
    except OSError:
        return None
    finally:
        os.close(fd)


def seen_decoding(digest: bytes, mode: str) -> bool:
    """True when a copy with ``digest`` decoded in full under ``mode`` in this process."""
    key = (digest, mode)
    if key in _decoded:
        _decoded.move_to_end(key)
        return True
    return False


def remember_decoded(digest: bytes, mode: str) -> None:
    """Record that a copy with ``digest`` decoded in full under ``mode``."""
    _decoded[(digest, mode)] = None
    _decoded.move_to_end((digest, mode))
    while len(_decoded) > MAX_REMEMBERED:
        _decoded.popitem(last=False)


def forget_all() -> None:
    """Forget every digest (tests; a long-lived process that wants a fresh start)."""
    _decoded.clear()
