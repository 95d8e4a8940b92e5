"""``veil bench scan`` says when its veil timings include compiling veil's sources."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from veil.bench.scan import bytecode_note


@pytest.mark.parametrize(("no_bytecode", "cached", "noted"),
                         [(True, False, True), (True, True, False), (False, False, False)])
def test_note_only_when_sources_are_compiled_each_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_bytecode: bool, cached: bool,
    noted: bool,
) -> None:
    pyc = tmp_path / "audit.cpython.pyc"
    if cached:
        pyc.write_bytes(b"")
    monkeypatch.setattr(sys, "flags", SimpleNamespace(dont_write_bytecode=no_bytecode))
    monkeypatch.setattr(importlib.util, "cache_from_source", lambda _source: str(pyc))
    note = bytecode_note()
    assert (note is not None) == noted
    if noted:
        assert "no cached bytecode" in str(note)
