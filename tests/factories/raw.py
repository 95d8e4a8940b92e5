"""Camera raw fixtures built at run time from the documented layouts (ExifTool's tag
documentation and the makers' published structures); no real raw file is stored.

Each builder returns the bytes of a small but structurally faithful file: the places where
the identifying values live are real, the sensor data is filler.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

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
        xmp: bytes | None = None, extra_canon: bytes = b"") -> bytes:
    """A Canon CR3 laid out as ExifTool documents it: moov/uuid(Canon) with CMT1-CMT4 TIFF
    blocks (IFD0, Exif IFD, Canon maker note, GPS) and THMB, a PRVW uuid, an XMP uuid."""
    from tests.factories.isobmff import box

    def uuid(hex_id: str, payload: bytes) -> bytes:
        return box("uuid", bytes.fromhex(hex_id) + payload)

    cmt1 = ex.tiff(Ifd({0x0100: (LONG, 8192), 0x0101: (LONG, 5464),
                        0x010F: (ASCII, "Canon"), 0x0110: (ASCII, "Canon EOS R5"),
                        0x0132: (ASCII, "2023:11:05 14:30:12")}))
    cmt2 = ex.tiff(Ifd({0x9003: (ASCII, "2023:11:05 14:30:12"), 0xA430: (ASCII, owner),
                        0xA431: (ASCII, serial)}))
    cmt3 = ex.tiff(ex.canon_note(serial=canon_serial, owner=owner))
    cmt4 = ex.tiff(GPS_PARIS)
    thumb = small_jpeg()
    thmb = struct.pack(">IHHII", 0, 160, 120, len(thumb), 0) + thumb
    canon = b"".join([box("CNCV", b"CanonCR3_001/00.10.00/00.00.00"), box("CMT1", cmt1),
                      box("CMT2", cmt2), box("CMT3", cmt3), box("CMT4", cmt4),
                      box("THMB", thmb)]) + extra_canon
    moov = box("moov", uuid("85c0b687820f11e08111f4ce462b6a48", canon))
    preview = small_jpeg((320, 240))
    prvw = box("PRVW", struct.pack(">IHHHHI", 0, 1, 320, 240, 1, len(preview)) + preview)
    top_prvw = uuid("eaf42b5e1c984b88b9fbb7dc406e4d16", struct.pack(">II", 0, 1) + prvw)
    xmp = xmp or ex.xmp_packet('<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/'
                               'elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li>'
                               '</rdf:Seq></dc:creator></rdf:Description>')
    top_xmp = uuid("be7acfcb97a942e89c71999491e3afac", xmp)
    ftyp = box("ftyp", b"crx " + struct.pack(">I", 1) + b"crx isom")
    full = small_jpeg((640, 480))  # the first track's JPEG opens mdat, as cameras write it
    return ftyp + moov + top_xmp + top_prvw + box("mdat", full + b"\0" * 4096)


def _ciff_heap(records: list[tuple[int, bytes]], bo: str = "<") -> bytes:
    """One CIFF heap: the values, then the record table, then the table's offset."""
    values = bytearray()
    table = bytearray(struct.pack(bo + "H", len(records)))
    for tag, value in records:
        if tag & 0x4000:  # in-record value: 8 bytes in the size and offset fields
            table += struct.pack(bo + "H", tag) + value.ljust(8, b"\0")[:8]
            continue
        table += struct.pack(bo + "HII", tag, len(value), len(values))
        values += value + b"\0" * (len(value) & 1)
    return bytes(values + table + struct.pack(bo + "I", len(values)))


def crw(owner: str = "Jane Doe", serial: int = 560012345, model: str = "Canon EOS 300D DIGITAL",
        stamp: int = 1_699_194_612, original: str = "") -> bytes:
    """A Canon CRW (CIFF) following Canon's CIFF spec as ExifTool documents it: the
    ImageProps heap (0x300a) holds make/model, owner, serial and time; JpgFromRaw and the
    thumbnail sit in the root heap; ``original``: the OriginalFileName record (0x0816)."""
    description = _ciff_heap([(0x0805, b"EOS 300D DIGITAL CMOS RAW\0".ljust(32, b"\0"))])
    named = [(0x0816, original.encode() + b"\0")] if original else []
    props = _ciff_heap([
        *named,
        (0x080A, b"Canon\0" + model.encode() + b"\0"),
        (0x0810, owner.encode().ljust(32, b"\0")),
        (0x0805, b"my comment\0".ljust(32, b"\0")),
        (0x180B | 0x4000, struct.pack("<I", serial)),
        (0x180E, struct.pack("<III", stamp, 0, 0)),
        (0x1029, struct.pack("<4H", 1, 2, 3, 4)),
        (0x2804, description),
    ])
    root = _ciff_heap([(0x300A, props), (0x2007, small_jpeg((320, 240))),
                       (0x2008, small_jpeg()), (0x2005, b"\x11" * 2048)])
    header = b"II" + struct.pack("<I", 26) + b"HEAPCCDR" + struct.pack("<III", 0x10002, 0, 0)
    return header + root


