"""Decoders for the HEIF item properties Veil uses (size, orientation, colour, aux type)."""

from __future__ import annotations

import struct

from veil.core.errors import CorruptFile
from veil.core.formats.heif_meta import Prop
from veil.core.formats.isobmff import Reader
from veil.core.metadata.icc import neutral_icc


def ispe(prop: Prop) -> tuple[int, int] | None:
    """(width, height) of an ``ispe`` property."""
    r = Reader(prop.raw, prop.header + 4, len(prop.raw), "ispe")
    return (r.uint(4), r.uint(4)) if r.left >= 8 else None


def orientation(props: list[Prop]) -> int:
    """EXIF-style orientation (1..8) equal to the ``irot``/``imir`` properties, in ipma order.

    ``irot`` turns anticlockwise by 90° steps; ``imir`` axis 0 flips top-bottom and axis 1
    left-right (libheif's reading of the spec, checked against its decoder).
    """
    # Track where the top-left corner and the "right" direction go: a tiny D4 group.
    state = (0, False)  # (quarter turns anticlockwise applied first, then flipped left-right)
    for p in props:
        if p.type == "irot" and len(p.raw) > p.header:
            turns, flipped = state
            step = p.raw[p.header] & 3
            # rotating after a left-right flip turns the other way round
            state = ((turns - step if flipped else turns + step) % 4, flipped)
        elif p.type == "imir" and len(p.raw) > p.header:
            turns, flipped = state
            if p.raw[p.header] & 1:  # left-right flip
                state = (turns, not flipped)
            else:  # top-bottom flip = left-right flip then a half turn
                state = ((turns + 2) % 4 if not flipped else (turns - 2) % 4, not flipped)
    return _EXIF_OF[state]


#: (quarter turns anticlockwise, then left-right flip) -> EXIF Orientation value.
_EXIF_OF = {
    (0, False): 1,
    (0, True): 2,
    (2, False): 3,
    (2, True): 4,
    (1, True): 7,
    (3, False): 6,
    (3, True): 5,
    (1, False): 8,
}


def clap(prop: Prop) -> tuple[int, int] | None:
    """(width, height) of a ``clap`` clean aperture, rounded; None when malformed."""
    r = Reader(prop.raw, prop.header, len(prop.raw), "clap")
    if r.left < 16:
        return None
    w_num, w_den, h_num, h_den = r.uint(4), r.uint(4), r.uint(4), r.uint(4)
    if not w_den or not h_den or w_num >= 1 << 31 or h_num >= 1 << 31:
        return None
    return round(w_num / w_den), round(h_num / h_den)


def icc_profile(prop: Prop) -> bytes | None:
    """The ICC bytes of a ``colr`` property of type prof/rICC."""
    body = prop.raw[prop.header :]
    if body[:4] in (b"prof", b"rICC") and len(body) > 4:
        return bytes(body[4:])
    return None


def neutral_colr(prop: Prop) -> Prop | None:
    """``prop`` (a ``colr`` prof/rICC) with its profile replaced by :func:`neutral_icc` of
    it (the texts may name someone; colours stay byte-identical), the box resized; None
    when the profile is too damaged to neutralise (it must then be dropped)."""
    body = prop.raw[prop.header :]
    profile = icc_profile(prop)
    if profile is None:
        return prop
    try:
        neutral = neutral_icc(profile)
    except CorruptFile:
        return None
    payload = body[:4] + neutral
    raw = struct.pack(">I", 8 + len(payload)) + b"colr" + payload
    return Prop(type=prop.type, raw=raw, header=8)


def aux_type(prop: Prop) -> str:
    """The URN of an ``auxC`` property."""
    r = Reader(prop.raw, prop.header + 4, len(prop.raw), "auxC")
    return r.cstring()


def aux_kind(urn: str) -> str:
    """ "alpha", "depth", "gain map", "matte" or the URN itself."""
    low = urn.lower()
    if "alpha" in low or low.endswith("auxid:1"):
        return "alpha"
    if "depth" in low or "disparity" in low or low.endswith("auxid:2"):
        return "depth"
    if "gainmap" in low or "gain_map" in low:
        return "gain map"
    if "matte" in low:
        return "matte"
    return urn
