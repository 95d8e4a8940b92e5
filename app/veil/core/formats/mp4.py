"""Probe an MP4/QuickTime movie embedded in another file (motion photos, HEIC ``mpvd``).

Only box headers and a few small boxes (mvhd, hdlr, udta location atoms) are read; sample
tables and media data never are, so a long video costs a few dozen small reads.
"""

from __future__ import annotations

import contextlib
import re
import struct
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile
from veil.core.formats.byteio import read_at
from veil.core.formats.isobmff import (
    Box,
    Reader,
    full_box,
    iter_boxes,
    iter_file_boxes,
    quicktime_keys,
)

#: ftyp brands that mean "a movie" (ISO/MP4 family, QuickTime, 3GPP).
_MOVIE_BRAND_PREFIXES = (
    "iso",
    "mp4",
    "mp41",
    "mp42",
    "avc1",
    "M4V",
    "3gp",
    "3g2",
    "mmp4",
    "qt  ",
    "dash",
    "MSNV",
    "f4v",
    "isom",
    "caqv",
)
#: Largest small box we read whole (mvhd, hdlr, udta, meta in moov).
_SMALL_BOX = 256 * 1024
_DEPTH = 6
_MAC_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)")


def looks_like_mp4(head: bytes) -> bool:
    """True when ``head`` starts with an ``ftyp`` box naming an MP4/ISO/QuickTime brand."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return False
    size = struct.unpack(">I", head[:4])[0]
    stop = min(len(head), max(size, 16))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, stop - 3, 4)]
    for raw in brands:
        brand = raw.decode("latin-1")
        if brand.startswith(_MOVIE_BRAND_PREFIXES):
            return True
    return False


def probe(f: BinaryIO, offset: int, length: int) -> dict[str, Any]:
    """Describe the movie stored at ``[offset, offset + length)`` of ``f``.

    Returns:
        A JSON-able dict: ``container`` ("mp4" or "quicktime"), ``duration_s`` (float or
        None), ``has_audio`` / ``has_video`` (bool, or None when no movie header was
        found), ``bytes`` (``length``), ``created`` (ISO time from mvhd, when set), and
        ``gps`` ({"lat", "lon", "source"}) when a ©xyz / loci / ISO 6709 atom is present.
        ``complete`` is False when the structure was cut short or broken.

    Never raises for malformed movie data (it is someone else's trailer); only OSError.
    """
    info: dict[str, Any] = {
        "container": "mp4",
        "duration_s": None,
        "has_audio": None,
        "has_video": None,
        "bytes": length,
        "complete": True,
    }
    end = offset + max(0, length)
    seen_moov = False
    try:
        for box in iter_file_boxes(f, offset, end):
            if box.type == "ftyp":
                body = _read(f, box, 8)
                if body[:4] == b"qt  ":
                    info["container"] = "quicktime"
            elif box.type == "moov":
                seen_moov = True
                info["has_audio"] = False
                info["has_video"] = False
                _walk_moov(f, box, info)
    except CorruptFile:
        info["complete"] = False
    if not seen_moov:
        info["complete"] = False
    return info


def _read(f: BinaryIO, box: Box, cap: int = _SMALL_BOX) -> bytes:
    """The body of ``box`` (at most ``cap`` bytes)."""
    return read_at(f, box.body, min(box.size - box.header, cap))


def _walk_moov(f: BinaryIO, moov: Box, info: dict[str, Any]) -> None:
    for child in iter_file_boxes(f, moov.body, moov.end):
        if child.type == "mvhd":
            _mvhd(_read(f, child, 64), info)
        elif child.type == "trak":
            handler = _track_handler(f, child)
            if handler == "soun":
                info["has_audio"] = True
            elif handler == "vide":
                info["has_video"] = True
        elif child.type in ("udta", "meta") and child.size <= _SMALL_BOX:
            f.seek(child.offset)
            buf = f.read(child.size)
            _find_location(buf, Box(child.type, 0, child.size, child.header), info, 0)


def _mvhd(body: bytes, info: dict[str, Any]) -> None:
    r = Reader(body, 0, len(body), "mvhd")
    version = r.uint(1)
    r.uint(3)
    if version == 1:
        created = r.uint(8)
        r.uint(8)
        timescale, duration = r.uint(4), r.uint(8)
    else:
        created = r.uint(4)
        r.uint(4)
        timescale, duration = r.uint(4), r.uint(4)
    all_ones = (1 << (64 if version == 1 else 32)) - 1
    if timescale and duration != all_ones:
        info["duration_s"] = round(duration / timescale, 3)
    if created:
        with contextlib.suppress(OverflowError):
            info["created"] = (_MAC_EPOCH + timedelta(seconds=created)).isoformat()


def _track_handler(f: BinaryIO, trak: Box) -> str | None:
    """The handler type ("vide", "soun", ...) of trak/mdia/hdlr."""
    for child in iter_file_boxes(f, trak.body, trak.end):
        if child.type != "mdia":
            continue
        for sub in iter_file_boxes(f, child.body, child.end):
            if sub.type == "hdlr":
                body = _read(f, sub, 12)
                return body[8:12].decode("latin-1") if len(body) >= 12 else None
    return None


def _find_location(buf: bytes, box: Box, info: dict[str, Any], depth: int) -> None:
    """Look for ©xyz, loci and Apple ``keys``/``ilst`` ISO 6709 locations under ``box``."""
    if depth > _DEPTH or "gps" in info:
        return
    skip = 0
    if box.type == "meta":
        # MP4 'meta' is a full box, QuickTime's is not: a child header follows directly if
        # the 4 bytes after the header are not zero flags.
        skip = 4 if buf[box.body : box.body + 4] == b"\0\0\0\0" else 0
    keys: list[str] = []
    for child in iter_boxes(buf, box.body + skip, box.end, depth + 1):
        if child.type == "\xa9xyz":
            r = Reader(buf, child.body, child.end, "©xyz")
            n = r.uint(2)
            r.uint(2)
            _set_iso6709(r.bytes(min(n, r.left)).decode("latin-1", "replace"), "©xyz", info)
        elif child.type == "loci":
            _loci(buf, child, info)
        elif child.type == "keys":
            keys = quicktime_keys(buf, child, strict=False)
        elif child.type == "ilst":
            _ilst(buf, child, keys, info)
        elif child.type in ("udta", "meta"):
            _find_location(buf, child, info, depth + 1)


def _loci(buf: bytes, box: Box, info: dict[str, Any]) -> None:
    full_box(buf, box)
    r = Reader(buf, box.body + 4, box.end, "loci")
    r.uint(2)
    r.cstring()
    r.uint(1)
    lon, lat = _fixed(r.uint(4)), _fixed(r.uint(4))
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        info["gps"] = {"lat": round(lat, 6), "lon": round(lon, 6), "source": "loci"}


def _fixed(v: int) -> float:
    """Signed 16.16 fixed point."""
    return (v - (1 << 32) if v & 0x80000000 else v) / 65536.0


def _ilst(buf: bytes, box: Box, keys: list[str], info: dict[str, Any]) -> None:
    for item in iter_boxes(buf, box.body, box.end, 2):
        index = int.from_bytes(item.type.encode("latin-1"), "big")
        if not 1 <= index <= len(keys) or "location.ISO6709" not in keys[index - 1]:
            continue
        for data in iter_boxes(buf, item.body, item.end, 3):
            if data.type == "data" and data.size > data.header + 8:
                text = buf[data.body + 8 : data.end].decode("utf-8", "replace")
                _set_iso6709(text, "QuickTime ISO6709", info)


def _set_iso6709(text: str, source: str, info: dict[str, Any]) -> None:
    m = _ISO6709.match(text.strip())
    if not m:
        return
    lat, lon = float(m.group(1)), float(m.group(2))
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        info["gps"] = {"lat": lat, "lon": lon, "source": source}
