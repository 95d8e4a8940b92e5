"""Untrusted text made safe to show, and the plain words shown for findings.

Every string from a file (tags, names, summaries built from tags) is hostile: it may hold
markup, bidi overrides that disguise a file name, or megabytes of text. ``safe_text`` strips
control and direction-override characters and caps the length; widgets still show it with
``Qt.PlainText``. ``headings``/``summary_line`` come from :mod:`veil.core.explain`; the small
fallback here only runs while that module is absent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from veil.core.model import FileReport, Finding, FindingKind

# C0/C1 controls except tab/newline, plus bidi embeddings/overrides/isolates and BOM/ZW chars.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

#: Longest text shown for one value (the rest is elided with a count).
MAX_SHOWN = 400


def safe_text(value: object, limit: int = MAX_SHOWN, *, single_line: bool = True) -> str:
    """``value`` as display text: no control/bidi characters, at most ``limit`` characters."""
    text = _UNSAFE.sub("", str(value))
    if single_line:
        text = " ".join(text.split())
    if len(text) > limit:
        text = f"{text[:limit].rstrip()}… (+{len(text) - limit:,} characters)"
    return text


def rich_escaped(value: object, limit: int = MAX_SHOWN) -> str:
    """For the few places Qt guesses rich text (tool tips): escaped, forced-rich markup."""
    return f"<p>{html.escape(safe_text(value, limit))}</p>"


# Fallback headings (veil.core.explain owns the real ones).
_HEADINGS: tuple[tuple[str, frozenset[FindingKind]], ...] = (
    ("Where", frozenset({FindingKind.LOCATION})),
    ("When", frozenset({FindingKind.TIME})),
    ("Device", frozenset({FindingKind.DEVICE, FindingKind.SOFTWARE, FindingKind.MAKER_NOTES})),
    ("Who", frozenset({FindingKind.IDENTITY, FindingKind.FILENAME})),
    (
        "Hidden inside the file",
        frozenset(
            {
                FindingKind.THUMBNAIL,
                FindingKind.EMBEDDED_MEDIA,
                FindingKind.PROVENANCE,
                FindingKind.SIDECAR,
                FindingKind.OTHER_METADATA,
            }
        ),
    ),
    ("People & marks", frozenset({FindingKind.FACE, FindingKind.TATTOO})),
)

_SHORT = {
    FindingKind.LOCATION: "Location",
    FindingKind.TIME: "Date & time",
    FindingKind.DEVICE: "Device",
    FindingKind.IDENTITY: "Owner name",
    FindingKind.SOFTWARE: "Software",
    FindingKind.THUMBNAIL: "Hidden preview",
    FindingKind.EMBEDDED_MEDIA: "Hidden media",
    FindingKind.PROVENANCE: "Edit history",
    FindingKind.MAKER_NOTES: "Maker notes",
    FindingKind.FILENAME: "File name",
    FindingKind.SIDECAR: "Sidecar file",
    FindingKind.OTHER_METADATA: "Other metadata",
}


def heading_for(kind: FindingKind) -> str:
    """The plain heading a finding of ``kind`` is listed under."""
    try:
        from veil.core import explain

        return str(explain.heading(kind))
    except (ImportError, AttributeError):
        pass
    for title, kinds in _HEADINGS:
        if kind in kinds:
            return title
    return "Hidden inside the file"


def heading_order() -> tuple[str, ...]:
    """Headings in display order."""
    try:
        from veil.core import explain

        return tuple(explain.HEADINGS)
    except (ImportError, AttributeError):
        return tuple(title for title, _ in _HEADINGS)


def group_findings(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped under their headings, headings in display order, empty ones left out."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(heading_for(finding.kind), []).append(finding)
    order = list(heading_order())
    order += [h for h in groups if h not in order]
    return [(h, groups[h]) for h in order if h in groups]


def summary_line(report: FileReport) -> str:
    """One line like "Location · Serial number · 2 faces · Hidden video"."""
    try:
        from veil.core import explain

        return safe_text(explain.summary_line(report), 200)
    except (ImportError, AttributeError):
        pass
    parts: list[str] = []
    faces = sum(1 for f in report.findings if f.kind is FindingKind.FACE)
    marks = sum(1 for f in report.findings if f.kind is FindingKind.TATTOO)
    for finding in report.findings:
        label = _SHORT.get(finding.kind)
        if label and label not in parts:
            parts.append(label)
    if faces:
        parts.append("1 face" if faces == 1 else f"{faces} faces")
    if marks:
        parts.append("1 possible mark" if marks == 1 else f"{marks} possible marks")
    return " · ".join(parts)
