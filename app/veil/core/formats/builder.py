"""The mutable collector every container handler fills while walking, frozen at the end.

Handlers walk their blocks and append payloads to a :class:`ScanBuilder`; ``freeze`` turns it
into the immutable :class:`~veil.core.formats.base.ContainerScan` the rest of Veil reads.
A handler that needs more state while walking (budgets, sizes, segment parts) subclasses it;
a walk that only needs warnings uses :class:`WarningLog`. Also shared here: the file-wide
metadata budget, the EXIF payload check and what chunk-copying cleaners report as dropped.
Byte-level reads and copies are in :mod:`veil.core.formats.byteio`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from veil.core.formats.base import Block, ContainerScan, Embedded

#: Most metadata bytes one file may make a handler hold (read and decompressed), across all
#: its blocks: a file of many maximal text chunks must not add up to gigabytes.
MAX_TOTAL = 64 * 1024 * 1024
#: The two TIFF headers an EXIF payload starts with.
TIFF_HEADERS = (b"II*\0", b"MM\0*")
#: The audit's note for a PNG, GIF, WebP or TIFF whose file ends inside its picture data,
#: as its walker finds it (a JPEG's is ``jpeg_walk.PICTURE_CUT_SHORT``). An export repeats
#: it on the copy's result (:mod:`veil.core.export.damage`).
FILE_ENDS_IN_PICTURE = "the picture data is cut short (the file ends partway through it)"
#: Block kinds a cleaner drops without reporting them (they reveal nothing themselves).
_NOT_REPORTED = frozenset({"structure", "image"})


def dropped_kinds(
    blocks: Iterable[Block], keep: frozenset[str], icc_name: str, keep_icc: bool
) -> tuple[str, ...]:
    """The kinds of the blocks a chunk-copying cleaner leaves out, in first-seen order.

    Args:
        blocks: the source's blocks (``ContainerScan.blocks``).
        keep: the block names the cleaner copies.
        icc_name: the container's name for its ICC block, dropped unless ``keep_icc``.
        keep_icc: ``ExportOptions.keep_icc``.
    """
    found: dict[str, None] = {}
    for block in blocks:
        dropped = block.name not in keep or (block.name == icc_name and not keep_icc)
        if dropped and block.kind not in _NOT_REPORTED:
            found[block.kind] = None
    return tuple(found)


@dataclass(slots=True)
class WarningLog:
    """Plain-words warnings and whether everything was understood.

    ``dedupe_warnings`` (a class setting) says whether the same text is recorded once;
    handlers that have always listed every occurrence keep doing so (reports stay the same).
    """

    dedupe_warnings: ClassVar[bool] = True

    warnings: list[str] = field(default_factory=list)
    complete: bool = True

    def warn(self, text: str, *, incomplete: bool = True) -> None:
        """Record a plain-words problem; ``incomplete`` (the default) marks the result as
        partial, so the report can't say "none" for it."""
        if not (self.dedupe_warnings and text in self.warnings):
            self.warnings.append(text)
        if incomplete:
            self.complete = False


@dataclass(slots=True)
class ScanBuilder(WarningLog):
    """Everything a :class:`ContainerScan` holds, as lists that grow during the walk."""

    blocks: list[Block] = field(default_factory=list)
    exif: list[bytes] = field(default_factory=list)
    xmp: list[bytes] = field(default_factory=list)
    iptc: list[bytes] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    text: list[tuple[str, str]] = field(default_factory=list)
    icc: bytes | None = None
    embedded: list[Embedded] = field(default_factory=list)
    c2pa: bool = False
    maker_data: list[tuple[str, str, int, bytes]] = field(default_factory=list)

    def add_block(
        self, name: str, kind: str, offset: int, length: int, known: bool = True, note: str = ""
    ) -> Block:
        """Append a :class:`Block` (in walk order) and return it."""
        block = Block(name, kind, offset, length, known, note)
        self.blocks.append(block)
        return block

    def add_exif(self, data: bytes) -> bool:
        """Add a TIFF-structured EXIF payload, tolerating a leading "Exif\\0\\0" (some
        writers keep the JPEG APP1 prefix). False, and nothing added, without a TIFF header."""
        payload = data[6:] if data.startswith(b"Exif\0") else data
        if payload[:4] not in TIFF_HEADERS:
            return False
        self.exif.append(payload)
        return True

    def add_found(self, found: tuple[list[Block], list[Embedded], list[str]]) -> None:
        """Add what :func:`veil.core.formats.png_trailer.after_end` found after the image.

        Its warnings describe the trailer, which the blocks and embedded content already
        report, so they do not mark the scan incomplete.
        """
        blocks, embedded, warnings = found
        self.blocks += blocks
        self.embedded += embedded
        self.warnings += warnings

    def freeze(
        self, format: str, width: int | None, height: int | None, **extra: Any
    ) -> ContainerScan:
        """The immutable scan; ``extra`` sets further :class:`ContainerScan` fields
        (e.g. ``orientation``)."""
        return ContainerScan(
            format=format,
            width=width,
            height=height,
            blocks=tuple(self.blocks),
            exif=tuple(self.exif),
            xmp=tuple(self.xmp),
            iptc=tuple(self.iptc),
            comments=tuple(self.comments),
            text=tuple(self.text),
            icc=self.icc,
            embedded=tuple(self.embedded),
            c2pa=self.c2pa,
            warnings=tuple(self.warnings),
            complete=self.complete,
            maker_data=tuple(self.maker_data),
            **extra,
        )
