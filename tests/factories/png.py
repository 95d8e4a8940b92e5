"""Byte builders for PNG fixtures: chunks, text, XMP, EXIF, aCropalypse leftovers."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence

from PIL import Image

from tests.factories.basic import gps_serial_exif

SIG = b"\x89PNG\r\n\x1a\n"


def chunk(ctype: str, data: bytes, *, bad_crc: bool = False) -> bytes:
    """One chunk with a correct CRC (or a wrong one when ``bad_crc``)."""
    raw = ctype.encode("ascii")
    crc = zlib.crc32(raw + data) ^ (0xFFFFFFFF if bad_crc else 0)
    return struct.pack(">I", len(data)) + raw + data + struct.pack(">I", crc)


def split(png: bytes) -> list[tuple[str, bytes]]:
    """(type, full chunk bytes) of every chunk of a well-formed PNG."""
    out, pos = [], 8
    while pos < len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        out.append((png[pos + 4 : pos + 8].decode(), png[pos : pos + 12 + length]))
        pos += 12 + length
    return out


def text(key: str, value: str) -> bytes:
    """A tEXt chunk."""
    return chunk("tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))


def ztxt(key: str, value: str | bytes) -> bytes:
    """A zTXt chunk (zlib-compressed Latin-1 text)."""
    raw = value.encode("latin-1") if isinstance(value, str) else value
    return chunk("zTXt", key.encode("latin-1") + b"\0\0" + zlib.compress(raw))


def itxt(key: str, value: str, *, compressed: bool = False) -> bytes:
    """An iTXt chunk (UTF-8 text, optionally compressed)."""
    raw = value.encode("utf-8")
    body = zlib.compress(raw) if compressed else raw
    head = key.encode("latin-1") + b"\0" + bytes([int(compressed), 0]) + b"\0\0"
    return chunk("iTXt", head + body)


def xmp_packet(lat: str = "48,51.504N", lon: str = "2,17.67E", creator: str = "Jane Doe") -> str:
    """An XMP packet with GPS and a creator."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'exif:GPSLatitude="{lat}" exif:GPSLongitude="{lon}">'
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def exif_tiff(orientation: int | None = None) -> bytes:
    """A TIFF-structured EXIF payload with GPS, serial and owner (no "Exif" prefix)."""
    exif = gps_serial_exif()
    if orientation is not None:
        exif[0x0112] = orientation
    data = exif.tobytes()
    return data[6:] if data.startswith(b"Exif\0") else data


def raw_profile(name: str, payload: bytes) -> str:
    """ImageMagick's "Raw profile type X" text layout (hex, 72 digits a line)."""
    digits = payload.hex()
    lines = "\n".join(digits[i : i + 72] for i in range(0, len(digits), 72))
    return f"\n{name}\n{len(payload):8d}\n{lines}\n"


def gradient(size: tuple[int, int] = (24, 16), mode: str = "RGB") -> Image.Image:
    """An asymmetric test picture (so any rotation or flip changes it)."""
    img = Image.new("RGBA", size)
    img.putdata([((x * 9) % 256, (y * 13) % 256, (x * y) % 256, 255 - x % 7)
                 for y in range(size[1]) for x in range(size[0])])
    return img.convert(mode)


def base_png(size: tuple[int, int] = (24, 16), mode: str = "RGB") -> bytes:
    """A small PNG with a gradient, straight from Pillow."""
    img = gradient(size, mode)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def assemble(base: bytes, before_idat: Sequence[bytes] = (), before_iend: Sequence[bytes] = (),
             after: bytes = b"") -> bytes:
    """``base`` with extra chunks spliced in and ``after`` appended behind IEND."""
    out = [SIG]
    for ctype, raw in split(base):
        if ctype == "IDAT" and before_idat:
            out.extend(before_idat)
            before_idat = ()
        if ctype == "IEND":
            out.extend(before_iend)
        out.append(raw)
    return b"".join(out) + after


def leftover(size: tuple[int, int] = (64, 64)) -> bytes:
    """The tail of a larger PNG, as aCropalypse leaves it: IDAT data and IEND."""
    big = base_png(size)
    return big[len(big) // 2 :]


def dirty_png(orientation: int | None = None) -> bytes:
    """A PNG carrying every leak a PNG can: text, XMP, EXIF, zTXt, caBX, tIME, leftover."""
    meta = [
        text("Author", "Jane Doe"),
        text("Comment", "at home, 12 Rue de la Paix"),
        ztxt("Description", "my secret holiday"),
        itxt("XML:com.adobe.xmp", xmp_packet()),
        chunk("eXIf", exif_tiff(orientation)),
        chunk("tIME", struct.pack(">HBBBBB", 2023, 11, 5, 14, 30, 12)),
        chunk("caBX", b"\0\0\0\x10jumb" + b"c2pa manifest..."),
    ]
    return assemble(base_png(), before_idat=meta[:5], before_iend=meta[5:], after=leftover())


def with_idat_tail(base: bytes, tail: bytes, *, own_chunk: bool = False) -> bytes:
    """``base`` (one IDAT) with ``tail`` after the end of its zlib stream: inside the same
    IDAT, or (``own_chunk``) as one more IDAT chunk behind it. No decoder reads it."""
    out = [SIG]
    for ctype, raw in split(base):
        if ctype == "IDAT":
            data = raw[8:-4]
            raw = chunk("IDAT", data) + chunk("IDAT", tail) if own_chunk else chunk(
                "IDAT", data + tail)
        out.append(raw)
    return b"".join(out)
