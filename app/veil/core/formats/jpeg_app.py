"""APPn classification for JPEG: which block an application segment is, by marker and signature.

Pure functions over one segment's payload; the collector in :mod:`veil.core.formats.jpeg`
keeps the state (reassembled XMP/ICC, the MPF index, Photoshop resources).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from veil.core.formats.base import MAX_BLOCK, Embedded
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.tiffwalk import bytes_reader, parse_header, walk_tiff

EXIF_SIG = b"Exif\x00"
XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
#: APP14 Adobe payload: "Adobe", version, flags0, flags1 (2 bytes each), colour transform.
ADOBE_LENGTH = 12
XMP_EXT_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
ICC_SIG = b"ICC_PROFILE\x00"
PS_SIG = b"Photoshop 3.0\x00"
MAX_THUMB = 256 * 1024  # thumbnails are kept in memory up to this size, for the staleness check
#: Known application / maker APPn blocks by (marker, payload prefix). They identify nobody by
#: themselves but may carry maker data, so they are reported and never kept by the cleaner.
MAKER_APPS: dict[tuple[int, bytes], str] = {
    (0xE0, b"AVI1"): "Motion-JPEG frame header",
    (0xE0, b"Ocad"): "Photo-Studio data",
    (0xE1, b"PARROT\x00"): "Parrot thermal data",
    (0xE2, b"urn:iso:std:iso:ts:21496:-1"): "HDR gain map metadata",
    (0xE3, b"Stim\x00"): "stereo image data",
    (0xE3, b"_JPSJPS_"): "stereo (JPS) data",
    (0xE5, b"ssuniqueid\x00"): "Samsung unique ID",
    (0xE6, b"TDHD"): "HP data",
    (0xE6, b"DTAT"): "DJI data",
    (0xE7, b"HUAWEI\x00"): "Huawei data",
    (0xEC, b"[picture info]"): "PictureInfo text",
    (0xEC, b"Type="): "PictureInfo text",
    (0xED, b"Adobe_Photoshop2.5"): "Photoshop 2.5 data",
    (0xE0, b"II\x1a\x00\x00\x00HEAP"): "Canon CIFF data",
    (0xE1, b"FLIR\x00"): "FLIR thermal data",
    (0xE1, b"QVCI"): "Casio data",
    (0xE2, b"FPXR\x00"): "FlashPix data",
    (0xE3, b"Meta\x00"): "Kodak Meta data",
    (0xE3, b"META\x00"): "Kodak Meta data",
    (0xE3, b"Exif\x00"): "Kodak Meta data",
    (0xE4, b"SCALADO"): "Scalado data",
    (0xE4, b"FPXR\x00"): "FlashPix data",
    (0xE5, b"RMETA"): "Ricoh data",
    (0xE6, b"EPPIM"): "Toshiba PrintIM",
    (0xE6, b"NITF"): "NITF header",
    (0xE6, b"GoPro"): "GoPro data",
    (0xE7, b"Pentax"): "Pentax data",
    (0xE7, b"Qualcomm"): "Qualcomm camera data",
    (0xE8, b"SPIFF"): "SPIFF header",
    (0xE9, b"Media Jukebox"): "Media Jukebox data",
    (0xEA, b"AROT"): "Apple data",
    (0xEA, b"UNICODE"): "Unicode comment",
    (0xEC, b"Ducky"): "Photoshop 'Save for Web' data (Ducky)",
    (0xEC, b"PictureInfo"): "PictureInfo text",
    (0xEB, b"HDR_RI"): "JPEG-HDR data",
    (0xEC, b"Agfa Gevaert"): "Agfa data",
    (0xEF, b"Q "): "GraphicConverter quality",
    (0xED, b"Adobe_CM"): "Adobe colour management data",
}
MPF_TYPES = {0x030000: "primary image", 0x010001: "large thumbnail (VGA)",
             0x010002: "large thumbnail (full HD)", 0x020001: "panorama frame",
             0x020002: "disparity (3D) frame", 0x020003: "multi-angle frame", 0: "extra image"}


def app_kind(marker: int, p: bytes) -> str:
    """The role of an APPn payload: "jfif", "jfxx", "exif", "xmp", "xmp_extended",
    "xmp_bare" (a packet without the standard header), "icc", "mpf", "jumbf", "photoshop",
    "adobe", or "other" (see :func:`other_app`)."""
    if marker == 0xE0:
        if p.startswith(b"JFIF\x00"):
            return "jfif"
        if p.startswith(b"JFXX\x00"):
            return "jfxx"
    elif marker == 0xE1:
        if p.startswith(EXIF_SIG):
            return "exif"
        if p.startswith(XMP_SIG):
            return "xmp"
        if p.startswith(XMP_EXT_SIG):
            return "xmp_extended"
        if p.lstrip(b"\x00 \r\n\t").startswith((b"<?xpacket", b"<x:xmpmeta")):
            return "xmp_bare"
    elif marker == 0xE2:
        if p.startswith(ICC_SIG) and len(p) >= 14:
            return "icc"
        if p.startswith(b"MPF\x00"):
            return "mpf"
    elif marker == 0xEB and p[:2] == b"JP" and b"jumb" in p[:32]:
        return "jumbf"
    elif marker == 0xED and p.startswith(PS_SIG):
        return "photoshop"
    elif marker == 0xEE and p.startswith(b"Adobe"):
        return "adobe"
    return "other"


def jumbf_is_c2pa(p: bytes) -> bool:
    """True when a JUMBF APP11 payload's description box is "c2pa" (or its CAI predecessor)."""
    at = p.find(b"jumd", 0, 64)
    return at >= 0 and p[at + 4 : at + 8] in (b"c2pa", b"cacb")


