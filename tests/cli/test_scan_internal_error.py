"""`veil scan` on a batch where one file trips a reader bug: that file is an error, the
others are reported as usual, and the exit code says an error happened (docs/cli.md)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tests.factories.basic import gps_serial_exif, make_jpeg, make_png
from veil.cli import main
from veil.core.formats.png import Png


def test_a_reader_bug_fails_one_file_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def read(cls: type, f: object, size: int) -> None:
        raise struct.error("unpack requires a buffer of 4 bytes")  # as a parser bug would

    monkeypatch.setattr(Png, "read", classmethod(read))
    risky = make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif())
    broken = make_png(tmp_path / "b.png")
    plain = make_jpeg(tmp_path / "c.jpg")
    code = main(["scan", "--json", "--metadata-only", "-j", "1",
                 str(risky), str(broken), str(plain)])
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert code == 2
    assert list(by_name) == ["a.jpg", "b.png", "c.jpg"]
    assert by_name["b.png"]["status"] == "error" and by_name["b.png"]["risk"] == "unknown"
    assert by_name["b.png"]["error"] == ("Veil could not check this file (internal error: "
                                         "struct.error: unpack requires a buffer of 4 bytes)")
    assert by_name["a.jpg"]["status"] == "ok" and by_name["a.jpg"]["risk"] == "high"
    assert by_name["c.jpg"]["status"] == "ok" and by_name["c.jpg"]["error"] is None
