"""What a rerun and a crash leave behind: stale temp files are removed, an unchanged photo
is not copied again, a changed one is not silently duplicated, long names still fit, and
pool workers die with their parent."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.cli import main
from veil.core.export import export_batch
from veil.core.model import ExportOptions, ExportStatus

OPTS = ExportOptions()


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _roll(folder: Path, count: int = 3) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"p{i}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    return folder


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    src, out = _roll(tmp_path / "in"), tmp_path / "out"
    out.mkdir()
    with fx.temp_parts(out) as (stale, live):
        results = list(export_batch([src], out, OPTS))
    assert all(r.status is ExportStatus.CLEANED for r in results)
    assert not stale.exists()
    assert live.exists()  # never touched while its writer holds the lock
    assert _names(out) == [".veil-alive.part", "p0.jpg", "p1.jpg", "p2.jpg"]


def test_rerun_of_unchanged_photos_writes_nothing_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = _roll(tmp_path / "in"), tmp_path / "out"
    assert main(["clean", "-j", "1", str(src), "--out", str(out)]) == 0
    first = {n: (out / n).stat().st_mtime_ns for n in _names(out)}
    capsys.readouterr()
    assert main(["clean", "-j", "1", str(src), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert _names(out) == ["p0.jpg", "p1.jpg", "p2.jpg"]  # no "p0 (1).jpg"
    assert {n: (out / n).stat().st_mtime_ns for n in _names(out)} == first  # not rewritten
    assert text.count("already there, unchanged") == 3
    assert "3 cleaned and verified" in text


def test_rerun_after_a_photo_changed_refuses_then_overwrite_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = _roll(tmp_path / "in"), tmp_path / "out"
    assert main(["clean", "-j", "1", str(src), "--out", str(out)]) == 0
    (src / "p1.jpg").write_bytes(fx.dirty_jpeg(image=fx.gradient((64, 48)), trailer=False))
    old = (out / "p1.jpg").read_bytes()
    capsys.readouterr()
    assert main(["clean", "-j", "1", str(src), "--out", str(out)]) == 2
    text = capsys.readouterr().out
    assert "p1.jpg: FAILED: not written: p1.jpg is already in" in text
    assert "--overwrite" in text
    assert _names(out) == ["p0.jpg", "p1.jpg", "p2.jpg"] and (out / "p1.jpg").read_bytes() == old
    assert main(["clean", "-j", "1", str(src), "--out", str(out), "--overwrite"]) == 0
    assert _names(out) == ["p0.jpg", "p1.jpg", "p2.jpg"] and (out / "p1.jpg").read_bytes() != old


def test_same_name_twice_in_one_batch_still_numbered_and_rerun_stable(tmp_path: Path) -> None:
    a, b = _roll(tmp_path / "a", 1), tmp_path / "b"
    b.mkdir()
    (b / "p0.jpg").write_bytes(fx.dirty_jpeg(image=fx.gradient((64, 48)), trailer=False))
    out = tmp_path / "out"
    files = [a / "p0.jpg", b / "p0.jpg"]
    for _ in range(2):
        results = list(export_batch(files, out, OPTS))
        assert [r.status for r in results] == [ExportStatus.CLEANED] * 2
        assert [r.output.name for r in results if r.output] == ["p0.jpg", "p0 (1).jpg"]
    assert _names(out) == ["p0 (1).jpg", "p0.jpg"]


def test_a_255_byte_name_still_gets_a_numbered_copy(tmp_path: Path) -> None:
    stem = "é" * 125 + "x"  # 251 bytes + ".jpg" = 255, the longest name ext4 takes
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / f"{stem}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (b / f"{stem}.jpg").write_bytes(fx.dirty_jpeg(image=fx.gradient((64, 48)), trailer=False))
    results = list(export_batch([a / f"{stem}.jpg", b / f"{stem}.jpg"], tmp_path / "out", OPTS))
    assert [r.status for r in results] == [ExportStatus.CLEANED] * 2, results[1].error
    second = results[1].output
    assert second is not None and second.name.endswith(" (1).jpg")
    assert len(os.fsencode(second.name)) <= 255 and second.name.startswith("é" * 100)


def _report_deathsig(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    import ctypes

    from veil.core.export import parallel

    parallel._init_worker(parallel._SharedCancel(multiprocessing.Event()), os.getppid())
    sig = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(2, ctypes.byref(sig), 0, 0, 0)  # PR_GET_PDEATHSIG
    queue.put(sig.value)


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux")
def test_pool_workers_are_killed_with_their_parent() -> None:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_report_deathsig, args=(queue,))
    proc.start()
    proc.join(30)
    import signal

    assert queue.get(timeout=5) == signal.SIGKILL


def test_a_concurrent_run_into_the_same_folder_duplicates_nothing(tmp_path: Path) -> None:
    """Run B snapshots the empty folder, then run A puts every copy there before B moves
    any: B finds its exact bytes under each name and reports them unchanged (was 'p0 (1).jpg'
    for every photo), while different content under a name still gets a numbered copy."""
    from veil.core.export.batch import batch_guard, export_planned, prepare_folders
    from veil.core.export.plan import plan_batch

    roll, out = _roll(tmp_path / "roll"), tmp_path / "out"
    items = list(plan_batch([roll], out))
    guard, snapshot = batch_guard(items, [roll]), prepare_folders(items, out)
    first = list(export_batch([roll], out, OPTS))  # run A, after B's snapshot
    assert [r.status for r in first] == [ExportStatus.CLEANED] * 3
    (roll / "p1.jpg").write_bytes(fx.dirty_jpeg(image=fx.gradient((64, 48)), trailer=False))
    second = {r.source.name: r for r in export_planned(items, out, OPTS, guard=guard,
                                                        snapshot=snapshot)}
    assert all(r.status is ExportStatus.CLEANED for r in second.values())
    assert second["p0.jpg"].unchanged and second["p2.jpg"].unchanged
    assert second["p0.jpg"].output == out / "p0.jpg"
    assert not second["p1.jpg"].unchanged and second["p1.jpg"].output == out / "p1 (1).jpg"
    assert _names(out) == ["p0.jpg", "p1 (1).jpg", "p1.jpg", "p2.jpg"]