def other_app(marker: int, name: str, p: bytes, infiray: bool) -> tuple[str, str, int]:
    """Classify an APPn that :func:`app_kind` calls "other".

    Args:
        marker / name: the APPn marker byte and its name ("APP3").
        p: the payload.
        infiray: an InfiRay "IJPEG" APP2 was seen earlier in this file.

    Returns:
        (block kind, note, offset of an embedded preview JPEG in ``p`` or -1). The kind is
        "thumbnail" (preview image), "maker" (a known maker block) or "unknown".
    """
    jpeg_at = p.find(b"\xff\xd8\xff", 0, 8) if 0xE2 <= marker <= 0xE5 else -1
    if jpeg_at >= 0:  # a preview image stored in an APPn (HP, Samsung, BenQ, Casio QVGA)
        return "thumbnail", f"preview image in {name}", jpeg_at
    if infiray and 0xE2 <= marker <= 0xE9:
        return "maker", "InfiRay thermal data", -1
    for (known, prefix), note in MAKER_APPS.items():
        # Some writers put a length byte first (Qualcomm), so search the opening bytes.
        if marker == known and prefix in p[:40]:
            return "maker", note, -1
    label = p[:32].split(b"\x00", 1)[0].decode("latin-1", "replace")
    label = "".join(c if c.isprintable() else "?" for c in label)
    return "unknown", f"{name} {label!r}", -1


def is_infiray(marker: int, p: bytes) -> bool:
    """InfiRay cameras mark APP2 with "IJPEG", then fill APP3..APP9 with thermal data."""
    return marker == 0xE2 and p[4:10] == b"IJPEG\x00"


