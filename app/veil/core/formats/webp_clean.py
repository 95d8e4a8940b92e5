"""Write a cleaned WebP: the RIFF rebuilt from allowlisted chunks, sizes recomputed.

Kept: VP8X (flags fixed), VP8, VP8L, ALPH, ANIM, ANMF (sub-chunks filtered to ALPH/VP8/VP8L)
and ICCP (when ``keep_icc``; its texts neutralised). Dropped: EXIF, "XMP ", unknown chunks,
bytes after the RIFF.

Orientation: a WebP EXIF Orientation is honoured by some viewers (Pillow, some browsers and
galleries) and ignored by others (Pillow also honours an XMP tiff:Orientation when EXIF has
none; the same rule is used here). Re-encoding a lossy WebP to bake it would cost quality, so
when the source says Orientation != 1 the cleaner writes an EXIF chunk holding only that
tag: every viewer then shows the copy exactly as it showed the original, losslessly. Only
with ``bake_orientation`` (the caller then passes upright ``pixels``) is the image re-encoded.
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.base import CleanOutcome
from veil.core.formats.builder import dropped_kinds
from veil.core.formats.byteio import read_at
from veil.core.formats.webp import RiffChunk, Webp, read_data, walk_chunks, walk_riff
from veil.core.formats.webp_exif import orientation_exif, pillow_orientation
from veil.core.metadata.icc import safe_icc
from veil.core.model import ExportOptions

_IMAGE = ("VP8 ", "VP8L", "ALPH")
KEEP = frozenset({"VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"})
_FLAG_ICC, _FLAG_EXIF, _FLAG_ANIM = 0x20, 0x08, 0x02  # XMP (0x04) is never kept
_FLAG_ALPHA = 0x10


def write_clean(
    src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
) -> CleanOutcome:
    """Write a clean copy of ``src`` into ``dst``.

    Without ``pixels`` the coded image is copied byte for byte (``lossless=True``). With
    ``pixels`` (an upright PIL image) it is encoded again: lossless if the source was VP8L,
    else quality 90; ``lossless=False`` either way since the coded data changed.

    Raises:
        CorruptFile: the source is truncated or broken.
        Unsupported: redacting an animated WebP (one picture can't replace every frame).
    """
    with open(src, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        scan = Webp.read(f, size)
        walk = walk_riff(f, size)
        if walk.truncated:
            raise CorruptFile(walk.warnings[0])
        # Pillow's exact rule (VP8X flags decide which chunks count): what the audit and
        # the verification apply, so the kept orientation is the one they expect.
        orientation = pillow_orientation(scan) or 1
        removed = dropped_kinds(scan.blocks, KEEP, "ICCP", options.keep_icc)
        if all(p == orientation_exif(orientation) for p in scan.exif):
            # an Orientation-only EXIF (e.g. our own output) is rewritten, not removed
            removed = tuple(k for k in removed if k != "exif")
        fourccs = {c.fourcc for c in walk.chunks}
        if pixels is None:
            body = _rebuild(f, walk.chunks, options, orientation)
            kept = _kept(body, orientation)
            _write_riff(dst, body)
            return CleanOutcome(_icc_removed(removed, scan.icc, body), kept, True)
        if "ANIM" in fourccs or "ANMF" in fourccs:
            raise Unsupported("redacting an animated WebP is not supported")
        lossless_source = "VP8L" in fourccs and "VP8 " not in fourccs
    encoded = _encode(pixels, lossless_source, safe_icc(scan.icc) if options.keep_icc else None)
    enc_walk = walk_riff(io.BytesIO(encoded), len(encoded))
    body = _rebuild(io.BytesIO(encoded), enc_walk.chunks, options, 1)
    _write_riff(dst, body)
    return CleanOutcome(_icc_removed(removed, scan.icc, body), _kept(body, 1), False)


def _icc_removed(removed: tuple[str, ...], icc: bytes | None,
                 body: list[tuple[str, bytes]]) -> tuple[str, ...]:
    """``removed`` plus "icc" when the source had a profile the copy does not carry."""
    if icc and "icc" not in removed and not any(c == "ICCP" for c, _ in body):
        return (*removed, "icc")
    return removed


def _kept(body: list[tuple[str, bytes]], orientation: int) -> tuple[str, ...]:
    kept = ["icc"] if any(c == "ICCP" for c, _ in body) else []
    if any(c == "EXIF" for c, _ in body):
        kept.append("orientation")
    return tuple(kept)


def _rebuild(f: BinaryIO, chunks: list[RiffChunk], options: ExportOptions,
             orientation: int) -> list[tuple[str, bytes]]:
    """The kept chunks as (fourcc, data), VP8X flags matching what is kept."""
    body: list[tuple[str, bytes]] = []
    for chunk in chunks:
        if chunk.fourcc not in KEEP or (chunk.fourcc == "ICCP" and not options.keep_icc):
            continue
        if chunk.fourcc == "ANMF":
            body.append((chunk.fourcc, _frame(f, chunk)))
            continue
        data = read_data(f, chunk)
        if len(data) != chunk.size:
            raise CorruptFile(f"the WebP chunk {chunk.fourcc.strip()} is truncated")
        if chunk.fourcc == "ICCP":
            # the profile's texts may name someone; a profile too damaged to neutralise goes
            neutral = safe_icc(data)
            if neutral is None:
                continue
            data = neutral
        body.append((chunk.fourcc, data))
    has_vp8x = any(c == "VP8X" for c, _ in body)
    if orientation != 1 and has_vp8x:
        body.append(("EXIF", orientation_exif(orientation)))
    if has_vp8x:
        body = [(c, _flags(d, body) if c == "VP8X" else d) for c, d in body]
    return body


def _flags(vp8x: bytes, body: list[tuple[str, bytes]]) -> bytes:
    """VP8X with the ICC/EXIF/XMP/animation bits set from the kept chunks, reserved bits 0."""
    present = {c for c, _ in body}
    flags = vp8x[0] & _FLAG_ALPHA  # alpha describes the pixels, which are untouched
    flags |= _FLAG_ICC if "ICCP" in present else 0
    flags |= _FLAG_EXIF if "EXIF" in present else 0
    flags |= _FLAG_ANIM if "ANIM" in present else 0
    return bytes([flags]) + b"\0\0\0" + vp8x[4:]


def _frame(f: BinaryIO, chunk: RiffChunk) -> bytes:
    """An ANMF payload with only its frame header and image sub-chunks."""
    header = read_at(f, chunk.data_offset, 16)
    subs, problem = walk_chunks(f, chunk.data_offset + 16, chunk.data_offset + chunk.size)
    if problem or len(header) < 16:
        raise CorruptFile("a WebP animation frame is damaged")
    parts = [header]
    for sub in subs:
        if sub.fourcc in _IMAGE:
            parts.append(_chunk_bytes(sub.fourcc, read_data(f, sub)))
    return b"".join(parts)


def _chunk_bytes(fourcc: str, data: bytes) -> bytes:
    pad = b"\0" if len(data) & 1 else b""
    return fourcc.encode("ascii") + struct.pack("<I", len(data)) + data + pad


def _write_riff(dst: BinaryIO, body: list[tuple[str, bytes]]) -> None:
    payload = b"".join(_chunk_bytes(c, d) for c, d in body)
    dst.write(b"RIFF" + struct.pack("<I", 4 + len(payload)) + b"WEBP" + payload)


def _encode(pixels: Any, lossless: bool, icc: bytes | None) -> bytes:
    """Pillow's WebP encoding of ``pixels`` (then rebuilt through the same allowlist)."""
    image = pixels if pixels.mode in ("RGB", "RGBA") else pixels.convert(
        "RGBA" if "A" in pixels.getbands() else "RGB")
    buf = io.BytesIO()
    params: dict[str, Any] = {"lossless": True} if lossless else {"quality": 90}
    if icc:
        params["icc_profile"] = icc
    image.save(buf, "WEBP", exif=b"", xmp=b"", **params)
    return buf.getvalue()
