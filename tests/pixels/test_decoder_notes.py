"""Decoder warnings go to the file's notes, not stderr (issue 12 item 10, second bullet)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

from tests.factories.undecodable import jpeg_exif_warning, tiff_garbled_deflate
from veil.core.pixels.quiet import decoder_notes


def _scan(path: Path) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-m", "veil", "scan", "--json", str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    return json.loads(done.stdout)["files"][0], done.stderr


def test_libtiff_messages_become_the_files_notes(tmp_path: Path) -> None:
    entry, stderr = _scan(tiff_garbled_deflate(tmp_path / "strip.tif"))
    assert stderr == ""  # libtiff printed "ZIPDecode: Decoding error ..." here before
    notes = " ".join(entry["notes"])  # type: ignore[arg-type]
    assert "pixels not checked: cannot decode the pixels" in notes
    assert "the decoder said: ZIPDecode: Decoding error" in notes


def test_pillow_warnings_become_the_files_notes(tmp_path: Path) -> None:
    entry, stderr = _scan(jpeg_exif_warning(tmp_path / "odd_exif.jpg"))
    assert stderr == ""  # Pillow's UserWarning was printed here before
    assert entry["checks"]["faces"] == "done"  # type: ignore[index]
    assert "while decoding the pixels: Corrupt EXIF data." in " ".join(entry["notes"])  # type: ignore[arg-type]


def test_capture_holds_fd2_and_warnings_only_inside(capfd) -> None:  # type: ignore[no-untyped-def]
    notes: list[str] = []
    with decoder_notes(notes, c_stderr=True):
        os.write(2, b"TIFFReadDirectory: something odd\n")
        warnings.warn("Corrupt EXIF data", UserWarning, stacklevel=1)
        warnings.warn("Corrupt EXIF data", UserWarning, stacklevel=1)  # once in the notes
    os.write(2, b"after\n")
    assert notes == ["Corrupt EXIF data", "TIFFReadDirectory: something odd"]
    assert capfd.readouterr().err == "after\n"
