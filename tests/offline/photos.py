"""A folder of generated photos for the offline runs: every format Veil reads, with faces."""

from __future__ import annotations

from pathlib import Path

from tests.factories.basic import gps_serial_exif
from tests.factories.export import dirty_heic
from tests.factories.faces import group_photo


def offline_photos(folder: Path, copies: int = 3) -> int:
    """Photos with faces as JPEG (with GPS), PNG, WebP, TIFF, GIF and HEIC, ``copies`` of each
    (>= 16 files, so ``veil scan`` uses its worker pool too). Returns the number of faces."""
    folder.mkdir(parents=True, exist_ok=True)
    image, boxes = group_photo((480, 360), [(40, 60, 70), (260, 80, 60)])
    exif = gps_serial_exif()
    for i in range(copies):
        image.save(folder / f"p{i}.jpg", quality=90, exif=exif)
        image.save(folder / f"p{i}.png")
        image.save(folder / f"p{i}.webp", quality=85)
        image.save(folder / f"p{i}.tif")
        image.quantize(64).save(folder / f"p{i}.gif")
        dirty_heic(folder / f"p{i}.heic", image)
    return len(boxes) * 6 * copies
