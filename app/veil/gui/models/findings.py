"""What the findings pane shows for one report, as plain values (no widgets, testable).

Grouping and wording come from :mod:`veil.core.explain`; here every string from the file is
cleaned (:func:`safe_text`), capped and made wrappable, and each face/mark finding is paired
with its box's covered state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from veil.core.audit import ANIMATION_NOTE
from veil.core.covers import covered_by_default
from veil.core.damage_words import pixels_undecodable
from veil.core.explain import DETECTION_CAVEAT, PICTURE_TEXT, plain_note, undetected
from veil.core.model import PIXEL_KINDS, CheckStatus, FileReport, Severity
from veil.gui.redactions import OverlayBox
from veil.gui.states import PENDING_STATES, RowState, every_check_ran, is_clip, nothing_found
from veil.gui.text import breakable, group_findings, safe_text, sentence

#: At most this many findings are listed (a hostile file can hold thousands).
MAX_FINDINGS = 200
#: Longest finding sentence shown.
MAX_SENTENCE = 300
CHECK_NAMES = {"faces": "Faces", "marks": "Tattoos and marks", "metadata": "Metadata"}
#: Check id -> plain words inside a sentence ("…could not be checked: faces, location").
CHECK_WORDS = {
    "faces": "faces",
    "marks": "tattoos and marks",
    "metadata": "the file's structure",
    "embedded_media": "hidden content inside the file",
    "maker_notes": "the camera maker's data",
    "other_metadata": "other metadata",
}
#: The pane's heading when nothing is listed and every check ran: metadata is read in full,
#: faces and marks are only "not detected" (:data:`DETECTION_CAVEAT` follows it).
NOTHING_FOUND = "No identifying metadata found · no faces or marks detected"
#: Under the findings of a photo whose face and mark checks ran and listed none.
NONE_DETECTED = f"No faces or marks detected. {DETECTION_CAVEAT}"
#: ... and of a photo of people (a face listed) where the mark check found none: where a
#: missed tattoo matters most (mark recall is ~0.68).
NO_MARK_DETECTED = ("No tattoos or marks detected. Automatic detection can miss them: look "
                    "at the photo before sharing.")
#: An animation with nothing found: what was checked; the "Not fully checked" lines say
#: the rest (core's note: the other frames, how many, watch it).
FIRST_FRAME_FOUND = "No identifying metadata found · no faces or marks detected in its first frame"
STILL_CHECKING = "Nothing found so far — still checking faces and marks"


@dataclass(frozen=True, slots=True)
class FindingLine:
    """One finding as shown: its index in ``report.findings``, severity, sentence, cover box."""

    index: int
    severity: Severity
    text: str
    covered: bool | None  # None: nothing to cover (a metadata finding)
    question: bool = False  # a box core does not cover by default (a possible mark)


@dataclass(frozen=True, slots=True)
class FindingsView:
    """Everything the pane shows for one report."""

    title: str | None  # when nothing is listed: what was (not) checked, never a false "clean"
    groups: tuple[tuple[str, tuple[FindingLine, ...]], ...]
    more: int  # findings beyond MAX_FINDINGS
    not_checked: tuple[str, ...]  # why the report is not complete, in plain words
    #: Under a "nothing found" title: what Veil never checks (text drawn in the picture),
    #: said once here, where the user decides to share; None otherwise.
    caveat: str | None = None
    #: When the face and mark checks ran and found none: that detection can miss them
    #: (:data:`DETECTION_CAVEAT` under a "nothing found" title, else :data:`NONE_DETECTED`).
    detection: str | None = None


def findings_view(
    report: FileReport, boxes: tuple[OverlayBox, ...] = (), state: RowState = RowState.DONE
) -> FindingsView:
    """The pane's content for ``report`` of a row in ``state``; ``boxes`` give each face/mark
    its covered state."""
    if not report.ok:
        error = sentence(plain_note(report.error or "unknown reason"))
        reason = breakable(safe_text(error, MAX_SENTENCE))
        return FindingsView("This file could not be checked", (), 0, (reason,))
    number = {id(f): i for i, f in enumerate(report.findings)}
    covered = {b.finding: b.accepted for b in boxes if b.finding >= 0}
    groups = []
    for heading, findings in group_findings(report.findings[:MAX_FINDINGS]):
        lines = []
        for finding in findings:
            index = number[id(finding)]
            cover = covered.get(index) if finding.kind in PIXEL_KINDS else None
            text = breakable(safe_text(finding.summary, MAX_SENTENCE))
            question = cover is not None and not covered_by_default(
                finding, report.width, report.height
            )
            lines.append(FindingLine(index, finding.severity, text, cover, question))
        groups.append((heading, tuple(lines)))
    title = None if groups else nothing_found_title(report, state)
    more = max(0, len(report.findings) - MAX_FINDINGS)
    caveat = PICTURE_TEXT if title and state not in PENDING_STATES else None
    # Only once the checks are over (a row still checking, or cancelled, says so itself).
    finished = state not in PENDING_STATES and state is not RowState.CANCELLED
    missed = undetected(report) if finished else None
    detection = None
    if missed == "faces or marks":
        detection = DETECTION_CAVEAT if title == NOTHING_FOUND else NONE_DETECTED
    elif missed:
        detection = NO_MARK_DETECTED
    return FindingsView(title, tuple(groups), more, not_checked(report, state), caveat,
                        detection)


def box_line(label: str, text: str) -> str:
    """A face/mark line led by its box's name ("Possible mark 1 — tattoo or birthmark —
    check this area"): core's "Possible tattoo…" after "Possible mark 1" said it twice."""
    if not label:
        return text
    if label.startswith("Possible ") and text.startswith("Possible "):
        text = text.removeprefix("Possible ")
    return f"{label} — {text}"


