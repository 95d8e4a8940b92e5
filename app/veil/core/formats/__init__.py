"""Container handlers, listed explicitly. Content is sniffed; the extension is never trusted.

One format = one module + one line in ``FORMATS``. Order matters only for speed: the most
common containers are sniffed first (every sniff looks at the first 64 bytes only). Camera
raw containers and GIF are imported only when a file is one (their first-bytes tests live in
:mod:`.magic`): a scan of a folder of JPEGs never compiles or runs their modules.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import NamedTuple

from veil.core.formats import magic
from veil.core.formats.base import ImageFormat
from veil.core.formats.heif import Heif
from veil.core.formats.jpeg import Jpeg
from veil.core.formats.png import Png
from veil.core.formats.tiff import Tiff
from veil.core.formats.video import Video
from veil.core.formats.webp import Webp

__all__ = ["FORMATS", "RAW_FORMATS", "Cr3", "Crw", "Orf", "Raf", "Rw2", "Mrw", "X3f", "detect"]


class Lazy(NamedTuple):
    """A handler imported on first use: its ``name``, first-bytes test and class."""

    name: str
    sniff: Callable[[bytes], bool]
    module: str
    cls: str
    raw: bool  # a camera raw: read only, its picture not decoded (``refusal`` is set)

    def load(self) -> type[ImageFormat]:
        """The handler class (its module is imported once, then cached by Python)."""
        handler: type[ImageFormat] = getattr(import_module(self.module), self.cls)
        return handler


def _lazy(name: str, cls: str, sniff: Callable[[bytes], bool], raw: bool = True) -> Lazy:
    return Lazy(name, sniff, f"veil.core.formats.{name}", cls, raw)


#: Raw containers come after the common formats; CR3 before anything that reads ISO-BMFF.
#: Video comes after HEIF (and any other ISO-BMFF still or raw): its sniff takes any movie brand.
FORMATS: tuple[type[ImageFormat] | Lazy, ...] = (
    Jpeg, Png, Webp, Tiff, _lazy("cr3", "Cr3", magic.cr3), Heif,
    _lazy("gif", "Gif", magic.gif, raw=False), _lazy("crw", "Crw", magic.crw),
    _lazy("raf", "Raf", magic.raf), _lazy("rw2", "Rw2", magic.rw2), _lazy("orf", "Orf", magic.orf),
    _lazy("mrw", "Mrw", magic.mrw), _lazy("x3f", "X3f", magic.x3f), Video,
)  # fmt: skip

#: Formats never cleaned whose picture Veil does not decode (camera raw containers).
RAW_FORMATS = frozenset(
    fmt.name for fmt in FORMATS if (fmt.raw if isinstance(fmt, Lazy) else fmt.refusal)
)


def detect(head: bytes) -> type[ImageFormat] | None:
    """The handler whose ``sniff`` accepts ``head`` (first 64 bytes), or None."""
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt.load() if isinstance(fmt, Lazy) else fmt
    return None


def __getattr__(name: str) -> type[ImageFormat]:
    """``formats.Cr3`` and the other lazily imported handlers, by class name."""
    for fmt in FORMATS:
        if isinstance(fmt, Lazy) and fmt.cls == name:
            return fmt.load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
