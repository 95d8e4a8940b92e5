"""One row of the file list: a file, its state, its latest report (GUI thread only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage, QPixmap

from veil.core.damage_words import no_copy_reason
from veil.core.model import ExportResult, FileReport
from veil.gui.models.export_wording import NO_CAUTION, Caution
from veil.gui.states import (
    BADGES,
    PARTLY_CHECKED,
    SAVED_CAUTION,
    SAVED_UNCHECKED_WORDS,
    STATUS_TEXT,
    STATUS_WORDS,
    Badge,
    RowState,
    badge_for,
    checks_not_run,
    nothing_found,
    partial_status,
    shown_state,
)
from veil.gui.text import safe_text, summary_line

#: Longest "why no copy" in the Status cell's tool tip: core's reason with what to do
#: instead (an animation's is ~270 characters; at 160 its advice was cut off).
EXPORT_WHY = 400
#: Names that say "photo" or "video": such a file stays in the list even when unreadable.
MEDIA_SUFFIXES = frozenset(
    (
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif",
        ".hif", ".avif", ".gif", ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".rw2", ".raf",
        ".pef", ".srw", ".bmp", ".jxl", ".mp4", ".mov", ".m4v", ".3gp", ".avi", ".mkv", ".webm",
        ".mts",
    )
)


@dataclass(eq=False)
class FileRow:
    """One file in the list (GUI thread only). ``key`` is the resolved path, for de-dup."""

    path: Path
    key: str
    relative_dir: Path = Path()
    state: RowState = RowState.QUEUED
    report: FileReport | None = None
    full_report: bool = False  # True once the audit with pixel checks has arrived
    reason: str | None = None  # why a file was skipped or failed
    thumbnail: QImage | None = None
    thumbnail_requested: bool = False
    export: ExportResult | None = None
    #: What the saved copy must warn of: detected faces and marks its export left
    #: uncovered (unticked, or covering off), pixel checks that did not run. Set with
    #: ``export``; its Status then says so ("Copy saved — still shows 1 face"), in caution
    #: amber, not "Clean copy saved".
    caution: Caution = NO_CAUTION
    #: A folder reached again through a symbolic link: skipped, but every file in it is
    #: listed once already (core's ``Skipped.is_error`` False). Not a failure to read.
    nothing_missed: bool = False
    #: Where the checks were when an export put the row in its own states (EXPORTING…):
    #: an export shows what happened to the copy, it never finishes or forgets the checks.
    checks_state: RowState | None = None
    _pixmap: QPixmap | None = field(default=None, repr=False)
    _name: str = field(default="", repr=False)
    _summary: tuple[tuple[object, ...], str] | None = field(default=None, repr=False)
    _keys: tuple[tuple[object, ...], tuple[Any, ...]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Cleaned once: sorting 5,000 rows asks for names ~100,000 times.
        # File names are at most 255 bytes: never cut (the view elides in the middle).
        self._name = safe_text(self.path.name, 300)

    @property
    def not_for_veil(self) -> bool:
        """A file that is no photo or video at all (a PDF, notes, Thumbs.db): listed apart.

        A file named like a photo that cannot be read stays among the photos (it may be a
        damaged one); so do videos, which Veil reads or says it could not.
        """
        if self.nothing_missed:
            return True  # a looping folder link: listed apart, not as an unreadable photo
        return self.state is RowState.UNSUPPORTED and self.path.suffix.lower() not in MEDIA_SUFFIXES

    @property
    def audit_state(self) -> RowState:
        """Where the row's checks are, also while an export's state is shown."""
        if self.state in _EXPORT_STATES and self.checks_state is not None:
            return self.checks_state
        return self.state

    def set_audit_state(self, state: RowState) -> None:
        """Move the checks on; an export's state stays shown (it is about the copy)."""
        if self.state in _EXPORT_STATES:
            self.checks_state = state
        else:
            self.state = state

    def show_export(self, state: RowState) -> None:
        """Show an export's ``state`` (EXPORTING…), keeping where the checks are."""
        if self.state not in _EXPORT_STATES:
            self.checks_state = self.state
        self.state = state

    def resume_checks(self, state: RowState) -> None:
        """Check again ("Check the rest", added again): the row shows its checks again."""
        self.state = state
        self.checks_state = None

    @property
    def badge(self) -> Badge:
        """The risk badge shown for this row."""
        return badge_for(self.audit_state, self.report)

    @property
    def name(self) -> str:
        """The file name as display text (hostile: cleaned and capped)."""
        return self._name

    @property
    def summary(self) -> str:
        """The one-line summary, or the reason it could not be checked (memoised)."""
        # The memo holds the report itself, so its identity can't be reused while memoised;
        # comparing by identity, not ==, matters: == walks every finding and tag.
        # Saving a copy does not change what a photo reveals: an export of 3,000 rows
        # re-sorts the list, and making every summary again stalled it ~0.1 s.
        state = self.audit_state
        state = RowState.DONE if state in _EXPORT_STATES else state
        key = (state, self.report, self.reason)
        if self._summary is None or not _same(self._summary[0], key):
            self._summary = (key, self._make_summary())
        return self._summary[1]

    def sort_keys(self) -> tuple[Any, ...]:
        """Sort key per column (memoised until the row changes)."""
        key = (self.state, self.report, self.reason, self.export, self.caution)
        if self._keys is None or not _same(self._keys[0], key):
            name = self.name.casefold()
            # Same risk: the file revealing most comes first when sorted by risk (descending).
            findings = len(self.report.findings) if self.report else 0
            risk = (BADGES[self.badge].rank, findings)
            # By Status: as the cells read, then by their sentences (the why).
            keys = (name, name, risk, self.summary.casefold(), (self.status_word, self.status))
            self._keys = (key, keys)
        return self._keys[1]

    def _make_summary(self) -> str:
        if self.reason:
            text = safe_text(self.reason, 200)
            return text[:1].upper() + text[1:]
        if self.report is None:
            return ""
        if self.state is RowState.UNSUPPORTED:
            suffix = self.path.suffix.lower()
            if suffix in MEDIA_SUFFIXES:
                # Named like a photo or video: maybe a damaged one (random bytes named .jpg
                # said "Veil cannot read this kind of file", as if JPEG were not read).
                kind = safe_text(suffix, 12)
                return f"Not checked: Veil doesn't recognise what this {kind} file holds"
            return "Veil cannot read this kind of file"
        if self.badge is Badge.CHECKING and not self.report.findings:
            return ""  # "nothing found" is not an answer until every check ran
        report = self.report
        if report.ok and not report.findings and not nothing_found(self.state, report):
            return "Nothing found, but not fully checked"
        return summary_line(self.report)

    @property
    def status(self) -> str:
        """The status column text."""
        if self.nothing_missed:
            return "Skipped: its files are listed once"
        if self.state is RowState.EXPORT_FAILED and self.export and self.export.error:
            return safe_text(f"Clean copy failed: {no_copy_reason(self.export.error)}", EXPORT_WHY)
        if self.state is RowState.EXPORT_SKIPPED and self.export and self.export.error:
            # Skipped as planned (a raw file): not a failure, in the detail pane's words.
            return safe_text(f"No clean copy: {no_copy_reason(self.export.error)}", EXPORT_WHY)
        if self.state is RowState.CANCELLED and self.report is not None and self.report.ok:
            missing = " and ".join(checks_not_run(self.report))
            return f"Partly checked (cancelled): {missing} not checked"
        if self.state is RowState.EXPORTED and self.caution:
            return SAVED_CAUTION.format(self.caution.text())
        if self.state is RowState.DONE:
            # "Checked" only when every check ran: a picture that could not be decoded says so.
            return partial_status(self.report) or STATUS_TEXT[self.state]
        return STATUS_TEXT[shown_state(self.state, self.report)]

    @property
    def status_word(self) -> str:
        """The Status cell's few words (:data:`STATUS_WORDS`); :attr:`status` is the whole
        sentence, in the cell's tooltip (at 1024 px the column shows ~12 characters a line)."""
        if self.nothing_missed:
            return "Listed once"
        if self.state is RowState.CANCELLED and self.report is not None and self.report.ok:
            return f"{PARTLY_CHECKED} (cancelled)"
        if self.state is RowState.DONE and partial_status(self.report):
            return PARTLY_CHECKED
        if self.state is RowState.EXPORTED and self.caution:
            # Few enough words to read whole in the narrowest column (the sentence is the
            # tooltip's); what a copy still shows is said as it is.
            shows = self.caution.shows
            short = None if shows else SAVED_UNCHECKED_WORDS.get(self.caution.unchecked)
            return short or SAVED_CAUTION.format(self.caution.text())
        return STATUS_WORDS[shown_state(self.state, self.report)]

    def set_thumbnail(self, image: QImage | None) -> None:
        """Store a decoded thumbnail (its pixmap is made on the next paint)."""
        self.thumbnail = image
        self._pixmap = None

    def pixmap(self) -> QPixmap | None:
        """The thumbnail as a pixmap, made lazily on the GUI thread (never in a worker)."""
        if self._pixmap is None and self.thumbnail is not None:
            self._pixmap = QPixmap.fromImage(self.thumbnail)
        return self._pixmap


#: States a finished row goes through when exported: its summary is that of DONE.
_EXPORT_STATES = frozenset(
    {RowState.EXPORTING, RowState.EXPORTED, RowState.EXPORT_FAILED, RowState.EXPORT_SKIPPED}
)


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Element-wise identity (a sort compares ~120,000 pairs: == on reports is too slow)."""
    return all(x is y for x, y in zip(a, b, strict=True))
