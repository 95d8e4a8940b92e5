"""Row states and risk badges, each mapped ONCE to icon, word and colour.

A badge always carries an icon and a word as well as a colour, so it never relies on colour
alone. "None found" is shown only for a finished row whose every check ran; a row whose
pixel checks are still pending shows "Checking…", and anything that could not be checked
shows "Unknown", which is styled so it can never be mistaken for clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from veil.core.explain import RISK_MEANING
from veil.core.formats.video import VIDEO_FORMATS
from veil.core.model import CheckStatus, FileReport, Risk


class RowState(Enum):
    """Where one file is in its life in the window."""

    QUEUED = "queued"
    READING = "reading"  # metadata pass running
    CHECKING_PIXELS = "checking_pixels"  # metadata shown, faces/marks pending
    DONE = "done"
    UNSUPPORTED = "unsupported"
    ERROR = "error"
    CANCELLED = "cancelled"
    EXPORTING = "exporting"
    EXPORTED = "exported"
    EXPORT_FAILED = "export_failed"
    EXPORT_SKIPPED = "export_skipped"  # core skipped it, as the plan said (a raw file)


#: state -> status text shown in the table.
STATUS_TEXT: dict[RowState, str] = {
    RowState.QUEUED: "Waiting",
    RowState.READING: "Reading…",
    RowState.CHECKING_PIXELS: "Checking for faces and marks…",
    RowState.DONE: "Checked",
    RowState.UNSUPPORTED: "Not a supported image",
    RowState.ERROR: "Could not be read",
    RowState.CANCELLED: "Not checked (cancelled)",
    # Neutral: a copy being written may still show a face, or not have been checked.
    RowState.EXPORTING: "Saving a copy…",
    RowState.EXPORTED: "Clean copy saved",
    RowState.EXPORT_FAILED: "Clean copy failed",
    RowState.EXPORT_SKIPPED: "No clean copy (skipped)",
}

#: state -> the Status cell's words: short enough to read whole at 1024x700 (the column is
#: then ~85 px, two or three short lines); the tooltip holds the sentence (STATUS_TEXT and
#: the why of a partial check or a failed copy).
STATUS_WORDS: dict[RowState, str] = {
    RowState.QUEUED: "Waiting",
    RowState.READING: "Reading…",
    RowState.CHECKING_PIXELS: "Checking faces, marks…",
    RowState.DONE: "Checked",
    RowState.UNSUPPORTED: "Not supported",
    RowState.ERROR: "Can't be read",
    RowState.CANCELLED: "Not checked (cancelled)",
    RowState.EXPORTING: "Saving a copy…",
    RowState.EXPORTED: "Clean copy saved",
    RowState.EXPORT_FAILED: "Copy failed",
    RowState.EXPORT_SKIPPED: "No copy (skipped)",
}
#: The Status cell of a saved copy that still shows a face or possible mark, or whose faces
#: or marks were not checked, with why ("Copy saved — still shows 1 face", "Copy saved —
#: faces and marks not checked"): "Clean copy saved" read as safe to share.
SAVED_CAUTION = "Copy saved — {}"
#: Its few words when faces and/or marks were not checked, by the checks that did not run
#: (``Caution.unchecked``, in :data:`CHECK_WORDS` order): "Copy saved — faces and marks not
#: checked" was cut to "… faces an…" in the 73 px column at 1024x700; the sentence stays in
#: the tooltip.
SAVED_UNCHECKED_WORDS: dict[tuple[str, ...], str] = {
    ("faces", "marks"): "Saved — not checked",
    ("faces",): "Saved — faces not checked",
    ("marks",): "Saved — marks not checked",
}
#: Status colours: red (no copy, or unreadable), caution amber (a copy to look at: the export
#: table's, for a copy that still shows a face or mark, or was not checked for them), green
#: (a clean copy).
FAILED_COLOUR, CAUTION_COLOUR, CLEAN_COLOUR = "#B3261E", "#8A5A00", "#1E6B34"
#: The Status cell of a row whose checks did not all run (STATUS_TEXT's "Partly checked: …").
PARTLY_CHECKED = "Partly checked"

#: States in which the pixel checks (faces, marks) have not answered yet.
PENDING_STATES = frozenset({RowState.QUEUED, RowState.READING, RowState.CHECKING_PIXELS})


def is_clip(report: FileReport | None) -> bool:
    """True for a video (MP4, MOV...): core never looks at its frames for faces or marks, so
    its second pass checks none. A motion photo is a still (its picture is checked)."""
    return report is not None and (report.format or "").lower() in VIDEO_FORMATS


def shown_state(state: RowState, report: FileReport | None) -> RowState:
    """The state whose words a row shows: a clip's second pass only reads it again, so
    while it waits the row says "Reading…", not "Checking for faces and marks…" (a check
    that is never made: the row then says "Partly checked: faces and marks not checked")."""
    if state is RowState.CHECKING_PIXELS and is_clip(report):
        return RowState.READING
    return state


#: States in which the audit is finished (for progress counting).
FINISHED = frozenset(
    {
        RowState.DONE,
        RowState.UNSUPPORTED,
        RowState.ERROR,
        RowState.CANCELLED,
        RowState.EXPORTING,
        RowState.EXPORTED,
        RowState.EXPORT_FAILED,
        RowState.EXPORT_SKIPPED,
    }
)


class Badge(Enum):
    """What the risk column shows."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    UNKNOWN = "unknown"
    CHECKING = "checking"


