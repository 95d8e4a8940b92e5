"""Camera raw fixtures built at run time from the documented layouts (ExifTool's tag
documentation and the makers' published structures); no real raw file is stored.

Each builder returns the bytes of a small but structurally faithful file: the places where
the identifying values live are real, the sensor data is filler.
"""

from __future__ import annotations

import struct

from tests.factories import exif as ex
from tests.factories.exif import ASCII, LONG, SHORT, UNDEFINED, Ifd


def phase_one_note(serial: str, size: int = 1_100_000) -> bytes:
    """A Phase One maker note ("IIIITwaR", directory offset, 16-byte entries): the
    SerialNumber (0x0102) entry, then sensor filler up to ``size`` bytes (> 1 MB is what
    makes ExifTool call the file IIQ)."""
    text = serial.encode() + b"\0"
    directory = 16
    entries = [(0x0100, 4, 4, 0), (0x0102, 1, len(text), directory + 8 + 16 * 2)]
    out = bytearray(b"IIIITwaR" + struct.pack("<I", directory) + b"\0" * 4)
    out += struct.pack("<II", len(entries), 0)
    for tag, fmt, length, value in entries:
        out += struct.pack("<IIII", tag, fmt, length, value)
    out += text
    return bytes(out.ljust(size, b"\x5a"))


def with_strip(tiff: bytes, pixels: bytes) -> bytes:
    """``tiff`` with ``pixels`` appended and IFD0's StripOffsets (0x0111) pointing at them."""
    out = bytearray(tiff)
    (first,) = struct.unpack_from("<I", out, 4)
    (count,) = struct.unpack_from("<H", out, first)
    for i in range(count):
        at = first + 2 + 12 * i
        if struct.unpack_from("<H", out, at)[0] == 0x0111:
            struct.pack_into("<I", out, at + 8, len(out))
    return bytes(out + pixels)


def iiq(serial: str = "IQ301234", model: str = "IQ3 100MP") -> bytes:
    """A Phase One IIQ as the cameras lay it out: IFD0 is a 1x1 RGB image, the raw data and
    the serial live in the (huge) maker note."""
    ifd0 = Ifd({0x0100: (LONG, 1), 0x0101: (LONG, 1), 0x0102: (SHORT, [8, 8, 8]),
                0x0103: (SHORT, 1), 0x0106: (SHORT, 2), 0x010F: (ASCII, "Phase One"),
                0x0110: (ASCII, model), 0x0111: (LONG, 0), 0x0115: (SHORT, 3),
                0x0116: (LONG, 1), 0x0117: (LONG, 3)},
               {0x8769: Ifd({0x927C: (UNDEFINED, phase_one_note(serial))})})
    return with_strip(ex.tiff(ifd0), b"\x80\x80\x80")
