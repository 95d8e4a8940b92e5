"""IPTC-IIM inside Photoshop 8BIM resources: values lifted, hostile lengths bounded."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.factories.exif import exif_payload, iim, photoshop, scan
from veil.core.metadata import Metadata, decode

PHOTO = Path("/nonexistent/p.jpg")


def meta_of(payload: bytes) -> Metadata:
    return decode(PHOTO, scan(iptc=(payload,)))


def test_iptc_records_are_lifted() -> None:
    records = (iim(1, 90, b"\x1b%G") + iim(2, 80, "Zoë Photographer".encode())
               + iim(2, 116, b"(c) Zoe") + iim(2, 90, b"Lyon") + iim(2, 101, b"France")
               + iim(2, 120, b"Birthday")
               + iim(2, 25, b"family") + iim(2, 55, b"20231105") + iim(2, 60, b"143012+0100"))
    meta = meta_of(photoshop((0x0404, records)))
    assert ("IPTC By-line", "Zoë Photographer") in meta.owners
    assert ("IPTC CopyrightNotice", "(c) Zoe") in meta.owners
    assert ("IPTC City", "Lyon") in meta.places and ("IPTC Country-PrimaryLocationName",
                                                      "France") in meta.places
    assert ("IPTC Caption-Abstract", "Birthday") in meta.texts
    assert ("IPTC DateCreated", "2023:11:05 14:30:12+01:00") in meta.datetimes
    assert any(t.group == "IPTC" and t.name == "Keywords" for t in meta.tags)


def test_raw_iim_without_photoshop_wrapper() -> None:
    assert ("IPTC By-line", "Ann") in meta_of(iim(2, 80, b"Ann")).owners


def test_huge_dataset_length_is_bounded() -> None:
    evil = bytes([0x1C, 2, 80]) + struct.pack(">H", 0x8004) + b"\xff\xff\xff\xff" + b"Ann"
    meta = meta_of(photoshop((0x0404, evil)))
    assert meta.scan.complete is False
    assert meta.warnings


def test_resource_longer_than_payload() -> None:
    payload = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\xff\xff\xff\xff" + iim(2, 80, b"Ann")
    meta = meta_of(payload)
    assert ("IPTC By-line", "Ann") in meta.owners
    assert meta.scan.complete is False


def test_photoshop_exif_and_thumbnail_resources() -> None:
    meta = meta_of(photoshop((0x0422, exif_payload(make="Canon")), (0x040C, b"\0" * 40)))
    assert meta.make == "Canon"
    assert "photoshop_thumbnail" in meta.flags


def test_garbage_is_not_fatal() -> None:
    assert isinstance(meta_of(b"Photoshop 3.0\x00garbage" * 10), Metadata)
