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
(its covered area is read back pixel by pixel every time). A batch on several worker
processes shares one table (:func:`share`, an anonymous shared mapping made before the
fork), so a duplicate is decoded once per run, not once per worker.
"""

from __future__ import annotations

import hashlib
import mmap
import os
from collections import OrderedDict
from typing import Any

#: Digests remembered per process (32 bytes each, oldest forgotten first).
MAX_REMEMBERED = 4096

_decoded: OrderedDict[tuple[bytes, str], None] = OrderedDict()

_KEY = 32  # bytes per shared slot: SHA-256 of (digest, mode)
_HEAD = 8  # slot count, little-endian
_shared: mmap.mmap | None = None
_shared_lock: Any = None


def share(lock: Any, slots: int = MAX_REMEMBERED) -> None:
    """Make a table shared with the processes forked after this call (a batch's workers),
    ``lock`` (a ``multiprocessing`` lock from the same context) guarding its writes. When
    full, the table stops growing; each process still remembers its own."""
    global _shared, _shared_lock
    _shared = mmap.mmap(-1, _HEAD + _KEY * slots)  # anonymous: MAP_SHARED across fork
    _shared_lock = lock


def unshare() -> None:
    """Drop the shared table (the batch that made it is over)."""
    global _shared, _shared_lock
    if _shared is not None:
        _shared.close()
    _shared = _shared_lock = None


def _slot_key(digest: bytes, mode: str) -> bytes:
    return hashlib.sha256(digest + b"\0" + mode.encode()).digest()


def _in_shared(key: bytes) -> bool:
    table = _shared
    if table is None:
        return False
    count = int.from_bytes(table[:_HEAD], "little")
    end = _HEAD + _KEY * count  # only slots published before the count was bumped
    at = table.find(key, _HEAD, end)
    while at != -1:
        if (at - _HEAD) % _KEY == 0:
            return True
        at = table.find(key, at + 1, end)
    return False


def _add_shared(key: bytes) -> None:
    table = _shared
    if table is None or _shared_lock is None:
        return
    with _shared_lock:
        count = int.from_bytes(table[:_HEAD], "little")
        at = _HEAD + _KEY * count
        if at + _KEY > len(table):
            return
        table[at : at + _KEY] = key  # the slot first, then the count that publishes it
        table[:_HEAD] = (count + 1).to_bytes(_HEAD, "little")


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
    return _in_shared(_slot_key(digest, mode))


def remember_decoded(digest: bytes, mode: str) -> None:
    """Record that a copy with ``digest`` decoded in full under ``mode``."""
    _decoded[(digest, mode)] = None
    _decoded.move_to_end((digest, mode))
    while len(_decoded) > MAX_REMEMBERED:
        _decoded.popitem(last=False)
    if _shared is not None and not _in_shared(_slot_key(digest, mode)):
        _add_shared(_slot_key(digest, mode))


def forget_all() -> None:
    """Forget every digest (tests; a long-lived process that wants a fresh start)."""
    _decoded.clear()
