"""Byte builders for JPEG fixtures: Pillow encodes the pixels, these add every kind of block.

Payloads come from :mod:`tests.factories.exif` (EXIF TIFF, XMP, 8BIM) where possible; the
JPEG-specific wrapping (APPn segments, Extended XMP chunks, ICC chunks, MPF index, JUMBF
boxes, trailers) is built here so tests can also write broken variants on purpose.
"""

from __future__ import annotations

import io
import random
import struct

from PIL import Image

from tests.factories import exif as ex
from tests.factories.exif import LONG, UNDEFINED, Ifd, tiff
from veil.core.formats.base import ContainerScan
from veil.core.formats.jpeg import Jpeg

XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_SIG = b"http://ns.adobe.com/xmp/extension/\x00"


def noise_image(size: tuple[int, int] = (64, 48), mode: str = "RGB", seed: int = 1) -> Image.Image:
    """Random pixels: the entropy data then holds many stuffed 0xFF00 bytes."""
    bands = {"RGB": 3, "L": 1, "CMYK": 4}[mode]
    data = random.Random(seed).randbytes(size[0] * size[1] * bands)
    return Image.frombytes(mode, size, data)


def encode(image: Image.Image | None = None, **params: object) -> bytes:
    """Pillow-encoded JPEG bytes (quality 90 unless given)."""
    image = image or noise_image()
    params.setdefault("quality", 90)
    out = io.BytesIO()
    image.save(out, format="JPEG", **params)
    return out.getvalue()


def segment(marker: int, payload: bytes) -> bytes:
    """One marker segment (FF marker, length, payload)."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def insert(jpeg: bytes, *segments: bytes) -> bytes:
    """``jpeg`` with ``segments`` right after SOI (and after a leading JFIF APP0)."""
    at = 2
    if jpeg[2:4] == b"\xff\xe0" and jpeg[6:11] == b"JFIF\x00":
        at = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:at] + b"".join(segments) + jpeg[at:]


def strip_jfif(jpeg: bytes) -> bytes:
    """Drop Pillow's leading JFIF APP0 (so an APP1 EXIF can come first, like cameras)."""
    if jpeg[2:4] == b"\xff\xe0":
        return jpeg[:2] + jpeg[4 + struct.unpack(">H", jpeg[4:6])[0] :]
    return jpeg


def app1_exif(tiff_block: bytes) -> bytes:
    """APP1 "Exif\\0\\0" + TIFF."""
    return segment(0xE1, b"Exif\x00\x00" + tiff_block)


