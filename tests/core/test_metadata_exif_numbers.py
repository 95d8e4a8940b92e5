"""The faster exifread ``s2n`` gives exifread's own answers, exceptions and warnings."""

from __future__ import annotations

import io
import itertools
import logging
import struct

import exifread
import pytest
from exifread.core.exif_header import ExifHeader

from veil.core.metadata import exif_numbers

DATA = bytes(range(256)) * 2


def _outcome(fn: object, header: ExifHeader, offset: int, length: int, signed: bool,
             caplog: pytest.LogCaptureFixture) -> tuple[object, ...]:
    caplog.clear()
    try:
        result: object = fn(header, offset, length, signed)  # type: ignore[operator]
    except (ValueError, struct.error) as exc:
        result = (type(exc).__name__, str(exc))
    return result, tuple(r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("endian", ["I", "M"])
def test_same_results_as_exifread(endian: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="exifread")
    checked = 0
    for base, offset, length, signed in itertools.product(
        (0, 6, 500), (0, 1, 7, 250, 509, 511, 512, 600), range(10), (False, True)
    ):
        header = ExifHeader(io.BytesIO(DATA), endian, base, 0, False)
        ours = _outcome(exif_numbers.s2n, header, offset, length, signed, caplog)
        header = ExifHeader(io.BytesIO(DATA), endian, base, 0, False)
        theirs = _outcome(exif_numbers.ORIGINAL, header, offset, length, signed, caplog)
        assert ours == theirs, (endian, base, offset, length, signed)
        checked += 1
    assert checked == 3 * 8 * 10 * 2


def test_installed_only_for_the_checked_release() -> None:
    import veil.core.metadata.exif  # noqa: F401 - installs it on import

    if exifread.__version__ == exif_numbers.CHECKED_VERSION:
        assert ExifHeader.s2n is exif_numbers.s2n
    else:
        assert ExifHeader.s2n is exif_numbers.ORIGINAL
