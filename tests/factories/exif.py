"""Byte builders for EXIF TIFF payloads, XMP packets, IPTC/8BIM blocks and ContainerScans
(and the Metadata Veil decodes from one EXIF payload).

A tiny TIFF writer (rather than Pillow's) so tests can write hostile values on purpose:
zero-denominator rationals, out-of-range GPS, 10,000-character strings, IFD loops.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veil.core.formats.base import ContainerScan, Embedded
from veil.core.metadata import Metadata, decode

ASCII, SHORT, LONG, RATIONAL, UNDEFINED, BYTE, SRATIONAL = 2, 3, 4, 5, 7, 1, 10


@dataclass
class Ifd:
    """Entries (tag -> (type, value)) and optional child IFDs keyed by pointer tag."""

    entries: dict[int, tuple[int, Any]] = field(default_factory=dict)
    children: dict[int, Ifd] = field(default_factory=dict)


def _encode(typ: int, value: Any, bo: str) -> tuple[int, bytes]:
    if typ == ASCII:
        data = (value.encode("utf-8") if isinstance(value, str) else value) + b"\0"
        return len(data), data
    if typ in (UNDEFINED, BYTE):
        return len(value), bytes(value)
    if typ == SHORT:
        vals = value if isinstance(value, list | tuple) else [value]
        return len(vals), b"".join(struct.pack(bo + "H", v) for v in vals)
    if typ == LONG:
        vals = value if isinstance(value, list | tuple) else [value]
        return len(vals), b"".join(struct.pack(bo + "I", v) for v in vals)
    if typ in (RATIONAL, SRATIONAL):
        vals = value if isinstance(value, list) else [value]
        fmt = "ii" if typ == SRATIONAL else "II"
        return len(vals), b"".join(struct.pack(bo + fmt, n, d) for n, d in vals)
    raise ValueError(typ)


def tiff(ifd0: Ifd, ifd1: Ifd | None = None, thumbnail: bytes | None = None,
         bo: str = "<") -> bytes:
    """A TIFF block: IFD0 (with child IFDs via pointer tags), optional IFD1 + JPEG thumbnail."""
    out = bytearray(b"II*\0" if bo == "<" else b"MM\0*")
    out += struct.pack(bo + "I", 8)

    def write(ifd: Ifd, next_fixup: bool) -> tuple[int, int | None]:
        start = len(out)
        tags = sorted(set(ifd.entries) | set(ifd.children))
        out.extend(b"\0" * (2 + 12 * len(tags) + 4))
        struct.pack_into(bo + "H", out, start, len(tags))
        deferred = []
        for i, tag in enumerate(tags):
            at = start + 2 + 12 * i
            if tag in ifd.children:
                deferred.append((at, tag))
                continue
            typ, value = ifd.entries[tag]
            count, data = _encode(typ, value, bo)
            struct.pack_into(bo + "HHI", out, at, tag, typ, count)
            if len(data) <= 4:
                out[at + 8 : at + 8 + len(data)] = data
            else:
                struct.pack_into(bo + "I", out, at + 8, len(out))
                out.extend(data + (b"\0" if len(data) % 2 else b""))
        for at, tag in deferred:
            child_at, _ = write(ifd.children[tag], False)
            struct.pack_into(bo + "HHII", out, at, tag, LONG, 1, child_at)
        return start, (start + 2 + 12 * len(tags)) if next_fixup else None

    _, next_at = write(ifd0, True)
    if ifd1 is not None or thumbnail is not None:
        ifd1 = ifd1 or Ifd()
        if thumbnail is not None:
            ifd1.entries[0x0103] = (SHORT, 6)
            ifd1.entries[0x0201] = (LONG, 0)  # fixed below
            ifd1.entries[0x0202] = (LONG, len(thumbnail))
        start, _ = write(ifd1, False)
        assert next_at is not None
        struct.pack_into(bo + "I", out, next_at, start)
        if thumbnail is not None:
            n = struct.unpack_from(bo + "H", out, start)[0]
            for i in range(n):
                at = start + 2 + 12 * i
                if struct.unpack_from(bo + "H", out, at)[0] == 0x0201:
                    struct.pack_into(bo + "I", out, at + 8, len(out))
            out.extend(thumbnail)
    return bytes(out)


def dms(value: float) -> list[tuple[int, int]]:
    """Degrees as EXIF [deg, min, sec] rationals."""
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * 1000)
    return [(d, 1), (m, 1), (s, 1000)]


def exif_payload(
    *,
    make: str | None = None,
    model: str | None = None,
    gps: tuple[float, float] | None = None,
    gps_raw: dict[int, tuple[int, Any]] | None = None,
    taken: str | None = None,
    offset: str | None = None,
    subsec: str | None = None,
    serial: str | None = None,
    lens_serial: str | None = None,
    unique_id: str | None = None,
    artist: str | None = None,
    copyright: str | None = None,  # noqa: A002 - the EXIF tag's name
    owner: str | None = None,
    software: str | None = None,
    description: str | None = None,
    orientation: int | None = None,
    user_comment: bytes | None = None,
    xp_author: str | None = None,
    maker_note: bytes | None = None,
    exif_size: tuple[int, int] | None = None,
    thumbnail: bytes | None = None,
    bo: str = "<",
) -> bytes:
    """An EXIF TIFF block with the given values (None leaves a tag out)."""
    ifd0, exif, gpsifd = Ifd(), Ifd(), Ifd()
    for tag, value in ((0x010F, make), (0x0110, model), (0x0131, software),
                       (0x013B, artist), (0x8298, copyright), (0x010E, description)):
        if value is not None:
            ifd0.entries[tag] = (ASCII, value)
    if orientation is not None:
        ifd0.entries[0x0112] = (SHORT, orientation)
    if xp_author is not None:
        ifd0.entries[0x9C9D] = (BYTE, xp_author.encode("utf-16-le") + b"\0\0")
    for tag, value in ((0x9003, taken), (0x9011, offset), (0x9291, subsec), (0xA431, serial),
                       (0xA435, lens_serial), (0xA420, unique_id), (0xA430, owner)):
        if value is not None:
            exif.entries[tag] = (ASCII, value)
    if user_comment is not None:
        exif.entries[0x9286] = (UNDEFINED, user_comment)
    if maker_note is not None:
        exif.entries[0x927C] = (UNDEFINED, maker_note)
    if exif_size is not None:
        exif.entries[0xA002] = (LONG, exif_size[0])
        exif.entries[0xA003] = (LONG, exif_size[1])
    if gps is not None:
        lat, lon = gps
        gpsifd.entries.update({1: (ASCII, "N" if lat >= 0 else "S"), 2: (RATIONAL, dms(lat)),
                               3: (ASCII, "E" if lon >= 0 else "W"), 4: (RATIONAL, dms(lon))})
    if gps_raw:
        gpsifd.entries.update(gps_raw)
    if exif.entries:
        ifd0.children[0x8769] = exif
    if gpsifd.entries:
        ifd0.children[0x8825] = gpsifd
    return tiff(ifd0, thumbnail=thumbnail, bo=bo)


def canon_note(serial: int | None = None, owner: str | None = None, bo: str = "<") -> Ifd:
    """A Canon MakerNote as an IFD (offsets count from the TIFF header, as Canon writes)."""
    note = Ifd()
    if serial is not None:
        note.entries[0x000C] = (LONG, serial)
    if owner is not None:
        note.entries[0x0009] = (ASCII, owner)
    return note


def with_maker_note(make: str, note: Ifd, model: str = "Model") -> bytes:
    """A TIFF whose Exif IFD's MakerNote (0x927C) is ``note`` written as an inline IFD.

    The note's out-of-line values are written after the note IFD, with offsets from the TIFF
    header, like Canon does.
    """
    base = tiff(Ifd({0x010F: (ASCII, make), 0x0110: (ASCII, model)},
                    {0x8769: Ifd({0x9000: (UNDEFINED, b"0231")})}))
    # Append the note at the end and point a MakerNote entry at it by rebuilding the Exif IFD.
    note_at = len(base) + 64
    body = bytearray()
    tags = sorted(note.entries)
    body += struct.pack("<H", len(tags))
    tail = bytearray()
    data_at = note_at + 2 + 12 * len(tags) + 4
    for tag in tags:
        typ, value = note.entries[tag]
        count, data = _encode(typ, value, "<")
        if len(data) <= 4:
            body += struct.pack("<HHI", tag, typ, count) + data.ljust(4, b"\0")
        else:
            body += struct.pack("<HHII", tag, typ, count, data_at + len(tail))
            tail += data
    body += b"\0\0\0\0" + tail
    exif_at = len(base) + 64 + len(body) + 8
    out = bytearray(base) + b"\0" * 64 + body + b"\0" * 8
    assert len(out) == exif_at
    # new Exif IFD: ExifVersion + MakerNote pointing at the note bytes
    out += struct.pack("<H", 2)
    out += struct.pack("<HHI", 0x9000, UNDEFINED, 4) + b"0231"
    out += struct.pack("<HHII", 0x927C, UNDEFINED, len(body), note_at)
    out += b"\0\0\0\0"
    # repoint IFD0's ExifOffset
    n = struct.unpack_from("<H", out, 8)[0]
    for i in range(n):
        at = 10 + 12 * i
        if struct.unpack_from("<H", out, at)[0] == 0x8769:
            struct.pack_into("<I", out, at + 8, exif_at)
    return bytes(out)


def xmp_packet(body: str) -> bytes:
    """An XMP packet around ``body`` (rdf:Description content and attributes)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{body}</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    ).encode()