def split_app1_exif(tiff_block: bytes, *cuts: int) -> list[bytes]:
    """One EXIF block split at ``cuts`` over several APP1 "Exif\\0\\0" segments, as writers
    do past the 64 KB segment limit: only the first part starts with the TIFF header."""
    bounds = [0, *cuts, len(tiff_block)]
    return [app1_exif(tiff_block[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def app1_xmp(packet: bytes) -> bytes:
    """APP1 standard XMP."""
    return segment(0xE1, XMP_SIG + packet)


def ext_xmp_segments(packet: bytes, guid: bytes = b"0" * 32, chunk: int = 100) -> list[bytes]:
    """Extended XMP split into APP1 chunks (GUID, full length, offset)."""
    out = []
    for off in range(0, len(packet), chunk):
        head = XMP_EXT_SIG + guid + struct.pack(">II", len(packet), off)
        out.append(segment(0xE1, head + packet[off : off + chunk]))
    return out


def icc_segments(profile: bytes, chunk: int = 1000) -> list[bytes]:
    """APP2 ICC_PROFILE chunks, numbered from 1."""
    parts = [profile[i : i + chunk] for i in range(0, len(profile), chunk)] or [b""]
    return [segment(0xE2, b"ICC_PROFILE\x00" + bytes([i + 1, len(parts)]) + p)
            for i, p in enumerate(parts)]


def fake_icc(size: int = 2500) -> bytes:
    """A small but readable ICC profile of exactly ``size`` bytes (a multiple of 4, >= 300):
    a description, a white point and a private padding tag (cleaners neutralise it)."""
    from tests.factories import icc as fi

    tags = [(b"desc", fi.desc_v2("Camera RGB")), (b"wtpt", fi.xyz(0.9642, 1.0, 0.8249))]
    bare = fi.profile([*tags, (b"zpad", b"zpad\0\0\0\0")])
    return fi.profile([*tags, (b"zpad", b"zpad" + bytes(4 + size - len(bare)))])


def c2pa_segment() -> bytes:
    """An APP11 JUMBF box labelled c2pa, as C2PA writers store the manifest store."""
    jumd = b"jumd" + b"c2pa" + b"\x00\x11\x00\x10\x80\x00\xaa\x008\x9bq" + b"\x03c2pa\x00"
    jumb = struct.pack(">I", 8 + 4 + len(jumd)) + b"jumb" + struct.pack(">I", 4 + len(jumd)) + jumd
    return segment(0xEB, b"JP" + b"\x00\x01" + struct.pack(">I", 1) + jumb + b"manifest" * 8)


def mpo(primary: bytes, *others: bytes, attr: int = 0x00020002) -> bytes:
    """A multi-picture file: MPF index in ``primary``'s APP2, the other images appended
    (``attr``: the others' MPF type, a disparity frame unless told; 0x010001 = VGA preview)."""
    n = 1 + len(others)

    def index(sizes: list[int], offsets: list[int]) -> bytes:
        entries = b"".join(
            struct.pack(">IIIHH", 0x20030000 if i == 0 else attr, sizes[i], offsets[i], 0, 0)
            for i in range(n)
        )
        ifd = Ifd({0xB000: (UNDEFINED, b"0100"), 0xB001: (LONG, n), 0xB002: (UNDEFINED, entries)})
        return segment(0xE2, b"MPF\x00" + tiff(ifd, bo=">"))

    placeholder = index([0] * n, [0] * n)
    at = 2
    first_len = len(primary) + len(placeholder)
    sizes = [first_len] + [len(o) for o in others]
    base = at + 8  # offsets count from the MPF TIFF header
    offsets, pos = [0], first_len
    for o in others:
        offsets.append(pos - base)
        pos += len(o)
    seg = index(sizes, offsets)
    return primary[:at] + seg + primary[at:] + b"".join(others)


def samsung_trailer(blocks: dict[str, bytes]) -> bytes:
    """A Samsung SEF trailer: named data blocks, the SEFH directory, length, "SEFT"."""
    data = bytearray()
    starts = []
    for name, body in blocks.items():
        starts.append((len(data), name))
        raw = name.encode()
        data += b"\x00\x00" + b"\x01\x0a" + struct.pack("<I", len(raw)) + raw + body
    entries = bytearray()
    sefh_at = len(data)
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else sefh_at
        entries += b"\x00\x00\x01\x0a" + struct.pack("<II", sefh_at - start, end - start)
        del name
    sefh = b"SEFH" + struct.pack("<II", 106, len(starts)) + bytes(entries)
    return bytes(data) + sefh + struct.pack("<I", len(sefh)) + b"SEFT"


def scan_tail(jpeg: bytes, keep: int = 400) -> bytes:
    """The last ``keep`` bytes of a JPEG's entropy data plus EOI: an aCropalypse leftover."""
    return jpeg[-keep:]


def with_exif_and_friends(jpeg: bytes, exif_tiff: bytes, xmp: bytes, comment: bytes) -> bytes:
    """EXIF, XMP and a COM segment added to ``jpeg``."""
    return insert(jpeg, app1_exif(exif_tiff), app1_xmp(xmp), segment(0xFE, comment))


def afcp_trailer(iptc: bytes, thumbnail: bytes, at: int) -> bytes:
    """An AFCP trailer placed at file offset ``at``: IPTC and a 'Nail' thumbnail entry."""
    head_len = 12 + 12 * 2
    iptc_at, nail_at = at + head_len, at + head_len + len(iptc)
    head = b"AXS!" + struct.pack(">HHI", 1, 2, 0)
    head += struct.pack(">4sII", b"IPTC", len(iptc), iptc_at)
    head += struct.pack(">4sII", b"Nail", len(thumbnail) + 1, nail_at)
    return head + iptc + b"\x01" + thumbnail + b"AXS!" + struct.pack(">I", head_len)


def fotostation_trailer(iptc: bytes, thumbnail: bytes) -> bytes:
    """FotoStation records (IPTC, thumbnail), each closed by its 16-byte footer."""
    out = b""
    for kind, body in ((1, iptc), (3, thumbnail)):
        out += body + struct.pack(">III", 0, kind, len(body) + 16) + b"\xa1\xb2\xc3\xd4"
    return out


# -- composite fixtures shared by the JPEG read and clean tests ----------------------------


def thumb_jpeg() -> bytes:
    """A small noisy JPEG used as an embedded thumbnail."""
    return encode(noise_image((16, 12), seed=7), quality=70)


def rich_jpeg() -> bytes:
    """A camera-like JPEG with one of (nearly) every block kind."""
    base = strip_jfif(encode())
    block = ex.exif_payload(make="Canon", model="EOS", gps=(48.8584, 2.2945), serial="0123",
                            artist="Jane", orientation=6, thumbnail=thumb_jpeg())
    ext = ex.xmp_packet("<rdf:Description>" + "x" * 500 + "</rdf:Description>")
    segments = [
        app1_exif(block),
        app1_xmp(ex.xmp_packet('<rdf:Description xmp:CreatorTool="Cam"/>')),
        *ext_xmp_segments(ext, chunk=200)[::-1],  # out of order on purpose
        *icc_segments(fake_icc(), chunk=1000)[::-1],
        c2pa_segment(),
        segment(0xED, ex.photoshop((0x0404, ex.iim(2, 80, b"Jane Doe")))),
        segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01"),
        segment(0xE2, b"FPXR\x00" + b"\x00" * 20),
        segment(0xFE, b"hello \xff\xd9 world"),  # an EOI pattern inside a segment
    ]
    return insert(base, *segments)


def split_exif_jpeg() -> tuple[bytes, bytes]:
    """A JPEG whose EXIF runs over three APP1 segments: the IFD0 table is cut mid-entry and
    the description, serial and thumbnail lie only in the later parts."""
    block = ex.exif_payload(make="Canon", description="first" + "." * 300 + "second",
                            serial="SN-7788", orientation=6, thumbnail=thumb_jpeg())
    cuts = (31, block.index(b"second") - 2)
    return insert(strip_jfif(encode()), *split_app1_exif(block, *cuts)), block


def before_second_scan(jpeg: bytes, extra: bytes) -> bytes:
    """``jpeg`` (progressive: several scans) with ``extra`` just before its second SOS
    (entropy data stuffs every FF, so FF DA only starts a scan header)."""
    first = jpeg.find(b"\xff\xda")
    second = jpeg.find(b"\xff\xda", first + 2)
    assert first > 0 and second > 0, "not a multi-scan JPEG"
    return jpeg[:second] + extra + jpeg[second:]


def with_adobe_text(jpeg: bytes, text: bytes) -> bytes:
    """``jpeg`` whose APP14 Adobe segment (12-byte structure) has ``text`` appended, as
    some writers fill the segment's free space."""
    at = jpeg.find(b"\xff\xee")
    assert at > 0 and jpeg[at + 4 : at + 9] == b"Adobe", "no APP14 Adobe segment"
    length = struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
    payload = jpeg[at + 4 : at + 2 + length]
    return jpeg[:at] + segment(0xEE, payload + text) + jpeg[at + 2 + length :]


def with_bytes_after_first_segment(jpeg: bytes, junk: bytes) -> bytes:
    """``jpeg`` with raw ``junk`` between its first segment after SOI and the next."""
    at = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:at] + junk + jpeg[at:]


def read_jpeg(data: bytes) -> ContainerScan:
    """What Veil's JPEG reader finds in ``data`` (the tests of the built bytes read them so)."""
    return Jpeg.read(io.BytesIO(data), len(data))
