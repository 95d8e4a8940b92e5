"""Metadata detectors: where and when (GPS, written places, capture time, dated file names)."""

from __future__ import annotations

import pytest

from tests.factories.exif import (
    exif_payload,
    iim,
    photoshop,
)
from tests.factories.findings import meta, of, run
from veil.core.model import FindingKind, Severity


def test_gps_is_one_high_finding_with_place() -> None:
    found = run(meta(exif=(exif_payload(gps=(48.8584, 2.2945)),)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.severity is Severity.HIGH
    assert loc.summary == "Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France"
    assert loc.source == "EXIF GPS"
    assert loc.detail["lat"] == pytest.approx(48.8584)
    assert loc.detail["place"] == "near Paris, France"


def test_written_place_without_gps_is_medium() -> None:
    found = run(meta(iptc=(photoshop((0x0404, iim(2, 90, b"Lyon"))),)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.severity is Severity.MEDIUM
    assert "Lyon" in loc.summary


def test_gps_and_another_written_place_names_both() -> None:
    # The GPS point says Paris, the IPTC says Lyon and a street: the summary named only
    # Paris, and a person reading it never learned the file also names the street.
    iptc = photoshop((0x0404, iim(2, 90, b"Lyon") + iim(2, 92, b"12 rue Oberkampf")))
    found = run(meta(exif=(exif_payload(gps=(48.8584, 2.2945)),), iptc=(iptc,)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.severity is Severity.HIGH
    assert loc.summary == ("Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France;"
                           " it also names the place: Lyon, 12 rue Oberkampf")


def test_gps_and_the_same_town_written_says_it_once() -> None:
    iptc = photoshop((0x0404, iim(2, 90, b"Paris") + iim(2, 101, b"France")))
    found = run(meta(exif=(exif_payload(gps=(48.8584, 2.2945)),), iptc=(iptc,)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.summary == "Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France"


def test_time_summary_words() -> None:
    found = run(meta(exif=(exif_payload(taken="2023:11:05 14:30:12"),)))
    (when,) = of(FindingKind.TIME, found)
    assert when.summary == "Shows when it was taken: 5 November 2023, 14:30"
    assert when.severity is Severity.MEDIUM
    assert when.detail["taken"] == "2023-11-05T14:30:12"


def test_filename_date_medium_and_device_hint_low() -> None:
    (name,) = of(FindingKind.FILENAME, run(meta("/x/PXL_20231105_143012345.jpg")))
    assert name.severity is Severity.MEDIUM
    assert "5 November 2023, 14:30" in name.summary
    (hint,) = of(FindingKind.FILENAME, run(meta("/x/DSCN0010.jpg")))
    assert hint.severity is Severity.LOW
    assert run(meta("/x/holiday.jpg")) == []
