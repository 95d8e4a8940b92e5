"""Maker-note byte builders, written from the public tag tables (exiftool's TagNames pages:
Canon, Olympus, PhaseOne, Sony, Kodak, Leica, Nikon, HP, Panasonic), never from a real file.
Each builder returns a MakerNote (placed by :func:`exif_with_note`) or a whole EXIF TIFF
block, so the same bytes can be fed to Veil and to exiftool (the conformance tests compare
the two readers). Maker blocks outside the MakerNote (FLIR, GoPro, InfiRay...) are built in
:mod:`tests.factories.maker_apps`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from tests.factories.exif import ASCII, LONG, UNDEFINED, _encode

Entries = dict[int, tuple[int, Any]]


def ifd_bytes(entries: Entries, bo: str, start: int, base: int, next_ifd: bool = True) -> bytes:
    """One IFD and its out-of-line values, as if written at absolute position ``start``
    with value offsets counted from ``base`` (the maker's rule)."""
    tags = sorted(entries)
    head = 2 + 12 * len(tags) + (4 if next_ifd else 0)
    body, tail = bytearray(struct.pack(bo + "H", len(tags))), bytearray()
    for tag in tags:
        typ, value = entries[tag]
        count, data = _encode(typ, value, bo)
        if len(data) <= 4:
            body += struct.pack(bo + "HHI", tag, typ, count) + data.ljust(4, b"\0")
        else:
            body += struct.pack(bo + "HHII", tag, typ, count, start + head + len(tail) - base)
            tail += data + (b"\0" if len(data) % 2 else b"")
    if next_ifd:
        body += b"\0\0\0\0"
    return bytes(body + tail)


#: Where the maker note lands in the TIFF built by :func:`exif_with_note`.
NOTE_AT = 132


def exif_with_note(make: str, note: Callable[[int], bytes], bo: str = "<",
                   model: str = "Model", shift: int = 0) -> bytes:
    """An EXIF TIFF (IFD0 Make/Model -> Exif IFD -> MakerNote) with ``note(position)`` as the
    MakerNote. ``shift`` moves the note that many bytes after where its offsets were
    computed: what an editor that re-saves the EXIF without fixing the note does."""
    written_for = NOTE_AT
    blob = note(written_for)
    out = bytearray(b"II*\0" if bo == "<" else b"MM\0*") + struct.pack(bo + "I", 8)
    out += struct.pack(bo + "H", 3)
    out += struct.pack(bo + "HHII", 0x010F, ASCII, len(make) + 1, 50)
    out += struct.pack(bo + "HHII", 0x0110, ASCII, len(model) + 1, 82)
    out += struct.pack(bo + "HHII", 0x8769, LONG, 1, 114)
    out += b"\0\0\0\0"
    out += make.encode().ljust(32, b"\0")[:32] + model.encode().ljust(32, b"\0")[:32]
    assert len(out) == 114
    out += struct.pack(bo + "H", 1)
    out += struct.pack(bo + "HHII", 0x927C, UNDEFINED, len(blob), NOTE_AT + shift) + b"\0" * 4
    assert len(out) == NOTE_AT
    return bytes(out + b"\0" * shift + blob)


def plain_note(entries: Entries, bo: str = "<", prefix: bytes = b"",
               base_at_note: bool = False) -> Callable[[int], bytes]:
    """A note that is ``prefix`` + one IFD; offsets from the TIFF header, or from the note's
    start when ``base_at_note``."""

    def build(at: int) -> bytes:
        start = at + len(prefix)
        return prefix + ifd_bytes(entries, bo, start, at if base_at_note else 0)

    return build


def canon_note(entries: Entries, bo: str = "<", footer: bool = True) -> Callable[[int], bytes]:
    """A Canon note: one IFD (offsets from the TIFF header) and, as cameras write it, an
    8-byte footer: the note's byte order mark and the offset it was written at."""

    def build(at: int) -> bytes:
        body = ifd_bytes(entries, bo, at, 0)
        mark = b"II*\0" if bo == "<" else b"MM\0*"
        return body + (mark + struct.pack(bo + "I", at) if footer else b"")

    return build


def canon_entries(internal: str = "ZA2146315", lens_id: bytes = bytes.fromhex("000027ced3"),
                  serial: int | None = 1234567) -> Entries:
    """Canon tags: ImageType 0x0006, Firmware 0x0007, SerialNumber 0x000C (int32u),
    InternalSerialNumber 0x0096 (string), LensInfo 0x4019 (bytes 0-4: LensSerialNumber)."""
    e: Entries = {0x0006: (ASCII, "Canon EOS 80D"),
                  0x0007: (ASCII, "Firmware Version 2.1.1"),
                  0x0096: (ASCII, internal),
                  0x4019: (UNDEFINED, lens_id + bytes(25))}
    if serial is not None:
        e[0x000C] = (LONG, serial)
    return e


def olympus_old_note(serial: str = "F70501740", thumbnail: bytes | None = None,
                     bo: str = "<") -> Callable[[int], bytes]:
    """An old Olympus note: "OLYMP\\0" + version 0x0001, the IFD at +8, offsets from the TIFF
    header; SerialNumber 0x101a a 32-byte blank-padded string, ThumbnailImage 0x0100."""
    entries: Entries = {0x0200: (LONG, [0, 0, 0]),  # SpecialMode
                        0x101A: (ASCII, serial.ljust(31))}
    if thumbnail is not None:
        entries[0x0100] = (UNDEFINED, thumbnail)
    return plain_note(entries, bo, prefix=b"OLYMP\0\x01\0")


def phaseone_note(serial: str = "EH021234", model: str = "IQ180",
                  bo: str = "<") -> Callable[[int], bytes]:
    """A Phase One / Leaf note ("IIII" + 0x01 "waR", or "MMMM" "Raw" 0x01): the directory
    offset at +8 (from the note's start), then int32 count, int32 spare and 16-byte entries
    (int32 tag, format, size, value or offset). SerialNumber 0x0102, CameraModel 0x0410."""
    strings = [(0x0102, serial.encode() + b"\0"), (0x0410, model.encode() + b"\0")]

    def build(_at: int) -> bytes:
        head = (b"IIII\x01waR" if bo == "<" else b"MMMMRaw\x01") + struct.pack(bo + "I", 0)
        data, where = bytearray(), []
        for _tag, value in strings:
            where.append(len(head) + len(data))
            data += value.ljust((len(value) + 3) // 4 * 4, b"\0")
        dir_at = len(head) + len(data)
        entries = [struct.pack(bo + "4I", tag, 1, len(value), at)
                   for (tag, value), at in zip(strings, where, strict=True)]
        entries.append(struct.pack(bo + "4I", 0x0105, 4, 4, 200))  # ISO, inline
        out = bytearray(head + data)
        out += struct.pack(bo + "II", len(entries), 0) + b"".join(entries)
        struct.pack_into(bo + "I", out, 8, dir_at)
        return bytes(out)

    return build


def sony_note(serial: str = "1234567890", header: bool = True,
              bo: str = "<") -> Callable[[int], bytes]:
    """A Sony note ("SONY DSC \\0\\0\\0" + IFD, or a bare IFD): SerialNumber 0x2031."""
    entries: Entries = {0x2031: (ASCII, serial.rjust(16, "0")), 0xB020: (ASCII, "Standard")}
    return plain_note(entries, bo, prefix=b"SONY DSC \0\0\0" if header else b"")


def kodak_type7_note(serial: str = "KCXJ45200123") -> Callable[[int], bytes]:
    """A Kodak "Type7" note: the serial first (16 bytes), then binary camera data."""
    return lambda _at: serial.encode().ljust(16, b"\0") + bytes(240)


def leica_note(version: bytes, entries: Entries, bo: str = "<") -> Callable[[int], bytes]:
    """A Leica note: "LEICA\\0" + 2-byte version, an IFD at +8 (offsets from the note)."""
    return plain_note(entries, bo, prefix=b"LEICA\0" + version, base_at_note=True)


def nikon_note(serial: str = "3001006", preview: bytes | None = None,
               bo: str = ">") -> Callable[[int], bytes]:
    """A Nikon type-3 note: "Nikon\\0\\x02\\x10\\0\\0", its own TIFF header, an IFD whose
    offsets count from that header; SerialNumber 0x001d, PreviewIFD 0x0011 -> a sub-IFD with
    PreviewImageStart 0x0201 / PreviewImageLength 0x0202."""

    def build(_at: int) -> bytes:
        inner = bytearray((b"MM\0*" if bo == ">" else b"II*\0") + struct.pack(bo + "I", 8))
        entries: Entries = {0x0001: (UNDEFINED, b"0210"), 0x001D: (ASCII, serial)}
        if preview is not None:
            entries[0x0011] = (LONG, 0)  # fixed below
        main = ifd_bytes(entries, bo, 8, 0)
        inner += main
        if preview is not None:
            sub_at = len(inner)
            sub = ifd_bytes({0x0103: (3, 6), 0x0201: (LONG, 0), 0x0202: (LONG, len(preview))},
                            bo, sub_at, 0)
            jpeg_at = sub_at + len(sub)
            sub = ifd_bytes({0x0103: (3, 6), 0x0201: (LONG, jpeg_at),
                             0x0202: (LONG, len(preview))}, bo, sub_at, 0)
            inner += sub + preview
            tags = sorted(entries)
            at = 8 + 2 + 12 * tags.index(0x0011) + 8
            struct.pack_into(bo + "I", inner, at, sub_at)
        return b"Nikon\0\x02\x10\0\0" + bytes(inner)

    return build


def hp_note(kind: int = 4, serial: str = "SERIAL NUMBER:CN52E1234") -> Callable[[int], bytes]:
    """An HP Type4/Type6 note: "IIII" + type + "\\0", the serial string at 92 / 88."""
    at = {4: 92, 6: 88}[kind]

    def build(_at: int) -> bytes:
        out = bytearray(b"IIII" + bytes([kind, 0]) + bytes(200))
        out[at : at + len(serial)] = serial.encode()
        return bytes(out)

    return build


def panasonic_note(internal: str = "S010604030293", lens: str = "04JG2101234",
                   accessory: str = "ACC123456") -> Callable[[int], bytes]:
    """A Panasonic note: "Panasonic\\0\\0\\0" + IFD (offsets from the TIFF header, no next
    pointer): InternalSerialNumber 0x0025 (16 bytes), Lens/AccessorySerialNumber 0x0052/54."""
    entries: Entries = {0x0001: (UNDEFINED, b"0121"),
                        0x0025: (UNDEFINED, internal.encode().ljust(16, b"\0")),
                        0x0052: (ASCII, lens), 0x0054: (ASCII, accessory)}

    def build(at: int) -> bytes:
        return b"Panasonic\0\0\0" + ifd_bytes(entries, "<", at + 12, 0, next_ifd=False)

    return build


def sony_9050_note(internal: bytes, at: int, serial: str | None = None,
                   bo: str = "<") -> Callable[[int], bytes]:
    """A bare Sony note with a 0x9050 block holding ``internal`` at ``at``, enciphered as
    Sony does (b -> b**3 mod 249 for b < 249), and SonyModelID 0xb001."""
    plain = bytearray(0x200)
    plain[at : at + len(internal)] = internal
    block = bytes((b**3) % 249 if b < 249 else b for b in plain)
    entries: Entries = {0x9050: (UNDEFINED, block), 0xB001: (3, 0)}
    if serial is not None:
        entries[0x2031] = (ASCII, serial)
    return plain_note(entries, bo)


def fuji_face_rec(faces: list[tuple[str, str]]) -> bytes:
    """A Fujifilm FaceRecInfo block (ExifTool's ProcessFaceRec): an int32u (offset, length)
    pair per face, then 64-byte records whose (length, offset) pairs at 30 and 54 point to
    the face's name and its "YYYYMMDD" birthday, stored after the records."""
    table = 8 * len(faces) + 8  # the pairs and a zero pair that ends them
    strings, records = bytearray(), bytearray()
    strings_at = table + 64 * len(faces)
    for name, born in faces:
        record = bytearray(64)
        record[0], record[46] = 5, 2  # as observed (ExifTool's notes): 5; category: family
        for field, value in ((30, name.encode()), (54, born.encode())):
            struct.pack_into("<II", record, field, len(value), strings_at + len(strings))
            strings += value
        records += record
    pairs = b"".join(struct.pack("<II", table + 64 * i, 64) for i in range(len(faces)))
    return pairs + bytes(8) + bytes(records) + bytes(strings)


def fuji_note(entries: Entries) -> Callable[[int], bytes]:
    """A Fujifilm note: "FUJIFILM", the IFD's offset (12), then a little-endian IFD whose
    offsets count from the note's start."""

    def build(at: int) -> bytes:
        return b"FUJIFILM" + struct.pack("<I", 12) + ifd_bytes(entries, "<", at + 12, at)

    return build
