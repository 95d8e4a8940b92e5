"""``filename``: the capture date/time or the device/app that a file name gives away."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import finding
from veil.core.metadata import Metadata
from veil.core.metadata.filenames import read_name
from veil.core.model import Finding, FindingKind, Severity


def detect_filename(meta: Metadata) -> list[Finding]:
    """Medium when the name holds a date, low when it only hints at the device or app."""
    hint = read_name(meta.path.name)
    if hint is None:
        return []
    detail = {"label": "File name", "pattern": hint.pattern, "when": hint.when,
              "origin": hint.origin, "name": meta.path.name}
    if hint.when:
        words = explain.when_words(hint.when.replace("-", ":", 2)) or hint.when
        summary = f"Its file name shows when it was taken: {words}"
        if hint.origin:
            summary += f" (named by {hint.origin})"
        return [finding(FindingKind.FILENAME, Severity.MEDIUM, summary, "file name", detail)]
    return [finding(FindingKind.FILENAME, Severity.LOW,
                    f"Its file name suggests it came from {hint.origin}", "file name", detail)]
