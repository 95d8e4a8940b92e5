"""What worker results and Cancel do to the list's rows (GUI thread).

Results: files found become rows, reports move rows on; applied inside the session's flush
(:meth:`AuditSession.flush`), which then adds the new rows, queues their audits and tells
the views what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from veil.core.scan import Skipped
from veil.gui.imaging import Picture
from veil.gui.jobs import AuditResult, ScanItem
from veil.gui.models.file_row import FileRow
from veil.gui.redactions import boxes_from_report
from veil.gui.states import RowState

if TYPE_CHECKING:
    from veil.gui.session import AuditSession


@dataclass(slots=True)
class RowUpdates:
    """What one flush's results did, for the session to add, audit and announce."""

    #: Rows for files found (or skipped) by a walk, not yet in the model.
    new_rows: list[FileRow] = field(default_factory=list)
    #: Listed rows a walk found again after Cancel: queued to be checked again.
    recheck: list[FileRow] = field(default_factory=list)
    #: Keys whose report or thumbnail changed.
    changed: list[str] = field(default_factory=list)
    #: Rows whose metadata audit is in: the pixel pass comes next.
    pixel_next: list[FileRow] = field(default_factory=list)


def apply_results(session: AuditSession, pending: list[Any]) -> RowUpdates:
    """Apply ``pending`` (walk finds, skips, audit results, thumbnails) to the rows, in order.

    New rows are not in the model yet; after a Cancel they start as "not checked"."""
    updates = RowUpdates()
    for item in pending:
        if isinstance(item, ScanItem):
            existing = session.model.row_for_key(item.key)
            if existing is None:
                updates.new_rows.append(FileRow(item.path, item.key, item.relative_dir))
            elif existing.audit_state is RowState.CANCELLED:
                existing.resume_checks(RowState.QUEUED)
                updates.recheck.append(existing)
        elif isinstance(item, Skipped):
            key = f"skipped:{item.path}"
            updates.new_rows.append(
                FileRow(
                    item.path,
                    key,
                    state=RowState.ERROR,
                    reason=item.reason,
                    nothing_missed=not item.is_error,
                )
            )
        elif isinstance(item, AuditResult):
            row = apply_audit(session, item)
            if row is not None:
                updates.changed.append(row.key)
                if not item.full and row.audit_state is RowState.CHECKING_PIXELS:
                    updates.pixel_next.append(row)
        elif isinstance(item, Picture):
            session.pictures.apply_thumbnail(item, updates.changed)
    if session.cancel_token.cancelled:  # found by a walk that Cancel stopped: not checked
        for row in updates.new_rows:
            if row.state is RowState.QUEUED:
                row.state = RowState.CANCELLED
    return updates


def apply_audit(session: AuditSession, result: AuditResult) -> FileRow | None:
    """Store ``result`` on its row and move the row's state on; the row, or None when the
    result no longer applies (row removed, older or cancelled answer)."""
    row = session.model.row_for_key(result.key)
    if row is None or (row.full_report and not result.full):
        return None  # removed from the list, or an older (metadata-only) answer
    stale = result.generation != session.generation
    if stale and not result.full:
        return None  # cancelled since: keep the honest "not checked" state
    report = result.report
    row.report = report
    row.full_report = result.full
    if report.status != "ok":
        unsupported = "not a supported image" in (report.error or "").lower()
        row.set_audit_state(RowState.UNSUPPORTED if unsupported else RowState.ERROR)
    elif result.full:
        row.set_audit_state(RowState.DONE)
        # Boxes the user drew while faces were still being looked for are kept.
        drawn = tuple(b for b in session.redactions.get(row.key, ()) if b.finding < 0)
        session.redactions[row.key] = boxes_from_report(report) + drawn
        session.redactions_changed.emit(row.key)
    elif row.audit_state is not RowState.CANCELLED:
        row.set_audit_state(RowState.CHECKING_PIXELS)
    return row


def cancel_rows(session: AuditSession) -> None:
    """After Cancel: unfinished rows say "Not checked (cancelled)", and the words made from
    their checks follow (``reports_updated``: the plan line and the export's plan would
    go on saying "still being checked" of checks that now will not run)."""
    changed: list[str] = []
    for row in session.model.rows:
        if row.thumbnail is None:
            row.thumbnail_requested = False  # queued thumbnail jobs were dropped too
        if row.audit_state in (RowState.QUEUED, RowState.READING, RowState.CHECKING_PIXELS):
            row.set_audit_state(RowState.CANCELLED)  # also under an export's state
            changed.append(row.key)
    session.model.rows_changed(changed)
    if changed:
        session.reports_updated.emit(changed)
