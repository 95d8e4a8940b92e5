"""``device``: the camera/phone model (medium) and its serial numbers and unique IDs (high)."""

from __future__ import annotations

from typing import Any

from veil.core import explain
from veil.core.detectors.common import brand, finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity


def camera_name(make: str | None, model: str | None) -> str | None:
    """"Canon EOS 5D Mark IV" from make "Canon" + model "Canon EOS 5D Mark IV" (no repeat).

    Company suffixes are dropped ("NIKON CORPORATION" + "NIKON D70" -> "NIKON D70").
    """
    model = (model or "").strip()
    maker = brand(make)
    if not model:
        return maker or None
    words = {w.lower() for w in (make or "").replace(",", " ").split()} | {maker.lower()}
    first = model.split(" ")[0].lower()
    if not maker or first in words or first.startswith(maker.lower()):
        return model
    return f"{maker} {model}"


def _serial_kind(name: str) -> str:
    low = name.lower()
    if "lens" in low:
        return "lens"
    if "uniqueid" in low or "uuid" in low or "contentidentifier" in low or "requestid" in low:
        return "unique"
    return "body"


def _other_cameras(meta: Metadata, name: str | None) -> list[str]:
    """Camera models another block names that are not the camera already named (a Canon
    CIFF block in a Fujifilm JPEG). Device names that are not models (a GoPro's GPMF
    "Photo Global Settings") stay in the detail."""
    said = (name or "").lower()
    return list(dict.fromkeys(v for n, v in meta.devices
                              if n.endswith("Model") and v.lower() not in said
                              and (not said or said not in v.lower())))


def detect_device(meta: Metadata) -> list[Finding]:
    """The model finding and, separately, one finding for all serial numbers / unique IDs."""
    out: list[Finding] = []
    name = camera_name(meta.make, meta.model)
    others = _other_cameras(meta, name)
    if name or meta.lens:
        detail: dict[str, Any] = {"label": "Camera model", "make": meta.make,
                                  "model": meta.model, "lens": meta.lens}
        summary = f"Names the camera: {explain.quote(name or '', 80)}" if name else ""
        if meta.lens:
            lens_words = f"the lens: {explain.quote(meta.lens, 60)}"
            summary = f"{summary}, and {lens_words}" if summary else f"Names {lens_words}"
        if others:
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            summary += (f"; another part of the file names a {explain.quote(others[0], 60)}"
                        f"{more}")
        if meta.devices:
            detail["devices"] = pairs(meta.devices)
        tags = [k for k in ("EXIF:Make", "EXIF:Model", "XMP:tiff:Make") if k in meta.values]
        out.append(finding(FindingKind.DEVICE, Severity.MEDIUM, summary,
                           "XMP" if tags == ["XMP:tiff:Make"] else "EXIF", detail))
    if meta.serials:
        kinds = {n: _serial_kind(n) for n, _ in meta.serials}
        body = [v for n, v in meta.serials if kinds[n] == "body"]
        lens = [v for n, v in meta.serials if kinds[n] == "lens"]
        unique = [v for n, v in meta.serials if kinds[n] == "unique"]
        if body:
            summary = (f"Carries the camera's serial number ({explain.quote(body[0], 40)}) — "
                       "it links every photo from this camera")
        elif lens:
            summary = (f"Carries the lens's serial number ({explain.quote(lens[0], 40)}) — "
                       "it links every photo taken with this lens")
        elif meta.serials[0][0].endswith("ContentIdentifier"):
            summary = (f"Carries a unique ID ({explain.quote(unique[0], 40)}) that ties this "
                       "video to its Live Photo still")
        elif meta.serials[0][0].endswith("MediaGroupUUID"):
            summary = (f"Carries a unique ID ({explain.quote(unique[0], 40)}) that ties this "
                       "photo to its Live Photo video")
        elif meta.serials[0][0].endswith("BurstUUID"):
            summary = (f"Carries a unique ID ({explain.quote(unique[0], 40)}) that ties this "
                       "photo to the other shots of its burst")
        else:
            summary = (f"Carries a unique photo ID ({explain.quote(unique[0], 40)}) — "
                       "it can link copies of this photo to the original")
        more_ids = len(meta.serials) - 1
        if more_ids:
            summary += f" (plus {more_ids} more ID{'s' if more_ids > 1 else ''})"
        detail = {"label": "Serial number" if body or lens else "Unique ID",
                  "serials": pairs(meta.serials), "body": body, "lens": lens, "unique": unique}
        out.append(finding(FindingKind.DEVICE, Severity.HIGH, summary,
                           source_of(n for n, _ in meta.serials), detail))
    return out
