"""Export tasks and their running: what one file's export is, how a run ended, the user's
HEIC answer applied to the tasks, and the worker loop (no Qt: the controller in
:mod:`veil.gui.exporter` runs it on the session's export pool).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled
from veil.core.model import ExportOptions, ExportResult, ExportStatus
from veil.gui.models.export_wording import shown_words

#: Added to a copy's name when it is saved next to its original (photo.clean.jpg).
BESIDE_SUFFIX = ".clean"


def export_available() -> bool:
    """True when the core export engine is present in this build."""
    try:
        from veil.core.export import export_clean  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class ExportTask:
    """One file to export, with its own options (redactions), neutral-name index and
    destination root (the chosen folder, or the photo's own folder with a name suffix)."""

    key: str
    source: Path
    relative_dir: Path
    options: ExportOptions
    index: int
    out_dir: Path


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """How an export run ended."""

    total: int
    verified: int
    failed: int
    cancelled: bool
    skipped: int = 0
    #: Verified copies that were there already, byte for byte (nothing written for them).
    unchanged: int = 0
    #: Verified copies that still show a face or possible mark left uncovered: not clean.
    shows: int = 0
    #: Other verified copies whose faces or marks were not checked (Cancel stopped the
    #: checks, a detector was not available): not clean either, nobody looked.
    unchecked: int = 0
    #: Verified copies with areas covered (black boxes over faces, marks, drawn boxes),
    #: whatever else they are counted as: the picture itself was changed.
    covered: int = 0
    #: Of ``shows``, the copies that show possible marks and no face: the rest show a face.
    marks_only: int = 0

    def text(self, left_out: int = 0, see_result: bool = False) -> str:
        """One line: "1,988 verified clean · 1 still shows a face · 1 not checked
        for faces or marks · 40 with covered areas · 3 skipped · 5 failed" (and what was
        left out); thousands
        separated as the status bar's counts are. A copy that still shows a face or mark,
        or was not checked for them, is never counted as clean. ``see_result``: the count
        that still shows one points at the Export tab's Result column (said once, there)."""
        parts = [f"{self.verified - self.shows - self.unchecked:,} verified clean"]
        # Three photos and one file in the folder: the same copy serves them all. Which of
        # the copies it was is not counted: beside "verified clean" only if all are clean.
        again = "already saved there, not written again"
        if self.unchanged and not (self.shows or self.unchecked):
            parts[0] += f" ({self.unchanged:,} {again})"
        if self.shows:
            parts.append(shown_words(self.shows - self.marks_only, self.marks_only)
                         + (" (see Result)" if see_result else ""))
        if self.unchecked:
            parts.append(f"{self.unchecked:,} not checked for faces or marks")
        if self.covered:
            parts.append(f"{self.covered:,} with covered areas")
        if self.unchanged and (self.shows or self.unchecked):
            noun = "copy" if self.unchanged == 1 else "copies"
            parts.append(f"{self.unchanged:,} {noun} {again}")
        if left_out:
            noun = "file" if left_out == 1 else "files"
            parts.append(f"{left_out:,} {noun} left out (not a readable photo)")
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped")
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        if self.cancelled:
            done = self.verified + self.failed + self.skipped
            parts.append(f"cancelled ({self.total - done:,} not saved)")
        return " · ".join(parts)


#: The reason shown for a HEIC the user chose not to convert.
SKIPPED_HEIC = "not converted: you chose to skip HEIC photos that need converting to JPEG"


def apply_conversion(
    tasks: tuple[ExportTask, ...], convert: set[str], choice: str | None
) -> tuple[tuple[ExportTask, ...], tuple[ExportResult, ...]] | None:
    """The tasks to run and the results of those skipped, after the user's answer about the
    ``convert`` keys: "convert" (allow HEIC -> JPEG for them), "skip" (leave them out, each
    reported as skipped) or None (cancel the export: None)."""
    if choice == "convert":
        allow = [
            dataclasses.replace(t, options=dataclasses.replace(t.options, heic_to_jpeg=True))
            if t.key in convert
            else t
            for t in tasks
        ]
        return tuple(allow), ()
    if choice == "skip":
        skipped = tuple(
            ExportResult(t.source, None, ExportStatus.SKIPPED, error=SKIPPED_HEIC)
            for t in tasks
            if t.key in convert
        )
        return tuple(t for t in tasks if t.key not in convert), skipped
    return None


def run_tasks(
    tasks: tuple[ExportTask, ...], cancel: CancelToken
) -> Iterator[tuple[str, ExportResult]]:
    """Export each task in turn (worker thread); a crash on one file fails that file only.

    First, once per destination folder, the temp files that killed exports left there are
    deleted, as ``veil clean`` does (one still being written, its lock held, is kept).
    """
    from veil.core.export import export_clean
    from veil.core.export.commit import remove_stale_parts

    for folder in dict.fromkeys(t.out_dir / t.relative_dir for t in tasks):
        cancel.raise_if_cancelled()
        remove_stale_parts(folder)
    for task in tasks:
        cancel.raise_if_cancelled()
        try:
            result = export_clean(
                task.source,
                task.out_dir,
                task.options,
                cancel=cancel,
                index=task.index,
                relative_dir=task.relative_dir,
            )
        except Cancelled:
            raise
        except Exception as exc:  # one bad file must not end the batch
            result = ExportResult(task.source, None, ExportStatus.FAILED, error=str(exc))
        yield task.key, result
