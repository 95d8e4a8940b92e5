"""Files whose container reads but whose pixels make a decoder raise, and a PNG bomb.

Each is made at run time from a real file an encoder writes, then damaged the way the
hostile tests of issue 12 found (every one aborted the whole scan before):

* an AVIF whose colour planes fail to decode (libavif: "Decoding of color planes failed"),
* an AVIF whose image item has no location (libavif: "Missing or empty image item"),
* a HEIC (pillow-heif / x265) cut inside its coded picture,
* a JPEG with a JFIF density and an EXIF block cut inside its TIFF header (Pillow's EXIF reader
  raises ``struct.error`` while reading the orientation),
* a deflate TIFF whose strip is garbled (libtiff prints "ZIPDecode: ..." on stderr),
* a 28000x28000 RGBA PNG of ~3.6 MB that decodes to 3 GB.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

from tests.factories.faces import group_photo


def _photo() -> Image.Image:
    image, _ = group_photo((320, 240), [(40, 40, 60)])
    return image


def _box(data: bytes | bytearray, name: bytes) -> tuple[int, int]:
    """(offset, size) of the first box called ``name`` (32-bit sizes, as these files use)."""
    at = data.find(name) - 4
    return at, struct.unpack(">I", data[at : at + 4])[0]


def avif_bytes() -> bytes:
    """A clean AVIF (Pillow's libavif encoder)."""
    buf = io.BytesIO()
    _photo().save(buf, "AVIF", quality=80)
    return buf.getvalue()


def avif_garbled_planes(path: Path) -> Path:
    """Every 5th byte of the coded picture flipped: the container is intact."""
    data = bytearray(avif_bytes())
    start, size = _box(data, b"mdat")
    for i in range(start + 12, start + size, 5):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))
    return path


def avif_missing_item(path: Path) -> Path:
    """The item location box lists no item: the primary image item has no data."""
    data = bytearray(avif_bytes())
    at = data.find(b"iloc")
    assert data[at + 4] == 0, "expected an iloc box of version 0"
    data[at + 10 : at + 12] = b"\0\0"  # item_count
    path.write_bytes(bytes(data))
    return path


def heic_cut(path: Path) -> Path:
    """A pillow-heif HEIC cut a third into its coded picture."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    _photo().save(buf, "HEIF", quality=80)
    data = buf.getvalue()
    start, size = _box(data, b"mdat")
    path.write_bytes(data[: start + 8 + (size - 8) // 3])
    return path


def jpeg_truncated_exif(path: Path) -> Path:
    """JFIF with a density (so Pillow does not read the EXIF while opening) and an APP1 EXIF
    block that stops 3 bytes into its TIFF header's IFD offset."""
    buf = io.BytesIO()
    _photo().save(buf, "JPEG", dpi=(300, 300), quality=90)
    jpeg = buf.getvalue()
    payload = b"Exif\0\0MM\0*\0"
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    at = jpeg.find(b"\xff\xdb")  # after JFIF, before the quantization tables
    path.write_bytes(jpeg[:at] + app1 + jpeg[at:])
    return path


def jpeg_exif_warning(path: Path) -> Path:
    """A JPEG whose EXIF IFD0 is cut after one byte of its entry count: Pillow warns
    ("Corrupt EXIF data") and decodes the pixels anyway."""
    buf = io.BytesIO()
    _photo().save(buf, "JPEG", quality=90)
    jpeg = buf.getvalue()
    payload = b"Exif\0\0II*\0\x08\0\0\0\x01"
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(jpeg[:2] + app1 + jpeg[2:])
    return path


def tiff_garbled_deflate(path: Path) -> Path:
    """A deflate TIFF (decoded by libtiff) whose compressed strip is garbled."""
    buf = io.BytesIO()
    _photo().save(buf, "TIFF", compression="tiff_deflate")
    data = bytearray(buf.getvalue())
    # Pillow writes the strip right after the 8-byte header; the directory follows it.
    first_ifd = struct.unpack("<I", data[4:8])[0]
    for i in range(8 + 2, min(first_ifd, 8 + 4000), 3):
        data[i] ^= 0x33
    path.write_bytes(bytes(data))
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(path: Path, side: int = 28000) -> Path:
    """A side x side RGBA PNG of zeros: ~3.6 MB on disk, side*side*4 bytes decoded.

    Built without inflating anything: one row is deflated once and its byte-aligned blocks
    (full flush: no reference to earlier rows) are repeated; the Adler-32 of n zero bytes is
    (n mod 65521) << 16 | 1.
    """
    row = bytes(1 + side * 4)  # filter byte 0, then the pixels
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_row = block.compress(row) + block.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    adler = ((len(row) * side) % 65521) << 16 | 1
    idat = b"\x78\xda" + one_row * side + final + struct.pack(">I", adler)
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat)
    path.write_bytes(png + _chunk(b"IEND", b""))
    return path
