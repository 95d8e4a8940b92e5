"""Bound a hostile EXIF TIFF block before exifread walks it.

exifread trusts a block's IFD entry counts and its IFD chain; a crafted block can make it
spend seconds. :func:`bounded` clamps both on a copy (the original is never changed) and
hands back the IFDs it read, so :mod:`veil.core.metadata.exif` does not parse them twice.
"""

from __future__ import annotations

import struct

from veil.core.metadata import ifd as ifdread
from veil.core.metadata.model import Collector

#: Entries per IFD and IFDs in the IFD0 chain that exifread is allowed to walk. Real files
#: stay far below; a hostile 65535-entry IFD would otherwise cost exifread over a second.
MAX_IFD_ENTRIES = 500
MAX_CHAIN = 4
SUB_IFDS = (0x8769, 0x8825, 0xA005)  # the Exif, GPS and Interop IFD pointers


def bounded(buf: bytes, col: Collector, ifds: dict[int, dict[int, ifdread.Entry]]) -> bytes:
    """``buf`` with IFD entry counts clamped to what fits and the IFD chain cut at MAX_CHAIN.

    exifread trusts both; clamping here keeps a hostile block from costing seconds. The IFDs
    read on the way are left in ``ifds`` (offset -> entries) for the raw-tag reader when
    ``buf`` is returned unchanged, so the same entries are not parsed twice.
    """
    bo = "<" if buf[:2] == b"II" else ">"
    out: bytearray | None = None
    seen: set[int] = set()

    def clamp(ifd: int) -> int:
        nonlocal out
        if ifd in seen or not 8 <= ifd <= len(buf) - 2:
            return 0
        seen.add(ifd)
        (n,) = struct.unpack_from(bo + "H", buf, ifd)
        fit = min(MAX_IFD_ENTRIES, (len(buf) - ifd - 2) // 12)
        if n > fit:
            out = out if out is not None else bytearray(buf)
            struct.pack_into(bo + "H", out, ifd, fit)
            col.warnings.append("an EXIF block claims more entries than it holds")
            col.incomplete = True
            n = fit
        return n

    ifd, depth = struct.unpack_from(bo + "I", buf, 4)[0], 0
    while ifd and depth < MAX_CHAIN:
        n = clamp(ifd)
        if not n and ifd not in seen:
            break
        ifds[ifd] = ifdread.read_ifd(buf, ifd, 0, bo)
        for tag, entry in ifds[ifd].items():
            if tag in SUB_IFDS and entry.type in (4, 13):
                sub = ifdread.number(buf, entry, bo) or 0
                clamp(sub)
                ifds[sub] = ifdread.read_ifd(buf, sub, 0, bo)
                for t2, e2 in ifds[sub].items():
                    if t2 in SUB_IFDS and e2.type in (4, 13):
                        clamp(ifdread.number(buf, e2, bo) or 0)
        next_at = ifd + 2 + 12 * n
        if next_at + 4 > len(buf):
            break
        depth += 1
        nxt = struct.unpack_from(bo + "I", buf, next_at)[0]
        if depth == MAX_CHAIN and nxt:
            out = out if out is not None else bytearray(buf)
            struct.pack_into(bo + "I", out, next_at, 0)
        ifd = nxt if nxt not in seen else 0
    if out is None:
        return buf
    ifds.clear()  # read before the clamping: not what exifread and the raw-tag reader see
    return bytes(out)
