"""Text blocks (PNG/WebP/GIF text, comments, ICC names) decoded into Metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories.exif import exif_payload, scan
from veil.core.metadata import decode
from veil.core.metadata.collect import icc_description

PNG = Path("/nonexistent/a.png")


def test_standard_png_keys_have_roles() -> None:
    meta = decode(PNG, scan("png", text=(("Author", "Jane Doe"), ("Software", "GIMP"),
                                         ("Creation Time", "2023:11:05 14:30:12"),
                                         ("Description", "Our house"))))
    assert ("PNG text Author", "Jane Doe") in meta.owners
    assert ("PNG text Software", "GIMP") in meta.software
    assert ("PNG text Creation Time", "2023:11:05 14:30:12") in meta.datetimes
    assert ("PNG text Description", "Our house") in meta.texts
    assert any(t.group == "PNG text" and t.name == "Author" for t in meta.tags)


def test_imagemagick_exif_copies_reveal_gps_and_device() -> None:
    meta = decode(PNG, scan("png", text=(
        ("exif:GPSLatitude", "48/1, 51/1, 3030/100"), ("exif:GPSLatitudeRef", "N"),
        ("exif:GPSLongitude", "2/1, 17/1, 4020/100"), ("exif:GPSLongitudeRef", "E"),
        ("exif:Make", "Canon"), ("exif:BodySerialNumber", "123456"),
        ("icc:copyright", "Copyright Hewlett-Packard"))))
    assert meta.gps[0].lat == pytest.approx(48.858417, abs=1e-5)
    assert meta.gps[0].lon == pytest.approx(2.2945, abs=1e-5)
    assert meta.make == "Canon"
    assert ("BodySerialNumber", "123456") in meta.serials
    assert meta.texts == ()  # the profile's own copyright names nobody


def test_imagemagick_zero_denominator_degrees_give_no_position() -> None:
    meta = decode(PNG, scan("png", text=(("exif:GPSLatitude", "48/0, 0/1, 0/1"),
                                         ("exif:GPSLongitude", "2/1, 0/1, 0/1"))))
    assert meta.gps == ()


def test_raw_exif_in_a_text_chunk() -> None:
    raw = (b"Exif\0\0" + exif_payload(make="Nikon")).decode("latin-1")
    assert decode(PNG, scan("png", text=(("exif", raw),))).make == "Nikon"


def test_comments_are_text() -> None:
    meta = decode(Path("/x/a.gif"), scan("gif", comments=("made for Jane",)))
    assert ("Comment", "made for Jane") in meta.texts


def _icc_v2(desc: bytes) -> bytes:
    tag = b"desc" + (0).to_bytes(4, "big") + len(desc).to_bytes(4, "big") + desc + b"\0"
    header = bytearray(128)
    table = (1).to_bytes(4, "big") + b"desc" + (144).to_bytes(4, "big") + \
        len(tag).to_bytes(4, "big")
    return bytes(header) + table + tag


def test_icc_description() -> None:
    assert icc_description(_icc_v2(b"Canon EOS R5 camera profile")) == \
        "Canon EOS R5 camera profile"
    assert icc_description(b"short") is None
    meta = decode(Path("/x/a.jpg"), scan(icc=_icc_v2(b"sRGB IEC61966-2.1")))
    assert meta.values["ICC:Description"] == "sRGB IEC61966-2.1"


@pytest.mark.parametrize("key", ["Author", "COPYRIGHT", "artist", "Creator", "Owner",
                                 " owner ", "Photographer"])
def test_png_name_keys_are_owners_whatever_the_case(key: str) -> None:
    meta = decode(PNG, scan("png", text=((key, "Jane Doe"),)))
    assert (f"PNG text {key}", "Jane Doe") in meta.owners
    assert meta.texts == ()


@pytest.mark.parametrize("key", ["Title", "Description", "Comment", "Disclaimer"])
def test_png_free_text_keys_stay_text(key: str) -> None:
    meta = decode(PNG, scan("png", text=((key, "Our holiday"),)))
    assert meta.texts == ((f"PNG text {key}", "Our holiday"),) and meta.owners == ()


def test_png_times_and_places() -> None:
    meta = decode(PNG, scan("png", text=(("tIME", "2023-11-05T14:30:12"),
                                         ("Creation Time", "2023:11:05 10:00:00"),
                                         ("Location", "Lyon, France"),
                                         ("GPS", "48.8584, 2.2945"),
                                         ("city", "Brest"))))
    assert ("PNG text tIME", "2023-11-05T14:30:12") in meta.datetimes
    assert ("PNG text Creation Time", "2023:11:05 10:00:00") in meta.datetimes
    assert [v for _, v in meta.places] == ["Lyon, France", "48.8584, 2.2945", "Brest"]
    assert [(p.lat, p.lon) for p in meta.gps] == [(48.8584, 2.2945)]
    assert meta.texts == ()


def test_written_coordinates_with_hemispheres() -> None:
    meta = decode(PNG, scan("png", text=(("Geolocation", "33.8688 S, 151.2093 E"),)))
    assert [(p.lat, p.lon) for p in meta.gps] == [(-33.8688, 151.2093)]
    meta = decode(PNG, scan("png", text=(("Location", "Room 12.50, 3rd floor"),)))
    assert meta.gps == ()  # no second number: a name, not a position


@pytest.mark.parametrize("key", ["GeoLocation", "photo:location", "GPS_Position", "Capacity",
                                 "GIF plain text"])
def test_place_keys_need_a_place_word(key: str) -> None:
    meta = decode(PNG, scan("png", text=((key, "somewhere"),)))
    is_place = key not in ("Capacity", "GIF plain text")
    assert bool(meta.places) is is_place and bool(meta.texts) is not is_place
