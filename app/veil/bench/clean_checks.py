"""Independent checks of cleaned copies, shared by ``veil bench clean`` and the corpus tests.

Everything here asks a *different* tool than Veil's own audit: exiftool lists what is left,
Pillow compares upright pixels. A check that uses Veil to grade Veil proves little.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: Leak categories of the export issue, in report order.
CATEGORIES = (
    "gps",
    "serial",
    "owner",
    "make/model",
    "date",
    "thumbnail",
    "makernote",
    "xmp",
    "iptc",
    "c2pa",
    "trailer",
)

#: exiftool family-0 groups that never appear in a clean copy.
_LEAK_GROUPS = {
    "XMP": "xmp",
    "IPTC": "iptc",
    "Photoshop": "iptc",
    "MakerNotes": "makernote",
    "PrintIM": "makernote",
    "JUMBF": "c2pa",
    "C2PA": "c2pa",
    "CBOR": "c2pa",
    "MPF": "thumbnail",
    "Trailer": "trailer",
    "Samsung": "trailer",
    "Google": "trailer",
}
#: Groups that describe the file itself or the colour profile (kept on purpose).
_NEUTRAL_GROUPS = {"SourceFile", "File", "ExifTool", "ICC_Profile"}
_OWNER_NAMES = {
    "artist",
    "copyright",
    "ownername",
    "cameraownername",
    "author",
    "creator",
    "by-line",
    "rights",
    "xpauthor",
}
_MAKE_NAMES = {"make", "model", "lensmake", "lensmodel", "uniquecameramodel", "cameramodelname"}
_THUMB_NAMES = {
    "thumbnailimage",
    "thumbnailoffset",
    "thumbnaillength",
    "previewimage",
    "previewimagestart",
    "jpgfromraw",
    "otherimage",
    "embeddedvideo",
    "motionphotovideo",
}


def classify(key: str, value: Any) -> str | None:
    """The leak category of one ``exiftool -j -G`` entry ("Group:Name"), or None if harmless."""
    group, _, name = key.partition(":")
    low = name.lower()
    if group in _NEUTRAL_GROUPS:
        if group == "ExifTool" and low == "warning" and "trailer" in str(value).lower():
            return "trailer"
        return None
    if group in _LEAK_GROUPS:
        return _LEAK_GROUPS[group]
    if group.startswith("APP") and group != "APP14":
        return "xmp" if "xmp" in low else "trailer" if "trailer" in low else "makernote"
    if "gps" in low:
        return "gps"
    if "serial" in low or "uniqueid" in low:
        return "serial"
    if low in _OWNER_NAMES:
        return "owner"
    if low in _MAKE_NAMES:
        return "make/model"
    if low in _THUMB_NAMES:
        return "thumbnail"
    if "makernote" in low:
        return "makernote"
    if "c2pa" in low or "jumd" in low:
        return "c2pa"
    if group != "Composite" and ("date" in low or low in {"timecreated", "datetime"}):
        return "date"
    return None


def exiftool_leaks(files: Iterable[Path]) -> dict[str, list[str]]:
    """``{file: ["gps: EXIF:GPSLatitude", ...]}`` for every file exiftool finds leaks in.

    Raises:
        FileNotFoundError: exiftool is not installed.
    """
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        raise FileNotFoundError("exiftool is not installed")
    paths = [str(p) for p in files]
    leaks: dict[str, list[str]] = {}
    for start in range(0, len(paths), 200):  # keep command lines short
        proc = subprocess.run(
            [
                exiftool,
                "-j",
                "-G",
                "-a",
                "-u",
                "-charset",
                "filename=utf8",
                *paths[start : start + 200],
            ],
            capture_output=True,
            check=False,
        )
        for entry in json.loads(proc.stdout or b"[]"):
            found = [
                f"{cat}: {key}"
                for key, value in entry.items()
                if (cat := classify(key, value)) is not None
            ]
            found += _byte_trailer(Path(entry["SourceFile"]))
            if found:
                leaks[entry["SourceFile"]] = found
    return leaks


def _byte_trailer(path: Path) -> list[str]:
    """Bytes after the image's end marker (JPEG EOI / PNG IEND), which exiftool may not list."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            f.seek(max(0, path.stat().st_size - 12))
            tail = f.read()
    except OSError:
        return []
    if head[:2] == b"\xff\xd8" and not tail.endswith(b"\xff\xd9"):
        return ["trailer: bytes after the JPEG end marker"]
    if head == b"\x89PNG\r\n\x1a\n" and not tail.endswith(b"IEND\xaeB`\x82"):
        return ["trailer: bytes after the PNG end chunk"]
    return []


def upright_thumb(path: Path, side: int = 48) -> Any:
    """A small grey upright rendering of ``path`` (EXIF orientation applied), for comparing.

    Pillow's TIFF loader turns the pixels upright itself, so TIFFs are not turned again.
    """
    from PIL import Image

    from veil.core.export.verify import exif_orientation, pillow_uprights, quiet_pillow, transpose
    from veil.core.pixels import register_heif

    register_heif()
    with quiet_pillow(), Image.open(path) as im:
        orientation = 1 if pillow_uprights(im) else exif_orientation(im)
        im.draft("RGB", (side * 4, side * 4))
        im.load()
        upright = transpose(im, orientation)
        return upright.convert("L").resize((side, side), Image.Resampling.BILINEAR), upright.size


def decodes(path: Path) -> bool:
    """True when Pillow can open and decode ``path`` (a small upright rendering)."""
    try:
        upright_thumb(path)
    except Exception:
        return False
    return True


def same_upright(source: Path, output: Path, tolerance: float = 24.0) -> bool:
    """True when ``output`` displays like ``source``: same upright aspect, similar pixels."""
    try:
        a, size_a = upright_thumb(source)
        b, size_b = upright_thumb(output)
    except Exception:  # undecodable: not upright by definition
        return False
    if (size_a[0] >= size_a[1]) != (size_b[0] >= size_b[1]) and size_a[0] != size_a[1]:
        return False
    diff = sum(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True))
    return diff / len(a.tobytes()) <= tolerance


def summarize(leaks: Mapping[str, list[str]]) -> dict[str, int]:
    """Number of files with at least one leak, per category."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for found in leaks.values():
        for cat in {item.split(":", 1)[0] for item in found}:
            counts[cat] = counts.get(cat, 0) + 1
    return counts
