"""Offline nearest-place names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veil.core import gazetteer


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


def test_builds_in_memory_without_writing_to_home(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A privacy tool leaves no files behind, and a read-only home must not matter."""
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    cache.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(gazetteer, "_table", None)
    assert gazetteer.describe(48.8584, 2.2945) == "near Paris, France"
    assert list(home.rglob("*")) == [] and list(cache.rglob("*")) == []


def test_other_json_layout_falls_back_to_a_full_parse(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cities = {"1": {"geonameid": 1, "name": "Z\u00fcrich", "latitude": 47.37,
                    "longitude": 8.54, "countrycode": "CH", "population": 400000}}
    (tmp_path / "cities15000.json").write_text(json.dumps(cities, separators=(",", ":")))
    (tmp_path / "countries.json").write_text(json.dumps({"CH": {"name": "Switzerland"}}))
    monkeypatch.setattr(gazetteer, "_data_dir", lambda: tmp_path)
    monkeypatch.setattr(gazetteer, "_table", None)
    assert gazetteer.describe(47.36, 8.55) == "near Z\u00fcrich, Switzerland"


def test_missing_data_gives_no_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gazetteer, "_data_dir", lambda: tmp_path)
    monkeypatch.setattr(gazetteer, "_table", None)
    assert gazetteer.describe(48.8584, 2.2945) is None
