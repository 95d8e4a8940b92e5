"""What a parallel batch loads once in the parent before it forks its workers."""

from __future__ import annotations

from veil.core.export.plan import BatchItem
from veil.core.formats.heif import Heif
from veil.core.scan import Skipped

__all__ = ["preload"]


def preload(plan: list[BatchItem | Skipped]) -> None:
    """Load what the workers will need once, in the parent: forked workers share it for free
    instead of each paying it again (pillow-heif's libraries when a photo is named as a
    HEIF/AVIF, the Pillow plugins Veil's formats need, the lazily imported cleaners). Pixel
    detectors are not needed: the export audits metadata only; nor is the place-name table:
    nobody reads a place name in an export's results.

    The names only decide what is loaded ahead, never how a file is read: a HEIF under
    another name gets pillow-heif loaded by the worker that meets it (every Pillow open of
    the export sniffs the content first, see ``upright.heif_support_for``). Looking at the
    names costs nothing; opening every photo of a roll to look for one cost ~30 ms before
    the workers could start (1,896 photos, none a HEIF)."""
    import importlib

    from PIL import Image

    from veil.core.pixels import register_heif

    if any(isinstance(i, BatchItem) and i.source.suffix.lower() in HEIF_NAMES for i in plan):
        register_heif()
    Image.preinit()
    for name in _LAZY_MODULES:
        importlib.import_module(name)


#: Suffixes of the photos whose copies pillow-heif decodes: the HEIF format's own, and the
#: names of HEIF/AVIF image sequences.
HEIF_NAMES = frozenset(Heif.extensions) | {".heics", ".avifs"}


#: Modules the export imports on first use (each worker would import them again).
_LAZY_MODULES = (
    "PIL.TiffImagePlugin",
    "PIL.WebPImagePlugin",
    "veil.core.formats.heif_read",
    "veil.core.formats.heif_clean",
    "veil.core.formats.heif_build",
    "veil.core.formats.heif_coded",
    "veil.core.export.heif_proof",
    "veil.core.formats.jpeg_clean",
    "veil.core.formats.png_clean",
    "veil.core.formats.tiff_clean",
    "veil.core.formats.webp_clean",
    "veil.core.formats.mp4",
    "veil.core.metadata.exif",
    "veil.core.metadata.xmp",
)
