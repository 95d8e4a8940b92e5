"""``location``: GPS coordinates (EXIF, XMP) and places written as text (IPTC/XMP city...)."""

from __future__ import annotations

from veil.core import explain, gazetteer
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity


def detect_location(meta: Metadata) -> list[Finding]:
    """One finding: the first GPS point (high), else a written place (medium)."""
    gps_tags = {k: v for k, v in meta.values.items() if k.startswith("GPS:")}
    if meta.gps:
        point = meta.gps[0]
        place = gazetteer.describe(point.lat, point.lon)
        summary = f"Shows where it was taken: {explain.coord(point.lat, point.lon)}"
        if place:
            summary += f" — {place}"
        sources = list(dict.fromkeys(p.source for p in meta.gps))
        detail = {
            "label": "Location", "lat": point.lat, "lon": point.lon, "place": place,
            "altitude_m": round(point.altitude, 1) if point.altitude is not None else None,
            "sources": sources,
            "points": [[p.lat, p.lon, p.source] for p in meta.gps],
            "tags": gps_tags, "places": pairs(meta.places),
        }
        return [finding(FindingKind.LOCATION, Severity.HIGH, summary, ", ".join(sources),
                        detail)]
    if meta.places:
        names = list(dict.fromkeys(v for _, v in meta.places))
        summary = f"Names the place: {explain.quote(', '.join(names), 80)}"
        return [finding(FindingKind.LOCATION, Severity.MEDIUM, summary,
                        source_of(t for t, _ in meta.places),
                        {"label": "Place name", "places": pairs(meta.places)})]
    return []
