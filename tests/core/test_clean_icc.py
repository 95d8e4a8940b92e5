"""A kept colour profile is written neutralised by every cleaner: its description,
copyright and device texts ("JohnS iMac 27", "(c) John Secretname 2024") never reach the
copy, its colour tags stay byte for byte; a profile too damaged to neutralise is dropped
and reported removed."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import icc as fi
from tests.factories import jpeg as fj
from veil.core.formats import detect
from veil.core.formats.base import CleanOutcome
from veil.core.formats.jpeg import Jpeg
from veil.core.metadata.icc import neutral_icc
from veil.core.model import ExportOptions
from veil.core.pixels import register_heif

register_heif()

NAMES = (b"John", "John".encode("utf-16-be"), b"Secretname")


def _clean(tmp_path: Path, data: bytes, name: str) -> tuple[bytes, CleanOutcome]:
    src = tmp_path / name
    src.write_bytes(data)
    fmt = detect(data[:64])
    assert fmt is not None
    out = io.BytesIO()
    outcome = fmt.write_clean(src, out, ExportOptions())
    return out.getvalue(), outcome


def _saved(fmt: str, profile: bytes) -> bytes:
    buf = io.BytesIO()
    image = fj.noise_image((40, 24))
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.from_pillow(image).save(buf, icc_profile=profile)
        return buf.getvalue()
    image.save(buf, fmt, icc_profile=profile, **({"quality": 90} if fmt == "JPEG" else {}))
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF", "HEIF"])
def test_kept_profile_names_nobody(tmp_path: Path, fmt: str) -> None:
    profile = fi.display_profile(with_id=True)
    data = _saved(fmt, profile)
    assert b"John" in data or fmt == "PNG"  # PNG deflates the profile
    out, outcome = _clean(tmp_path, data, f"src.{fmt.lower()}")
    assert "icc" in outcome.kept and "icc" not in outcome.removed
    for name in NAMES:
        assert name not in out
    with Image.open(io.BytesIO(out)) as im:
        assert im.info.get("icc_profile") == neutral_icc(profile)


def test_large_jpeg_profile_is_split_again_at_the_first_chunk(tmp_path: Path) -> None:
    # A big colour table (a private tag of a colour type is kept byte for byte).
    big_curve = b"curv\0\0\0\0" + struct.pack(">I", 75_000) + bytes(150_000)
    profile = fi.display_profile(extra=[(b"zbig", big_curve)])
    data = _saved("JPEG", profile)
    out, outcome = _clean(tmp_path, data, "big.jpg")
    assert Jpeg.read(io.BytesIO(out), len(out)).icc == neutral_icc(profile)
    at, seqs = 2, []
    while out[at] == 0xFF and out[at + 1] != 0xDA:
        length = struct.unpack(">H", out[at + 2 : at + 4])[0]
        payload = out[at + 4 : at + 2 + length]
        if out[at + 1] == 0xE2:
            assert payload.startswith(b"ICC_PROFILE\0") and len(payload) - 14 <= 65519
            seqs.append((payload[12], payload[13]))
        at += 2 + length
    assert seqs == [(1, 3), (2, 3), (3, 3)]
    assert b"John" not in out


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_damaged_profile_is_dropped_and_reported(tmp_path: Path, fmt: str) -> None:
    profile = bytearray(fi.display_profile())
    profile[128:132] = struct.pack(">I", 5000)  # tag count far beyond the data
    data = _saved(fmt, bytes(profile))
    out, outcome = _clean(tmp_path, data, f"bad.{fmt.lower()}")
    assert "icc" in outcome.removed and "icc" not in outcome.kept
    assert b"John" not in out
    with Image.open(io.BytesIO(out)) as im:
        assert im.info.get("icc_profile") is None


def test_gif_icc_extension_is_dropped(tmp_path: Path) -> None:
    """GIF has no kept-profile path: its ICCRGBG1012 extension is dropped and reported."""
    from tests.factories import gif as fg

    base = fg.plain_gif()
    data = base[:-1] + fg.app_ext(b"ICCRGBG1012", fi.display_profile()) + b";"
    assert b"John" in data
    out, outcome = _clean(tmp_path, data, "src.gif")
    assert "icc" in outcome.removed and "icc" not in outcome.kept
    assert b"John" not in out and b"ICCRGBG1012" not in out
