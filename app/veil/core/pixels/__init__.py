"""Decode a photo once, upright and downscaled, for the pixel detectors and previews.

Whatever the decoders do with a hostile file, :func:`load_upright` either returns pixels or
raises one of Veil's own errors with a plain reason: the batch goes on. The size is checked
from the header before anything is decoded (:mod:`.guard`), and decoder warnings become notes
instead of stderr lines (:mod:`.quiet`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from veil.core.errors import CorruptFile, Unsupported, VeilError
from veil.core.model import Region
from veil.core.pixels.guard import MAX_DECODE_PIXELS, too_large_message
from veil.core.pixels.orient import orientation_of, pillow_uprights, transpose
from veil.core.pixels.quiet import TIFF_HEADS, decoder_notes

__all__ = ["MAX_DECODE_PIXELS", "UprightImage", "load_upright", "register_heif"]

# Pillow's own bomb guard (it refuses at twice this): far beyond any camera photo. Ours is
# MAX_DECODE_PIXELS, checked before decoding.
Image.MAX_IMAGE_PIXELS = 400_000_000


@dataclass(frozen=True, slots=True)
class UprightImage:
    """An RGB image turned upright (see ``orient``), scaled by ``scale`` from full size.

    ``full_width``/``full_height`` are the upright full-size dimensions; a box found at
    (x, y) in ``image`` is at (x / scale, y / scale) in full-size upright pixels.
    """

    image: Image.Image
    full_width: int
    full_height: int
    scale: float
    #: What the decoders warned about while decoding (e.g. "Corrupt EXIF data ..."), for the
    #: file's notes.
    notes: tuple[str, ...] = ()

    def to_full(self, x: float, y: float, w: float, h: float) -> Region:
        """Map a box in working pixels to a clamped full-size upright :class:`Region`."""
        s = self.scale
        x0 = max(0, min(self.full_width, round(x / s)))
        y0 = max(0, min(self.full_height, round(y / s)))
        x1 = max(x0, min(self.full_width, round((x + w) / s)))
        y1 = max(y0, min(self.full_height, round((y + h) / s)))
        return Region(x0, y0, x1 - x0, y1 - y0)


_heif_registered = False


def register_heif() -> None:
    """Let Pillow open HEIC/AVIF (once; lazily, since pillow_heif costs import time)."""
    global _heif_registered
    if _heif_registered:
        return
    _heif_registered = True
    try:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except ImportError:  # HEIC pixels then can't be decoded; the report says not checked
        pass


def _is_movie(path: Path) -> bool:
    from veil.core.formats import detect
    from veil.core.formats.video import Video

    try:
        with open(path, "rb") as f:
            return detect(f.read(64)) is Video
    except OSError:
        return False


def _head(path: Path) -> bytes:
    """The first 12 bytes (b"" when unreadable: the decoder then says why)."""
    try:
        with open(path, "rb") as f:
            return f.read(12)
    except OSError:
        return b""


def load_upright(path: Path, max_side: int = 1024) -> UprightImage:
    """Open ``path``, turn it upright (:mod:`.orient`: the export's rule too), scale so the
    long side is <= ``max_side``.

    JPEGs use ``draft`` so a 24 MP photo decodes at 1/2..1/8 size directly.

    Raises:
        CorruptFile: the pixels cannot be decoded (any decoder exception: Pillow, pillow-heif,
            libavif, libtiff, OpenCV for a video's poster), with what the decoder said.
        Unsupported: the picture is too large to decode safely (see MAX_DECODE_PIXELS).
    """
    if _is_movie(path):  # a video's preview is its poster frame (never checked for faces)
        from veil.core.formats.video.poster import poster_frame

        try:
            frame, fw, fh = poster_frame(path, max_side)
        except VeilError:
            raise
        except Exception as exc:  # OpenCV / FFmpeg errors are this file's problem only
            raise CorruptFile(f"cannot decode the video's first frame: {_reason(exc)}") from exc
        assert isinstance(frame, Image.Image)
        return UprightImage(frame, fw, fh, frame.width / fw)
    head = _head(path)
    if head[4:8] == b"ftyp":
        # pillow-heif opens only ISOBMFF files (an ftyp box first: HEIC, AVIF); importing
        # it costs ~12 ms (~0.1 s with its libraries cold), which a JPEG never needs.
        register_heif()
    notes: list[str] = []
    try:
        with decoder_notes(notes, c_stderr=head[:4] in TIFF_HEADS):
            rgb, fw, fh = _decode(path, max_side)
    except Unsupported:
        raise
    except Image.DecompressionBombError as exc:  # over twice Pillow's limit: refused at open
        raise Unsupported(f"the picture is too large to check its pixels ({exc})") from exc
    except MemoryError as exc:
        raise Unsupported("not enough memory to decode the picture") from exc
    except Exception as exc:  # every decoder raises its own types; one file fails, not all
        said = f" (the decoder said: {'; '.join(notes)})" if notes else ""
        raise CorruptFile(f"cannot decode the pixels: {_reason(exc)}{said}") from exc
    long_side = max(rgb.size)
    if long_side > max_side:
        factor = max_side / long_side
        rgb = rgb.resize(
            (max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor))),
            Image.Resampling.BILINEAR,
        )
    return UprightImage(rgb, fw, fh, rgb.width / fw, tuple(notes))


def _decode(path: Path, max_side: int) -> tuple[Image.Image, int, int]:
    """RGB upright pixels (JPEG: drafted) and the full upright size; see load_upright."""
    with Image.open(path) as im:
        sw, sh = im.size  # from the header: nothing decoded yet
        drafted = None
        if im.format in ("JPEG", "MPO"):
            drafted = im.draft("RGB", (max(1, sw * max_side // max(sw, sh)), 1))
        if im.width * im.height > MAX_DECODE_PIXELS:  # after draft: what decoding allocates
            raise Unsupported(too_large_message(sw, sh))
        try:
            orientation = orientation_of(im)
        except Unsupported:
            raise
        except Exception as exc:
            raise CorruptFile(f"its EXIF orientation is unreadable ({_reason(exc)})") from exc
        im.load()
        # The export's own rule (orient.py), not ImageOps.exif_transpose: that also reads
        # an XMP tiff:Orientation in a HEIF/AVIF, which no viewer applies and the copy
        # does not either, so the preview showed a picture turned that the copy was not.
        rgb = transpose(im, 1 if pillow_uprights(im) else orientation).convert("RGB")
    if drafted is None:
        # Decoded at full size, so the transposed frame *is* the upright full size. (Pillow's
        # TIFF plugin already reports and loads TIFFs upright: never swap its size again.)
        return rgb, rgb.width, rgb.height
    fw, fh = (sh, sw) if orientation in (5, 6, 7, 8) else (sw, sh)
    return rgb, fw, fh


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
