"""Olympus ORF raw: a TIFF under Olympus' own magic ("IIRO", "IIRS", "MMOR"), read only.

Its EXIF and Olympus maker note (serials) sit where a TIFF keeps them; the walk is the
RW2 one (:class:`veil.core.formats.rw2.TiffVariant`).
"""

from __future__ import annotations

from typing import ClassVar

from veil.core.formats import magic
from veil.core.formats.rw2 import TiffVariant


class Orf(TiffVariant):
    """Olympus ORF raw files."""

    name: ClassVar[str] = "orf"
    extensions: ClassVar[tuple[str, ...]] = (".orf",)
    magics: ClassVar[tuple[bytes, ...]] = magic.ORF_MAGICS
    label: ClassVar[str] = "ORF"
