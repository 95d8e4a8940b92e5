"""Container handlers, listed explicitly. Content is sniffed; the extension is never trusted.

One format = one module + one line in ``FORMATS``. Order matters only for speed: the most
common containers are sniffed first (every sniff looks at the first 64 bytes only).
"""

from __future__ import annotations

from veil.core.formats.base import ImageFormat
from veil.core.formats.cr3 import Cr3
from veil.core.formats.crw import Crw
from veil.core.formats.gif import Gif
from veil.core.formats.heif import Heif
from veil.core.formats.jpeg import Jpeg
from veil.core.formats.mrw import Mrw
from veil.core.formats.orf import Orf
from veil.core.formats.png import Png
from veil.core.formats.raf import Raf
from veil.core.formats.rw2 import Rw2
from veil.core.formats.tiff import Tiff
from veil.core.formats.video import Video
from veil.core.formats.webp import Webp
from veil.core.formats.x3f import X3f

__all__ = ["FORMATS", "RAW_FORMATS", "Cr3", "Crw", "Orf", "Raf", "Rw2", "Mrw", "X3f", "detect"]

#: Raw containers come after the common formats; CR3 before anything that reads ISO-BMFF.
#: Video comes after HEIF (and any other ISO-BMFF still or raw): its sniff takes any movie brand.
FORMATS: tuple[type[ImageFormat], ...] = (Jpeg, Png, Webp, Tiff, Cr3, Heif, Gif, Crw, Raf, Rw2,
                                             Orf, Mrw, X3f, Video)

#: Formats never cleaned whose picture Veil does not decode (camera raw containers).
RAW_FORMATS = frozenset(fmt.name for fmt in FORMATS if fmt.refusal)


def detect(head: bytes) -> type[ImageFormat] | None:
    """The handler whose ``sniff`` accepts ``head`` (first 64 bytes), or None."""
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    return None