def unchecked(report: FileReport) -> list[str]:
    """Plain words for every check of ``report`` that did not run to the end."""
    words = [
        CHECK_WORDS.get(check_id, check_id.replace("_", " "))
        for check_id, status in report.checks.items()
        if status is not CheckStatus.DONE
    ]
    if not words and not every_check_ran(report):
        words.append("parts of the file could not be read")  # an incomplete parse
    return words


#: Core's note on an animation whose first frame alone was looked at, up to its count.
_FIRST_FRAME = ANIMATION_NOTE.split("{", 1)[0]
_FRAMES = re.compile(r"animation of (\d+) frames")
#: The pixel checks an animation's note speaks for.
_PIXEL_CHECKS = frozenset({"faces", "marks"})


def first_frame_only(report: FileReport, state: RowState) -> bool:
    """True when ``report``'s faces and marks were looked for in an animation's first
    frame only (core marks them skipped, and its note says so): "Faces: not checked" under
    "looked for in the first frame only" read as a contradiction."""
    return (state not in PENDING_STATES and state is not RowState.CANCELLED
            and any(n.startswith(_FIRST_FRAME) for n in report.notes))


def animation_frames(report: FileReport | None) -> int:
    """The frames of an animation whose first frame alone was looked at (core's note
    counts them), else 1."""
    for note in report.notes if report is not None else ():
        if note.startswith(_FIRST_FRAME):
            found = _FRAMES.search(note)
            return int(found[1]) if found else 1
    return 1


def nothing_found_title(report: FileReport, state: RowState) -> str:
    """What the pane says when ``report`` lists no finding (never "nothing" unless checked)."""
    if nothing_found(state, report):
        return NOTHING_FOUND
    if state in PENDING_STATES and not is_clip(report):  # a clip's frames are never checked
        return STILL_CHECKING
    missing = {k for k, v in report.checks.items() if v is not CheckStatus.DONE}
    # Only the frames are missing (no other check, no other note such as a damaged part).
    if (first_frame_only(report, state) and missing <= _PIXEL_CHECKS
            and all(n.startswith(_FIRST_FRAME) for n in report.notes)):
        return FIRST_FRAME_FOUND
    words = ", ".join(unchecked(report) or ["some checks"])
    if state is RowState.CANCELLED:
        return f"Nothing found, but checking was cancelled before these were checked: {words}"
    return f"Nothing found, but not everything could be checked: {words}"


def not_checked(report: FileReport, state: RowState = RowState.DONE) -> tuple[str, ...]:
    """Plain lines for every check that did not run, and the parse notes."""
    lines = []
    first = first_frame_only(report, state)
    # A picture no decoder reads: core's note below says why faces and marks were not
    # checked; "Faces: the check failed…" and "Tattoos and marks: …" said it twice more.
    undecodable = pixels_undecodable(report.notes)
    for check_id, status in report.checks.items():
        if first and check_id in _PIXEL_CHECKS and status is CheckStatus.SKIPPED:
            continue  # core's note below says how far they were checked
        if undecodable and check_id in _PIXEL_CHECKS and status is CheckStatus.FAILED:
            continue
        name = CHECK_NAMES.get(check_id, check_id.replace("_", " ").capitalize())
        if status is CheckStatus.NOT_AVAILABLE:
            lines.append(f"{name}: not checked (this check is not available).")
        elif status is CheckStatus.FAILED:
            lines.append(f"{name}: the check failed on this file.")
        elif status is CheckStatus.SKIPPED:
            # "yet" promises a check: a clip's faces and marks are never checked.
            pending = state in PENDING_STATES and not is_clip(report)
            later = "not checked yet" if pending else "not checked"
            lines.append(f"{name}: {later}.")
    # Core's notes are clauses ("an IPTC value claims more bytes…"); here each is a line.
    notes = (sentence(plain_note(n)) for n in report.notes[:20])
    lines += [breakable(safe_text(n, MAX_SENTENCE)) for n in notes]
    return tuple(lines)
