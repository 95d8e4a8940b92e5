"""``export_batch``: many photos in input order, durable once per window, not per photo.

The batch cleans and verifies photos into their locked temp files; every ``WINDOW`` copies
(or ``WINDOW_BYTES``), one flush makes the whole window durable, then each copy is moved to
its final name and its result is yielded, in input order. So no copy gets its name, and no
result says "verified", before its bytes are on disk; and the batch pays one disk flush per
window instead of one per photo. A final flush makes the last renames durable before the
batch ends (the CLI prints its summary after that).

Before the first photo the batch snapshots the names in each destination folder (see
:class:`veil.core.export.place.Existing`, which decides what a rerun does) and deletes the
temp files that exports killed earlier left there (:func:`remove_stale_parts`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from veil.core.cancel import NEVER, CancelToken
from veil.core.export.commit import Pending, finish, remove_stale_parts
from veil.core.export.confine import OutsideOutput, confined_folder
from veil.core.export.engine import prepare
from veil.core.export.naming import SourceGuard
from veil.core.export.place import Existing
from veil.core.export.plan import BatchItem, plan_batch
from veil.core.export.sync import sync_files, sync_folder
from veil.core.model import ExportOptions, ExportResult, ExportStatus
from veil.core.scan import Skipped

#: Verified copies made durable together (one flush), and their total size at most.
WINDOW = 64
WINDOW_BYTES = 256 << 20

#: Destination folder (relative to the output root) -> its names before the batch.
Snapshot = dict[Path, Existing]


def export_batch(
    sources: Iterable[Path],
    out_dir: Path,
    options: ExportOptions,
    *,
    recursive: bool = True,
    cancel: CancelToken = NEVER,
) -> Iterator[ExportResult]:
    """Clean every photo under ``sources``, yielding each result once its copy is in place.

    Folder inputs keep their relative layout under ``out_dir``; files given directly go to
    ``out_dir`` itself. When ``out_dir`` lies inside an input folder, nothing under it is
    cleaned (the batch must not clean its own output again): each file there comes back as
    ``skipped`` with that reason, as do paths that can't be walked.

    Raises:
        Cancelled: between files when ``cancel`` fires; no partial file is left.
    """
    sources = [Path(s) for s in sources]
    # The whole plan first: folder listings are taken before any copy lands in them, and
    # --overwrite must know every original of the batch before the first copy is moved.
    items = list(plan_batch(sources, out_dir, recursive=recursive, cancel=cancel))
    guard = batch_guard(items, sources, overwrite=options.overwrite)
    snapshot = prepare_folders(items, out_dir)
    yield from export_planned(
        items, out_dir, options, cancel=cancel, guard=guard, snapshot=snapshot
    )
    finish_batch(out_dir)


def batch_guard(
    items: Iterable[BatchItem | Skipped], roots: Iterable[Path], *, overwrite: bool = True
) -> SourceGuard:
    """The originals of a planned batch: its inputs, and the folders they (and the given
    folders) are in. ``overwrite`` never replaces any of them.

    Only a batch with ``overwrite`` ever asks its guard (a copy replaces an existing file
    nowhere else, see :func:`veil.core.export.place.place`): without it the guard is empty
    and no original is looked at (two stats a photo: ~4,000 on a 2,000-photo roll)."""
    if not overwrite:
        return SourceGuard()
    files = [i.source if isinstance(i, BatchItem) else i.path for i in items]
    return SourceGuard.of(files, roots)


def prepare_folders(items: Iterable[BatchItem | Skipped], out_dir: Path) -> Snapshot:
    """For each destination folder of the plan: delete stale temp files left by killed
    exports, and snapshot the names it holds now (an absent folder holds none)."""
    snapshot: Snapshot = {}
    for item in items:
        if isinstance(item, BatchItem) and item.relative_dir not in snapshot:
            folder = Path(out_dir) / item.relative_dir
            try:  # never clean (delete) temp files through a link out of out_dir
                confined_folder(out_dir, item.relative_dir, create=False)
            except OSError:
                pass
            except OutsideOutput:
                snapshot[item.relative_dir] = Existing()  # its copies are refused anyway
                continue
            remove_stale_parts(folder)
            snapshot[item.relative_dir] = Existing.of(folder)
    return snapshot


def finish_batch(out_dir: Path) -> None:
    """The batch's last flush: its renames are durable before it reports that it is done.
    A failure here can't un-verify a copy (each was durable before its move): ignored."""
    with contextlib.suppress(OSError):
        sync_folder(out_dir)


def export_planned(
    items: Iterable[BatchItem | Skipped],
    out_dir: Path,
    options: ExportOptions,
    *,
    cancel: CancelToken = NEVER,
    guard: SourceGuard | None = None,
    snapshot: Snapshot | None = None,
) -> Iterator[ExportResult]:
    """:func:`export_batch` for items already planned by :func:`plan_batch`, without the
    batch's first and last steps (:func:`prepare_folders`, :func:`finish_batch`).

    ``guard`` protects the originals of the whole batch (see :func:`batch_guard`); without
    it the items are listed first and guarded themselves. Without ``snapshot`` each
    destination folder is snapshot here.

    Raises:
        Cancelled: between files when ``cancel`` fires; no partial file is left.
    """
    if guard is None:
        items = list(items)
        guard = batch_guard(items, (), overwrite=options.overwrite)
    if snapshot is None:
        items = list(items)
        snapshot = {
            i.relative_dir: Existing.of(Path(out_dir) / i.relative_dir)
            for i in items
            if isinstance(i, BatchItem)
        }
    window: list[ExportResult | Pending] = []
    size = 0
    try:
        for item in items:
            cancel.raise_if_cancelled()
            if isinstance(item, Skipped):
                entry: ExportResult | Pending = ExportResult(
                    source=item.path, output=None, status=ExportStatus.SKIPPED, error=item.reason
                )
            else:
                entry = prepare(
                    item.source,
                    out_dir,
                    options,
                    cancel,
                    item.index,
                    item.relative_dir,
                    guard,
                    snapshot.get(item.relative_dir),
                )
            window.append(entry)
            if isinstance(entry, Pending):
                with contextlib.suppress(OSError):
                    size += os.fstat(entry.fd).st_size
            if len(window) >= WINDOW or size >= WINDOW_BYTES:
                yield from _flush(window, cancel)
                size = 0
        yield from _flush(window, cancel)
    finally:  # cancelled, or the consumer stopped early: no temp file stays behind
        for entry in window:
            if isinstance(entry, Pending):
                entry.discard()


def _flush(window: list[ExportResult | Pending], cancel: CancelToken) -> Iterator[ExportResult]:
    """Make every copy of ``window`` durable with one flush, move each to its name, yield
    the results in order, and empty ``window``. A failed flush fails the window's copies."""
    pending = [e for e in window if isinstance(e, Pending)]
    error: OSError | None = None
    try:
        cancel.raise_if_cancelled()
        sync_files([p.fd for p in pending])
    except OSError as exc:
        error = exc
    done = [
        (e.fail(error) if error is not None else finish(e)) if isinstance(e, Pending) else e
        for e in window
    ]
    window.clear()
    yield from done
