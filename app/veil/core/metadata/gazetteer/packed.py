"""The prebuilt city table, ``assets/gazetteer/cities15000.bin``, and its reader.

Written by ``tools/build_gazetteer.py``; read with the stdlib only (no numpy: its import alone
costs ~100 ms) in a few ms. Rows are sorted by 1-degree grid cell, coordinates are int32
1e-5 degrees (GeoNames' own precision, so ``n / 1e5`` is bit-for-bit the double the JSON text
gives).
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path

from veil.core.assets import asset_path

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


# A plain class, not a dataclass: a slotted dataclass costs ~0.7 ms to define at import.
class PackedTable:
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


def packed_path() -> Path | None:
    return asset_path("gazetteer", "cities15000.bin")


def load_packed(path: Path) -> PackedTable:
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
    table = PackedTable(lat, lon, pops, name_low, country_of, cell_keys, cell_starts,
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

