"""`veil scan` contract: exit codes and the --json schema scripts depend on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.factories.basic import gps_serial_exif, make_jpeg, make_png

FILE_KEYS = {"path", "status", "error", "format", "risk", "width", "height", "findings"}
FINDING_KEYS = {"kind", "severity", "summary", "source", "region", "confidence", "detail"}


def _scan(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "veil", "scan", *args], capture_output=True, text=True, timeout=120
    )
    return proc.returncode, proc.stdout, proc.stderr


def _json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = _scan("--json", *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def test_clean_file_exits_0(tmp_path: Path) -> None:
    code, doc = _json("--metadata-only", str(make_png(tmp_path / "p.png")))
    assert code == 0
    (entry,) = doc["files"]
    assert entry.keys() >= FILE_KEYS
    assert entry["status"] == "ok" and entry["risk"] == "none" and entry["findings"] == []


def test_findings_exit_1_with_schema(tmp_path: Path) -> None:
    photo = make_jpeg(tmp_path / "IMG_20231105_143012.jpg", exif=gps_serial_exif())
    code, doc = _json("--metadata-only", str(photo))
    assert code == 1
    (entry,) = doc["files"]
    assert entry["risk"] == "high"
    assert entry["width"] == 64 and entry["height"] == 48
    for f in entry["findings"]:
        assert f.keys() >= FINDING_KEYS
        assert f["severity"] in ("high", "medium", "low")
        assert isinstance(f["summary"], str) and f["summary"]
        assert isinstance(f["detail"], dict)
    kinds = {f["kind"] for f in entry["findings"]}
    assert {"location", "device", "identity", "time", "filename"} <= kinds


def test_error_exits_2_and_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"not really a jpeg")
    make_png(tmp_path / "b.png")
    code, doc = _json("--metadata-only", str(tmp_path))
    assert code == 2
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_name["a.jpg"]["status"] == "error" and by_name["a.jpg"]["error"]
    assert by_name["b.png"]["status"] == "ok"


def test_folder_walk_needs_r_for_subfolders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    make_png(tmp_path / "sub" / "deep.png")
    make_png(tmp_path / "top.png")
    _, flat = _json("--metadata-only", str(tmp_path))
    _, deep = _json("--metadata-only", "-r", str(tmp_path))
    assert len(flat["files"]) == 1 and len(deep["files"]) == 2


def test_text_output_strips_control_characters(tmp_path: Path) -> None:
    exif = gps_serial_exif(owner="Eve\x1b[31m RED")
    code, out, err = _scan("--metadata-only", str(make_jpeg(tmp_path / "x.jpg", exif=exif)))
    assert code == 1
    assert "\x1b" not in out and "HIGH" in out


def test_missing_path_is_an_error_exit_2(tmp_path: Path) -> None:
    code, doc = _json("--metadata-only", str(tmp_path / "typo.jpg"))
    assert code == 2
    (entry,) = doc["files"]
    assert entry["status"] == "error" and "no such" in entry["error"]


def test_unknown_risk_is_never_exit_0(tmp_path: Path) -> None:
    # A PNG with an unknown ancillary chunk that could hold anything: not "clean".
    import struct
    import zlib

    png = make_png(tmp_path / "odd.png").read_bytes()
    body = b"hello, secret"
    chunk = struct.pack(">I", len(body)) + b"zzZz" + body
    chunk += struct.pack(">I", zlib.crc32(b"zzZz" + body) & 0xFFFFFFFF)
    odd = tmp_path / "odd.png"
    odd.write_bytes(png[:33] + chunk + png[33:])
    code, doc = _json("--metadata-only", str(odd))
    (entry,) = doc["files"]
    assert entry["risk"] == "unknown"
    assert code == 1


def test_named_pipe_does_not_hang(tmp_path: Path) -> None:
    import os

    make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif())
    os.mkfifo(tmp_path / "a.jpg.json")  # a sidecar name
    os.mkfifo(tmp_path / "b.jpg")
    code, doc = _json("--metadata-only", str(tmp_path))  # _scan has a 120 s timeout
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_name["a.jpg"]["status"] == "ok"
    assert by_name["b.jpg"]["status"] == "error"
    assert code == 2


def test_text_output_words_decoder_notes_plainly_and_json_keeps_them(tmp_path: Path) -> None:
    # The window words notes with explain.plain_note; the CLI's text printed Pillow's own
    # "cannot decode the pixels: image file is truncated (3 bytes not processed)".
    whole = make_jpeg(tmp_path / "whole.jpg", size=(320, 240)).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    _, out, _ = _scan(str(cut))
    assert "faces and marks were not checked" in out and "the file is cut short" in out
    assert "the picture data is damaged, so Veil could not look at the picture itself" in out
    assert "truncated" not in out and "bytes not processed" not in out
    _, doc = _json(str(cut))
    (entry,) = doc["files"]
    assert any(n.startswith("pixels not checked") for n in entry["notes"])  # JSON: unchanged


def test_nothing_found_says_what_was_checked_and_what_is_not_read(tmp_path: Path) -> None:
    # A screenshot showing a name and an address as text: no metadata, no face. It said
    # "nothing identifying found (every block read, every check ran)".
    from tests.factories.gui_photos import text_screenshot

    shots = [text_screenshot(tmp_path / f"chat{i}.png") for i in range(2)]
    code, out, err = _scan(*map(str, shots))
    assert code == 0 and "Traceback" not in err  # the exit code is unchanged
    assert "nothing identifying" not in out.lower()
    assert out.count("no faces or marks detected (detection can miss them") == 2
    # Said once, after the files, not once per file.
    assert out.count("doesn't read text shown in the pictures themselves") == 1
    assert out.rstrip().endswith("look at each picture before you share it.")
    _, doc = _json(*map(str, shots))
    assert [f["risk"] for f in doc["files"]] == ["none", "none"]


def test_an_empty_folder_says_no_photos_were_found(tmp_path: Path) -> None:
    # Silence would read as "checked, nothing found"; the exit code stays 0 (nothing to share)
    # and the JSON document stays what scripts parse.
    code, out, err = _scan(str(tmp_path))
    assert (code, out) == (0, "") and err.strip() == "veil scan: no photos found"
    code, doc = _json(str(tmp_path))
    assert code == 0 and doc == {"files": [], "skipped": []}
    code, out, err = _scan("--metadata-only", str(make_png(tmp_path / "p.png")))
    assert code == 0 and "no photos found" not in err
