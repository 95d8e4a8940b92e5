"""The per-file last-resort boundary of ``audit_file``: a reader bug on one hostile file is
that file's one-line error with risk UNKNOWN, never an exception that ends a batch."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.factories.basic import make_png
from veil.core.audit import audit_file
from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled
from veil.core.formats.png import Png
from veil.core.model import Risk


def _boom(exc: BaseException) -> classmethod:  # type: ignore[type-arg]
    def read(cls: type, f: object, size: int) -> None:
        raise exc

    return classmethod(read)


@pytest.mark.parametrize("exc", [
    struct.error("unpack requires a buffer of 4 bytes"),
    EOFError(),
    AttributeError("'NoneType' object has no attribute 'data'"),
    ZeroDivisionError("division by zero"),
    AssertionError("line one\n  line two"),
])
def test_an_unexpected_reader_exception_is_that_files_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    monkeypatch.setattr(Png, "read", _boom(exc))
    report = audit_file(make_png(tmp_path / "p.png"), metadata_only=True)
    assert report.status == "error" and report.risk is Risk.UNKNOWN  # never "clean"
    assert report.error is not None
    assert report.error.startswith("Veil could not check this file (internal error: ")
    assert type(exc).__name__ in report.error
    assert "\n" not in report.error


def test_the_reason_is_cut_to_one_readable_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Png, "read", _boom(struct.error("y" * 5000)))
    report = audit_file(make_png(tmp_path / "p.png"), metadata_only=True)
    assert report.error is not None and len(report.error) < 250


def test_a_bug_after_the_metadata_is_caught_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import veil.core.audit as audit

    def broken(*_: object, **__: object) -> None:
        raise KeyError("frames")

    monkeypatch.setattr(audit, "frame_count", broken)  # used by the full pass only
    report = audit_file(make_png(tmp_path / "p.png"))
    assert report.status == "error" and report.risk is Risk.UNKNOWN
    assert report.error and "KeyError" in report.error


def test_cancel_still_ends_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import veil.core.audit as audit

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        audit_file(make_png(tmp_path / "p.png"), cancel=token)

    def cancelled(*_: object, **__: object) -> None:
        raise Cancelled("cancelled")

    monkeypatch.setattr(audit, "frame_count", cancelled)  # a cancel deep inside the audit
    with pytest.raises(Cancelled):
        audit_file(make_png(tmp_path / "q.png"))


def test_a_known_structure_error_is_one_line_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Png, "read", _boom(ValueError("bad table\n" + "row " * 400)))
    report = audit_file(make_png(tmp_path / "p.png"), metadata_only=True)
    assert report.error is not None
    assert report.error.startswith("could not read the file's structure (ValueError: bad table")
    assert "\n" not in report.error and len(report.error) < 250
