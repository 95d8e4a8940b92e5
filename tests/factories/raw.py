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


def small_jpeg(size: tuple[int, int] = (160, 120), exif: bytes | None = None) -> bytes:
    """A real JPEG preview (Pillow-encoded), optionally with an EXIF APP1 inside."""
    from tests.factories import jpeg as fj
    from tests.factories.jpeg import noise_image

    data = fj.encode(noise_image(size), quality=70)
    return fj.insert(data, fj.app1_exif(exif)) if exif else data


GPS_PARIS = Ifd({0x0001: (ASCII, "N"), 0x0002: (ex.RATIONAL, ex.dms(48.8584)),
                 0x0003: (ASCII, "E"), 0x0004: (ex.RATIONAL, ex.dms(2.2945))})


def cr3(serial: str = "012345678901", owner: str = "Jane Doe", canon_serial: int = 1234567,
        xmp: bytes | None = None) -> bytes:
    """A Canon CR3 laid out as ExifTool documents it: moov/uuid(Canon) with CMT1-CMT4 TIFF
    blocks (IFD0, Exif IFD, Canon maker note, GPS) and THMB, a PRVW uuid, an XMP uuid."""
    from tests.factories.isobmff import box

    def uuid(hex_id: str, payload: bytes) -> bytes:
        return box("uuid", bytes.fromhex(hex_id) + payload)

    cmt1 = ex.tiff(Ifd({0x010F: (ASCII, "Canon"), 0x0110: (ASCII, "Canon EOS R5"),
                        0x0132: (ASCII, "2023:11:05 14:30:12")}))
    cmt2 = ex.tiff(Ifd({0x9003: (ASCII, "2023:11:05 14:30:12"), 0xA430: (ASCII, owner),
                        0xA431: (ASCII, serial)}))
    cmt3 = ex.tiff(ex.canon_note(serial=canon_serial, owner=owner))
    cmt4 = ex.tiff(GPS_PARIS)
    thumb = small_jpeg()
    thmb = struct.pack(">IHHII", 0, 160, 120, len(thumb), 0) + thumb
    canon = b"".join([box("CNCV", b"CanonCR3_001/00.10.00/00.00.00"), box("CMT1", cmt1),
                      box("CMT2", cmt2), box("CMT3", cmt3), box("CMT4", cmt4),
                      box("THMB", thmb)])
    moov = box("moov", uuid("85c0b687820f11e08111f4ce462b6a48", canon))
    preview = small_jpeg((320, 240))
    prvw = box("PRVW", struct.pack(">IHHHHI", 0, 1, 320, 240, 1, len(preview)) + preview)
    top_prvw = uuid("eaf42b5e1c984b88b9fbb7dc406e4d16", struct.pack(">II", 0, 1) + prvw)
    xmp = xmp or ex.xmp_packet('<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/'
                               'elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li>'
                               '</rdf:Seq></dc:creator></rdf:Description>')
    top_xmp = uuid("be7acfcb97a942e89c71999491e3afac", xmp)
    ftyp = box("ftyp", b"crx " + struct.pack(">I", 1) + b"crx isom")
    return ftyp + moov + top_xmp + top_prvw + box("mdat", b"\0" * 4096)
