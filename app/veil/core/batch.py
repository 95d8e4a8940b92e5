"""``audit_paths``: audit many files, streamed, on a small pool of worker processes.

Metadata parsing is pure-Python CPU work, so threads would serialise on the GIL; two forked
processes use both cores of a small laptop. Results come back in input order and are yielded
as they arrive (never accumulated), so memory stays flat over 10,000 photos.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from veil.core.audit import audit_file
from veil.core.cancel import NEVER, CancelToken
from veil.core.cpu import idle_workers
from veil.core.model import FileReport
from veil.core.scan import Skipped, expand_paths

#: Below this many files a pool costs more (fork + pickling) than it saves.
POOL_THRESHOLD = 16

_metadata_only = False  # set in each worker by _init (fork copies it; kept explicit for clarity)


def default_workers() -> int:
    """Worker processes for a headless batch: the idle cores, at most 4."""
    return idle_workers()


def _init(metadata_only: bool) -> None:
    global _metadata_only
    _metadata_only = metadata_only


def _preload() -> None:
    """Import what every audit needs (and load the gazetteer) before forking: each worker
    then shares it instead of importing (and, without cached bytecode, compiling) it again."""
    from veil.core.detectors import metadata_detectors
    from veil.core.metadata import gazetteer
    from veil.core.metadata.collect import collect  # noqa: F401 - imported to be inherited

    metadata_detectors()
    # Without a table the location check says so itself; the workers would fail alike.
    with contextlib.suppress(ImportError, OSError, ValueError):
        gazetteer.warm()


def _work(item: Path | Skipped) -> FileReport | Skipped:
    if isinstance(item, Skipped):
        return item
    return audit_file(item, metadata_only=_metadata_only)


def audit_paths(
    paths: Iterable[Path],
    *,
    recursive: bool = True,
    metadata_only: bool = False,
    cancel: CancelToken = NEVER,
    workers: int = 1,
) -> Iterator[FileReport | Skipped]:
    """Audit every file under ``paths``, yielding reports (and skipped paths) in walk order.

    ``workers > 1`` uses forked worker processes where the platform has ``fork`` (elsewhere it
    runs in this process). Only call it with workers > 1 from a process without threads that
    must not be forked (the GUI uses its own thread pool and ``audit_file``).

    Raises:
        Cancelled: ``cancel`` fired; the pool is stopped at once.
    """
    items = expand_paths(paths, recursive=recursive, cancel=cancel)
    head = list(islice(items, POOL_THRESHOLD))
    stream = chain(head, items)
    if workers > 1 and len(head) >= POOL_THRESHOLD:
        import multiprocessing  # a dozen modules a small or single-process batch never needs

        if "fork" in multiprocessing.get_all_start_methods():
            _preload()
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers, initializer=_init, initargs=(metadata_only,)) as pool:
                for result in pool.imap(_work, stream, chunksize=4):
                    cancel.raise_if_cancelled()  # leaving the `with` terminates the workers
                    yield result
            return
    for item in stream:
        cancel.raise_if_cancelled()
        if isinstance(item, Skipped):
            yield item
        else:
            yield audit_file(item, metadata_only=metadata_only, cancel=cancel)
