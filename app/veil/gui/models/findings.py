"""What the findings pane shows for one report, as plain values (no widgets, testable).

Grouping and wording come from :mod:`veil.core.explain`; here every string from the file is
cleaned (:func:`safe_text`), capped and made wrappable, and each face/mark finding is paired
with its box's covered state.
"""

from __future__ import annotations

from dataclasses import dataclass

from veil.core.model import PIXEL_KINDS, CheckStatus, FileReport, Severity
from veil.gui.redactions import OverlayBox
from veil.gui.text import breakable, group_findings, safe_text

#: At most this many findings are listed (a hostile file can hold thousands).
MAX_FINDINGS = 200
#: Longest finding sentence shown.
MAX_SENTENCE = 300
CHECK_NAMES = {"faces": "Faces", "marks": "Tattoos and marks", "metadata": "Metadata"}


@dataclass(frozen=True, slots=True)
class FindingLine:
    """One finding as shown: its index in ``report.findings``, severity, sentence, cover box."""

    index: int
    severity: Severity
    text: str
    covered: bool | None  # None: nothing to cover (a metadata finding)


@dataclass(frozen=True, slots=True)
class FindingsView:
    """Everything the pane shows for one report."""

    title: str | None  # "Nothing identifying was found" / "This file could not be checked"
    groups: tuple[tuple[str, tuple[FindingLine, ...]], ...]
    more: int  # findings beyond MAX_FINDINGS
    not_checked: tuple[str, ...]  # why the report is not complete, in plain words


def findings_view(report: FileReport, boxes: tuple[OverlayBox, ...] = ()) -> FindingsView:
    """The pane's content for ``report``; ``boxes`` give each face/mark its covered state."""
    if not report.ok:
        reason = breakable(safe_text(report.error or "unknown reason", MAX_SENTENCE))
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
            lines.append(FindingLine(index, finding.severity, text, cover))
        groups.append((heading, tuple(lines)))
    title = None if groups else "Nothing identifying was found"
    more = max(0, len(report.findings) - MAX_FINDINGS)
    return FindingsView(title, tuple(groups), more, not_checked(report))


def not_checked(report: FileReport) -> tuple[str, ...]:
    """Plain lines for every check that did not run, and the parse notes."""
    lines = []
    for check_id, status in report.checks.items():
        name = CHECK_NAMES.get(check_id, check_id.replace("_", " ").capitalize())
        if status is CheckStatus.NOT_AVAILABLE:
            lines.append(f"{name}: not checked (this check is not available).")
        elif status is CheckStatus.FAILED:
            lines.append(f"{name}: the check failed on this file.")
        elif status is CheckStatus.SKIPPED:
            lines.append(f"{name}: not checked yet.")
    lines += [breakable(safe_text(n, MAX_SENTENCE)) for n in report.notes[:20]]
    return tuple(lines)
