"""GIF container handler (best effort: GIF has no EXIF, but comments and XMP hide in it).

The walk follows the block stream (image descriptors with their LZW sub-blocks skipped,
extensions) to the trailer byte 0x3B; a stray byte or a truncation stops it with a warning.
Comments, plain-text extensions, XMP ("XMP DataXMP"), ICC ("ICCRGBG1") and ImageMagick
8BIM/IPTC application extensions are collected. Cleaning keeps the header, logical screen,
colour tables, graphic control extensions, frames and the NETSCAPE loop extension only.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats import magic
from veil.core.formats.base import (
    MAX_BLOCK,
    Block,
    CleanOutcome,
    ContainerScan,
    ImageFormat,
)
from veil.core.formats.builder import FILE_ENDS_IN_PICTURE, MAX_TOTAL, ScanBuilder
from veil.core.formats.png_trailer import after_end
from veil.core.model import ExportOptions

#: More blocks than this is hostile (a frame costs at least 12 bytes).
MAX_BLOCKS = 100_000
#: Application extensions that only control animation.
LOOP_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_XMP_APP = b"XMP DataXMP"
_ICC_APP = b"ICCRGBG1012"
_IPTC_APPS = (b"MGK8BIM0000", b"MGKIPTC0000")
#: Block names the cleaner copies.
KEEP = frozenset({"header", "GCE", "image", "loop", "end"})


class _Truncated(Exception):
    pass


@dataclass(slots=True)
class GifWalk(ScanBuilder):
    """Blocks found in stream order with their payloads, and what went wrong."""

    width: int = 0
    height: int = 0
    frames: int = 0
    end: int | None = None  # offset after the 0x3B trailer byte


class _Reader:
    """Bounded byte reads; running past ``size`` raises :class:`_Truncated`."""

    def __init__(self, f: BinaryIO, size: int) -> None:
        self.f, self.size, self.pos = f, size, 0
        self.budget = MAX_TOTAL  # payload bytes we may still keep, file-wide
        self.overflow = False
        f.seek(0)

    def read(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) < n:
            raise _Truncated
        self.pos += n
        return data

    def skip(self, n: int) -> None:
        if self.pos + n > self.size:
            raise _Truncated
        self.f.seek(n, os.SEEK_CUR)
        self.pos += n

    def sub_blocks(self, mode: str = "skip", cap: int = MAX_BLOCK) -> bytes:
        """Walk data sub-blocks to the terminator; "data" joins their bytes, "raw" keeps
        the length bytes too (XMP's layout needs them). Beyond ``cap`` bytes are skipped."""
        out: list[bytes] = []
        kept = 0
        while True:
            n = self.read(1)[0]
            if n == 0:
                return b"".join(out)
            if mode == "skip" or kept + n > min(cap, self.budget):
                self.overflow = self.overflow or mode != "skip"
                self.skip(n)
                continue
            data = self.read(n)
            out.append(bytes([n]) + data if mode == "raw" else data)
            kept += n
            self.budget -= n


def walk_gif(f: BinaryIO, size: int) -> GifWalk:
    """Walk a GIF's blocks.

    Raises:
        CorruptFile: not a GIF, or too short for its header.
    """
    r = _Reader(f, size)
    walk = GifWalk()
    try:
        head = r.read(13)
    except _Truncated as exc:
        raise CorruptFile("the GIF is truncated before its header ends") from exc
    if head[:6] not in (b"GIF87a", b"GIF89a"):
        raise CorruptFile("not a GIF file (bad signature)")
    walk.width, walk.height, packed = struct.unpack("<HHB", head[6:11])
    intro = -1  # the block being read when the file ended
    try:
        if packed & 0x80:
            r.skip(3 << ((packed & 7) + 1))
        walk.add_block("header", "structure", 0, r.pos, True, "header, screen and colour table")
        while len(walk.blocks) < MAX_BLOCKS:
            at = r.pos
            intro = r.read(1)[0]
            if intro == 0x3B:
                walk.end = r.pos
                walk.add_block("end", "structure", at, 1, True, "end of GIF")
                break
            if intro == 0x2C:
                _image(r, walk)
            elif intro == 0x21:
                _extension(r, walk)
            else:
                walk.warn(f"unexpected byte 0x{intro:02x} at {at}; the rest was not read")
                break
            block = walk.blocks[-1]
            walk.blocks[-1] = Block(block.name, block.kind, at, r.pos - at, block.known,
                                    block.note)
        else:
            walk.warn(f"more than {MAX_BLOCKS} blocks; the rest of the GIF was not read")
    except _Truncated:
        if intro == 0x2C:  # inside a frame: the picture itself is incomplete
            walk.warn(FILE_ENDS_IN_PICTURE)
        else:
            walk.warn("the GIF is truncated: it stops before its end marker")
    if r.overflow:
        walk.warn("some GIF text or metadata was too large to read in full")
    return walk


def _image(r: _Reader, walk: GifWalk) -> None:
    desc = r.read(9)
    if desc[8] & 0x80:
        r.skip(3 << ((desc[8] & 7) + 1))
    r.read(1)  # LZW minimum code size
    r.sub_blocks()
    walk.frames += 1
    walk.add_block("image", "image", 0, 0, True, f"frame {walk.frames}")


def _extension(r: _Reader, walk: GifWalk) -> None:
    label = r.read(1)[0]
    if label == 0xF9:
        r.sub_blocks()
        walk.add_block("GCE", "structure", 0, 0, True, "frame timing/transparency")
    elif label == 0xFE:
        walk.comments.append(r.sub_blocks("data").decode("latin-1"))
        walk.add_block("comment", "comment", 0, 0, True, "comment")
    elif label == 0x01:
        data = r.sub_blocks("data")
        walk.text.append(("GIF plain text", data[12:].decode("latin-1")))
        walk.add_block("plaintext", "text", 0, 0, True, "plain text overlay")
    elif label == 0xFF:
        _application(r, walk)
    else:
        r.sub_blocks()
        walk.warn(f"unknown GIF extension 0x{label:02x} was not understood")
        walk.add_block(f"ext{label:02x}", "unknown", 0, 0, False, "unknown extension")


def _application(r: _Reader, walk: GifWalk) -> None:
    n = r.read(1)[0]
    app = r.read(n)
    name = app.decode("latin-1")
    if app in LOOP_APPS:
        r.sub_blocks()
        walk.add_block("loop", "structure", 0, 0, True, f"{name} animation loop")
    elif app == _XMP_APP:
        raw = r.sub_blocks("raw")
        # XMP is stored with the length bytes as part of the text, then a 258-byte "magic
        # trailer" (0x01, 0xFF..0x00) that makes decoders skip it: cut that off.
        cut = raw.find(b"\x01\xff")
        walk.xmp.append(raw[:cut] if cut >= 0 else raw)
        walk.add_block("XMP", "xmp", 0, 0, True, name)
    elif app == _ICC_APP:
        walk.icc = walk.icc or r.sub_blocks("data")
        walk.add_block("ICC", "icc", 0, 0, True, name)
    elif app == b"ImageMagick":
        data = r.sub_blocks("data", 256)
        # ImageMagick records only its gamma here; anything else is not understood.
        known = data.startswith(b"gamma=") and len(data) < 64
        if not known:
            walk.warn("an ImageMagick GIF extension holds unexpected data")
        walk.add_block("app", "structure" if known else "unknown", 0, 0, known, "ImageMagick gamma")
    elif app in _IPTC_APPS:
        walk.iptc.append(r.sub_blocks("data"))
        walk.add_block("IPTC", "iptc", 0, 0, True, name)
    else:
        r.sub_blocks()
        walk.warn(f"unknown GIF application extension {name!r} was not understood")
        walk.add_block("app", "unknown", 0, 0, False, name)


class Gif(ImageFormat):
    """CompuServe GIF 87a/89a, animated or not."""

    name: ClassVar[str] = "gif"
    extensions: ClassVar[tuple[str, ...]] = (".gif",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for "GIF87a" / "GIF89a"."""
        return magic.gif(head)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the GIF block stream and collect comments, text, XMP, ICC and IPTC.

        Raises:
            CorruptFile: not a GIF, or too short for its header.
        """
        walk = walk_gif(f, size)
        if walk.end is not None and walk.end < size:
            walk.add_found(after_end(f, walk.end, size, "gif"))
        return walk.freeze("gif", walk.width or None, walk.height or None)

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Copy the allowlisted blocks verbatim (``lossless=True``).

        With ``pixels`` (a single upright PIL image) Pillow encodes a new GIF, rebuilt
        through the same allowlist; lossless only if ``pixels`` is already a palette image.

        Raises:
            CorruptFile: the source is truncated or broken.
            Unsupported: redacting an animated GIF.
        """
        with open(src, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            walk = walk_gif(f, size)
            if walk.end is None:
                raise CorruptFile(walk.warnings[0] if walk.warnings else "the GIF is damaged")
            removed = tuple(dict.fromkeys(
                b.kind for b in walk.blocks if b.name not in KEEP))
            removed += ("trailer",) if walk.end < size else ()
            if pixels is None:
                _copy(f, walk, dst)
                return CleanOutcome(removed, (), True)
        if walk.frames > 1:
            raise Unsupported("redacting an animated GIF is not supported")
        buf = io.BytesIO()
        pixels.save(buf, "GIF")
        encoded = buf.getvalue()
        _copy(io.BytesIO(encoded), walk_gif(io.BytesIO(encoded), len(encoded)), dst)
        return CleanOutcome(removed, (), pixels.mode == "P")


def _copy(f: BinaryIO, walk: GifWalk, dst: BinaryIO) -> None:
    for block in walk.blocks:
        if block.name in KEEP:
            f.seek(block.offset)
            dst.write(f.read(block.length))
