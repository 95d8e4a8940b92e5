"""``other_metadata``: free text (captions, comments, keywords, PNG text) and named colour
profiles. A standard profile (sRGB, Display P3...) identifies nobody and is not reported."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

_STANDARD_ICC = ("srgb", "display p3", "adobe rgb", "prophoto", "generic", "gray", "grey",
                 "dot gain", "rec. 2020", "rec2020", "bt.2020", "bt.709", "p3", "cmyk",
                 "coated", "uncoated", "swop", "fogra", "linear", "apple wide color",
                 "scrgb", "iec 61966", "google/skia", "camera rgb profile", "colorsync")


def _standard(desc: str) -> bool:
    low = desc.lower()
    return any(k in low for k in _STANDARD_ICC)


def detect_other(meta: Metadata) -> list[Finding]:
    """One low finding for written text; one for a device-specific colour profile."""
    out: list[Finding] = []
    if meta.texts:
        tag, value = meta.texts[0]
        what = tag.split(" ")[-1].split(":")[-1].split("[")[0].split("/")[-1]
        summary = f"Carries text written into it: \"{explain.quote(value, 60)}\" ({what})"
        if len(meta.texts) > 1:
            summary += f", and {len(meta.texts) - 1} more"
        out.append(finding(FindingKind.OTHER_METADATA, Severity.LOW, summary,
                           source_of(t for t, _ in meta.texts),
                           {"label": "Text", "texts": pairs(meta.texts)}))
    desc = meta.values.get("ICC:Description")
    if isinstance(desc, str) and desc and not _standard(desc):
        out.append(finding(FindingKind.OTHER_METADATA, Severity.LOW,
                           f"Its colour profile is named \"{explain.quote(desc, 60)}\", which "
                           "may name the device", "ICC profile",
                           {"label": "Colour profile", "icc": desc}))
    return out
