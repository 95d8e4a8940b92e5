"""Copies already seen to decode in this process: a byte-identical copy need not decode again.

Verification decodes every cleaned copy it can't prove identical to its source's coded data
(a HEIF/AVIF also when the walk of its coded data finds damage or can't judge it). A roll
often holds the same photo more than once (albums of a Takeout export, a phone's
duplicates), and the cleaner is deterministic, so those copies are byte for byte the same
file. A decoder's result depends on nothing but the
bytes it is given: when a copy's SHA-256 equals that of a copy which decoded in full in this
process, under the same checks, the new copy decodes too. The guarantee stays exactly as
strong: every copy called verified has bytes that were decoded successfully here; the
header checks (upright size, orientation, memory cap) still run on each copy.

Only the outcome "decoded" is remembered, never a failure, and never for a redacted copy
(its covered area is read back pixel by pixel every time). A batch on several worker
processes shares one table (:func:`share`, an anonymous shared mapping made before the
fork), so a duplicate is decoded once per run, not once per worker. A worker about to
decode takes a claim on the digest (:func:`claim`): another worker that meets the same
bytes meanwhile waits for that decode's outcome instead of decoding them in parallel (two
copies of one 12 MP HEIC in two workers at once cost a second ~0.4 s decode); when that
decode failed, or its worker died, the waiter decodes the copy itself.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import time
from collections import OrderedDict
from typing import Any

#: Digests remembered per process (32 bytes each, oldest forgotten first).
MAX_REMEMBERED = 4096

_decoded: OrderedDict[tuple[bytes, str], None] = OrderedDict()

_KEY = 32  # bytes per shared slot: SHA-256 of (digest, mode)
_HEAD = 8  # slot count, little-endian
#: Decodes under way at once (one per worker is enough); a claim is a key and a pid.
_CLAIMS = 64
_CLAIM = _KEY + 8
#: Longest wait for another worker's decode of the same bytes (then decode it here too).
MAX_WAIT_S = 60.0
_POLL_S = 0.005
_shared: mmap.mmap | None = None
_shared_lock: Any = None


def share(lock: Any, slots: int = MAX_REMEMBERED) -> None:
    """Make a table shared with the processes forked after this call (a batch's workers),
    ``lock`` (a ``multiprocessing`` lock from the same context) guarding its writes. When
    full, the table stops growing; each process still remembers its own."""
    global _shared, _shared_lock
    # anonymous: MAP_SHARED across fork; the claims come after the digests' slots
    _shared = mmap.mmap(-1, _HEAD + _KEY * slots + _CLAIM * _CLAIMS)
    _shared_lock = lock


def unshare() -> None:
    """Drop the shared table (the batch that made it is over)."""
    global _shared, _shared_lock
    if _shared is not None:
        _shared.close()
    _shared = _shared_lock = None


def _slot_key(digest: bytes, mode: str) -> bytes:
    return hashlib.sha256(digest + b"\0" + mode.encode()).digest()


def _claims_at(table: mmap.mmap) -> int:
    return len(table) - _CLAIM * _CLAIMS


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
        if at + _KEY > _claims_at(table):
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
    """Record that a copy with ``digest`` decoded in full under ``mode`` (and drop this
    process's claim on it, if any)."""
    _decoded[(digest, mode)] = None
    _decoded.move_to_end((digest, mode))
    while len(_decoded) > MAX_REMEMBERED:
        _decoded.popitem(last=False)
    if _shared is not None and not _in_shared(_slot_key(digest, mode)):
        _add_shared(_slot_key(digest, mode))
    release(digest, mode)


def _find_claim(table: mmap.mmap, key: bytes) -> tuple[int | None, int | None]:
    """(offset of ``key``'s claim, its pid) or (offset of a free claim, None); (None, None)
    when neither exists. Call with the lock held."""
    free = None
    base = _claims_at(table)
    for n in range(_CLAIMS):
        at = base + _CLAIM * n
        pid = int.from_bytes(table[at + _KEY : at + _CLAIM], "little")
        if pid and table[at : at + _KEY] == key:
            return at, pid
        if not pid and free is None:
            free = at
    return free, None


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a dead worker not yet reaped, a zombie, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else (not a worker of ours, but alive)
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2][:2] != b" Z"
    except OSError:
        return True  # no /proc: kill(0) is all there is


def claim(digest: bytes, mode: str) -> bool:
    """Before decoding a copy with ``digest``: True when bytes like these decoded in full
    under ``mode`` (here, or in another worker while this one waited): the copy need not
    decode. False when the caller must decode it now, then call :func:`remember_decoded`
    on success or :func:`release` on failure.

    While another live worker of the batch holds the claim on the same bytes, this waits
    for its outcome (at most :data:`MAX_WAIT_S`): a failed decode is never remembered, so
    after one the waiter decodes the copy itself and fails on its own.
    """
    if seen_decoding(digest, mode):
        return True
    table, lock = _shared, _shared_lock
    if table is None or lock is None:
        return False
    key = _slot_key(digest, mode)
    deadline = time.monotonic() + MAX_WAIT_S
    while True:
        with lock:
            if _in_shared(key):
                return True
            at, holder = _find_claim(table, key)
            mine = holder is None or holder == os.getpid()
            if mine or not _alive(holder) or time.monotonic() > deadline:  # type: ignore[arg-type]
                if at is not None:  # no free claim left: decode without one
                    table[at : at + _KEY] = key
                    table[at + _KEY : at + _CLAIM] = os.getpid().to_bytes(8, "little")
                return False
        time.sleep(_POLL_S)


def release(digest: bytes, mode: str) -> None:
    """Drop this process's claim on ``digest`` (its decode failed, or it is remembered)."""
    table, lock = _shared, _shared_lock
    if table is None or lock is None:
        return
    with lock:
        at, holder = _find_claim(table, _slot_key(digest, mode))
        if at is not None and holder == os.getpid():
            table[at + _KEY : at + _CLAIM] = bytes(8)


def forget_all() -> None:
    """Forget every digest (tests; a long-lived process that wants a fresh start)."""
    _decoded.clear()
