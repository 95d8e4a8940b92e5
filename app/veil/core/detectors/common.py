"""Small helpers every metadata detector shares: capped JSON-able details, source names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from veil.core.metadata.model import clean_text, shown
from veil.core.model import Finding, FindingKind, Severity

MAX_DETAIL_ITEMS = 50


def capped(value: Any, limit: int = 300) -> Any:
    """``value`` made JSON-able with strings capped (numbers/bools/None kept as they are)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {clean_text(k, 100): capped(v, limit)
                for k, v in list(value.items())[:MAX_DETAIL_ITEMS]}
    if isinstance(value, list | tuple | set | frozenset):
        return [capped(v, limit) for v in list(value)[:MAX_DETAIL_ITEMS]]
    return clean_text(value, limit)


def finding(kind: FindingKind, severity: Severity, summary: str, source: str,
            detail: dict[str, Any]) -> Finding:
    """A metadata finding with a capped, JSON-able detail (none inside
    :func:`veil.core.metadata.model.unshown`, where nobody reads it)."""
    return Finding(kind, severity, summary, source, capped(detail) if shown() else {})


def source_of(tag_names: Iterable[str]) -> str:
    """Where values came from, in words: "EXIF", "XMP, IPTC", "MakerNote"..."""
    out: list[str] = []
    for name in tag_names:
        first = name.split(" ", 1)[0] if " " in name else "EXIF"
        if name.startswith("XMP sidecar"):
            first = "XMP sidecar"
        elif name.startswith("Embedded video"):
            first = "embedded video"
        elif first == "QuickTime" or first.startswith("Track"):
            first = "QuickTime"
        elif first in ("GPSDateStamp",):
            first = "EXIF GPS"
        elif first not in ("XMP", "IPTC", "MakerNote", "EXIF", "PNG", "WEBP", "GIF", "TIFF",
                           "JPEG", "Comment", "HEIC", "AVIF", "embedded", "C2PA"):
            first = "EXIF"
        if first in ("PNG", "WEBP", "GIF", "TIFF", "JPEG", "HEIC", "AVIF"):
            first = f"{first} text"
        if first not in out:
            out.append(first)
    return ", ".join(out) or "metadata"


def pairs(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(tag, value) pairs as a detail dict; repeated tags get " #2" suffixes."""
    out: dict[str, str] = {}
    for name, value in items:
        key, n = name, 1
        while key in out:
            n += 1
            key = f"{name} #{n}"
        out[key] = value
    return out


_COMPANY = re.compile(
    r"[\s,]+(?:co\.?,?\s*ltd\.?|corporation|corp\.?|company|inc\.?|imaging|optical|"
    r"digital imaging|techwin|global|systems ab|systems|gmbh|ag|s\.?a\.?)\b\.?",
    re.IGNORECASE,
)


def brand(make: str | None) -> str:
    """"NIKON CORPORATION" -> "Nikon", "Minolta Co., Ltd." -> "Minolta"; "" for nothing."""
    text = (make or "").strip()
    while True:
        shorter = _COMPANY.sub("", text).strip(" ,.")
        if shorter == text or not shorter:
            break
        text = shorter
    if (text.isupper() and len(text) > 3) or text.islower():
        text = " ".join(w.capitalize() for w in text.split())
    return text