def fuji_note(serial: str) -> bytes:
    """A Fujifilm maker note: "FUJIFILM", the IFD's offset (12), a little-endian IFD whose
    offsets count from the note's start; InternalSerialNumber is tag 0x0010."""
    text = serial.encode() + b"\0"
    return (b"FUJIFILM" + struct.pack("<IH", 12, 1)
            + struct.pack("<HHII", 0x0010, 2, len(text), 12 + 2 + 12 + 4)
            + struct.pack("<I", 0) + text)


def raf(serial: str = "FF02B4123456 5A3531303930380512", model: str = "X-T4") -> bytes:
    """A Fujifilm RAF: header (camera name at 0x1c), the JPEG offset/length at 84-91, then a
    JPEG whose EXIF holds the Fujifilm maker note, then the RAF directory and sensor data."""
    tiff = ex.tiff(Ifd({0x010F: (ASCII, "FUJIFILM"), 0x0110: (ASCII, model)},
                       {0x8769: Ifd({0x927C: (UNDEFINED, fuji_note(serial)),
                                     0x9003: (ASCII, "2023:11:05 14:30:12")})}))
    jpeg = small_jpeg((320, 240), exif=tiff)
    jpeg_at = 0x94
    # RAF directory: a record count, then (tag, size, value): RawImageFullSize 0x0100
    directory = struct.pack(">IHHHH", 1, 0x0100, 4, 3000, 4000)
    sensor = b"\x22" * 4096
    dir_at = jpeg_at + len(jpeg)
    raw_at = dir_at + len(directory)
    head = bytearray(SIG_RAF + b"0201" + b"FF129502" + model.encode().ljust(32, b"\0")
                     + b"0100" + b"\0" * 20)
    head += struct.pack(">6I", jpeg_at, len(jpeg), dir_at, len(directory), raw_at, len(sensor))
    return bytes(head.ljust(jpeg_at, b"\0")) + jpeg + directory + sensor


SIG_RAF = b"FUJIFILMCCD-RAW "


def note_in_place(make: str, model: str, length: int, build: Callable[[int], bytes]) -> bytes:
    """An EXIF TIFF whose MakerNote is ``build(offset)``: ``offset`` is where the note lands
    (for notes whose value offsets count from the TIFF header, as Panasonic's do)."""
    marker = b"NOTE" + b"\xa5" * (length - 4)
    base = ex.tiff(Ifd({0x010F: (ASCII, make), 0x0110: (ASCII, model)},
                       {0x8769: Ifd({0x927C: (UNDEFINED, marker),
                                     0x9003: (ASCII, "2023:11:05 14:30:12")})}))
    at = base.index(marker)
    note = build(at)
    assert len(note) == length
    return base[:at] + note + base[at + length :]


def panasonic_note(serial: str) -> Callable[[int], bytes]:
    """A Panasonic maker note: "Panasonic\0\0\0", then an IFD whose value offsets count
    from the TIFF header; InternalSerialNumber is tag 0x0025 (16 bytes)."""
    text = serial.encode().ljust(16, b"\0")

    def build(at: int) -> bytes:
        return (b"Panasonic\0\0\0" + struct.pack("<H", 1)
                + struct.pack("<HHII", 0x0025, UNDEFINED, len(text), at + 30)
                + struct.pack("<I", 0) + text)

    return build


