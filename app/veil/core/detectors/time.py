"""``time``: when the photo was taken (EXIF/XMP/IPTC dates, GPS time, the hidden video's)."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import VIDEO_GROUP, Metadata
from veil.core.model import Finding, FindingKind, Severity

_TAKEN, _CREATED, _SAVED = "was taken", "was created", "was last saved"
#: Which written time says best when the photo was taken (first first), and what it means.
#: Order matters: "DateTime" is a part of "DateTimeOriginal".
_RANK = (("DateTimeOriginal", _TAKEN), ("DateCreated", _TAKEN), ("CreateDate", _TAKEN),
         ("DateTimeDigitized", _TAKEN), ("GPSDateStamp", _TAKEN), ("photoTakenTime", _TAKEN),
         ("Creation Time", _CREATED), ("date:create", _CREATED), ("CreationDate", _CREATED),
         (VIDEO_GROUP, _TAKEN),
         # JRiver Media Center's library Date: the date taken, as the library read it.
         ("Media Jukebox Date", _TAKEN),
         ("DateTime", _SAVED))


def _rank(name: str) -> tuple[int, str]:
    for i, (key, verb) in enumerate(_RANK):
        if key in name:
            return i, verb
    return len(_RANK), _SAVED


def detect_time(meta: Metadata) -> list[Finding]:
    """One finding listing every date/time tag; the summary uses the most telling one."""
    usable = [(n, v) for n, v in meta.datetimes if explain.parse_when(v)]
    if not usable:
        return []
    name, value = min(usable, key=lambda nv: _rank(nv[0])[0])
    words = explain.when_words(value) or value
    said = ", according to the hidden video inside it" if name.startswith(VIDEO_GROUP) else ""
    verb = _rank(name)[1]
    if meta.scan.video is not None:  # a movie's own header or tags: when it was filmed
        verb = _SAVED if "Modify" in name else "was filmed"
    summary = f"Shows when it {verb}{said}: {words}"
    detail = {"label": "Date & time", "taken": explain.when_iso(value), "tag": name,
              "values": pairs(meta.datetimes)}
    return [finding(FindingKind.TIME, Severity.MEDIUM, summary,
                    source_of(n for n, _ in usable), detail)]