def mpf_entries(tiff: bytes) -> list[tuple[int, int, int, int]] | None:
    """The MP Entry table of an MPF index (the payload after "MPF\\0").

    Returns:
        (index, attribute, length, offset relative to the MPF header) of the first 64 images,
        or None when the index can't be read.
    """
    info = walk_tiff(bytes_reader(tiff), len(tiff), pages=False)
    index = info.ifd("IFD0") if info else None
    entry = index.entries.get(0xB002) if index else None
    if info is None or entry is None:
        return None
    raw = tiff[entry.value_offset : entry.value_offset + entry.value_length]
    endian = "<" if info.little_endian else ">"
    out = []
    for i in range(min(len(raw) // 16, 64)):
        attr, length, off, _d1, _d2 = struct.unpack(endian + "IIIHH", raw[16 * i : 16 * i + 16])
        out.append((i, attr, length, off))
    return out


def assemble_extended_xmp(
    chunks: dict[bytes, tuple[int, dict[int, bytes]]],
) -> tuple[list[bytes], list[str]]:
    """Extended XMP packets from their chunks (GUID -> (full length, {offset: data})).

    Returns:
        The packets (gaps left as zeros) and warnings for incomplete or oversized ones.
    """
    packets: list[bytes] = []
    warnings: list[str] = []
    for full, parts in chunks.values():
        if full > MAX_BLOCK:
            warnings.append("an Extended XMP packet is too large to read")
            continue
        buf = bytearray(full)
        covered = 0
        for off, data in sorted(parts.items()):
            piece = data[: max(0, full - off)]
            buf[off : off + len(piece)] = piece
            covered += len(piece)
        if covered < full:
            warnings.append("an Extended XMP packet is incomplete")
        packets.append(bytes(buf))
    return packets, warnings


def photoshop_resources(data: bytes) -> tuple[list[tuple[int, bytes]], bool]:
    """Photoshop image resources ("8BIM" id, name, size, data) as (id, data) pairs.

    Returns:
        The resources, and False when bytes other than padding were left unparsed.
    """
    found: list[tuple[int, bytes]] = []
    pos = 0
    for _ in range(4096):
        if pos + 12 > len(data) or data[pos : pos + 4] != b"8BIM":
            break
        rid = struct.unpack(">H", data[pos + 4 : pos + 6])[0]
        at = pos + 6 + ((data[pos + 6] + 2) & ~1)  # Pascal name padded to an even length
        if at + 4 > len(data):
            break
        size = struct.unpack(">I", data[at : at + 4])[0]
        found.append((rid, data[at + 4 : at + 4 + size]))
        pos = at + 4 + size + (size & 1)
    return found, not data[pos:].strip(b"\x00")


@dataclass(slots=True)
class PhotoshopContents:
    """What a Photoshop image-resource block (JPEG APP13, TIFF tag 34377) carries.

    Attributes:
        iptc / exif / xmp: IPTC-IIM (0x0404), EXIF TIFF blocks (0x0422/0x0423), XMP (0x0424).
        thumbnails: (length, JPEG bytes cut at ``MAX_THUMB``) of each thumbnail resource.
        clean: False when bytes other than padding were left unparsed.
    """

    iptc: list[bytes] = field(default_factory=list)
    exif: list[bytes] = field(default_factory=list)
    xmp: list[bytes] = field(default_factory=list)
    thumbnails: list[tuple[int, bytes]] = field(default_factory=list)
    clean: bool = True


def photoshop_contents(data: bytes) -> PhotoshopContents:
    """Sort the resources of a Photoshop block by what they reveal."""
    resources, clean = photoshop_resources(data)
    out = PhotoshopContents(clean=clean)
    for rid, body in resources:
        if rid == 0x0404:
            out.iptc.append(body)
        elif rid in (0x0409, 0x040C) and body[28:30] == b"\xff\xd8":  # after a 28-byte header
            out.thumbnails.append((len(body) - 28, body[28 : 28 + MAX_THUMB]))
        elif rid in (0x0422, 0x0423) and parse_header(body[:16]):
            out.exif.append(body)
        elif rid == 0x0424:
            out.xmp.append(body)
    return out


def add_photoshop(scan: ScanBuilder, data: bytes, offset: int, unclear: str) -> None:
    """Add what a Photoshop block holds to ``scan`` (after what it already has).

    Args:
        scan: the collector of the JPEG (APP13) or TIFF (tag 34377) being read.
        data: the block's resources.
        offset: where its thumbnails are reported (the block itself: they have no own place).
        unclear: the warning when part of the block was not understood.
    """
    ps = photoshop_contents(data)
    scan.iptc += ps.iptc
    scan.exif += ps.exif
    scan.xmp += ps.xmp
    for length, thumb in ps.thumbnails:
        scan.embedded.append(Embedded("thumbnail", offset, length, "Photoshop thumbnail", thumb,
                                      {"source": "Photoshop"}))
    if not ps.clean:
        scan.warn(unclear)
