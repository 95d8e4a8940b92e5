"""Fixture photos for the window tests: risky, plain, hostile, not-an-image, many."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.factories.basic import gps_serial_exif, make_jpeg, make_png

HOSTILE_DESCRIPTION = "<img src=x onerror=alert(1)>" + "A" * 10_000
HOSTILE_ARTIST = "<a href='https://example.com/steal'>click me</a>"


def risky_jpeg(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    """A JPEG with GPS (Eiffel tower), camera make/model, body serial and owner name."""
    return make_jpeg(path, exif=gps_serial_exif(), size=size)


def plain_png(path: Path) -> Path:
    """A PNG with no metadata at all."""
    return make_png(path, size=(64, 48))


#: What :func:`text_screenshot` shows as text: identifying, but in no metadata.
SCREEN_LINES = ("Jane Doe", "14 Elm Street, Springfield", "Phone: 555-0142")


def text_screenshot(path: Path) -> Path:
    """A chat-like screenshot PNG: :data:`SCREEN_LINES` drawn black on white, no metadata."""
    image = Image.new("RGB", (640, 360), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for i, line in enumerate(SCREEN_LINES):
        draw.text((24, 24 + 48 * i), line, fill="black", font=font)
    image.save(path)
    return path


def not_an_image(path: Path) -> Path:
    """A text file with an image-like name."""
    path.write_text("this is not a photo\n")
    return path


def hostile_jpeg(path: Path) -> Path:
    """Markup and a 10,000-character value in ImageDescription and Artist."""
    exif = Image.Exif()
    exif[0x010E] = HOSTILE_DESCRIPTION  # ImageDescription
    exif[0x013B] = HOSTILE_ARTIST  # Artist
    return make_jpeg(path, exif=exif, size=(96, 64))


def photo_folder(root: Path) -> dict[str, Path]:
    """A folder with a risky JPEG, a plain PNG, a non-image, and a subfolder with another JPEG."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub").mkdir(exist_ok=True)
    return {
        "risky": risky_jpeg(root / "holiday.jpg"),
        "plain": plain_png(root / "plain.png"),
        "text": not_an_image(root / "notes.jpg"),
        "nested": risky_jpeg(root / "sub" / "nested.jpg"),
    }


def many_jpegs(folder: Path, count: int, size: tuple[int, int] = (160, 120)) -> list[Path]:
    """``count`` copies of one small risky JPEG (written once, copied as bytes: fast)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = risky_jpeg(folder / "seed.jpg", size=size)
    data = seed.read_bytes()
    seed.unlink()
    paths = []
    for i in range(count):
        p = folder / f"IMG_{i:05d}.jpg"
        p.write_bytes(data)
        paths.append(p)
    return paths
