"""The explicit "convert to JPEG" path for HEIC/AVIF (user's choice; never silent).

Re-encoding HEIC costs ~16 s per 12 MP photo, so covered pixels (redactions) or files whose
container can't be rewritten are written as JPEG instead: quality 92, the ICC profile kept
(its texts neutralised),
no EXIF at all, pixels upright (HEIF ``irot``/``imir`` applied by the decoder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image

from veil.core.errors import CorruptFile
from veil.core.formats.base import CleanOutcome
from veil.core.metadata.icc import safe_icc
from veil.core.model import ExportOptions
from veil.core.pixels.orient import orientation_of, transpose

JPEG_QUALITY = 92
_REMOVED = ("exif", "xmp", "c2pa", "thumbnail", "aux_image", "motion_video")


def pixels_to_jpeg(
    src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any, icc: bytes | None
) -> CleanOutcome:
    """Encode the caller's upright ``pixels`` (a PIL image) as JPEG into ``dst``."""
    image: Image.Image = pixels
    kept_icc = safe_icc(icc) if options.keep_icc else None
    _save(image, dst, kept_icc)
    return _outcome(kept_icc is not None, icc is not None)


def convert_to_jpeg(src: Path, dst: BinaryIO, options: ExportOptions) -> CleanOutcome:
    """Decode ``src`` upright and write it as JPEG into ``dst``.

    Raises:
        CorruptFile: the pixels can't be decoded.
    """
    import veil.core.pixels  # noqa: F401  (registers the HEIF opener with Pillow)

    try:
        with Image.open(src) as im:
            im.load()
            source_icc = im.info.get("icc_profile")
            # the profile's texts (description, copyright) may name someone: neutralised
            icc = safe_icc(source_icc) if options.keep_icc else None
            # pillow-heif applies irot/imir and reports orientation 1; Pillow's AVIF reader
            # reports them as EXIF orientation, turned into pixels here. Not exif_transpose:
            # it also obeys an XMP tiff:Orientation, which no HEIF viewer does (orient.py).
            upright = transpose(im, orientation_of(im, "clean"))
            _save(upright, dst, icc)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise CorruptFile(f"cannot decode the pixels: {exc}") from exc
    return _outcome(bool(icc), bool(source_icc))


def _save(image: Image.Image, dst: BinaryIO, icc: bytes | None) -> None:
    rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
    kwargs: dict[str, Any] = {"quality": JPEG_QUALITY}
    if icc:
        kwargs["icc_profile"] = icc
    rgb.save(dst, "JPEG", **kwargs)


def _outcome(icc_kept: bool, had_icc: bool) -> CleanOutcome:
    kept = ("converted_to_jpeg", "icc") if icc_kept else ("converted_to_jpeg",)
    removed = (*_REMOVED, "icc") if had_icc and not icc_kept else _REMOVED
    return CleanOutcome(removed=removed, kept=kept, lossless=False)
