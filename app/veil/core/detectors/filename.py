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
    """Medium when the name holds a date, low when it only hints at the device or app or
    spells out the camera model the metadata names; high when it holds an e-mail address
    (a name can't be told from other words; an address can)."""
    found = name_findings(meta.path)
    if not any(f.detail.get("origin") for f in found):
        found += _model_finding(meta.path, meta.model)
    return found


def _words(text: str) -> str:
    """Lower-case letters and digits, every other run of characters one space."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _model_finding(path: Path, model: str | None) -> list[Finding]:
    """Low when the name spells out the camera model the metadata names ("HMD_Nokia_8.3_5G.jpg",
    "Canon_DIGITAL_IXUS_400.jpg"): the copy drops the model from its metadata, not from its
    name. Models of fewer than 4 letters and digits ("X") would match ordinary words."""
    wanted = _words(model or "")
    if sum(c.isalnum() for c in wanted) < 4 or wanted not in _words(path.stem):
        return []
    shown = explain.quote((model or "").strip(), 60)
    return [finding(FindingKind.FILENAME, Severity.LOW,
                    f"Its file name includes the camera model: {shown}", "file name",
                    {"label": "File name", "model": model, "name": path.name})]


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
