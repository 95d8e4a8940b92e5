"""The session keeps received reports out of the cyclic collector's sight (a full collection
walked every report: ~200 ms pauses over a 2,000-photo roll), without keeping garbage."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from tests.factories.export import dirty_jpeg
from veil.core.audit import audit_file
from veil.gui.session import AuditSession


class Node:
    """A weak-referenceable object that can be part of a reference cycle."""

    other: Node | None = None


def cycle() -> weakref.ref[Node]:
    """Make a two-object cycle that nothing else holds (garbage for the cyclic collector)."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_garbage_made_while_results_land_is_still_collected(
    sync_session: AuditSession, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(dirty_jpeg())
    report = audit_file(photo, metadata_only=True)
    gc.collect()
    frozen_before = gc.get_freeze_count()
    try:
        gone = cycle()  # garbage made between two batches of results (a job's, a widget's)
        assert gone() is not None
        sync_session.show_report(photo, report)  # a batch lands: the session freezes
        # The report and the row stay frozen (collections skip them) ...
        assert gc.get_freeze_count() > frozen_before
        # ... but the garbage was not frozen with them: the next collection frees it (it
        # stayed until the list was edited, a slow leak over a long check).
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_a_folder_walk_leaves_no_cyclic_garbage(tmp_path: Path) -> None:
    """The walk of a dropped folder runs while results land, so what it holds is frozen with
    them; what it leaves as a cycle stays until the list is edited. It left one: its
    recursive inner function, its closure and the set of every path seen (10,014 objects
    after a 5,000-photo check, found by the GUI benchmark's count)."""
    from veil.core.cancel import NEVER
    from veil.gui.jobs import scan_items

    folder = tmp_path / "roll"
    (folder / "sub").mkdir(parents=True)
    for i in range(20):
        (folder / ("sub" if i % 2 else "") / f"IMG_{i:04d}.jpg").write_bytes(b"\xff\xd8")
    gc.collect()
    gc.disable()
    try:
        items = list(scan_items([folder], NEVER))
        assert len(items) == 20
        del items
        assert gc.collect() == 0
    finally:
        gc.enable()
