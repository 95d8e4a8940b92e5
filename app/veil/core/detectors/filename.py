"""``filename``: the capture date/time or the device/app that a file name gives away."""

from __future__ import annotations

import re
from pathlib import Path

from veil.core import explain
from veil.core.detectors.common import finding
from veil.core.metadata import Metadata
from veil.core.metadata.filenames import NameHint, read_name
from veil.core.model import Finding, FindingKind, Severity

#: An e-mail address in a name ("jane.doe@gmail.com.jpg", "from bob@example.org 3.png").
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def detect_filename(meta: Metadata) -> list[Finding]:
    """Medium when the name holds a date, low when it only hints at the device or app; high
    when it holds an e-mail address (a name can't be told from other words; an address
    can)."""
    return name_findings(meta.path)


def name_findings(path: Path) -> list[Finding]:
    """:func:`detect_filename` for a bare path: what its name alone gives away (``veil
    clean`` asks it of a copy's name, which ``--rename keep`` leaves as the original's)."""
    out = _address(path)
    hint = read_name(path.name)
    if hint is None:
        return out
    return out + _hint_finding(path, hint)


def _address(path: Path) -> list[Finding]:
    m = _EMAIL.search(path.stem)
    if m is None:
        return []
    return [finding(FindingKind.FILENAME, Severity.HIGH,
                    f"Its file name holds an e-mail address: {explain.quote(m.group(0), 60)}",
                    "file name", {"label": "File name", "email": m.group(0),
                                  "name": path.name})]


def _hint_finding(path: Path, hint: NameHint) -> list[Finding]:
    detail = {"label": "File name", "pattern": hint.pattern, "when": hint.when,
              "origin": hint.origin, "name": path.name}
    if hint.when:
        words = explain.when_words(hint.when.replace("-", ":", 2)) or hint.when
        summary = f"Its file name shows when it was taken: {words}"
        if hint.origin:
            summary += f" (named by {hint.origin})"
        return [finding(FindingKind.FILENAME, Severity.MEDIUM, summary, "file name", detail)]
    return [finding(FindingKind.FILENAME, Severity.LOW,
                    f"Its file name suggests it came from {hint.origin}", "file name", detail)]
