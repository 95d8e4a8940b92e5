"""Sidecars next to a photo: Takeout JSON name variants, XMP sidecars, Apple AAE."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest

from tests.factories.exif import XMP_NS, scan, xmp_packet
from veil.core.metadata import decode
from veil.core.metadata.sidecars import MAX_SIDECAR, find_sidecars

TAKEOUT = {
    "title": "IMG_1234.jpg",
    "description": "At grandma's",
    "photoTakenTime": {"timestamp": "1699194612", "formatted": "5 Nov 2023, 14:30:12 UTC"},
    "geoData": {"latitude": 48.8584, "longitude": 2.2945, "altitude": 35.0},
    "geoDataExif": {"latitude": 0.0, "longitude": 0.0},
    "people": [{"name": "Jane Doe"}, {"name": "John Roe"}],
}


def _photo(folder: Path, name: str = "IMG_1234.jpg") -> Path:
    path = folder / name
    path.write_bytes(b"\xff\xd8\xff\xd9")
    return path


@pytest.mark.parametrize(
    ("photo", "sidecar"),
    [
        ("IMG_1234.jpg", "IMG_1234.jpg.json"),
        ("IMG_1234.jpg", "IMG_1234.jpg.supplemental-metadata.json"),
        ("IMG_1234.jpg", "IMG_1234.jpg.supplemental-metad.json"),
        ("IMG_1234.jpg", "IMG_1234.jpg.suppl.json"),
        ("IMG_1234(1).jpg", "IMG_1234.jpg(1).json"),
        ("IMG_1234(1).jpg", "IMG_1234.jpg.supplemental-metadata(1).json"),
        ("IMG_1234-edited.jpg", "IMG_1234.jpg.json"),
    ],
)
def test_takeout_names_match(tmp_path: Path, photo: str, sidecar: str) -> None:
    path = _photo(tmp_path, photo)
    (tmp_path / sidecar).write_text("{}")
    assert find_sidecars(path) == [tmp_path / sidecar]


@pytest.mark.parametrize(
    ("photo", "sidecar"),
    [("IMG_1234.jpg", "IMG_12345.jpg.json"), ("IMG_1234.jpg", "IMG_1234.jpg(1).json"),
     ("IMG_1234(1).jpg", "IMG_1234.jpg.json"), ("IMG_1234.jpg", "other.json")],
)
def test_other_photos_sidecars_do_not_match(tmp_path: Path, photo: str, sidecar: str) -> None:
    path = _photo(tmp_path, photo)
    (tmp_path / sidecar).write_text("{}")
    assert find_sidecars(path) == []


def test_takeout_values(tmp_path: Path) -> None:
    path = _photo(tmp_path)
    (tmp_path / "IMG_1234.jpg.json").write_text(json.dumps(TAKEOUT))
    meta = decode(path, scan())
    assert meta.sidecars == (tmp_path / "IMG_1234.jpg.json",)
    values = meta.sidecar_values["IMG_1234.jpg.json"]
    assert values["location"] == [48.8584, 2.2945]
    assert values["people"] == ["Jane Doe", "John Roe"]
    assert values["time"] == 1699194612
    assert any(t.group == "Sidecar" for t in meta.tags)
    assert meta.gps == ()  # the photo itself carries no GPS; the sidecar is reported apart


def test_takeout_zero_position_means_none(tmp_path: Path) -> None:
    path = _photo(tmp_path)
    doc = {"geoData": {"latitude": 0.0, "longitude": 0.0}}
    (tmp_path / "IMG_1234.jpg.json").write_text(json.dumps(doc))
    assert "location" not in decode(path, scan()).sidecar_values["IMG_1234.jpg.json"]


def test_broken_and_oversized_sidecars(tmp_path: Path) -> None:
    path = _photo(tmp_path)
    (tmp_path / "IMG_1234.jpg.json").write_text("{not json")
    (tmp_path / "IMG_1234.xmp").write_bytes(b" " * (MAX_SIDECAR + 10))
    meta = decode(path, scan())
    assert meta.sidecars == ()
    assert any("could not be read" in w for w in meta.warnings)


def test_xmp_sidecar(tmp_path: Path) -> None:
    path = _photo(tmp_path, "DSC_0001.NEF.jpg")
    body = (f'<rdf:Description rdf:about="" {XMP_NS} exif:GPSLatitude="48,51.5N" '
            'exif:GPSLongitude="2,17.67E"><dc:creator><rdf:Seq><rdf:li>Jane</rdf:li>'
            "</rdf:Seq></dc:creator></rdf:Description>")
    (tmp_path / "DSC_0001.NEF.xmp").write_bytes(xmp_packet(body))
    meta = decode(path, scan())
    values = meta.sidecar_values["DSC_0001.NEF.xmp"]
    assert values["owners"] == ["Jane"]
    assert values["location"][0] == pytest.approx(48.858333, abs=1e-5)


def test_aae_sidecar(tmp_path: Path) -> None:
    path = _photo(tmp_path, "IMG_0001.HEIC")
    (tmp_path / "IMG_0001.AAE").write_bytes(plistlib.dumps({
        "adjustmentFormatIdentifier": "com.apple.photo", "adjustmentFormatVersion": "1.5",
        "adjustmentData": b"\x00" * 50}))
    values = decode(path, scan("heic")).sidecar_values["IMG_0001.AAE"]
    assert values["edits"] is True
    assert values["adjustmentFormatIdentifier"] == "com.apple.photo"


def test_aae_with_entities_is_refused(tmp_path: Path) -> None:
    path = _photo(tmp_path, "IMG_0002.HEIC")
    (tmp_path / "IMG_0002.AAE").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "x">]><plist><dict/></plist>')
    meta = decode(path, scan("heic"))
    assert meta.sidecars == ()
