"""load_upright: orientation applied once, full-size upright dimensions right for every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from veil.core.pixels import load_upright


def _asym() -> Image.Image:
    img = Image.new("RGB", (60, 20), (255, 255, 255))
    img.paste((255, 0, 0), (0, 0, 10, 10))  # red mark top-left when upright
    return img


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF", "PNG", "WEBP"])
@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_upright_size_and_content(tmp_path: Path, fmt: str, orientation: int) -> None:
    upright = _asym()
    stored = (
        upright.transpose(
            {
                1: None,
                3: Image.Transpose.ROTATE_180,
                6: Image.Transpose.ROTATE_90,
                8: Image.Transpose.ROTATE_270,
            }[orientation]  # inverse of what the tag undoes
        )
        if orientation != 1
        else upright
    )
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"x.{fmt.lower()}"
    stored.save(path, fmt, exif=exif, **({"quality": 95} if fmt in ("JPEG", "WEBP") else {}))
    img = load_upright(path, max_side=1024)
    assert (img.full_width, img.full_height) == (60, 20)
    assert img.image.size == (60, 20)
    r, g, b = img.image.getpixel((3, 3))
    assert r > 200 and g < 80, f"top-left should be red, got {(r, g, b)}"


def test_downscale_maps_back_to_full_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(path, quality=80)
    img = load_upright(path, max_side=1000)
    assert max(img.image.size) <= 1000
    region = img.to_full(0, 0, img.image.width, img.image.height)
    assert (region.w, region.h) == (4000, 3000)


def test_huge_non_jpeg_is_refused_before_decoding(tmp_path: Path) -> None:
    import struct
    import zlib

    from veil.core.errors import Unsupported

    # A 20000x20000 grey PNG whose IDAT is a few kB of zlib: 400 MP if decoded.
    w = h = 20000
    raw = zlib.compress(b"\x00" + b"\x00" * w, 9)  # one row; the rest is missing

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    path = tmp_path / "bomb.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    )
    with pytest.raises(Unsupported, match="too large"):
        load_upright(path, max_side=640)
