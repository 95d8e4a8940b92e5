"""HEIF / HEIC / AVIF container handler (ISOBMFF ``meta`` box with items).

Reading walks the top-level boxes (headers only), reads the meta box (capped) and the
payloads of metadata items (Exif, XMP) only: coded image data in ``mdat`` is never read.

Orientation note for the metadata layer: a HEIF image is turned upright by its ``irot`` /
``imir`` properties, reported as ``ContainerScan.orientation`` (EXIF numbering 1..8, 1 when
there are none); an EXIF Orientation tag inside a HEIC is informational and must NOT be
applied on top of them. ``width``/``height`` are the primary item's ``ispe`` (the grid's for
grid images), cropped by ``clap`` when present, before orientation.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.formats.base import (
    CleanOutcome,
    ContainerScan,
    ImageFormat,
)
from veil.core.model import ExportOptions

HEVC_BRANDS = frozenset({"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"})
AVIF_BRANDS = frozenset({"avif", "avis"})
HEIF_BRANDS = HEVC_BRANDS | AVIF_BRANDS | {"mif1", "msf1", "mif2", "mif3"}
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
#: Item types that are (parts of) pictures.
IMAGE_TYPES = frozenset(
    {"hvc1", "av01", "jpeg", "j2k1", "unci", "vvc1", "avc1", "hvt1", "grid", "iden", "iovl", "tmap"}
)
#: Largest meta box we read; real ones are a few KB.
MAX_META = 16 * 1024 * 1024
#: Top-level boxes that hold nothing identifying by themselves.
PLAIN_TOP = {
    "ftyp": "file type",
    "mdat": "media data",
    "free": "padding",
    "skip": "padding",
    "wide": "padding",
}
XMP_TYPES = ("application/rdf+xml", "application/xmp+xml", "text/xml")


def brands(head: bytes) -> list[str]:
    """Major and compatible brands of the ``ftyp`` box at the start of ``head``."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return []
    size = struct.unpack(">I", head[:4])[0]
    stop = min(len(head), size if size >= 16 else 16)
    found = [head[8:12].decode("latin-1")]
    found += [head[i : i + 4].decode("latin-1") for i in range(16, stop - 3, 4)]
    return found


def format_of(found: list[str]) -> str:
    """ "avif", "heic" or "heif" from the brand list."""
    if AVIF_BRANDS & set(found):
        return "avif"
    if HEVC_BRANDS & set(found):
        return "heic"
    return "heif"


class Heif(ImageFormat):
    """HEIC, HEIF and AVIF still images."""

    name: ClassVar[str] = "heif"
    extensions: ClassVar[tuple[str, ...]] = (".heic", ".heif", ".hif", ".avif")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for an ``ftyp`` box naming a HEIF/AVIF brand."""
        return bool(HEIF_BRANDS & set(brands(head)))

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the boxes and items; see the module docstring.

        Raises:
            CorruptFile: no ftyp/meta box, or the meta box is malformed.
        """
        from veil.core.formats.heif_read import HeifReader

        return HeifReader(f, size).run()

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Rewrite ``src`` without Exif/XMP/C2PA/thumbnail/depth items, image data untouched.

        With ``pixels`` (or when the container can't be rewritten) and
        ``options.heic_to_jpeg``, writes an upright JPEG instead (``kept`` then holds
        "converted_to_jpeg" so the caller names the file .jpg).

        Raises:
            Unsupported: the file can't be cleaned safely (reason in the message).
            CorruptFile: the source is broken.
        """
        from veil.core.formats.heif_clean import write_clean

        return write_clean(src, dst, options, pixels)
