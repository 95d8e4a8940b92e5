"""The contract every container handler (JPEG, PNG, WebP, TIFF, HEIF, GIF) fulfils.

A handler knows one container's byte structure. It does not interpret metadata: it finds the
blocks (EXIF as a TIFF-structured payload, XMP packets, IPTC, comments, ICC, extra images,
trailers, C2PA) and hands their bytes on in a :class:`ContainerScan`. Decoding EXIF/XMP/IPTC
into tags is shared work in :mod:`veil.core.metadata`.

Safety rules for every handler (files are hostile input):
  * Read with bounded sizes: never trust a length field beyond the file size; never read the
    whole file for metadata when the headers suffice (``MAX_BLOCK`` caps a kept payload).
  * Detect loops (IFD cycles, box recursion) and stop with a warning.
  * Any structural problem raises :class:`veil.core.errors.CorruptFile` with a one-line
    reason, or (when the rest is still usable) is appended to ``warnings`` and
    ``complete`` is set False, so the report says UNKNOWN rather than "clean".
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.frozen import quick_init
from veil.core.model import ExportOptions

#: Largest metadata payload kept in memory (XMP, EXIF, ICC, comments). Bigger ones are noted.
MAX_BLOCK = 16 * 1024 * 1024


@quick_init
@dataclass(frozen=True, slots=True)
class Block:
    """One segment / chunk / box / item of the container, as found by ``walk``.

    Attributes:
        name: the container's own id ("APP1", "tEXt", "VP8X", "iloc", "IFD0", ...).
        kind: what it holds: "exif", "xmp", "xmp_extended", "iptc", "icc", "comment", "text",
            "jfif", "adobe", "mpf", "c2pa", "thumbnail", "image", "trailer", "structure",
            "maker", or "unknown".
        offset: byte offset of the block in the file.
        length: its length in bytes (header included).
        known: True when Veil understands what it is (unknown blocks make a file UNKNOWN
            unless the handler knows they are harmless).
        note: short human description ("Samsung trailer", "APP1 http://ns.adobe.com/xap/1.0/").
    """

    name: str
    kind: str
    offset: int
    length: int
    known: bool = True
    note: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Embedded:
    """Content hidden inside the file besides the main picture.

    ``kind`` is one of "thumbnail" (a preview image item), "mpf_image", "trailer",
    "motion_video", "aux_image" (depth/matte/gain map), "cropped_leftover".
    ``data`` holds the bytes when small enough to inspect (thumbnails), else None.
    ``detail`` is JSON-able: e.g. {"duration_s": 2.8, "has_audio": True, "bytes": 123456}.
    """

    kind: str
    offset: int
    length: int
    note: str = ""
    data: bytes | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@quick_init
@dataclass(frozen=True, slots=True)
class ContainerScan:
    """What a handler's ``read`` found. The input of :func:`veil.core.metadata.decode`.

    Attributes:
        format: "jpeg", "mpo", "png", "webp", "tiff", "dng", "heic", "heif", "avif", "gif".
        width/height: stored pixel size of the main image (before orientation), if known.
        blocks: every block walked, in file order.
        exif: TIFF-structured EXIF payloads (each starts with "II*\\0" or "MM\\0*").
        xmp: XMP packets (bytes, UTF-8/16), Extended XMP already reassembled.
        iptc: IPTC-IIM payloads (Photoshop APP13 8BIM resources or raw IIM).
        comments: free-text comments (JPEG COM, GIF comments).
        text: key/value text (PNG tEXt/zTXt/iTXt, WebP/GIF app text, TIFF ImageDescription...).
        icc: the ICC profile bytes, if any.
        embedded: hidden pictures, video, trailers.
        c2pa: True when a C2PA/JUMBF manifest store is present.
        warnings: plain-words notes on anything not fully parsed.
        complete: False when some part was not understood (the file then can't be "none").
        orientation: EXIF-style 1..8 display orientation that the container itself applies
            (HEIF irot/imir), or None when the container has no such notion. When set it
            wins over any EXIF Orientation tag (HEIF viewers ignore that one).
        maker_data: payloads of known maker blocks (JPEG APPn "maker" blocks such as FLIR's
            APP1 "FLIR\\0" parts) as (block name, block note, file offset of the payload,
            payload), in file order, for the metadata readers that decode them
            (:mod:`veil.core.metadata.appdata`).
    """

    format: str
    width: int | None = None
    height: int | None = None
    blocks: tuple[Block, ...] = ()
    exif: tuple[bytes, ...] = ()
    xmp: tuple[bytes, ...] = ()
    iptc: tuple[bytes, ...] = ()
    comments: tuple[str, ...] = ()
    text: tuple[tuple[str, str], ...] = ()
    icc: bytes | None = None
    embedded: tuple[Embedded, ...] = ()
    c2pa: bool = False
    warnings: tuple[str, ...] = ()
    complete: bool = True
    orientation: int | None = None  # addition (HEIF helper): container-applied orientation
    video: Any = None  # addition (video helper): formats.video.read.VideoFacts of a movie
    maker_data: tuple[tuple[str, str, int, bytes], ...] = ()  # addition (metadata helper)


@dataclass(frozen=True, slots=True)
class CleanOutcome:
    """What ``write_clean`` did: which block kinds it dropped and kept, and if pixels stayed."""

    removed: tuple[str, ...]
    kept: tuple[str, ...]
    lossless: bool


class ImageFormat(ABC):
    """One container. Subclasses are stateless; list them in ``formats.FORMATS``."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    #: Why no file of this container is ever cleaned (camera raws), said before any decode;
    #: None for containers ``write_clean`` handles.
    refusal: ClassVar[str | None] = None

    @classmethod
    @abstractmethod
    def sniff(cls, head: bytes) -> bool:
        """True when ``head`` (the first 64 bytes) starts a file of this container."""

    @classmethod
    @abstractmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the container and collect its blocks. ``f`` is open for reading at 0.

        Raises:
            CorruptFile: the structure is broken beyond use (one-line reason).
        """

    @classmethod
    @abstractmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Write a cleaned copy of ``src`` into ``dst`` by allowlist.

        ``pixels`` is an upright PIL image when the caller already changed the pixels
        (redaction, baked orientation); then the handler encodes it (same format, source
        quality where possible) instead of copying the coded data, with only allowlisted
        non-identifying blocks (ICC). Without ``pixels`` the coded image data is copied
        byte-for-byte.

        Raises:
            Unsupported: this file can't be cleaned safely (e.g. DNG); reason in the message.
            CorruptFile: the source is broken.
        """
