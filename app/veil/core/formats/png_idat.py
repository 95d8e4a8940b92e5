"""Check a PNG's IDAT data before it is copied: one complete zlib stream, nothing after it.

Bytes after the end of the zlib stream (or in IDAT chunks after it) are read by no decoder,
so they can hold anything (an aCropalypse-style leftover, a hidden payload) and a verbatim
copy would carry them. The stream is inflated once, in bounded steps whose output is thrown
away; only when something trails it is the picture's data inflated again and deflated
afresh at level 4 (the filtered scanlines are the same bytes, so the pixels are identical). When the
reader's own inflate of that stream already found the trailing bytes, the cleaner's first
inflate is skipped.

The scan runs the same bounded inflate (:func:`hidden_after_stream`) so that what the
cleaner cuts is also reported: its cost is one inflate of the picture's data with the
output thrown away in ``_STEP`` pieces (memory stays bounded; time is measured in the
``veil bench scan`` numbers).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from veil.core.errors import CorruptFile
from veil.core.formats import png_chunks as pc

#: Inflate step: output is discarded as it comes, so memory stays bounded.
_STEP = 1 << 20
#: Size of the IDAT chunks written when the data is deflated again.
_OUT_CHUNK = 1 << 20
#: zlib level of a stream deflated again: 4, as the cleaner's re-encoded pixels (png_clean).
#: The deflate was ~95 % of such a copy's time at 9. Measured on Pillow-made PNGs (CPU, level
#: 4 / 6 / 9): a 1080x2400 phone screenshot 31 / 52 / 403 ms for 297 / 284 / 265 kB; a
#: 4000x3000 photo 0.56 / 2.4 / 12.8 s for 11.84 / 11.28 / 10.99 MB; a 1600x1200 RGBA photo
#: 62 / 204 / 2025 ms for 911 / 827 / 772 kB. The scanlines, hence the pixels, are the same.
_LEVEL = 4
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
#: Adam7 passes: x0, y0, dx, dy.
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


def raw_size(ihdr: bytes) -> int:
    """Bytes of filtered scanlines the IHDR calls for (filter byte per row included).

    Raises:
        CorruptFile: an IHDR that is too short or names an unknown colour type.
    """
    if len(ihdr) < 13 or ihdr[9] not in _CHANNELS:
        raise CorruptFile("the PNG header (IHDR) is malformed")
    width, height = int.from_bytes(ihdr[0:4]), int.from_bytes(ihdr[4:8])
    bits = ihdr[8] * _CHANNELS[ihdr[9]]
    passes = _ADAM7 if ihdr[12] == 1 else ((0, 0, 1, 1),)
    total = 0
    for x0, y0, dx, dy in passes:
        w, h = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if w > 0 and h > 0:
            total += h * (1 + (w * bits + 7) // 8)
    return total


def _datas(f: BinaryIO, idats: list[pc.Chunk]) -> Iterator[bytes]:
    for chunk in idats:
        data, ok = pc.read_chunk(f, chunk)
        if not ok:
            raise CorruptFile(f"PNG chunk IDAT at byte {chunk.offset} is damaged (bad CRC)")
        yield data


def _inflate(f: BinaryIO, idats: list[pc.Chunk], limit: int, keep: bool) -> tuple[bool, bytes]:
    """(whether bytes trail the zlib stream, the inflated data if ``keep``)."""
    d = zlib.decompressobj()
    out: list[bytes] = []
    produced = 0
    trailing = False
    try:
        for data in _datas(f, idats):
            if d.eof:
                trailing = trailing or bool(data)
                continue
            buf = data
            while buf and not d.eof:
                piece = d.decompress(buf, _STEP)
                produced += len(piece)
                if produced > limit:
                    raise CorruptFile("the PNG image data holds more than the picture needs")
                if keep:
                    out.append(piece)
                buf = d.unconsumed_tail
            trailing = trailing or bool(d.unused_data)
    except zlib.error as exc:
        raise CorruptFile("the PNG image data is damaged (broken zlib stream)") from exc
    if not d.eof:
        raise CorruptFile("the PNG image data is cut short (incomplete zlib stream)")
    return trailing, b"".join(out)


def rebuilt_idat(
    f: BinaryIO, idats: list[pc.Chunk], ihdr: bytes, trailing: bool | None = None
) -> list[bytes] | None:
    """None when the IDAT chunks hold exactly one complete zlib stream; else the picture's
    data deflated afresh, as complete IDAT chunks to write in place of the old ones.
    ``trailing``: True when the reader's :func:`hidden_after_stream` already found bytes
    after this very stream (it is then inflated once, kept, not first to find them out).

    Raises:
        CorruptFile: a broken or cut-short stream, a bad CRC, or more data than the IHDR
            needs (then nothing can be copied safely).
    """
    limit = raw_size(ihdr)
    if not trailing:  # unknown: find out first, output thrown away (memory stays bounded)
        trailing, _ = _inflate(f, idats, limit, keep=False)
        if not trailing:
            return None
    trailing, raw = _inflate(f, idats, limit, keep=True)
    if not trailing:  # never with the reader's answer for this file; kept as it is then
        return None
    packed = zlib.compress(raw, _LEVEL)
    return [pc.chunk_bytes("IDAT", packed[i : i + _OUT_CHUNK])
            for i in range(0, len(packed), _OUT_CHUNK)] or [pc.chunk_bytes("IDAT", b"")]


#: :func:`hidden_after_stream`'s problem for a stream that stops before its end.
STREAM_CUT_SHORT = "the compressed picture data is cut short"


def hidden_after_stream(
    f: BinaryIO, run: list[pc.Chunk], limit: int
) -> tuple[int, int, str] | None:
    """Where bytes trail the zlib stream of one run of IDAT (or one frame's fdAT) chunks.

    Nothing decodes such bytes; an editor that overwrote a file in place leaves the old,
    uncropped picture there (aCropalypse). Never raises: a damaged stream is reported.

    Args:
        run: the chunks of one stream, in file order (fdAT data starts with a 4-byte
            sequence number, which is skipped).
        limit: most bytes the stream may inflate to (the IHDR's scanline size).

    Returns:
        None when the stream ends exactly at the end of the run; else (file offset of the
        first trailing byte, how many trail, "" or a plain problem when the stream could not
        be followed to its end).
    """
    total = sum(_payload(c) for c in run)
    datas: list[bytes] | None = None
    if total <= MAX_REMEMBERED:
        datas = []
        for chunk in run:
            f.seek(chunk.data_offset + chunk.length - _payload(chunk))
            datas.append(f.read(_payload(chunk)))
        stream = b"".join(datas)
        if _clean.get(limit) == stream:
            return None  # these very bytes were just followed to their end (see _clean)
    found = _follow(f, run, limit, datas)
    if found is None and datas is not None:
        _clean.clear()
        _clean[limit] = stream
    return found


#: Largest stream whose bytes are remembered once followed to a clean end.
MAX_REMEMBERED = 32 << 20
#: {limit: the stream's bytes} of the last stream followed to a clean end in this process.
#: An export audits the source, copies its IDAT chunks verbatim, then audits the copy: the
#: copy's stream is the same bytes, so following it again would only repeat the same inflate
#: (~3 ms a megapixel) to the same answer (inflating is deterministic: same bytes, same
#: limit, same end). Equal bytes are compared in full, never by a hash.
_clean: dict[int, bytes] = {}


def _follow(
    f: BinaryIO, run: list[pc.Chunk], limit: int, datas: list[bytes] | None
) -> tuple[int, int, str] | None:
    """:func:`hidden_after_stream`'s inflate (``datas``: the chunks' stream bytes if read)."""
    d = zlib.decompressobj()
    produced = 0
    for k, chunk in enumerate(run):
        skip = chunk.length - _payload(chunk)
        if datas is not None:
            data = datas[k]
        else:
            f.seek(chunk.data_offset + skip)
            data = f.read(_payload(chunk))
        buf = data
        try:
            while buf and not d.eof:
                produced += len(d.decompress(buf, _STEP))
                if produced > limit:  # decoders stop reading before the end of it
                    return chunk.data_offset, 0, "the picture data holds more than it needs"
                buf = d.unconsumed_tail
        except zlib.error:
            return chunk.data_offset, 0, "the compressed picture data is damaged"
        if d.eof:
            later = run[k + 1 :]
            rest = len(d.unused_data) + sum(_payload(c) for c in later)
            if not rest:
                return None
            if d.unused_data or not later:
                return chunk.data_offset + skip + len(data) - len(d.unused_data), rest, ""
            first = next(c for c in later if _payload(c))
            return first.data_offset + first.length - _payload(first), rest, ""
    last = run[-1]
    return last.data_offset + last.length, 0, STREAM_CUT_SHORT


def _payload(chunk: pc.Chunk) -> int:
    """Bytes of a chunk that belong to the zlib stream (fdAT starts with a sequence number)."""
    return max(0, chunk.length - (4 if chunk.type == "fdAT" else 0))
