"""Offline nearest-place names."""

from __future__ import annotations

import pytest

from veil.core import gazetteer


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [(48.8584, 2.2945, "near Paris, France"), (-33.8568, 151.2153, "near Sydney, Australia"),
     (35.6586, 139.7454, "near Tokyo, Japan"), (48.8049, 2.1204, "near Versailles, France")],
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
