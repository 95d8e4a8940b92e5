"""What file names give away."""

from __future__ import annotations

import pytest

from veil.core.metadata.filenames import read_name


@pytest.mark.parametrize(
    ("name", "when", "origin_word"),
    [
        ("IMG_20231105_143012.jpg", "2023-11-05 14:30:12", "Android"),
        ("PXL_20231105_143012345.jpg", "2023-11-05 14:30:12", "Pixel"),
        ("Screenshot_2023-11-05-14-30-12.png", "2023-11-05 14:30:12", "screenshot"),
        ("WhatsApp Image 2023-11-05 at 14.30.12.jpeg", "2023-11-05 14:30:12", "WhatsApp"),
        ("signal-2023-11-05-143012.jpg", "2023-11-05 14:30:12", "Signal"),
        ("IMG-20231105-WA0001.jpg", "2023-11-05", "WhatsApp"),
        ("20231105_143012.jpg", "2023-11-05 14:30:12", "Samsung"),
        ("DSC_0001.JPG", None, "Nikon"),
        ("DSCN0010.jpg", None, "Coolpix"),
        ("P1000123.JPG", None, "Panasonic"),
        ("GOPR0001.JPG", None, "GoPro"),
    ],
)
def test_patterns(name: str, when: str | None, origin_word: str) -> None:
    hint = read_name(name)
    assert hint is not None
    assert hint.when == when
    assert origin_word in (hint.origin or "")


@pytest.mark.parametrize("name", ["holiday.jpg", "IMG_1234.JPG", "20231399_999999.jpg",
                                  "photo.png", "Jane Doe at the beach.jpg"])
def test_neutral_names(name: str) -> None:
    assert read_name(name) is None
