"""Editing the list: remove (with one Undo), restore, and "Check the rest" after Cancel.

Functions over an :class:`AuditSession`, kept apart from its job plumbing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from veil.gui.memory import release_memory
from veil.gui.models.file_row import FileRow
from veil.gui.redactions import OverlayBox
from veil.gui.states import PENDING_STATES, RowState

if TYPE_CHECKING:
    from veil.gui.session import AuditSession


@dataclass(frozen=True)
class Removed:
    """Rows taken off the list, kept for one Undo."""

    rows: tuple[FileRow, ...]
    boxes: dict[str, tuple[OverlayBox, ...]]


def check_rest(session: AuditSession) -> int:
    """Resume after Cancel: finish every row Cancel left partly or not checked.

    Rows with a metadata report only need the pixel checks; the others start over.
    Returns how many rows were queued again.
    """
    # Also rows exported since: an export does not check them.
    rows = [r for r in session.model.rows if r.audit_state is RowState.CANCELLED]
    if not rows:
        return 0
    session.new_generation()
    partial = [r for r in rows if r.report is not None and r.report.ok]
    fresh = [r for r in rows if r.report is None]
    for row in partial:
        row.resume_checks(RowState.CHECKING_PIXELS)
    for row in fresh:
        row.resume_checks(RowState.QUEUED)
    keys = [r.key for r in rows]
    session.model.rows_changed(keys)
    session.reports_updated.emit(keys)  # the plan's "were not checked": on their way again
    session.audit_rows(fresh, full=False)
    session.audit_rows(partial, full=True)
    return len(partial) + len(fresh)


def remove(session: AuditSession, keys: Iterable[str]) -> Removed:
    """Take rows off the list (files on disk are never touched); returns them for Undo.

    Their thumbnails are dropped at once and memory handed back to the system: what
    Undo needs (the reports, the drawn boxes) is small.
    """
    keys = list(keys)
    rows = [r for k in keys if (r := session.model.row_for_key(k)) is not None]
    boxes = {k: session.redactions.pop(k) for k in keys if k in session.redactions}
    session.model.remove_keys(keys)
    for row in rows:
        row.set_thumbnail(None)
        row.thumbnail_requested = False
        if row.audit_state in PENDING_STATES:
            # Its audit is dropped; "Check the rest" redoes it.
            row.set_audit_state(RowState.CANCELLED)
    if session.model.rowCount() == 0 and session.auditing:
        session.cancel_audits()
    release_memory()
    return Removed(tuple(rows), boxes)


def restore(session: AuditSession, removed: Removed) -> int:
    """Undo a removal: the rows come back as they were. Returns how many came back."""
    added = session.model.add_rows(list(removed.rows))
    for row in added:
        if row.key in removed.boxes:
            session.redactions[row.key] = removed.boxes[row.key]
    if added:
        session.rows_added.emit(len(added))
    return len(added)
