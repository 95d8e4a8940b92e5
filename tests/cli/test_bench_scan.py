"""``veil bench scan``: the bytecode note and the 10,000-file peak memory it reports."""

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


def test_peak_rss_is_the_commands_own() -> None:
    """Not this process's largest child so far (the bench's exiftool runs, ~62 MB)."""
    import subprocess

    from veil.bench.scan import _peak_rss_mb

    big = "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    subprocess.run([sys.executable, "-c", big], check=True)
    assert _peak_rss_mb([sys.executable, "-c", big]) > 140
    assert _peak_rss_mb([sys.executable, "-c", "pass"]) < 60


def test_bench_clean_says_how_many_cores_each_tool_got() -> None:
    """The clean race reports CPU / wall (median over runs) and, where the kernel shares
    the CPU between sessions, says so: the wall ratio then depends on the others' load."""
    from veil.bench.cpu_share import cores_used, sharing_note

    assert cores_used([(2.0, 3.8), (2.0, 2.0), (4.0, 4.4)]) == pytest.approx(1.1)
    assert cores_used([]) == 0.0
    assert sharing_note("0\n") is None
    note = sharing_note("1\n")
    assert note is not None and "autogroup" in note and "one core" in note


def test_bench_clean_moves_the_last_output_aside_instead_of_deleting_it(tmp_path: Path) -> None:
    """The files a timed run creates must not follow a mass deletion (slow creates)."""
    from veil.bench.clean import make_way

    out = tmp_path / "veil"
    for run in range(3):
        make_way(out)
        assert not out.exists()
        out.mkdir()
        (out / "a.jpg").write_bytes(b"run %d" % run)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["veil", "veil.old0", "veil.old1"]
    assert (tmp_path / "veil.old0" / "a.jpg").read_bytes() == b"run 0"
    assert (tmp_path / "veil.old1" / "a.jpg").read_bytes() == b"run 1"
    make_way(tmp_path / "never-made")  # nothing there: nothing to do


def test_bench_clean_writes_out_earlier_runs_before_the_clock_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """exiftool's unwritten output must not be flushed inside veil's timed run (veil's
    durability flush covers the whole file system): each run starts after a sync."""
    import subprocess

    from veil.bench import clean as bench_clean

    events: list[str] = []
    monkeypatch.setattr(bench_clean.os, "sync", lambda: events.append("sync"))

    def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        events.append("run")
        return subprocess.CompletedProcess(cmd, 0, b"out", b"")

    monkeypatch.setattr(bench_clean.subprocess, "run", run)
    (tmp_path / "out").mkdir()
    took, stdout, _ = bench_clean._timed(["veil"], tmp_path / "out")
    assert events == ["sync", "run"] and stdout == b"out" and took >= 0
    assert not (tmp_path / "out").exists()  # the last output was moved aside first
