"""File names are bytes: undecodable, control and bidi characters in a name never crash
the CLI, never break its JSON, and never forge or reorder a text line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import export as fx

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="byte file names: Linux")

#: Not valid UTF-8: what a camera card or an old Latin-1 archive can hold.
BAD = b"inv\xff\xfe.jpg"
#: A name that would print a fake "verified" line, and bidi/separator tricks.
FORGED = "fake\nsrc_x.jpg -> out_x.jpg  verified clean (lossless).jpg"
BIDI = "a\u202eb\u200fc\u061cd\u2028e\u2029f\tg\u200eh.jpg"


def _veil(*args: str, encoding: str = "utf-8") -> subprocess.CompletedProcess[bytes]:
    # Strict UTF-8 output, as under a normal en_US.UTF-8 locale.
    env = {**os.environ, "PYTHONIOENCODING": encoding, "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "veil", *args], capture_output=True, timeout=120, env=env
    )


def _folder(tmp_path: Path, *names: bytes) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in names:
        with open(os.path.join(os.fsencode(src), name), "wb") as f:
            f.write(fx.dirty_jpeg(trailer=False))
    return src


def test_undecodable_name_round_trips_in_scan_json(tmp_path: Path) -> None:
    src = _folder(tmp_path, BAD)
    proc = _veil("scan", "--metadata-only", "--json", str(src))
    assert b"Traceback" not in proc.stderr and proc.returncode == 1
    doc = json.loads(proc.stdout.decode("utf-8"))  # strict: raw invalid bytes would fail
    (entry,) = doc["files"]
    assert os.fsencode(entry["path"]).endswith(b"/" + BAD)  # \udcXX escapes round-trip
    assert bytes.fromhex(entry["path_bytes"]) == os.fsencode(entry["path"])
    assert b"\\udcff\\udcfe" in proc.stdout


def test_undecodable_name_in_text_is_escaped_visibly(tmp_path: Path) -> None:
    src = _folder(tmp_path, BAD)
    proc = _veil("scan", "--metadata-only", str(src))
    assert b"Traceback" not in proc.stderr and proc.returncode == 1
    assert "inv\\xff\\xfe.jpg" in proc.stdout.decode("utf-8")


def test_undecodable_name_cleans_with_json_and_text(tmp_path: Path) -> None:
    src = _folder(tmp_path, BAD)
    out = tmp_path / "out"
    proc = _veil("clean", "-j", "1", "--json", str(src), "--out", str(out))
    assert b"Traceback" not in proc.stderr and proc.returncode == 0, proc.stderr
    (entry,) = json.loads(proc.stdout.decode("utf-8"))["results"]
    assert entry["status"] == "cleaned" and entry["verified"] is True
    assert os.fsencode(entry["source"]).endswith(BAD)
    assert os.path.exists(os.fsencode(entry["output"]))
    assert bytes.fromhex(entry["output_bytes"]) == os.fsencode(entry["output"])
    text = _veil("clean", "-j", "1", str(src), "--out", str(tmp_path / "out2"))
    assert text.returncode == 0 and b"Traceback" not in text.stderr
    assert "inv\\xff\\xfe.jpg ->" in text.stdout.decode("utf-8")


def test_names_cannot_forge_or_reorder_lines(tmp_path: Path) -> None:
    src = _folder(tmp_path, FORGED.encode(), BIDI.encode())
    proc = _veil("clean", "-j", "1", str(src), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")
    lines = text.splitlines()
    # two files, the summary and the closing line on faces and marks: no forged line
    assert len(lines) == 4 and lines[-1].startswith("Faces, tattoos")
    assert not any(line.startswith("src_x.jpg") for line in lines)
    for ch in "\u202e\u200f\u061c\u2028\u2029\t\u200e":
        assert ch not in text
    assert "fake\\nsrc_x.jpg" in text
    assert "a\\u202eb\\u200fc\\u061cd\\u2028e\\u2029f\\tg\\u200eh.jpg" in text
    scan = _veil("scan", "--metadata-only", str(src)).stdout.decode("utf-8")
    assert "\u202e" not in scan and "fake\\nsrc_x.jpg" in scan
    assert not any(line.startswith("src_x.jpg") for line in scan.splitlines())


def test_ascii_terminal_does_not_crash_on_accents(tmp_path: Path) -> None:
    src = _folder(tmp_path, "café.jpg".encode())
    proc = _veil("scan", "--metadata-only", str(src), encoding="ascii")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert b"caf\\xe9.jpg" in proc.stdout


@pytest.mark.parametrize("command", ["scan", "clean"])
def test_ascii_output_still_gives_valid_json(tmp_path: Path, command: str) -> None:
    """Hostile retest of issue 12 item 4: with an ASCII stdout (PYTHONIOENCODING=ascii) the
    stream's backslashreplace turned 'é' or '—' into ``\\xe9`` inside JSON strings: invalid
    JSON. Non-ASCII must come out as JSON ``\\uXXXX`` escapes there."""
    src = _folder(tmp_path, "café.jpg".encode(), BAD)
    args = ["--metadata-only"] if command == "scan" else ["--out", str(tmp_path / "out")]
    proc = _veil(command, "--json", *args, str(src), encoding="ascii")
    assert b"Traceback" not in proc.stderr and proc.returncode == (1 if command == "scan" else 0)
    doc = json.loads(proc.stdout.decode("ascii"))
    entries = doc["files"] if command == "scan" else doc["results"]
    names = sorted(os.fsencode(e["path" if command == "scan" else "source"]) for e in entries)
    assert [n.rsplit(b"/", 1)[1] for n in names] == sorted(["café.jpg".encode(), BAD])
