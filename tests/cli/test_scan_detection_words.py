"""`veil scan`'s text never says a photo has no faces or marks: the detectors can miss them
(tattoo recall ~0.68). A photo of tattoos the detector missed printed "risk: none found" and
"no identifying metadata, faces or marks found (every block read, every check ran)"; with
``--metadata-only`` a face photo printed "risk: none found". The metadata verdict is
exhaustive and stays; faces and marks are "not detected", or "not checked". JSON and exit
codes are unchanged (docs/cli.md is the contract)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.test_scan_cli import _json, _scan
from tests.factories.basic import make_png

ASTRONAUT = Path(__file__).parents[1] / "data" / "astronaut.jpg"


def test_nothing_found_says_faces_and_marks_were_not_detected(tmp_path: Path) -> None:
    plain = make_png(tmp_path / "plain.png")
    code, out, _ = _scan(str(plain))
    assert code == 0
    assert "risk: none found in metadata\n" in out
    assert "no faces or marks detected (detection can miss them — look before sharing)" in out
    assert "faces or marks found" not in out and "every check ran" not in out
    code, doc = _json(str(plain))
    assert code == 0 and doc["files"][0]["risk"] == "none"  # JSON: unchanged


def test_metadata_only_on_a_face_photo_is_not_none_found_for_the_photo(tmp_path: Path) -> None:
    face = shutil.copy(ASTRONAUT, tmp_path / "face.jpg")
    code, out, _ = _scan("--metadata-only", str(face))
    assert code == 0  # exit code unchanged: nothing found in what was checked
    assert "risk: none found in metadata (faces and marks not checked)" in out
    assert "risk: none found\n" not in out
    code, doc = _json("--metadata-only", str(face))
    (entry,) = doc["files"]
    assert code == 0 and entry["risk"] == "none"
    assert entry["checks"]["faces"] == "skipped"  # JSON: unchanged


def test_a_face_photo_says_no_tattoo_or_mark_was_detected(tmp_path: Path) -> None:
    # As the window: a photo of a person with no mark found ends "no tattoos or marks
    # detected" (a missed tattoo matters most there); it said nothing about marks at all.
    from PIL import Image

    from tests.factories.basic import gps_serial_exif

    face = tmp_path / "face.jpg"
    Image.open(ASTRONAUT).convert("RGB").save(face, quality=92, exif=gps_serial_exif())
    code, out, _ = _scan(str(face))
    assert code == 1 and "A face is visible" in out, out
    assert "no tattoos or marks detected (detection can miss them — look before sharing)" in out
    plain = make_png(tmp_path / "plain.png")
    code, out, _ = _scan(str(plain))
    assert "no tattoos or marks detected" not in out  # nothing found: the other line says it
