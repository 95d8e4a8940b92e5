"""The window's memory over a long check: reports kept out of the cyclic collector's sight
while results land, and memory handed back when rows leave the list."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys


def keep_out_of_collections() -> None:
    """Move what is alive now out of the cyclic collector's sight, after freeing the young
    garbage.

    Reports are acyclic and freed by reference counting; without freezing, Python's full
    collections walk every report ever received (a 2,000-photo roll: ~200 ms pauses
    mid-check). Frozen objects are still freed when their last reference goes, but frozen
    cyclic garbage never is (until :func:`release_memory` unfreezes). So the young
    generations (what the last batch made and dropped) are collected first: ~0.02 ms a
    batch, 0.5 at most over a 5,000-photo check. Not a full collection: it walks what
    the collector promoted since the last batch too, and the batch that lists a dropped
    folder's 5,000 rows took 66 ms. Garbage promoted before it died (a cycle that lived
    through collections) is frozen: such a cycle is broken where it is made (the folder
    walk's, ``core.scan``).
    """
    gc.collect(1)
    gc.freeze()


def release_memory() -> None:
    """Collect garbage and give freed heap pages back to the system (glibc keeps them)."""
    gc.unfreeze()  # reports are frozen so collections skip them; look at all now
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)
