"""``veil bench scan``: veil's bytecode as installed, and the 10,000-file peak memory."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from veil.bench import bytecode


def _module(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    source = package / "mod.py"
    source.write_text("X = 1\n")
    return source


def test_modules_without_current_bytecode_are_found(tmp_path: Path) -> None:
    """Missing, and stale after an edit (Python then compiles the source again)."""
    import os
    import py_compile

    source = _module(tmp_path)
    assert bytecode.uncompiled(source.parent) == [source]
    py_compile.compile(str(source), doraise=True)
    assert bytecode.uncompiled(source.parent) == []
    source.write_text("X = 22\n")  # edited: another size and, below, another time
    os.utime(source, (1_000_000_000, 1_000_000_000))
    assert bytecode.uncompiled(source.parent) == [source]
    py_compile.compile(str(source), doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    assert bytecode.is_current(source)
    source.write_text("X = 33\n")  # same size and time: the checked hash still tells
    os.utime(source, (1_000_000_000, 1_000_000_000))
    assert not bytecode.is_current(source)


@pytest.mark.parametrize("no_bytecode", [True, False])
def test_the_bench_compiles_veil_as_an_install_would_only_when_python_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_bytecode: bool
) -> None:
    """With bytecode caching off, every timed ``veil`` run compiled its modules (~95 ms of a
    ~340 ms corpus scan): the bench compiles them once first and says so."""
    source = _module(tmp_path)
    monkeypatch.setattr(sys, "flags", SimpleNamespace(dont_write_bytecode=no_bytecode,
                                                       optimize=sys.flags.optimize))
    note = bytecode.compile_as_installed("scan", source.parent)
    assert (note is not None) == no_bytecode
    assert bytecode.is_current(source) == no_bytecode
    if no_bytecode:
        assert "1 of veil's modules" in str(note)
        assert bytecode.compile_as_installed("scan", source.parent) is None  # all current


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


def test_veil_and_exiftool_take_turns_after_an_untimed_run_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Five veil runs then five exiftool runs put a neighbour's burst on one tool only."""
    import subprocess

    from veil.bench import scan as bench_scan

    order: list[str] = []
    clock = [0.0]
    cost = {"veil": 0.3, "exiftool": 1.0}

    def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        order.append(cmd[0])
        clock[0] += cost[cmd[0]] * (5 if len(order) <= 2 else 1)  # a slow, cold first run
        return subprocess.CompletedProcess(cmd, 0, b"", b"")

    monkeypatch.setattr(bench_scan.subprocess, "run", run)
    monkeypatch.setattr(bench_scan.time, "perf_counter", lambda: clock[0])
    assert bench_scan._race([["veil"], ["exiftool"]], 3) == pytest.approx([0.3, 1.0])
    assert order == ["veil", "exiftool"] * 4