@dataclass(frozen=True, slots=True)
class BadgeStyle:
    """How a badge looks: icon name in assets/icons, word, fill colour, sort rank."""

    icon: str
    word: str
    colour: str
    rank: int


#: THE table: badge -> icon, word, colour, sort rank (higher = more urgent).
BADGES: dict[Badge, BadgeStyle] = {
    Badge.HIGH: BadgeStyle("risk-high", "High", "#B3261E", 6),
    Badge.MEDIUM: BadgeStyle("risk-medium", "Medium", "#B45309", 5),
    Badge.UNKNOWN: BadgeStyle("risk-unknown", "Unknown", "#5B4B8A", 4),
    Badge.LOW: BadgeStyle("risk-low", "Low", "#8A6D00", 3),
    Badge.CHECKING: BadgeStyle("risk-checking", "Checking…", "#6B7785", 2),
    Badge.NONE: BadgeStyle("risk-none", "None found", "#1E6B34", 1),
}
#: A badge's tooltip (list cell and detail pane). The green "None found" is the metadata's
#: verdict, which is exhaustive; its tooltip says faces and marks are only "not detected"
#: and that detection can miss them (issue 13: a mark is a question, never "no tattoos").
BADGE_TIPS: dict[Badge, str] = {Badge.NONE: RISK_MEANING[Risk.NONE]}

_RISK_BADGE = {
    Risk.HIGH: Badge.HIGH,
    Risk.MEDIUM: Badge.MEDIUM,
    Risk.LOW: Badge.LOW,
    Risk.NONE: Badge.NONE,
    Risk.UNKNOWN: Badge.UNKNOWN,
}


def every_check_ran(report: FileReport) -> bool:
    """True when the file was read in full and every check of ``report`` is DONE."""
    complete = report.ok and report.risk is not Risk.UNKNOWN
    return complete and all(s is CheckStatus.DONE for s in report.checks.values())


def nothing_found(state: RowState, report: FileReport | None) -> bool:
    """True when "nothing identifying was found" is an honest answer for this row: risk none,
    the row is finished (not pending, not cancelled) and every check ran."""
    return (
        report is not None
        and report.risk is Risk.NONE
        and state not in PENDING_STATES
        and state is not RowState.CANCELLED
        and every_check_ran(report)
    )


#: Plain names of the checks a partial report may lack (the rest are "metadata"): core's
#: pixel checks (``PIXEL_DETECTOR_IDS``), by id.
CHECK_WORDS = {"faces": "faces", "marks": "marks"}


def checks_not_run(report: FileReport | None) -> list[str]:
    """Plain names of the checks that did not run for ``report`` (all, when there is none)."""
    if report is None:
        return ["every check"]
    missing = [k for k, s in report.checks.items() if s is not CheckStatus.DONE]
    words = [CHECK_WORDS.get(k, "metadata") for k in missing]
    return list(dict.fromkeys(words))  # once each, in order


def badge_for(state: RowState, report: FileReport | None) -> Badge:
    """The badge of a row; "None found" only when every check has finished.

    A cancelled row keeps what was found before Cancel: a name or a place already read
    stays High; only a row with nothing found yet says Unknown.
    """
    if state is RowState.CANCELLED:
        found = _RISK_BADGE[report.risk] if report is not None and report.ok else Badge.UNKNOWN
        return found if found in (Badge.HIGH, Badge.MEDIUM, Badge.LOW) else Badge.UNKNOWN
    if state in (RowState.UNSUPPORTED, RowState.ERROR):
        return Badge.UNKNOWN
    if report is None:
        return Badge.CHECKING
    badge = _RISK_BADGE[report.risk]
    if state in PENDING_STATES:
        # Pixel checks are pending: a finding already seen stands (it can only rise), but
        # "nothing found" is not an answer yet.
        return Badge.CHECKING if badge is Badge.NONE else badge
    if badge is Badge.NONE and not nothing_found(state, report):
        return Badge.UNKNOWN  # e.g. a metadata-only report: faces were never looked for
    return badge


def partial_status(report: FileReport | None) -> str | None:
    """The status of a finished row whose checks did not all run, in the words Cancel's
    partial state uses ("Partly checked: faces and marks could not run"); None when every
    check ran (or there is no readable report: its state says why)."""
    if report is None or not report.ok or every_check_ran(report):
        return None
    failed = _words(report, CheckStatus.FAILED, CheckStatus.NOT_AVAILABLE)
    skipped = _words(report, CheckStatus.SKIPPED)
    parts = []
    if failed:
        parts.append(f"{' and '.join(failed)} could not run")
    if skipped:
        parts.append(f"{' and '.join(skipped)} not checked")
    if not parts:  # every check ran, but the file could not be read in full
        parts.append("parts of the file could not be read")
    return "Partly checked: " + "; ".join(parts)


def _words(report: FileReport, *statuses: CheckStatus) -> list[str]:
    words = [CHECK_WORDS.get(k, "metadata") for k, s in report.checks.items() if s in statuses]
    return list(dict.fromkeys(words))
