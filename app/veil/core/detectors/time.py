"""``time``: when the photo was taken (EXIF/XMP/IPTC dates, GPS time)."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

#: Which written time says best when the photo was taken (lower first).
_RANK = ("DateTimeOriginal", "DateCreated", "CreateDate", "DateTimeDigitized",
         "GPSDateStamp", "DateTime", "photoTakenTime")


def _rank(name: str) -> int:
    for i, key in enumerate(_RANK):
        if key in name:
            return i
    return len(_RANK)


def detect_time(meta: Metadata) -> list[Finding]:
    """One finding listing every date/time tag; the summary uses the most telling one."""
    usable = [(n, v) for n, v in meta.datetimes if explain.parse_when(v)]
    if not usable:
        return []
    name, value = min(usable, key=lambda nv: _rank(nv[0]))
    words = explain.when_words(value) or value
    verb = "was taken" if _rank(name) < 5 else "was last saved"
    detail = {"label": "Date & time", "taken": explain.when_iso(value), "tag": name,
              "values": pairs(meta.datetimes)}
    return [finding(FindingKind.TIME, Severity.MEDIUM, f"Shows when it {verb}: {words}",
                    source_of(n for n, _ in usable), detail)]
