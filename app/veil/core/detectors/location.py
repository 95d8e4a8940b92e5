"""``location``: GPS coordinates (EXIF, XMP, text), places written as text (IPTC/XMP city...),
and the position a motion photo's hidden video records on its own."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import VIDEO_SOURCE, GeoPoint, Metadata, gazetteer
from veil.core.metadata.model import COVER_SOURCE
from veil.core.model import Finding, FindingKind, Severity


def detect_location(meta: Metadata) -> list[Finding]:
    """The picture's first GPS point (high), else a written place (medium); plus, apart,
    the hidden video's own position (high: cleaning the picture's tags leaves it)."""
    photo = [p for p in meta.gps if p.source not in (VIDEO_SOURCE, COVER_SOURCE)]
    video = [p for p in meta.gps if p.source == VIDEO_SOURCE]
    cover = [p for p in meta.gps if p.source == COVER_SOURCE]
    out: list[Finding] = []
    if photo:
        point = photo[0]
        place = gazetteer.describe(point.lat, point.lon)
        verb = "filmed" if meta.scan.video is not None else "taken"
        summary = f"Shows where it was {verb}: {explain.coord(point.lat, point.lon)}"
        if place:
            summary += f" — {place}"
        extra = _other_places(meta, place)
        if extra:  # a street or venue written into it says more than the nearest town
            summary += f"; it also names the place: {explain.quote(', '.join(extra), 60)}"
        sources = list(dict.fromkeys(p.source for p in photo))
        detail = {
            "label": "Location", "lat": point.lat, "lon": point.lon, "place": place,
            "altitude_m": round(point.altitude, 1) if point.altitude is not None else None,
            "sources": sources,
            "points": [[p.lat, p.lon, p.source] for p in photo],
            "tags": {k: v for k, v in meta.values.items() if k.startswith("GPS:")},
            "places": pairs(meta.places),
        }
        out.append(finding(FindingKind.LOCATION, Severity.HIGH, summary, ", ".join(sources),
                           detail))
    elif meta.places:
        names = list(dict.fromkeys(_place_words(meta)))
        summary = f"Names the place: {explain.quote(', '.join(names), 80)}"
        out.append(finding(FindingKind.LOCATION, Severity.MEDIUM, summary,
                           source_of(t for t, _ in meta.places),
                           {"label": "Place name", "places": pairs(meta.places)}))
    if video:
        out.append(_video_location(video[0], also=bool(photo)))
    if cover:
        out.append(_cover_location(cover[0]))
    return out


def _cover_location(point: GeoPoint) -> Finding:
    """Where the photo a movie uses as its cover picture was taken (its own GPS)."""
    place = gazetteer.describe(point.lat, point.lon)
    summary = (f"The cover picture inside the file shows where it was taken: "
               f"{explain.coord(point.lat, point.lon)}" + (f" — {place}" if place else ""))
    detail = {"label": "Cover location", "lat": point.lat, "lon": point.lon, "place": place,
              "sources": [COVER_SOURCE], "points": [[point.lat, point.lon, point.source]]}
    return finding(FindingKind.LOCATION, Severity.HIGH, summary, COVER_SOURCE, detail)


def _other_places(meta: Metadata, near: str | None) -> list[str]:
    """Place names written into the file that the GPS point's description doesn't say."""
    said = (near or "").lower()
    names = dict.fromkeys(" ".join(v.split()) for v in _place_words(meta))
    return [n for n in names if n and n.lower() not in said]


#: Places a camera setting names, not where the photo was taken: said with what they are, so
#: "Toronto" is not read as the place of the photo.
_SETTING_PLACES = {"MakerNote HometownCity": "the camera's home city",
                   "MakerNote DestinationCity": "the camera's travel city"}


def _place_words(meta: Metadata) -> list[str]:
    """The written places, each with what it is when a camera setting names it."""
    return [f"{value} ({_SETTING_PLACES[tag]})" if tag in _SETTING_PLACES else value
            for tag, value in meta.places]


def _video_location(point: GeoPoint, also: bool) -> Finding:
    place = gazetteer.describe(point.lat, point.lon)
    summary = (f"The hidden video inside the file {'also ' if also else ''}shows where it was "
               f"taken: {explain.coord(point.lat, point.lon)}")
    if place:
        summary += f" — {place}"
    detail = {"label": "Video location", "lat": point.lat, "lon": point.lon, "place": place,
              "sources": [VIDEO_SOURCE], "points": [[point.lat, point.lon, point.source]]}
    return finding(FindingKind.LOCATION, Severity.HIGH, summary, VIDEO_SOURCE, detail)
