"""Structural check of a cleaned copy's container, independent of the metadata detectors.

No XMP, IPTC, comments, text, C2PA or hidden images/trailers may remain, and any EXIF block
may hold only tags that describe the picture's layout (Orientation, resolution, TIFF strips).
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Sequence

from veil.core.formats.base import ContainerScan

#: IFD0 tags that describe the picture's layout, never the person or device.
_STRUCTURAL_IFD0 = frozenset(
    {
        254,
        255,
        256,
        257,
        258,
        259,
        262,
        266,
        273,
        274,
        277,
        278,
        279,
        280,
        281,
        282,
        283,
        284,
        290,
        291,
        296,
        317,
        318,
        319,
        320,
        322,
        323,
        324,
        325,
        338,
        339,
        340,
        341,
        529,
        530,
        531,
        532,
        34665,
        34675,
    }
)
#: Exif sub-IFD tags allowed behind the 34665 pointer: versions, colour space, pixel size.
_STRUCTURAL_EXIF = frozenset({36864, 40960, 40961, 40962, 40963, 37121})
_EXIF_POINTER = 34665
_MAX_ENTRIES = 1000


def _ifd_tags(data: bytes, offset: int, order: str) -> tuple[list[tuple[int, int]], int]:
    """(tag, value-or-offset) pairs of one IFD and the next-IFD offset. Bounded reads."""
    if offset < 8 or offset + 2 > len(data):
        raise ValueError("IFD offset outside the EXIF block")
    (count,) = struct.unpack_from(order + "H", data, offset)
    if count > _MAX_ENTRIES or offset + 2 + count * 12 + 4 > len(data):
        raise ValueError("IFD larger than the EXIF block")
    entries = [
        (
            struct.unpack_from(order + "H", data, offset + 2 + i * 12)[0],
            struct.unpack_from(order + "I", data, offset + 2 + i * 12 + 8)[0],
        )
        for i in range(count)
    ]
    (next_ifd,) = struct.unpack_from(order + "I", data, offset + 2 + count * 12)
    return entries, next_ifd


def exif_leftovers(payload: bytes, *, allow_next_ifd: bool = False) -> list[str]:
    """Tag numbers in a TIFF-structured EXIF block that are not purely structural.

    An IFD1 (the EXIF thumbnail) is itself a leftover unless ``allow_next_ifd``.
    """
    if payload[:4] not in (b"II*\x00", b"MM\x00*"):
        return ["EXIF block without a TIFF header"]
    order = "<" if payload[:2] == b"II" else ">"
    try:
        entries, next_ifd = _ifd_tags(
            payload, struct.unpack_from(order + "I", payload, 4)[0], order
        )
        bad = [f"EXIF tag {t}" for t, _ in entries if t not in _STRUCTURAL_IFD0]
        for tag, value in entries:
            if tag == _EXIF_POINTER:
                sub, _ = _ifd_tags(payload, value, order)
                bad += [f"EXIF tag {t}" for t, _ in sub if t not in _STRUCTURAL_EXIF]
    except (ValueError, struct.error) as exc:
        return [f"unreadable EXIF block ({exc})"]
    if next_ifd and not allow_next_ifd:
        bad.append("a second EXIF image (thumbnail)")
    return bad


def structural_leftovers(scan: ContainerScan, kept: Sequence[str]) -> list[str]:
    """Blocks in the output's container that a clean copy must not have."""
    bad: list[str] = []
    for name, present in (
        ("XMP", scan.xmp),
        ("IPTC", scan.iptc),
        ("a comment", scan.comments),
        ("text", scan.text),
        ("a C2PA manifest", scan.c2pa),
    ):
        if present:
            bad.append(name)
    kept_lower = {k.lower() for k in kept}
    bad += [f"hidden {e.kind}" for e in scan.embedded if e.kind.lower() not in kept_lower]
    if scan.icc is not None and "icc" not in kept_lower:
        bad.append("an ICC profile that was not meant to be kept")
    for payload in scan.exif:
        # A TIFF file's own IFD chain is its pages; a rewritten TIFF has one, but allow it.
        bad += exif_leftovers(payload, allow_next_ifd=scan.format in ("tiff",))
    return bad


#: What the JPEG comparison reads: bytes, or a file mapped read-only.
Buffer = bytes | bytearray | mmap.mmap


def _jpeg_layout(data: Buffer) -> tuple[list[bytes | bytearray], int] | None:
    """(coding segments before the first SOS, offset of that SOS) of a JPEG, or None.

    Coding segments are everything that changes decoded pixels: DQT, DHT, SOFn, DRI, DAC,
    and the Adobe APP14 marker (its transform flag picks the colour space). Other APPn and
    COM segments carry no pixels, so they may differ between source and clean copy.
    """
    if data[:2] != b"\xff\xd8":
        return None
    # Slices of a bytearray are bytearrays; they compare equal to bytes of the same content.
    segments: list[bytes | bytearray] = []
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == 0xDA:
            return segments, at
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length field
            at += 2
            continue
        (length,) = struct.unpack_from(">H", data, at + 2)
        if length < 2 or at + 2 + length > len(data):
            return None
        segment = data[at : at + 2 + length]
        is_meta = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if not is_meta or (marker == 0xEE and segment[4:9] == b"Adobe"):
            segments.append(segment)
        at += 2 + length
    return None


def jpeg_coding_identical(source: Buffer, output: Buffer) -> bool:
    """True when ``output`` decodes to exactly the source's pixels: the same coding segments
    in the same order, and every byte from the first SOS to the output's EOI equal to the
    source's bytes at that place (the scans are copied, not re-encoded). Either may be
    bytes or a read-only mmap."""
    src, out = _jpeg_layout(source), _jpeg_layout(output)
    if src is None or out is None or src[0] != out[0] or output[-2:] != b"\xff\xd9":
        return False
    length = len(output) - out[1]
    if src[1] + length > len(source):
        return False
    if isinstance(output, bytes):
        # The export's case (the copy read back, the source mapped): one memcmp where the
        # bytes lie, with no copy of either (a memoryview == goes byte by byte).
        with memoryview(source) as view:
            return output.startswith(view[src[1] : src[1] + length], out[1])
    # Slices of a mmap are bytes: two fast copies and a memcmp.
    return source[src[1] : src[1] + length] == output[out[1] :]
