"""Small Pillow builders used by the audit/CLI tests (format helpers have their own)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def gps_serial_exif(owner: str = "Jane Doe") -> Image.Exif:
    """EXIF with GPS (Eiffel tower), make/model, body serial and owner."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 5D Mark IV"
    exif[0x013B] = owner  # Artist
    exif[0x0132] = "2023:11:05 14:30:12"
    exif.get_ifd(0x8769)[0xA431] = "0123456789"  # BodySerialNumber
    exif.get_ifd(0x8769)[0x9003] = "2023:11:05 14:30:12"  # DateTimeOriginal
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.24), 3: "E", 4: (2.0, 17.0, 40.2)})
    return exif


def make_jpeg(
    path: Path, *, exif: Image.Exif | None = None, size: tuple[int, int] = (64, 48)
) -> Path:
    """A plain JPEG, with ``exif`` when given."""
    img = Image.new("RGB", size, (200, 180, 160))
    if exif is not None:
        img.save(path, exif=exif, quality=90)
    else:
        img.save(path, quality=90)
    return path


def make_png(path: Path, size: tuple[int, int] = (32, 32)) -> Path:
    """A PNG with no metadata at all."""
    Image.new("RGB", size, (10, 20, 30)).save(path)
    return path
