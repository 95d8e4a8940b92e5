"""Byte builders for small MP4 / QuickTime movie skeletons and their location atoms (the boxes
themselves come from :mod:`tests.factories.isobmff`)."""

from __future__ import annotations

import struct

from tests.factories.isobmff import box, ftyp, full_box


def make_mp4(
    *,
    duration: int = 2800,
    timescale: int = 1000,
    audio: bool = True,
    video: bool = True,
    brand: str = "isom",
    mvhd_version: int = 0,
    udta: bytes = b"",
) -> bytes:
    """A movie skeleton: ftyp + moov(mvhd, trak/mdia/hdlr per track, udta) + empty mdat."""
    if mvhd_version == 1:
        times = struct.pack(">QQIQ", 3_700_000_000, 3_700_000_000, timescale, duration)
    else:
        times = struct.pack(">IIII", 3_700_000_000, 3_700_000_000, timescale, duration)
    mvhd = full_box("mvhd", mvhd_version, 0, times + b"\0" * 80)
    traks = b""
    for on, handler in ((video, b"vide"), (audio, b"soun")):
        if on:
            hdlr = full_box("hdlr", 0, 0, b"\0\0\0\0" + handler + b"\0" * 12 + b"Track\0")
            traks += box(
                "trak", box("tkhd", b"\0" * 84) + box("mdia", box("mdhd", b"\0" * 24) + hdlr)
            )
    moov = box("moov", mvhd + traks + (box("udta", udta) if udta else b""))
    return ftyp(brand, brand, "mp42") + moov + box("mdat", b"\0" * 64)


def xyz_atom(text: str) -> bytes:
    """A QuickTime ``©xyz`` location atom ("+48.8584+002.2945/")."""
    raw = text.encode("ascii")
    return box(b"\xa9xyz", struct.pack(">HH", len(raw), 0x15C7) + raw)


def loci_atom(lat: float, lon: float) -> bytes:
    """A 3GPP ``loci`` location box."""
    fixed = struct.pack(">ii", round(lon * 65536), round(lat * 65536))
    body = struct.pack(">H", 0x15C7) + b"Home\0" + b"\0" + fixed + struct.pack(">i", 0) + b"\0\0"
    return full_box("loci", 0, 0, body)
