"""A written copy is read back once, through its own fd, and every check reads that buffer:
the same answers as checks that open the file, and the temp file is never opened again."""

from __future__ import annotations

import builtins
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.factories import export as fx
from tests.factories import png as fp
from veil.core.export import export_clean
from veil.core.export.verify import verify_output
from veil.core.model import ExportOptions, ExportStatus


def _sources(folder: Path) -> list[Path]:
    folder.mkdir()
    jpeg = folder / "a.jpg"
    jpeg.write_bytes(fx.dirty_jpeg(trailer=False))
    png = folder / "b.png"
    png.write_bytes(fp.dirty_png(orientation=6))
    return [jpeg, png, fx.dirty_tiff(folder / "c.tif")]


def test_the_temp_file_is_not_opened_again_for_its_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file) if isinstance(file, str | os.PathLike) else "")
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if not flags & os.O_CREAT:  # mkstemp creates it: that is the write, not a check
            opened.append(os.fspath(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    for source in _sources(tmp_path / "in"):
        result = export_clean(source, tmp_path / "out", ExportOptions())
        assert result.status is ExportStatus.CLEANED and result.verified, result.error
        assert str(source) in opened  # the spy sees the opens that do happen
    assert not [p for p in opened if Path(p).name.startswith(".veil-")]


def test_checks_on_the_buffer_answer_as_checks_on_the_file(tmp_path: Path) -> None:
    """Clean copies pass and a leaky file fails, with the same report either way."""
    out = tmp_path / "out"
    cases = []
    for source in _sources(tmp_path / "in"):
        result = export_clean(source, out, ExportOptions())
        assert result.output is not None
        cases.append((source, result.output, result.kept))
    leaky = tmp_path / "leaky.jpg"
    shutil.copyfile(tmp_path / "in" / "a.jpg", leaky)
    cases.append((tmp_path / "in" / "a.jpg", leaky, ()))
    problems = []
    for source, copy, kept in cases:
        answers = []
        for data in (None, copy.read_bytes()):
            report, problem = verify_output(
                copy, expected_size=fx.decode_upright(source).size, kept=kept, source=source,
                data=data,
            )
            assert report is not None
            answers.append((problem, report.findings, report.risk, report.tags))
        assert answers[0] == answers[1]
        problems.append(answers[0][0])
    assert problems[:3] == [None, None, None] and problems[3] is not None
