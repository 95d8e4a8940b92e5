"""Orientation of animations (Pillow-made animated WebP, APNG and GIF).

An APNG with a rotation tag was refused even when nobody asked to rotate it ("animated PNG
with a rotation tag: baking it is not supported"): its copy now keeps every frame byte for
byte and an Orientation-only eXIf before them, so it shows the same way up. Asking to rotate
the pixels of an animated WebP or APNG said "redacting an animated … is not supported",
though nothing was to be covered: it now says what is supported and what to do, before any
pixel is decoded. An animation with no rotation tag is cleaned whatever is asked.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageOps

from veil.core.export import export_clean
from veil.core.export.refusal import SkipKind, animation_refusal
from veil.core.model import ExportOptions, ExportStatus

FRAMES = 3


def animation(path: Path, orientation: int | None, owner: str | None = "Jane Doe") -> Path:
    """``FRAMES`` different 30x20 frames (a white corner shows which way is up), with an
    EXIF that names the ``owner`` (Artist) and, when given, a rotation tag."""
    frames = []
    for colour in ("red", "green", "blue")[:FRAMES]:
        frame = Image.new("RGB", (30, 20), colour)
        ImageDraw.Draw(frame).rectangle((0, 0, 9, 5), fill="white")
        frames.append(frame)
    exif = Image.Exif()
    if owner is not None:
        exif[0x013B] = owner  # Artist
    if orientation is not None:
        exif[0x0112] = orientation
    extra = {} if path.suffix == ".gif" else {"exif": exif.tobytes()}
    if path.suffix == ".webp":
        extra["lossless"] = True
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=120, loop=0,
                   **extra)
    return path


def decoded_frames(path: Path) -> list[tuple[bytes, object]]:
    """Every frame's RGBA bytes and duration, as Pillow composes them."""
    out = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            out.append((im.convert("RGBA").tobytes(), im.info.get("duration")))
    return out


def test_apng_with_a_rotation_tag_is_cleaned_keeping_frames_and_tag(tmp_path: Path) -> None:
    source = animation(tmp_path / "turned.png", orientation=6)
    result = export_clean(source, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.verified, result.error
    assert result.lossless and "orientation" in result.kept
    assert result.output is not None
    assert decoded_frames(result.output) == decoded_frames(source)  # every frame, as it was
    with Image.open(result.output) as copy:
        assert dict(copy.getexif()) == {0x0112: 6}  # only the tag: no Artist
        assert ImageOps.exif_transpose(copy).size == (20, 30)  # shows the same way up
    if shutil.which("exiftool"):
        tags = subprocess.run(["exiftool", "-s", "-s", "-Artist", "-Orientation#",
                               "-AnimationFrames", str(result.output)],
                              capture_output=True, text=True, check=True).stdout
        assert "Jane Doe" not in tags
        assert "Orientation: 6" in tags and f"AnimationFrames: {FRAMES}" in tags


@pytest.mark.parametrize(("suffix", "kind"), [(".webp", "WebP"), (".png", "PNG")])
def test_rotating_an_animation_says_what_to_do(tmp_path: Path, suffix: str, kind: str) -> None:
    source = animation(tmp_path / f"turned{suffix}", orientation=6)
    options = ExportOptions(bake_orientation=True)
    found = animation_refusal(source, options)
    assert found is not None and found.kind is SkipKind.ANIMATED_TURN
    result = export_clean(source, tmp_path / "out", options)
    assert result.status is ExportStatus.SKIPPED and result.output is None
    assert result.error == found.reason
    assert "redacting" not in result.error and "cover" not in result.error
    assert result.error.startswith(f"Veil can't rotate the frames of an animated {kind} "
                                   f"({FRAMES} frames)")
    assert "Keep its orientation tag instead" in result.error
    assert not any((tmp_path / "out").iterdir())  # nothing half-written
    # What it advises works: keeping the tag gives a verified copy of every frame.
    kept = export_clean(source, tmp_path / "kept", ExportOptions())
    assert kept.status is ExportStatus.CLEANED and kept.verified, kept.error
    assert kept.output is not None
    assert decoded_frames(kept.output) == decoded_frames(source)


@pytest.mark.parametrize("suffix", [".webp", ".png", ".gif"])
def test_rotating_an_upright_animation_changes_no_pixel(tmp_path: Path, suffix: str) -> None:
    source = animation(tmp_path / f"upright{suffix}", orientation=None)
    options = ExportOptions(bake_orientation=True)
    assert animation_refusal(source, options) is None
    result = export_clean(source, tmp_path / "out", options)
    assert result.status is ExportStatus.CLEANED and result.verified, result.error
    assert result.output is not None and result.lossless
    assert decoded_frames(result.output) == decoded_frames(source)
