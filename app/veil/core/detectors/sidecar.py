"""``sidecar``: files next to the photo (Takeout JSON, XMP, AAE) that describe it.

Cleaning the photo does not change them, so each gets its own finding naming the file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from veil.core import explain
from veil.core.detectors.common import finding
from veil.core.detectors.identity import is_company, names_someone
from veil.core.metadata import Metadata, gazetteer
from veil.core.model import Finding, FindingKind, Severity

_SOURCE = {"Google Takeout": "Takeout JSON sidecar", "XMP": "XMP sidecar",
           "Apple edits": "AAE sidecar"}


def _parts(values: dict[str, Any]) -> list[str]:
    parts: list[str] = []
    loc = values.get("location")
    if isinstance(loc, list) and len(loc) == 2:
        place = gazetteer.describe(loc[0], loc[1])
        parts.append(f"where it was taken ({explain.coord(loc[0], loc[1])}"
                     + (f" — {place})" if place else ")"))
    when = values.get("time")
    if isinstance(when, int) and 0 < when < 2**33:
        stamp = datetime.fromtimestamp(when, UTC).strftime("%Y:%m:%d %H:%M:%SZ")
        parts.append(f"when ({explain.when_words(stamp, nested=True)})")
    elif isinstance(values.get("time_text"), str):
        words = explain.when_words(values["time_text"], nested=True)
        if words:
            parts.append(f"when ({words})")
    people = values.get("people")
    if people:
        parts.append(f"who is in it ({explain.quote(', '.join(people[:3]), 60)})")
    owners = values.get("owners")
    if owners:
        parts.append(f"a name ({explain.quote(owners[0], 40)})")
    if values.get("serials"):
        parts.append("a serial number")
    if values.get("places") and not loc:
        parts.append(f"the place ({explain.quote(', '.join(values['places'][:3]), 60)})")
    if values.get("description"):
        parts.append(f"a description (\"{explain.quote(values['description'], 40)}\")")
    if values.get("device"):
        parts.append(f"the device type ({values['device']})")
    if values.get("edits") or values.get("adjustmentFormatIdentifier"):
        parts.append("that it was edited, and how")
    return parts


def _severity(values: dict[str, Any]) -> Severity:
    """High for what would be high inside the photo itself: a GPS position, named people, a
    private person's name, a serial number. Medium for the rest (a description, a written
    place, an edit history): shared along with the photo, it still tells more about it."""
    owners = values.get("owners") or []
    private = any(isinstance(o, str) and names_someone(o) and not is_company(o) for o in owners)
    if values.get("location") or values.get("people") or values.get("serials") or private:
        return Severity.HIGH
    return Severity.MEDIUM


def detect_sidecars(meta: Metadata) -> list[Finding]:
    """One finding per sidecar file that says something about the photo (see ``_severity``)."""
    out: list[Finding] = []
    for side in meta.sidecars:
        values = meta.sidecar_values.get(side.name, {})
        parts = _parts(values)
        what = explain.join_words(parts) if parts else "details about it"
        summary = f"A file next to this photo ({explain.quote(side.name, 60)}) reveals {what}"
        out.append(finding(FindingKind.SIDECAR, _severity(values), summary,
                           _SOURCE.get(str(values.get("type")), "sidecar file"),
                           {"label": "Sidecar file", "file": side.name, **values}))
    return out
