"""Untrusted text made safe to show, and the plain words shown for findings.

Every string from a file (tags, names, summaries built from tags) is hostile: it may hold
markup, bidi overrides that disguise a file name, or megabytes of text. ``safe_text`` strips
control and direction-override characters and caps the length; widgets still show it with
``Qt.PlainText``. Headings and summaries come from :mod:`veil.core.explain` (shared with the
CLI).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from veil.core import explain
from veil.core.model import FileReport, Finding

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


_LONG_RUN = re.compile(r"\S{32}")


def breakable(text: str) -> str:
    """``text`` with a zero-width space after every 32 unbroken characters, so a word-wrapped
    label can wrap a 10,000-character token instead of growing a horizontal scroll bar."""
    return _LONG_RUN.sub(lambda m: m.group(0) + "\u200b", text)


def sentence(text: str) -> str:
    """``text`` read as a sentence: first letter upper-case, a full stop at the end.

    Core's notes ("an EXIF block has no valid TIFF header") are written to follow a file name
    or a dash (the CLI prints them so); listed on their own lines they must not start
    lower-case. Only the first character changes, so "DNG", "ICC" and names stay as written.
    """
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?…" else f"{text}."


def rich_escaped(value: object, limit: int = MAX_SHOWN) -> str:
    """For the few places Qt guesses rich text (tool tips): escaped, forced-rich markup."""
    return f"<p>{html.escape(safe_text(value, limit))}</p>"


def group_findings(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings under their plain headings (Where, When, Device, Who, ...), in display order."""
    return explain.group_findings(findings)


def summary_line(report: FileReport) -> str:
    """One line like "Location · Serial number · 2 faces · Hidden video" (cleaned, capped)."""
    text = safe_text(explain.summary_line(report), 200)
    return text[:1].upper() + text[1:]
