"""Dirty photos for the export tests: every leak of every format, built in code.

The byte-level pieces come from the format helpers' factories (``tests.factories.jpeg``,
``png``, ``webp``, ``exif``, ``isobmff``); this module only composes them into "a photo as a
phone or camera would leave it" and offers the checks the export tests share.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import struct
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageCms

from tests.factories import exif as exif_f
from tests.factories import jpeg as jpeg_f
from tests.factories.mp4 import make_mp4

#: Byte strings that must never survive into a cleaned copy.
SECRETS = (
    b"Jane Doe",
    b"0123456789",
    b"Canon",
    b"EOS 5D",
    b"2023:11:05",
    b"c2pa",
    b"xmpmeta",
    b"Secret St",
    b"moov",
)

SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def gradient(size: tuple[int, int] = (96, 64), mode: str = "RGB") -> Image.Image:
    """An asymmetric picture: any wrong rotation or flip changes it a lot."""
    w, h = size
    img = Image.new("RGB", size)
    img.putdata(
        [
            (x * 255 // max(1, w - 1), y * 255 // max(1, h - 1), 128 if x < w // 3 else 30)
            for y in range(h)
            for x in range(w)
        ]
    )
    return img.convert(mode) if mode != "RGB" else img


def identifying_exif(orientation: int | None = None, thumbnail: bytes | None = None) -> bytes:
    """EXIF TIFF with GPS, make/model, serial, owner, dates and optionally a thumbnail."""
    return exif_f.exif_payload(
        make="Canon",
        model="Canon EOS 5D Mark IV",
        gps=(48.8582, 2.2945),
        taken="2023:11:05 14:30:12",
        serial="0123456789",
        artist="Jane Doe",
        owner="Jane Doe",
        software="Phone 1.0",
        orientation=orientation,
        thumbnail=thumbnail,
    )


def xmp() -> bytes:
    """XMP with a creator and a location."""
    return exif_f.xmp_packet(
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.5N" '
        'exif:GPSLongitude="2,17.7E"><dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li>'
        "</rdf:Seq></dc:creator></rdf:Description>"
    )


def dirty_jpeg(
    image: Image.Image | None = None,
    *,
    orientation: int | None = None,
    icc: bool = True,
    trailer: bool = True,
    quality: int = 90,
) -> bytes:
    """A JPEG with EXIF (GPS, serial, owner, thumbnail), XMP, IPTC, COM, C2PA APP11, ICC and
    an MP4 motion-photo trailer after EOI."""
    image = image or gradient()
    base = jpeg_f.strip_jfif(jpeg_f.encode(image, quality=quality))
    thumb = jpeg_f.encode(image.convert("RGB").resize((16, 12)), quality=70)
    segments = [
        jpeg_f.app1_exif(identifying_exif(orientation, thumb)),
        jpeg_f.app1_xmp(xmp()),
        jpeg_f.segment(
            0xED,
            exif_f.photoshop(
                (0x0404, exif_f.iim(2, 80, b"Jane Doe") + exif_f.iim(2, 92, b"12 Secret St"))
            ),
        ),
        jpeg_f.segment(0xFE, b"taken by Jane Doe at 12 Secret St"),
        jpeg_f.c2pa_segment(),
    ]
    if icc:
        segments += jpeg_f.icc_segments(SRGB_ICC)
    data = jpeg_f.insert(base, *segments)
    if trailer:
        data += make_mp4()
    return data


def scan_data(jpeg: bytes) -> bytes:
    """The entropy-coded data from the first SOS to EOI (what lossless cleaning keeps)."""
    at = 2
    while at + 4 <= len(jpeg):
        marker = jpeg[at + 1]
        length = struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
        if marker == 0xDA:
            end = jpeg.rfind(b"\xff\xd9")
            return jpeg[at + 2 + length : end]
        at += 2 + length
    raise ValueError("no SOS")


def dirty_tiff(path: Path, image: Image.Image | None = None) -> Path:
    """A TIFF with make/model, artist, date, description and GPS written by Pillow."""
    image = image or gradient()
    info = Image.Exif()
    info[0x010F] = "Canon"
    info[0x0110] = "Canon EOS 5D Mark IV"
    info[0x013B] = "Jane Doe"
    info[0x0132] = "2023:11:05 14:30:12"
    info[0x010E] = "12 Secret St"
    image.save(path, format="TIFF", exif=info, icc_profile=SRGB_ICC)
    return path


def dirty_heic(path: Path, image: Image.Image | None = None) -> Path:
    """A HEIC (pillow-heif/x265) with identifying EXIF and XMP items."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif.load(b"Exif\x00\x00" + identifying_exif())
    (image or gradient((128, 96))).save(
        path, format="HEIF", quality=90, exif=exif.tobytes(), xmp=xmp()
    )
    return path


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder``, as sorted relative paths ([] when it does not exist)."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def sha256(path: Path) -> str:
    """The file's hash (originals must stay byte-for-byte the same)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leaked(data: bytes) -> list[bytes]:
    """Which :data:`SECRETS` appear in ``data``."""
    return [s for s in SECRETS if s in data]


def decode_upright(path: Path) -> Image.Image:
    """Pillow decode with EXIF orientation applied, as RGB."""
    from PIL import ImageOps

    with Image.open(path) as im:
        im.load()
        return (ImageOps.exif_transpose(im) or im).convert("RGB")


def jpeg_bytes(image: Image.Image, quality: int = 95) -> bytes:
    """Plain JPEG bytes (no metadata)."""
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


@contextlib.contextmanager
def temp_parts(out: Path) -> Iterator[tuple[Path, Path]]:
    """Leave in ``out`` what a killed export left (an unlocked ``.veil-*.part``) and what a
    running one is writing (a locked one), for the duration of the block: (stale, live)."""
    stale = out / ".veil-k1ll3d.part"
    stale.write_bytes(b"\xff\xd8" + b"x" * 1000)  # a kill -9 mid-write left it
    live = out / ".veil-alive.part"
    live.write_bytes(b"\xff\xd8 still being written")
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another export is writing it right now
    try:
        yield stale, live
    finally:
        os.close(holder)
