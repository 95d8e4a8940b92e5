"""Check 3 of a copy's verification (:mod:`veil.core.export.verify`): Pillow parses the
copy at the source's upright size and decodes its pixels; covered boxes read back as the
fill colour.

Apart from checks 1 and 2 because only this one decodes pixels, and what it costs is
what it is shaped by: a JPEG proven to keep the source's coding is not decoded again, nor is
a HEIF/AVIF proven to keep its source's picture items whose coded data walk sound (see
:mod:`veil.core.export.verify` for what that does and does not show); a JPEG without covers
is decoded at 1/8, any other HEIF by libheif without the copy into a Pillow image, and a
byte-identical twin is decoded once per run (:mod:`veil.core.export.decoded`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from veil.core.export.decoded import claim, path_digest, release, remember_decoded
from veil.core.export.upright import (
    heif_support_for,
    pillow_uprights,
    quiet_pillow,
    transpose,
    upright_view,
)
from veil.core.model import Region
from veil.core.pixels.guard import check_decode_size

__all__ = ["decode_check", "decode_heif"]


def decode_check(
    out: Path,
    expected: tuple[int, int],
    boxes: Sequence[Region],
    padding: float,
    lossy: bool,
    baked: bool,
    same_coding: Callable[[], bool],
    *,
    tagless: bool = False,
    data: bytes | None = None,
) -> str | None:
    """Check 3 of :mod:`veil.core.export.verify`: why the copy at ``out`` (``data``: its
    content, if read back) is not the picture it should be, or None. ``same_coding`` is
    asked, last and for a JPEG or HEIF/AVIF without ``boxes`` only, whether a proof spares
    the decode (for a HEIF, the proof also walks its coded data).

    Raises:
        What Pillow or pillow-heif raise for a copy that does not decode.
    """
    heif_support_for(out, None if data is None else data[:12])
    head = None if data is None else data[:4]
    with quiet_pillow(head), Image.open(out if data is None else io.BytesIO(data)) as im:
        w, h = im.size
        size, orientation = upright_view(im, tagless)
        if baked and orientation not in (None, 1):
            return f"the baked copy still asks viewers to rotate it (orientation {orientation})"
        if size != expected:
            return (
                f"the copy is {size[0]}x{size[1]} upright, the original {expected[0]}x{expected[1]}"
            )
        if not boxes and im.format == "JPEG" and same_coding():
            # Header parsed, and the coded data is provably the source's own: decoding it
            # would only repeat the source's decode (and cost ~70 ms per 12 MP photo).
            return None
        if not boxes and im.format in _HEIF_FORMATS and same_coding():
            # The same for a HEIF/AVIF (0.3-0.7 s of libheif per 12 MP HEIC): its picture
            # items are the source's own, and every coded byte libheif would read is well
            # framed (~1 ms; the proof walks them, verify.proven_same_coding). A walk that
            # finds damage, or can't judge, decodes as before.
            return None
        if not boxes:
            if im.format == "JPEG":  # decoding at 1/8 still walks every coded block
                im.draft("RGB", (max(1, w // 8), max(1, h // 8)))
            check_decode_size(im, "verify")
            # A byte-identical copy decoded in full earlier in this process decodes again
            # (see export.decoded). Not for JPEG: its 1/8 decode costs about the hash.
            # Another worker decoding the same bytes is waited for, not raced (claim).
            digest = None
            if im.format != "JPEG":
                digest = path_digest(out) if data is None else hashlib.sha256(data).digest()
            if digest is not None and claim(digest, str(im.format)):
                return None
            try:
                if _is_pillow_heif(im):
                    decode_heif(out, data)
                else:
                    im.load()
            except BaseException:
                if digest is not None:
                    release(digest, str(im.format))
                raise
            if digest is not None:
                remember_decoded(digest, str(im.format))
            return None
        check_decode_size(im, "verify")
        im.load()
        upright = (im if pillow_uprights(im) else transpose(im, orientation)).convert("RGBA")
    from veil.core.redact import padded_box  # only a redacted copy needs it

    tolerance = 48 if lossy else 8
    for region in boxes:
        x0, y0, x1, y1 = padded_box(region, padding, upright.width, upright.height)
        if x1 <= x0 or y1 <= y0:
            continue
        # Stay off the edges: JPEG ringing and chroma subsampling blur the border.
        inset_x = min(8, (x1 - x0) // 4)
        inset_y = min(8, (y1 - y0) // 4)
        xs = _grid(x0 + inset_x, x1 - 1 - inset_x)
        ys = _grid(y0 + inset_y, y1 - 1 - inset_y)
        for y in ys:
            for x in xs:
                r, g, b, a = upright.getpixel((x, y))  # type: ignore[misc]
                if a != 255 or max(r, g, b) > tolerance:
                    return f"the covered area at ({x}, {y}) is not solid black in the copy"
    return None


#: What Pillow calls a picture opened by pillow-heif's plugin or by its own AVIF plugin.
_HEIF_FORMATS = ("HEIF", "AVIF")


def _is_pillow_heif(im: Image.Image) -> bool:
    """True for a HEIF opened through pillow-heif's plugin (not Pillow's own AVIF plugin)."""
    return im.format == "HEIF" and type(im).__module__.startswith("pillow_heif")


def decode_heif(out: Path, data: bytes | None = None) -> None:
    """Decode the primary picture of the HEIF at ``out`` (``data``: its content, if read)
    with libheif and the very options pillow-heif's Pillow plugin decodes it with, without
    copying the result into a Pillow image afterwards: the check only asks whether it
    decodes, and that copy (36 MB for 12 MP) cost ~25 ms a picture.

    Raises:
        What pillow-heif raises for a picture that does not decode (ValueError, OSError,
        RuntimeError...).
    """
    from pillow_heif import open_heif

    heif = open_heif(out if data is None else io.BytesIO(data), convert_hdr_to_8bit=True,
                     hdr_to_16bit=True, remove_stride=False)
    heif[heif.primary_index].load()


def _grid(lo: int, hi: int, steps: int = 5) -> list[int]:
    if hi <= lo:
        return [lo]
    return sorted({lo + (hi - lo) * i // (steps - 1) for i in range(steps)})
