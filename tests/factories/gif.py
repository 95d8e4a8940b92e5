"""Byte builders for GIF fixtures: comments, XMP / ICC / unknown application extensions."""

from __future__ import annotations

import io

from PIL import Image

from tests.factories.png import gradient, xmp_packet


def sub_blocks(data: bytes) -> bytes:
    """``data`` cut into 255-byte sub-blocks plus the terminator."""
    out = [bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255)]
    return b"".join(out) + b"\0"


def app_ext(app: bytes, data: bytes) -> bytes:
    """An application extension with an 11-byte identifier."""
    assert len(app) == 11
    return b"\x21\xff\x0b" + app + sub_blocks(data)


def xmp_ext(packet: str) -> bytes:
    """XMP the way Adobe stores it: raw text (its bytes double as sub-block lengths) and the
    258-byte magic trailer that makes every length chain end at the terminator."""
    magic = b"\x01" + bytes(range(255, -1, -1))
    return b"\x21\xff\x0b" + b"XMP DataXMP" + packet.encode("utf-8") + magic + b"\0"


def comment_ext(text: str) -> bytes:
    """A comment extension."""
    return b"\x21\xfe" + sub_blocks(text.encode("latin-1"))


def plain_gif(*, frames: int = 1, comment: str | None = None, size: tuple[int, int] = (20, 12)
              ) -> bytes:
    """A GIF from Pillow (palette image; ``frames`` > 1 makes it animated and looping)."""
    imgs = [gradient(size).transpose(Image.Transpose.ROTATE_180) if i % 2 else gradient(size)
            for i in range(frames)]
    pal = [im.convert("P", palette=Image.Palette.ADAPTIVE, colors=64) for im in imgs]
    buf = io.BytesIO()
    params: dict[str, object] = {}
    if comment is not None:
        params["comment"] = comment
    if frames > 1:
        params.update(save_all=True, append_images=pal[1:], loop=0, duration=80)
    pal[0].save(buf, "GIF", **params)
    return buf.getvalue()


def dirty_gif(*, frames: int = 1, extra: bytes = b"", after: bytes = b"") -> bytes:
    """A GIF with a comment, XMP (GPS + creator) and ``extra`` blocks before the trailer."""
    base = plain_gif(frames=frames, comment="Jane Doe's phone")
    assert base.endswith(b";")
    return base[:-1] + xmp_ext(xmp_packet()) + comment_ext("second note") + extra + b";" + after
