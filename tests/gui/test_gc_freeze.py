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