def rw2(serial: str = "WX1234567890", model: str = "DC-GH5") -> bytes:
    """A Panasonic RW2: TIFF magic 0x55, IFD0 with Make/Model and JpgFromRaw (0x002e), a
    JPEG whose EXIF carries the Panasonic maker note with InternalSerialNumber (0x0025)."""
    inner = note_in_place("Panasonic", model, 46, panasonic_note(serial))
    jpeg = small_jpeg((320, 240), exif=inner)
    ifd0 = Ifd({0x0001: (UNDEFINED, b"0310"), 0x0002: (SHORT, 4000), 0x0003: (SHORT, 3000),
                0x010F: (ASCII, "Panasonic"), 0x0110: (ASCII, model),
                0x002E: (UNDEFINED, jpeg), 0x0118: (LONG, 0)})
    data = bytearray(ex.tiff(ifd0))
    data[2:4] = b"U\0"
    return bytes(data) + b"\x33" * 4096


def mrw(owner: str = "Jane Doe", model: str = "DYNAX 7D") -> bytes:
    """A Minolta MRW: "\\0MRM" + header length, then PRD (sizes), TTW (a big-endian TIFF
    with Make/Model/Artist and the Exif IFD), WBG and RIF blocks; sensor data after."""
    def block(name: bytes, data: bytes) -> bytes:
        return name + struct.pack(">I", len(data)) + data

    prd = b"21810002" + struct.pack(">4H3BHB", 2000, 3000, 2000, 3000, 12, 12, 0x59, 0, 1)
    ttw = ex.tiff(Ifd({0x010F: (ASCII, "KONICA MINOLTA"), 0x0110: (ASCII, model),
                       0x013B: (ASCII, owner)},
                      {0x8769: Ifd({0x9003: (ASCII, "2023:11:05 14:30:12")})}), bo=">")
    blocks = (block(b"\0PRD", prd) + block(b"\0TTW", ttw) + block(b"\0WBG", b"\0" * 12)
              + block(b"\0RIF", b"\0" * 32))
    return b"\0MRM" + struct.pack(">I", len(blocks)) + blocks + b"\x44" * 4096


def x3f(serial: str = "2204567", model: str = "SIGMA SD14") -> bytes:
    """A Sigma X3F (version 2.0): header with the image unique id, then a PROP section
    (UTF-16 CAMMANUF/CAMMODEL/CAMSERIAL/TIME), a JPEG preview section (type 2, format 18),
    sensor data, and the "SECd" directory whose offset ends the file."""
    props = {"CAMMANUF": "SIGMA", "CAMMODEL": model, "CAMSERIAL": serial,
             "CAMNAME": "Jane's SD14", "IMAGERBOARDID": "00012345", "TIME": "1699194612"}
    chars, pairs = "", b""
    for name, value in props.items():
        pairs += struct.pack("<II", len(chars), len(chars) + len(name) + 1)
        chars += name + "\0" + value + "\0"
    prop = (b"SECp" + struct.pack("<5I", 0x00020000, len(props), 0, 0, len(chars))
            + pairs + chars.encode("utf-16-le"))
    jpeg = small_jpeg((320, 240))
    imag = b"SECi" + struct.pack("<6I", 0x00020000, 2, 18, 320, 240, 320 * 3) + jpeg
    sensor = b"SECi" + struct.pack("<6I", 0x00020000, 3, 6, 64, 48, 64 * 6) + b"\x55" * 2048
    header = (b"FOVb" + struct.pack("<I", 0x00020000) + bytes.fromhex("02204567a1b2c3d4"
              "e5f60718293a4b5c") + struct.pack("<4I", 0, 64, 48, 0))
    body, sections = bytearray(header), []
    for kind, data in ((b"PROP", prop), (b"IMA2", imag), (b"IMAG", sensor)):
        sections.append((len(body), len(data), kind))
        body += data
    directory = len(body)
    body += b"SECd" + struct.pack("<II", 0x00020000, len(sections))
    for at, length, kind in sections:
        body += struct.pack("<II", at, length) + kind
    return bytes(body + struct.pack("<I", directory))


def orf(serial: str = "BHP212345", model: str = "E-M1MarkII") -> bytes:
    """An Olympus ORF: a TIFF under the "IIRO" magic, EXIF where a TIFF keeps it (the
    Olympus maker note is the metadata package's; BodySerialNumber stands in here)."""
    data = bytearray(ex.tiff(Ifd({0x010F: (ASCII, "OLYMPUS CORPORATION"),
                                  0x0110: (ASCII, model), 0x0103: (SHORT, 1)},
                                 {0x8769: Ifd({0xA431: (ASCII, serial),
                                               0x9003: (ASCII, "2023:11:05 14:30:12")})})))
    data[2:4] = b"RO"
    return bytes(data) + b"\x66" * 4096
