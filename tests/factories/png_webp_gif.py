"""Dirty PNG / WebP / GIF files by name, and the clean-and-re-read round trip and checks
their cleaning tests share."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import exifread
from PIL import Image

from tests.factories import gif as fg
from tests.factories import png as fp
from tests.factories import webp as fw
from veil.core.formats.base import CleanOutcome, ContainerScan, ImageFormat
from veil.core.formats.gif import Gif
from veil.core.formats.png import Png
from veil.core.formats.webp import Webp
from veil.core.model import ExportOptions
from veil.core.pixels.orient import orientation_of, transpose

HANDLERS: dict[str, type[ImageFormat]] = {"png": Png, "webp": Webp, "gif": Gif}

DIRTY: dict[str, Callable[[], bytes]] = {
    "png": fp.dirty_png,
    "png-rot6": lambda: fp.dirty_png(orientation=6),
    "png-rot1": lambda: fp.dirty_png(orientation=1),
    "png-rot7": lambda: fp.dirty_png(orientation=7),
    "webp-lossless": fw.dirty_webp,
    "webp-lossy-rot6": lambda: fw.dirty_webp(lossless=False, orientation=6, prefix=True),
    "webp-unknown-trailer": lambda: fw.dirty_webp(unknown=True, trailer=b"hidden" * 9),
    "webp-animated": fw.animated_webp,
    "gif": fg.dirty_gif,
    "gif-animated": lambda: fg.dirty_gif(frames=3, extra=fg.app_ext(b"SECRETAPP01", b"x"),
                                         after=b"tail" * 5),
}


def clean(tmp_path: Path, data: bytes, options: ExportOptions | None = None,
          pixels: Any = None, name: str = "src") -> tuple[bytes, CleanOutcome]:
    """Clean ``data`` (written to ``tmp_path / name``) with its format's handler."""
    src = tmp_path / name
    src.write_bytes(data)
    handler = HANDLERS[_format(data)]
    out = io.BytesIO()
    outcome = handler.write_clean(src, out, options or ExportOptions(), pixels)
    return out.getvalue(), outcome


def _format(data: bytes) -> str:
    return next(n for n, h in HANDLERS.items() if h.sniff(data[:64]))


def reread(data: bytes) -> ContainerScan:
    """What Veil's reader for ``data``'s format finds in it."""
    return HANDLERS[_format(data)].read(io.BytesIO(data), len(data))


def frames(data: bytes) -> list[bytes]:
    """Every frame, upright (EXIF orientation applied), as RGBA bytes."""
    out = []
    with Image.open(io.BytesIO(data)) as im:
        for i in range(getattr(im, "n_frames", 1)):
            im.seek(i)
            # the first frame carries the orientation, as Veil's pixel path sees it (a PNG's
            # eXIf only, not Pillow's XMP fallback: veil.core.pixels.orient)
            frame = (transpose(im, orientation_of(im)) if i == 0 else im).convert("RGBA")
            out.append(frame.size[0].to_bytes(4, "big") + frame.tobytes())
    return out


def assert_no_metadata(scan: ContainerScan, allow_orientation: bool = False) -> None:
    """``scan`` is of a clean file: complete, no metadata, nothing embedded or trailing
    (an EXIF block holding only the orientation where ``allow_orientation``)."""
    assert scan.complete, scan.warnings
    assert not (scan.xmp or scan.iptc or scan.text or scan.comments or scan.c2pa)
    assert scan.embedded == () and all(b.known for b in scan.blocks)
    assert not any(b.kind == "trailer" for b in scan.blocks)
    for payload in scan.exif:
        assert allow_orientation
        tags = exifread.process_file(io.BytesIO(payload), details=False)
        assert set(tags) == {"Image Orientation"}
