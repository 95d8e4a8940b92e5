"""The one rule for which way up a picture is shown, used by the preview, the audit's pixel
detectors and the export alike (so the copy looks exactly like the preview).

* JPEG, WebP (and MPO): Pillow's rule. EXIF Orientation when the tag exists, else an XMP
  ``tiff:Orientation``; the cleaners keep or bake exactly that (``webp_exif``).
* PNG: the eXIf chunk (or ImageMagick's raw EXIF profile) only. The PNG spec gives eXIf
  the orientation; browsers and system viewers read no XMP for it, so an XMP-only
  ``tiff:Orientation`` (exiftool writes one) turns nothing, as for a GIF. Pillow alone
  turns it: Veil did too, previewing and saving upside down the picture a browser had
  shown the user the right way up (Pillow's ``xmp_tags_orientation.png``).
* HEIF/AVIF: the container's ``irot``/``imir`` properties and nothing else. HEIF and MIAF
  define those as the picture's transformation, libheif and libavif (so browsers and
  phones) apply only them, and an XMP ``tiff:Orientation`` there is an inert copy that no
  viewer reads. Pillow's own AVIF reader reports irot/imir as the EXIF Orientation (it
  leaves the pixels as stored), pillow-heif applies them itself and reports 1.
  ``Image.getexif()`` falls back to XMP for every format, though: an AVIF whose XMP said 3
  was previewed upside down while its copy (XMP removed) was not.
* TIFF: Pillow turns the pixels itself on load (:func:`pillow_uprights`).
"""

from __future__ import annotations

from PIL import Image

from veil.core.pixels.guard import check_decode_size, exif_needs_decode

__all__ = ["XMP_NOT_READ", "orientation_of", "pillow_uprights", "transpose"]

#: Pillow format names whose viewers never take an orientation from XMP: HEIF/AVIF (the
#: container's irot/imir, which the decoder reports as EXIF) and PNG (eXIf only).
XMP_NOT_READ = frozenset({"HEIF", "AVIF", "PNG"})

_ORIENTATION = 0x0112


def orientation_of(im: Image.Image, what: str = "check its pixels") -> int:
    """The Orientation (1..8; anything else 1) a viewer applies to the opened ``im``, by the
    rule above, never decoding more than the cap to find it (``what``: the refusal's verb).

    Raises:
        Unsupported: finding it would decode a picture over the cap.
        Exception: Pillow's EXIF reader fails (e.g. ``struct.error`` on a truncated block).
    """
    if exif_needs_decode(im):  # Pillow would decode the whole PNG to find its EXIF
        check_decode_size(im, what)
    if im.format in XMP_NOT_READ:
        value = _exif_only(im).get(_ORIENTATION, 1)
    else:
        value = im.getexif().get(_ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _exif_only(im: Image.Image) -> Image.Exif:
    """What ``im.getexif()`` reads, less its XMP fallback, read afresh: getexif() caches
    that fallback for any later caller, so hiding the XMP around one call is not enough."""
    if "exif" not in im.info and im.format == "PNG":
        im.load()  # an eXIf chunk after the image data reaches info only once decoded
    raw = im.info.get("exif")
    profile = im.info.get("Raw profile type exif")
    if raw is None and isinstance(profile, str):  # ImageMagick's, as Pillow reads it
        raw = bytes.fromhex("".join(profile.split("\n")[3:]))
    exif = Image.Exif()
    if isinstance(raw, bytes) and raw:
        exif.load(raw)
    return exif


def pillow_uprights(im: Image.Image) -> bool:
    """True when Pillow itself turns this image upright on load (its TIFF reader does: it
    reports the upright size up front, keeping the stored one in ``_tile_size``)."""
    return im.format == "TIFF" and hasattr(im, "_tile_size")


_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


def transpose(im: Image.Image, orientation: int) -> Image.Image:
    """``im`` turned upright for an EXIF ``orientation`` (a loaded image; 1 = as is)."""
    out = im
    for method in _TRANSPOSE.get(orientation, ()):
        out = out.transpose(method)
    return out
