"""What Pillow shows of a file without decoding its pixels: the upright size and the EXIF
orientation it would apply, with only the plugin the file needs loaded, and quietly.

The export's verification (:mod:`veil.core.export.verify`) checks a copy's upright size
against the original's with these; the benchmark uses them to compare outputs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from veil.core.pixels import register_heif
from veil.core.pixels.guard import check_decode_size, exif_needs_decode
from veil.core.pixels.orient import orientation_of, pillow_uprights, transpose
from veil.core.pixels.quiet import TIFF_HEADS, decoder_notes

__all__ = [
    "exif_orientation", "heif_support_for", "pillow_uprights", "quiet_pillow", "transpose",
    "upright_size", "upright_view",
]


@contextlib.contextmanager
def quiet_pillow(head: bytes | None = None) -> Iterator[None]:
    """Silence Pillow's warnings (odd EXIF, malformed MPO): the audit reports such things in
    plain words; a raw warning on stderr only confuses. Enter it *before* ``Image.open``.
    libtiff's messages, printed by C code straight to stderr, are held back too: always,
    or, given the file's first bytes (``head``), only for a TIFF, the one decoder that
    prints (the audit's own decodes follow the same rule, see ``veil.core.pixels``);
    pointing fd 2 elsewhere and back cost ~10 us a copy."""
    with decoder_notes([], c_stderr=head is None or head[:4] in TIFF_HEADS):
        yield


def exif_orientation(im: Image.Image) -> int:
    """The Orientation (1..8) a viewer applies to ``im``: :func:`veil.core.pixels.orient.
    orientation_of`, the rule the preview and the audit use too.

    Pillow falls back to XMP ``tiff:Orientation`` when EXIF has none, and the cleaners keep
    that orientation (as a minimal EXIF, or baked) for JPEG, PNG and WebP. HEIF/AVIF are
    different: the container's own irot/imir decide and XMP is ignored by libheif, libavif
    and phones, so there the XMP fallback is left out.
    """
    return orientation_of(im, "clean")


def upright_view(im: Image.Image, tagless: bool = False) -> tuple[tuple[int, int], int]:
    """(upright size, EXIF orientation) of an opened image, without decoding it.

    ``tagless``: the caller's own full parse of the file found no EXIF, XMP or text block
    anywhere (Pillow's only sources of an orientation), so a PNG need not be decoded in
    full just for Pillow to look for an eXIf chunk after its image data: orientation 1.
    """
    w, h = im.size
    orientation = 1 if tagless and exif_needs_decode(im) else exif_orientation(im)
    if orientation not in (5, 6, 7, 8) or pillow_uprights(im):
        return (w, h), orientation
    return (h, w), orientation


#: Pillow plugins outside its pre-loaded set (JPEG, PNG, GIF, BMP, PPM), by leading bytes.
#: A temp file's name (".part") tells Pillow nothing, and a format it has not loaded makes
#: it import all of its ~40 plugins: import the one this file needs instead.
_PLUGINS = (
    (b"II*\x00", "PIL.TiffImagePlugin"),
    (b"MM\x00*", "PIL.TiffImagePlugin"),
    (b"RIFF", "PIL.WebPImagePlugin"),
)


def heif_support_for(path: Path, head: bytes | None = None) -> None:
    """Let Pillow open ``path`` with only the plugin it needs: pillow-heif for a HEIF/AVIF
    (an ISOBMFF ``ftyp`` box first), Pillow's own TIFF or WebP plugin for those.
    ``head``: the file's first 12 bytes when the caller has them.

    pillow-heif's libraries cost ~0.1 s to load, so a batch of JPEGs never loads them.
    An unreadable file is left to Pillow to report.
    """
    if head is None:
        try:
            with open(path, "rb") as f:
                head = f.read(12)
        except OSError:
            return
    if head[4:8] == b"ftyp":
        register_heif()
        return
    for magic, module in _PLUGINS:
        if head.startswith(magic):
            import importlib

            importlib.import_module(module)
            return


def upright_size(path: Path) -> tuple[int, int]:
    """Pillow's stored size with EXIF orientation 5..8 swapping it. Header only, no decode.

    Raises:
        OSError, ValueError: Pillow cannot open the file.
        Unsupported: the copy could not be verified without decoding more than the memory
            cap (any format but JPEG, which verifies at 1/8 size; see veil.core.pixels.guard).
    """
    heif_support_for(path)
    with quiet_pillow(), Image.open(path) as im:
        if im.format not in ("JPEG", "MPO"):
            check_decode_size(im, "clean")
        return upright_view(im)[0]
