"""ICC profile builders: a small, valid v2 display profile (matrix + shared TRC) with any
texts, written independently of ``veil.core.metadata.icc`` so its tests compare two
implementations."""

from __future__ import annotations

import struct

from PIL import ImageCms

#: Pillow/LittleCMS's own sRGB (v4: 'mluc' texts, no profile ID).
SRGB_V4 = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def desc_v2(text: str) -> bytes:
    raw = text.encode("latin-1")
    return b"desc\0\0\0\0" + struct.pack(">I", len(raw) + 1) + raw + b"\0" + bytes(8 + 3 + 67)


def text_tag(text: str) -> bytes:
    return b"text\0\0\0\0" + text.encode("latin-1") + b"\0"


def mluc(*records: tuple[str, str]) -> bytes:
    """A multiLocalizedUnicode element: (language+country e.g. "enUS", text) records."""
    head = b"mluc\0\0\0\0" + struct.pack(">II", len(records), 12)
    offset = 16 + 12 * len(records)
    rows, bodies = b"", b""
    for code, text in records:
        body = text.encode("utf-16-be")
        rows += code.encode("ascii") + struct.pack(">II", len(body), offset + len(bodies))
        bodies += body
    return head + rows + bodies


def curve(gamma: float = 2.2) -> bytes:
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"


def profile(
    tags: list[tuple[bytes, bytes]], *, version: bytes = b"\x02\x10\0\0", with_id: bool = False
) -> bytes:
    """Assemble a display-class RGB profile from (signature, element) pairs. Identical
    elements are stored once and shared, as real writers do for the three TRCs."""
    table_end = 128 + 4 + 12 * len(tags)
    body = b""
    where: dict[bytes, int] = {}
    rows = b""
    for sig, data in tags:
        if data not in where:
            where[data] = table_end + len(body)
            body += data + b"\0" * (-len(data) % 4)
        rows += sig + struct.pack(">II", where[data], len(data))
    head = bytearray(128)
    head[4:8] = b"lcms"
    head[8:12] = version
    head[12:24] = b"mntrRGB XYZ "
    head[36:40] = b"acsp"
    head[48:56] = b"APPLiMac"
    head[68:80] = xyz(0.9642, 1.0, 0.8249)[8:]
    out = head + struct.pack(">I", len(tags)) + rows + body
    out[0:4] = struct.pack(">I", len(out))
    if with_id:
        import hashlib

        buf = bytearray(out)
        buf[44:48] = buf[64:68] = bytes(4)
        out[84:100] = hashlib.md5(bytes(buf)).digest()
    return bytes(out)


def display_profile(
    desc: str = "JohnS iMac 27",
    cprt: str = "(c) John Secretname 2024",
    *,
    device: tuple[str, str] | None = ("Apple Computer", "iMac of John Secretname"),
    extra: list[tuple[bytes, bytes]] = (),  # type: ignore[assignment]
    with_id: bool = False,
) -> bytes:
    """A real-looking calibrated display profile named after its owner's computer."""
    trc = curve(2.2)
    tags = [
        (b"desc", desc_v2(desc)),
        (b"cprt", text_tag(cprt)),
        (b"wtpt", xyz(0.9505, 1.0, 1.089)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", trc),
        (b"gTRC", trc),
        (b"bTRC", trc),
    ]
    if device:
        tags += [(b"dmnd", desc_v2(device[0])), (b"dmdd", desc_v2(device[1]))]
    return profile(tags + list(extra), with_id=with_id)
