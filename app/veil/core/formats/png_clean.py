"""Write a cleaned PNG: allowlisted chunks copied verbatim, everything else dropped.

Orientation: PNG viewers rarely honour an eXIf Orientation, but some (Pillow, browsers) do,
so dropping eXIf could turn a photo sideways. When the source's eXIf says Orientation != 1
(an XMP tiff:Orientation turns no viewer's PNG, nor Veil's: ``veil.core.pixels.orient``)
the pixels are turned upright and re-encoded (PNG is lossless: the decoded values are
identical). The exceptions are 16-bit colour, which Pillow would reduce to 8 bits, and an
animated PNG, whose frames Pillow can't turn: there an Orientation-only eXIf is written
instead, which keeps every viewer's display as before.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats import memo
from veil.core.formats import png_chunks as pc
from veil.core.formats.base import CleanOutcome
from veil.core.formats.builder import dropped_kinds
from veil.core.formats.png_idat import rebuilt_idat
from veil.core.formats.webp_exif import orientation_exif, pillow_orientation
from veil.core.metadata.icc import safe_icc
from veil.core.model import ExportOptions

#: Source chunks that describe colour; kept when the pixels are re-encoded too. The HDR
#: signalling chunks (cICP, mDCv, cLLi and their older spellings) go beyond the issue's list:
#: they identify nobody, and dropping them would change how an HDR PNG looks.
_COLOUR = ("gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "cICP", "mDCv", "cLLi", "mDCV", "cLLI")
#: Chunks copied from the source when the coded data stays (order is the source's).
KEEP = frozenset({"IHDR", "PLTE", "tRNS", "IDAT", "IEND", "pHYs", "acTL", "fcTL", "fdAT",
                  *_COLOUR})
#: Chunks taken from Pillow's encoding of re-encoded pixels.
_FROM_ENCODER = frozenset({"IHDR", "PLTE", "tRNS", "IDAT", "IEND"})
#: The name every kept iCCP gets (Pillow's default).
ICC_NAME = b"ICC Profile"
_SWAPS_AXES = (5, 6, 7, 8)
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16", "I;16B"})
#: zlib level of re-encoded pixels (see ``_encode``).
_LEVEL = 4


def write_clean(
    src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
) -> CleanOutcome:
    """Write a clean copy of ``src`` into ``dst``.

    Without ``pixels`` the allowlisted chunks are copied byte for byte (orientation baked
    when needed, see the module docstring). With ``pixels`` (an upright PIL image) they are
    encoded as PNG; ``lossless`` is then True because PNG stores the given pixels exactly.

    Raises:
        CorruptFile: bad signature, truncated, or a kept chunk with a bad CRC.
        Unsupported: an animated PNG given ``pixels`` (one picture can't replace its frames).
    """
    from veil.core.formats.png import parse

    with open(src, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        parsed = memo.take(f, "png")  # the audit's parse of this very file, if just made
        scan, followed = (parsed[1:] if parsed is not None and parsed[0] == size
                          else parse(f, size))
        try:
            walk = pc.walk_chunks(f, size)
        except pc.ChunkError as exc:
            raise CorruptFile(str(exc)) from exc
        if walk.end is None:
            raise CorruptFile(walk.warnings[0] if walk.warnings else "the PNG has no IEND")
        kept_chunks = [c for c in walk.chunks if c.type in KEEP]
        if not options.keep_icc:
            kept_chunks = [c for c in kept_chunks if c.type != "iCCP"]
        removed = dropped_kinds(scan.blocks, KEEP, "iCCP", options.keep_icc)
        # Pillow's exact rule (which eXIf chunk, before/after IDAT): what the audit and the
        # verification apply, so the baked or kept orientation is the one they expect.
        orientation = pillow_orientation(scan) or 1
        source = {c.type: _checked(f, c) for c in kept_chunks if c.type in _COLOUR + ("pHYs",)}
        if "iCCP" in source:
            iccp = _neutral_iccp(source["iCCP"])
            if iccp is None:  # too damaged to neutralise: dropped, and said so
                del source["iCCP"]
                kept_chunks = [c for c in kept_chunks if c.type != "iCCP"]
                removed = removed if "icc" in removed else (*removed, "icc")
            else:
                source["iCCP"] = iccp
        ihdr = _checked(f, walk.chunks[0])
        kept = ["icc"] if "iCCP" in source else []
        animated = any(c.type == "acTL" for c in walk.chunks)
        if pixels is not None:
            if animated:
                raise Unsupported("redacting an animated PNG is not supported")
            _write(dst, _encode(pixels), source, ihdr, orientation in _SWAPS_AXES)
            return CleanOutcome(removed, tuple(kept), pixels.mode in _PNG_MODES)
        if orientation == 1:
            removed = _copy(f, dst, kept_chunks, ihdr, removed, iccp=source.get("iCCP"),
                            followed=followed)
            return CleanOutcome(removed, tuple(kept), True)
        if animated or (ihdr[8] == 16 and ihdr[9] in (2, 4, 6)):
            # Pillow would cut 16-bit colour to 8 bits, and can't turn an animation's frames:
            # keep the tag instead (an animation was refused, though no pixel must change).
            # An APNG's eXIf goes before its frames: after them, Pillow never reads it.
            tag = pc.chunk_bytes("eXIf", orientation_exif(orientation))
            removed = _copy(f, dst, kept_chunks, ihdr, removed, b"" if animated else tag,
                            source.get("iCCP"), followed, tag if animated else b"")
            if all(p == orientation_exif(orientation) for p in scan.exif):
                removed = tuple(k for k in removed if k != "exif")  # rewritten as it was
            return CleanOutcome(removed, (*kept, "orientation"), True)
    upright = _decode_upright(src, orientation)
    _write(dst, _encode(upright), source, ihdr, orientation in _SWAPS_AXES)
    return CleanOutcome(removed, (*kept, "orientation (baked into pixels)"), True)


def _copy(f: BinaryIO, dst: BinaryIO, chunks: list[pc.Chunk], ihdr: bytes,
          removed: tuple[str, ...], before_iend: bytes = b"",
          iccp: bytes | None = None,
          followed: Mapping[tuple[int, ...], bool] = MappingProxyType({}),
          after_ihdr: bytes = b"") -> tuple[str, ...]:
    """Signature and ``chunks`` byte for byte (CRC-checked), ``after_ihdr`` right after the
    IHDR and ``before_iend`` before the IEND; an iCCP is written as ``iccp``
    (see ``_neutral_iccp``). IDAT data with bytes after its zlib stream is deflated afresh
    (see :mod:`png_idat`), unless the reader already followed that very run of IDAT
    chunks (``followed``: their offsets) to the exact end of its stream; a run it found
    bytes after is inflated once, not once more to find them. Returns ``removed``, plus
    "trailer" when such bytes were cut."""
    idats = [c for c in chunks if c.type == "IDAT"]
    answer = followed.get(tuple(c.offset for c in idats))
    idat = None if answer is False else rebuilt_idat(f, idats, ihdr, trailing=answer)
    if idat is not None and "trailer" not in removed:
        removed = (*removed, "trailer")
    dst.write(pc.SIGNATURE)
    for chunk in chunks:
        if chunk.type == "IEND":
            dst.write(before_iend)
        if chunk.type == "iCCP":
            if iccp is not None:
                dst.write(pc.chunk_bytes("iCCP", iccp))
            continue
        if chunk.type == "IDAT" and idat is not None:
            dst.write(b"".join(idat))  # all of it at the first IDAT's place
            idat = []
            continue
        f.seek(chunk.offset)
        raw = f.read(chunk.length + 12)
        if len(raw) != chunk.length + 12 or zlib.crc32(raw[4:-4]) != int.from_bytes(raw[-4:]):
            raise CorruptFile(
                f"PNG chunk {chunk.type} at byte {chunk.offset} is damaged (bad CRC)")
        dst.write(raw)
        if chunk.type == "IHDR":
            dst.write(after_ihdr)
    return removed


def _checked(f: BinaryIO, chunk: pc.Chunk) -> bytes:
    """A kept chunk's data; a bad CRC refuses the copy (the output would not decode).

    iCCP's profile name is free text a user or tool chose ("Jane's MacBook calibrated"):
    it is replaced by a neutral one (the profile's own texts are neutralised by the caller).
    """
    data, ok = pc.read_chunk(f, chunk)
    if not ok:
        raise CorruptFile(f"PNG chunk {chunk.type} at byte {chunk.offset} is damaged (bad CRC)")
    if chunk.type == "iCCP":
        nul = data.find(b"\0", 0, 80)
        if nul < 1:
            raise CorruptFile("the PNG colour profile chunk (iCCP) is malformed")
        data = ICC_NAME + data[nul:]
    return data


def _neutral_iccp(data: bytes) -> bytes | None:
    """An iCCP payload (already renamed) whose profile names nobody: inflated (capped),
    :func:`safe_icc`, deflated again; None when the profile can't be read or neutralised."""
    try:
        _, profile = pc.icc_chunk(data)
    except pc.ChunkError:
        return None
    neutral = safe_icc(profile)
    return None if neutral is None else ICC_NAME + b"\0\0" + zlib.compress(neutral, 9)


def _decode_upright(src: Path, orientation: int) -> Any:
    from PIL import Image

    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}[orientation]
    try:
        with Image.open(src) as im:
            im.load()
            out = im.transpose(method)
            out.info = dict(im.info)  # keeps "transparency" for palette/grey images
            return out
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise CorruptFile(f"cannot decode the PNG pixels: {exc}") from exc


def _encode(image: Any) -> list[tuple[str, bytes]]:
    """Pillow's PNG encoding of ``image``, as (type, data) for the structural chunks only."""
    if image.mode not in _PNG_MODES:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    buf = io.BytesIO()
    params: dict[str, Any] = {}
    if "transparency" in image.info:
        params["transparency"] = image.info["transparency"]
    # icc_profile=None: the source's own iCCP is copied verbatim instead. zlib level 4, not
    # Pillow's 6: a third of the time for ~1 % more bytes (a 326x268 RGBA photo: 17 ms and
    # 153.9 kB against 50 ms and 152.9 kB); the pixels are the same either way.
    image.save(buf, "PNG", icc_profile=None, compress_level=_LEVEL, **params)
    data = buf.getvalue()
    walk = pc.walk_chunks(io.BytesIO(data), len(data))
    out = []
    for chunk in walk.chunks:
        if chunk.type in _FROM_ENCODER:
            out.append((chunk.type, data[chunk.data_offset : chunk.data_offset + chunk.length]))
    return out


def _write(dst: BinaryIO, encoded: list[tuple[str, bytes]], source: dict[str, bytes],
           src_ihdr: bytes, swap: bool) -> None:
    """IHDR, colour chunks, PLTE, tRNS, pHYs, IDAT..., IEND (the order PNG requires)."""
    dst.write(pc.SIGNATURE)
    new_ihdr = encoded[0][1]
    for ctype, data in encoded:
        if ctype == "IHDR":
            dst.write(pc.chunk_bytes(ctype, data))
            for colour in _COLOUR:
                # sBIT's layout depends on bit depth and colour type: only valid if unchanged
                same = colour != "sBIT" or new_ihdr[8:10] == src_ihdr[8:10]
                if colour in source and same:
                    dst.write(pc.chunk_bytes(colour, source[colour]))
            continue
        if ctype == "IDAT" and "pHYs" in source:
            phys = source.pop("pHYs")
            if swap and len(phys) == 9:
                phys = phys[4:8] + phys[0:4] + phys[8:]
            dst.write(pc.chunk_bytes("pHYs", phys))
        dst.write(pc.chunk_bytes(ctype, data))
