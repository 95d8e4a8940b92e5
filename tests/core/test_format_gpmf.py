"""GoPro GPMF: the first fix, and what the GPSF (fix type) record decides."""

from __future__ import annotations

import struct

from veil.core.formats.video.gpmf import first_fix


def _klv(key: str, kind: str, size: int, payload: bytes) -> bytes:
    repeat = len(payload) // size if size else 0
    return (key.encode() + kind.encode() + struct.pack(">BH", size, repeat) + payload
            + bytes(-len(payload) % 4))


def _sample(gpsf: bytes | None) -> bytes:
    """DEVC { STRM { SCAL, [GPSF], GPS5 at 51.5, -0.125, 20 m } }."""
    scal = _klv("SCAL", "l", 4, struct.pack(">5i", 10_000_000, 10_000_000, 1000, 1000, 100))
    gps5 = _klv("GPS5", "l", 20, struct.pack(">5i", 515_000_000, -1_250_000, 20_000, 0, 0))
    strm = _klv("STRM", "\0", 1, scal + (gpsf or b"") + gps5)
    return _klv("DEVC", "\0", 1, strm)


def test_a_3d_fix_is_read() -> None:
    assert first_fix(_sample(_klv("GPSF", "L", 4, struct.pack(">I", 3)))) == (51.5, -0.125, 20.0)


def test_no_fix_means_no_position() -> None:
    assert first_fix(_sample(_klv("GPSF", "L", 4, struct.pack(">I", 0)))) is None


def test_a_gpsf_that_says_nothing_leaves_the_fix_unknown_and_the_position_reported() -> None:
    # Empty (repeat 0) or of a type GPMF never uses for it: not "no fix", so still shown.
    assert first_fix(_sample(_klv("GPSF", "L", 4, b""))) == (51.5, -0.125, 20.0)
    assert first_fix(_sample(_klv("GPSF", "f", 4, struct.pack(">f", 0.0)))) == (
        51.5, -0.125, 20.0)
    assert first_fix(_sample(None)) == (51.5, -0.125, 20.0)
