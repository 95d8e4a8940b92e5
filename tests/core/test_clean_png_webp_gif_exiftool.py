"""Cleaned PNG / WebP / GIF files agree with exiftool: it sees no leak in a cleaned copy, and
Veil's scan of real files finds the blocks exiftool finds."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.factories.png_webp_gif import DIRTY, HANDLERS, assert_no_metadata, clean, frames, reread
from veil.core.formats.base import ContainerScan
from veil.core.model import ExportOptions

_EXIFTOOL = shutil.which("exiftool")


_LEAK_GROUPS = ("EXIF", "XMP", "IPTC", "Photoshop", "JUMBF", "C2PA", "MakerNotes", "GPS")


_LEAK_NAMES = re.compile(r"Author|Comment|Description|Date|Creator|Artist|Serial|GPS|Software"
                         r"|Title|Copyright|Make|Model|Owner|Exif|Raw|Warning", re.I)


_SAFE_GROUPS = ("File", "ExifTool", "ICC_Profile", "Composite")


def exiftool_tags(paths: list[Path]) -> list[dict[str, Any]]:
    assert _EXIFTOOL
    res = subprocess.run([_EXIFTOOL, "-j", "-G", "-a", *map(str, paths)], capture_output=True,
                         text=True, timeout=120, check=False)
    return json.loads(res.stdout or "[]")


def leaks(tags: dict[str, Any]) -> list[str]:
    """exiftool keys that would be a leak in a cleaned file."""
    found = []
    for key in tags:
        group, _, name = key.partition(":")
        if key in ("EXIF:Orientation", "EXIF:ExifByteOrder", "SourceFile"):
            continue
        leak_group = group.startswith(_LEAK_GROUPS) or key == "File:Comment"
        if leak_group or (group not in _SAFE_GROUPS and _LEAK_NAMES.search(name)):
            found.append(key)
    return found


@pytest.mark.skipif(_EXIFTOOL is None, reason="exiftool is not installed")
def test_exiftool_sees_nothing_in_cleaned_fixtures(tmp_path: Path) -> None:
    paths = []
    for name, builder in DIRTY.items():
        out, _ = clean(tmp_path, builder(), name=f"{name}.src")
        path = tmp_path / f"{name}.clean"
        path.write_bytes(out)
        paths.append(path)
    dirty_seen = exiftool_tags([tmp_path / f"{n}.src" for n in DIRTY])
    assert all(leaks(t) for t in dirty_seen)  # the check itself can see leaks
    for tags in exiftool_tags(paths):
        assert leaks(tags) == [], tags["SourceFile"]


def corpus_files(shared: Path) -> list[Path]:
    found = []
    for path in sorted((shared / "corpus").rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as f:
                head = f.read(64)
            if any(h.sniff(head) for h in HANDLERS.values()):
                found.append(path)
    return found


def test_corpus_read_clean_and_agree_with_exiftool(shared_dir: Path, tmp_path: Path) -> None:
    files = corpus_files(shared_dir)
    if not files:
        pytest.skip("no PNG/WebP/GIF in the corpus")
    cleaned: list[Path] = []
    scans: dict[str, ContainerScan] = {}
    for i, path in enumerate(files):
        with open(path, "rb") as f:
            head = f.read(64)
            handler = next(h for h in HANDLERS.values() if h.sniff(head))
            scans[str(path)] = handler.read(f, os.fstat(f.fileno()).st_size)
        out = io.BytesIO()
        outcome = handler.write_clean(path, out, ExportOptions())
        dst = tmp_path / f"{i}{path.suffix}"
        dst.write_bytes(out.getvalue())
        cleaned.append(dst)
        assert_no_metadata(reread(out.getvalue()), "orientation" in outcome.kept)
        assert frames(out.getvalue()) == frames(path.read_bytes()), path
    if _EXIFTOOL is None:
        return
    for tags in exiftool_tags(files):
        scan = scans[str(Path(tags["SourceFile"]))]
        groups = {k.partition(":")[0] for k in tags}
        name = tags["SourceFile"]
        assert ("EXIF" in groups) <= bool(scan.exif), name
        assert any(g.startswith("XMP") for g in groups) <= bool(scan.xmp), name
        assert ("ICC_Profile" in groups) <= (scan.icc is not None), name
    for tags in exiftool_tags(cleaned):
        assert leaks(tags) == [], tags["SourceFile"]
