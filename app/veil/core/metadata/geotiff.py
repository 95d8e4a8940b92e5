"""GeoTIFF georeferencing: where on Earth a map, aerial or satellite picture lies.

The tags (ModelTiepoint, ModelPixelScale, ModelTransformation, GeoKeyDirectory and its
parameters) have no exifread names ("Image Tag 0x8482"...), so they were shown raw and the
file scanned "none found" although exiftool shows the projection and the map position.
Converting projected coordinates to latitude/longitude needs a projection library; the
position is reported as written (projection name and map x/y), a place like any other.
"""

from __future__ import annotations

from typing import Any

from veil.core.metadata.model import Collector

_TIEPOINT, _TRANSFORM = "Image Tag 0x8482", "Image Tag 0x85D8"
_SCALE, _KEYS, _ASCII = "Image Tag 0x830E", "Image Tag 0x87AF", "Image Tag 0x87B1"
GEO_TAGS = (_TIEPOINT, _TRANSFORM, _SCALE, _KEYS)


def _numbers(tag: Any) -> list[float]:
    out: list[float] = []
    for v in getattr(tag, "values", None) or []:
        v = v[0] if isinstance(v, tuple) and v else v
        try:
            out.append(float(v.num) / float(v.den) if hasattr(v, "den") else float(v))
        except (TypeError, ValueError, ZeroDivisionError):
            return out
    return out


def lift_geotiff(tags: dict[str, Any], col: Collector) -> None:
    """Add a GeoTIFF's map position to ``col.places`` (tag "GeoTIFF")."""
    if not any(key in tags for key in GEO_TAGS):
        return
    where: list[str] = []
    citation = getattr(tags.get(_ASCII), "printable", "") or ""
    citation = " ".join(p.strip() for p in str(citation).split("|") if p.strip())
    if citation:
        where.append(citation)
    tie, transform = _numbers(tags.get(_TIEPOINT)), _numbers(tags.get(_TRANSFORM))
    if len(transform) >= 8:
        where.append(f"map x {transform[3]:.0f}, y {transform[7]:.0f}")
    elif len(tie) >= 5:
        where.append(f"map x {tie[3]:.0f}, y {tie[4]:.0f}")
    col.place("GeoTIFF", "map position " + (", ".join(where) if where else "(georeferenced)"))
