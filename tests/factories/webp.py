"""Byte builders for WebP fixtures: Pillow encodes, plus hand-built RIFF chunks."""

from __future__ import annotations

import io
import struct

from PIL import Image

from tests.factories.png import exif_tiff, gradient, xmp_packet


def chunk(fourcc: str, data: bytes) -> bytes:
    """One RIFF chunk with its pad byte."""
    pad = b"\0" if len(data) & 1 else b""
    return fourcc.encode("ascii") + struct.pack("<I", len(data)) + data + pad


def riff(chunks: list[bytes], *, size_delta: int = 0) -> bytes:
    """A RIFF WEBP file around ``chunks`` (``size_delta`` falsifies the RIFF size)."""
    body = b"".join(chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body) + size_delta) + b"WEBP" + body


def split(webp: bytes) -> list[tuple[str, bytes]]:
    """(fourcc, data) of every top-level chunk of a well-formed WebP."""
    out, pos = [], 12
    while pos + 8 <= len(webp):
        size = struct.unpack("<I", webp[pos + 4 : pos + 8])[0]
        out.append((webp[pos : pos + 4].decode(), webp[pos + 8 : pos + 8 + size]))
        pos += 8 + size + (size & 1)
    return out


def vp8x(flags: int, width: int, height: int) -> bytes:
    """A VP8X chunk."""
    return chunk("VP8X", bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little")
                 + (height - 1).to_bytes(3, "little"))


def pillow_webp(*, lossless: bool = False, exif: bytes | None = None, xmp: str | None = None,
                icc: bytes | None = None, size: tuple[int, int] = (24, 16),
                mode: str = "RGB") -> bytes:
    """A WebP written by Pillow with the given metadata."""
    params: dict[str, object] = {"lossless": lossless}
    if not lossless:
        params["quality"] = 80
    if exif is not None:
        params["exif"] = exif
    if xmp is not None:
        params["xmp"] = xmp
    if icc is not None:
        params["icc_profile"] = icc
    buf = io.BytesIO()
    gradient(size, mode).save(buf, "WEBP", **params)
    return buf.getvalue()


def dirty_webp(*, lossless: bool = True, orientation: int | None = None, prefix: bool = False,
               unknown: bool = False, trailer: bytes = b"") -> bytes:
    """A WebP with EXIF (GPS, serial), XMP (GPS, creator), ICC, optionally an unknown chunk.

    ``prefix`` stores the EXIF chunk as "Exif\\0\\0" + TIFF, as some writers do.
    """
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tiff = exif_tiff(orientation)
    base = pillow_webp(lossless=lossless, icc=icc, xmp=xmp_packet(), exif=b"Exif\0\0" + tiff)
    chunks = []
    for fourcc, data in split(base):
        if fourcc == "EXIF":
            data = (b"Exif\0\0" if prefix else b"") + tiff
        chunks.append(chunk(fourcc, data))
    if unknown:
        chunks.append(chunk("abcd", b"secret-ish payload"))
    return riff(chunks) + trailer


def animated_webp() -> bytes:
    """A two-frame animated WebP from Pillow with XMP."""
    frames = [gradient((16, 16)), gradient((16, 16)).transpose(Image.Transpose.ROTATE_90)]
    buf = io.BytesIO()
    frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], lossless=True,
                   xmp=xmp_packet(), duration=100, loop=0)
    return buf.getvalue()
