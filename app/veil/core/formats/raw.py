"""What every camera-raw container handler shares: read-only, refused by the cleaner.

Raw containers (Canon CR3/CRW, Fujifilm RAF, Panasonic RW2, Minolta MRW, Sigma X3F) wrap
the same building blocks other formats use: TIFF blocks, whole JPEG previews that carry
their own EXIF. Their handlers find those blocks and hand them to the shared readers here,
so the scan reports serials, owners and previews; cleaning is refused with one plain reason
(a raw's picture is sensor data Veil does not re-encode).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.base import CleanOutcome, ContainerScan, Embedded, ImageFormat
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.jpeg_app import MAX_THUMB
from veil.core.formats.rawsig import RAW_REFUSAL
from veil.core.model import ExportOptions

#: Previews up to this size are "thumbnails"; larger ones are extra full-size pictures.
SMALL_PREVIEW = 64 * 1024


class RawImage(ImageFormat):
    """A camera raw container: ``read`` audits it, ``write_clean`` always refuses."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    refusal: ClassVar[str | None] = RAW_REFUSAL

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Never writes: raws are exported as JPEG by the user's raw editor.

        Raises:
            Unsupported: always, with :data:`RAW_REFUSAL`.
        """
        raise Unsupported(RAW_REFUSAL)


def add_preview(
    scan: ScanBuilder, f: BinaryIO, offset: int, length: int, what: str, trim: bool = False
) -> None:
    """Report the JPEG at ``f[offset:offset+length]`` as a hidden picture and read its
    metadata (EXIF, XMP, maker notes) into ``scan``: raw makers keep the real EXIF there.

    ``trim``: the JPEG ends at its own end mark within that range (sensor data follows it,
    as in a CR3's media data), so nothing after it is its trailer.
    A preview that is not a readable JPEG is reported by size and marks the scan partial.
    """
    from veil.core.formats.jpeg import scan_from_layout
    from veil.core.formats.jpeg_walk import walk_jpeg

    end = offset + length
    data = None
    try:
        layout = walk_jpeg(f, end, offset)
        if trim and layout.has_eoi:
            end, length = layout.end, layout.end - offset
        inner = scan_from_layout(f, end, layout)
    except CorruptFile:
        scan.warn(f"the {what} could not be read")
        inner = None
    if length <= MAX_THUMB:
        f.seek(offset)
        data = f.read(length)
    detail: dict[str, Any] = {"source": what}
    if inner is not None:
        scan.exif += inner.exif
        scan.xmp += inner.xmp
        scan.iptc += inner.iptc
        scan.comments += inner.comments
        scan.embedded += inner.embedded
        for text in inner.warnings:
            scan.warn(f"{what}: {text}", incomplete=not inner.complete)
        if inner.width and inner.height:
            detail.update(width=inner.width, height=inner.height)
    kind = "thumbnail" if length <= SMALL_PREVIEW else "mpf_image"
    if kind == "mpf_image":
        detail["type"] = "preview"
    scan.embedded.append(Embedded(kind, offset, length, what, data, detail))
    scan.add_block(what, kind, offset, length, True, what)


def finish(scan: ScanBuilder, fmt: str, width: int | None, height: int | None) -> ContainerScan:
    """The raw's scan, never "none found": its picture is sensor data no check decodes (the
    face and mark checks can't run on it), whatever its metadata says."""
    scan.warn("this is a camera raw file: its picture is sensor data Veil does not decode, "
              "so faces and marks in it are not checked")
    scan.blocks.sort(key=lambda b: b.offset)
    return scan.freeze(fmt, width or None, height or None)


def in_file(offset: int, length: int, size: int) -> bool:
    """True when a stored (offset, length) lies inside a ``size``-byte file."""
    return length > 0 and offset >= 0 and offset + length <= size
