"""How a batch's worker process sets itself up (see :mod:`veil.core.export.parallel`).

A worker ignores Ctrl-C (the parent catches it and cancels), dies with its parent, and
tunes two allocators for its one job, many photos in a row: Python's garbage collector and
the C library's ``malloc``.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

__all__ = ["HEAP_KEPT", "WORKER_GC_THRESHOLDS", "setup"]

_PR_SET_PDEATHSIG = 1
#: glibc ``mallopt`` parameters.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3

#: A worker's collection thresholds (Python's: 700, 10, 10). A photo's audit, clean and
#: verification allocate tens of thousands of short-lived objects and leave almost no
#: cycles, so collecting every 700 allocations only walks live objects again and again.
WORKER_GC_THRESHOLDS = (10_000, 50, 100)

#: Blocks up to this size come from the worker's heap, and its freed top is kept up to it.
#: glibc hands each block over 128 kB-32 MB (a HEIC decode's 36 MB of pixels, libde265's
#: planes) to the kernel as a fresh mapping and gives it back when freed, so every decode
#: faulted its pages in again, zeroed (~150,000 page faults and ~0.2 s of kernel time for
#: ten 12 MP decodes); kept in the heap, the next decode reuses them. A worker lives for
#: one batch, so what it keeps goes back to the system when the batch ends.
HEAP_KEPT = 256 << 20


def setup(parent: int) -> None:
    """Everything a freshly forked worker does before its first task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    # What the parent loaded before the fork (modules, the plan) lives as long as the
    # worker: out of the collector's sight, it is never walked (nor its pages copied on
    # write by a collection touching their headers).
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    _keep_heap()


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this worker when its parent dies (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _keep_heap() -> bool:
    """Set glibc's thresholds to :data:`HEAP_KEPT` (True when it took; elsewhere nothing
    changes: another C library, or not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(param, HEAP_KEPT) == 1 for param in (_M_MMAP_THRESHOLD, _M_TRIM_THRESHOLD))