XMP_NS = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    'xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" '
    'xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" '
    'xmlns:MP="http://ns.microsoft.com/photo/1.2/" '
    'xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" '
    'xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#" '
    'xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
    'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
    'xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
)


def iim(record: int, dataset: int, value: bytes) -> bytes:
    """One IPTC-IIM dataset."""
    return bytes([0x1C, record, dataset]) + struct.pack(">H", len(value)) + value


def photoshop(*resources: tuple[int, bytes]) -> bytes:
    """An APP13 body: "Photoshop 3.0\\0" and 8BIM resources (empty names)."""
    out = bytearray(b"Photoshop 3.0\0")
    for rid, data in resources:
        out += b"8BIM" + struct.pack(">H", rid) + b"\0\0" + struct.pack(">I", len(data)) + data
        if len(data) % 2:
            out += b"\0"
    return bytes(out)


def scan(fmt: str = "jpeg", *, width: int | None = 4000, height: int | None = 3000,
         exif: tuple[bytes, ...] = (), xmp: tuple[bytes, ...] = (), iptc: tuple[bytes, ...] = (),
         comments: tuple[str, ...] = (), text: tuple[tuple[str, str], ...] = (),
         icc: bytes | None = None, embedded: tuple[Embedded, ...] = (), c2pa: bool = False,
         complete: bool = True, orientation: int | None = None) -> ContainerScan:
    """A ContainerScan as a handler would hand it over."""
    return ContainerScan(fmt, width, height, (), exif, xmp, iptc, comments, text, icc, embedded,
                         c2pa, (), complete, orientation)


def exif_metadata(payload: bytes, fmt: str = "jpeg", **kw: object) -> Metadata:
    """What Veil decodes from one EXIF ``payload`` in a ``fmt`` scan (``kw``: see :func:`scan`)."""
    photo = Path("/nonexistent/holiday.jpg")
    return decode(photo, scan(fmt, exif=(payload,), **kw))  # type: ignore[arg-type]
