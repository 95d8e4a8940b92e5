"""File names are bytes: undecodable, control and bidi characters in a name never crash
the CLI, never break its JSON, and never forge or reorder a text line."""

from __future__ import annotations

import json
import os
import shutil
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


def _strict(value: object) -> None:
    """Every string of a parsed document is Unicode text (a lone surrogate from a ``\\udcXX``
    escape fails to encode: what strict parsers reject)."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for k, v in value.items():
            _strict(k)
            _strict(v)
    elif isinstance(value, list):
        for v in value:
            _strict(v)


def _strict_elsewhere(stdout: bytes) -> None:
    """A strict parser outside Python accepts the document (Perl's JSON::PP refused a lone
    ``\\udcff``: 'missing high surrogate character in surrogate pair')."""
    if shutil.which("perl") is None:
        return
    proc = subprocess.run(["perl", "-MJSON::PP", "-e", "local $/; JSON::PP->new->decode(<STDIN>)"],
                          input=stdout, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_undecodable_name_is_text_and_its_bytes_in_scan_json(tmp_path: Path) -> None:
    src = _folder(tmp_path, BAD)
    os.symlink(src, src / os.fsdecode(b"again\xff"))  # a folder met twice: "skipped"
    proc = _veil("scan", "--metadata-only", "--json", "-r", str(src))
    assert b"Traceback" not in proc.stderr and proc.returncode == 1
    doc = json.loads(proc.stdout.decode("utf-8"))  # strict: raw invalid bytes would fail
    _strict(doc)
    _strict_elsewhere(proc.stdout)
    assert b"\\udc" not in proc.stdout
    (entry,) = doc["files"]
    assert entry["path"].endswith("/inv\ufffd\ufffd.jpg")  # readable, never lossless...
    found = bytes.fromhex(entry["path_bytes"])  # ...the exact bytes find the file
    assert found.endswith(b"/" + BAD) and os.path.isfile(found)
    (skipped,) = doc["skipped"]
    assert skipped["path"].endswith("/again\ufffd")
    assert bytes.fromhex(skipped["path_bytes"]).endswith(b"/again\xff")


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
    doc = json.loads(proc.stdout.decode("utf-8"))
    _strict(doc)
    _strict_elsewhere(proc.stdout)
    (entry,) = doc["results"]
    assert entry["status"] == "cleaned" and entry["verified"] is True
    assert entry["source"].endswith("/inv\ufffd\ufffd.jpg")
    assert entry["output"].endswith("/inv\ufffd\ufffd.jpg")
    assert bytes.fromhex(entry["source_bytes"]).endswith(b"/" + BAD)
    assert os.path.isfile(bytes.fromhex(entry["output_bytes"]))
    assert bytes.fromhex(entry["output_bytes"]) == os.path.join(os.fsencode(out), BAD)
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
    _strict(doc)
    entries = doc["files"] if command == "scan" else doc["results"]
    key = "path" if command == "scan" else "source"
    names = sorted(e[key].rsplit("/", 1)[1] for e in entries)
    assert names == ["caf\u00e9.jpg", "inv\ufffd\ufffd.jpg"]
    (exact,) = [bytes.fromhex(e[key + "_bytes"]) for e in entries if key + "_bytes" in e]
    assert exact.endswith(b"/" + BAD)
    assert b"\\u00e9" in proc.stdout and b"\\ufffd\\ufffd" in proc.stdout


@pytest.mark.parametrize("utf8", [True, False])
def test_json_text_is_unicode_in_either_encoding(monkeypatch: pytest.MonkeyPatch,
                                                 utf8: bool) -> None:
    from veil.cli import text

    monkeypatch.setattr(text, "_stdout_is_utf8", lambda: utf8)
    name = "caf\u00e9 \U0001f600 \\udcff " + os.fsdecode(b"\xff")  # a literal backslash too
    line = text.json_line({"path": name})
    assert json.loads(line) == {"path": "caf\u00e9 \U0001f600 \\udcff \ufffd"}
    assert line.isascii() is not utf8
