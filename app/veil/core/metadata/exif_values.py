"""Small EXIF value readers with no exifread in them: a JPEG thumbnail's size from its SOF
marker, and UserComment's charset-prefixed text."""

from __future__ import annotations

from veil.core.metadata.model import clean_text


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width/height from a JPEG's SOF marker (bounded walk), or None."""
    i = 2
    while i + 9 < len(data) and data[:2] == b"\xff\xd8":
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        seg = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
                      0xCF):
            h = int.from_bytes(data[i + 5 : i + 7], "big")
            w = int.from_bytes(data[i + 7 : i + 9], "big")
            return (w, h) if w and h else None
        if seg < 2:
            return None
        i += 2 + seg
    return None


def user_comment(data: bytes, bo: str) -> str:
    """EXIF UserComment: an 8-byte charset prefix then text."""
    head, body = data[:8], data[8:]
    if head.startswith(b"UNICODE"):
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = body.decode("utf-16", "replace")
        else:
            text = body.decode("utf-16-le" if bo == "<" else "utf-16-be", "replace")
    elif head.startswith(b"JIS"):
        text = body.decode("shift_jis", "replace")
    else:
        text = (body if head.startswith(b"ASCII") or head == b"\0" * 8 else data).decode(
            "utf-8", "replace")
    return clean_text(text.replace("\0", " "))
