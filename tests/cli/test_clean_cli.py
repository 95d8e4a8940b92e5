"""``veil clean``: JSON contract, exit codes, readable lines, layout, bad destinations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.cli import main

KEYS = {  # "checks" is an addition (what clean did not look at)
    "source", "output", "status", "error", "verified", "lossless", "removed", "kept", "unchanged",
    "notes", "name_reveals", "checks",
}


def clean(args: list[str]) -> int:
    """``veil clean`` in-process, one worker (no fork inside the test process)."""
    return main(["clean", "-j", "1", *args])


def _photos(folder: Path) -> Path:
    (folder / "trip").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (folder / "trip" / "b.jpg").write_bytes(fx.dirty_jpeg(orientation=6))
    return folder


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_json_contract_and_exit_zero_when_all_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _photos(tmp_path / "in")
    code = clean([str(src), "-r", "--json", "--out", str(tmp_path / "out")])
    doc = _json(capsys)
    assert code == 0
    assert len(doc["results"]) == 2
    for entry in doc["results"]:
        assert set(entry) == KEYS
        assert entry["status"] == "cleaned" and entry["verified"] is True
        assert entry["error"] is None and entry["lossless"] is True
        assert "location" in entry["removed"] and all(isinstance(k, str) for k in entry["kept"])
    outputs = sorted(Path(e["output"]).relative_to(tmp_path / "out") for e in doc["results"])
    assert outputs == [Path("a.jpg"), Path("trip/b.jpg")]


def test_without_recursion_subfolders_are_not_walked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _photos(tmp_path / "in")
    assert clean([str(src), "--json", "--out", str(tmp_path / "out")]) == 0
    assert [Path(e["source"]).name for e in _json(capsys)["results"]] == ["a.jpg"]


def test_any_failure_gives_exit_two_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _photos(tmp_path / "in")
    (src / "zz_broken.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 10)
    code = clean([str(src), "-r", "--json", "--out", str(tmp_path / "out")])
    doc = _json(capsys)
    assert code == 2
    by_name = {Path(e["source"]).name: e for e in doc["results"]}
    assert by_name["zz_broken.jpg"]["status"] == "failed"
    assert by_name["zz_broken.jpg"]["output"] is None and by_name["zz_broken.jpg"]["error"]
    assert by_name["a.jpg"]["status"] == by_name["b.jpg"]["status"] == "cleaned"


WORDS = "verified: metadata removed (lossless); faces and marks not checked"


def test_text_output_one_line_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _photos(tmp_path / "in")
    (src / "notes.txt").write_text("not a photo")
    code = clean([str(src), "--out", str(tmp_path / "out"), "--rename", "neutral"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 2
    assert any(
        line.endswith(f"photo-0001.jpg  {WORDS}") and "a.jpg ->" in line
        for line in lines
    )
    assert any("notes.txt" in line and "SKIPPED" in line for line in lines)
    assert len(lines) == 4
    assert lines[-2] == "1 cleaned and verified · 0 failed · 1 skipped"
    assert lines[-1].startswith("Faces, tattoos and anything else visible")


def test_hostile_file_names_are_printed_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil\x1b[31mname.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    assert clean([str(src), "--out", str(tmp_path / "out")]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_flags_reach_the_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.jpg"
    src.write_bytes(fx.dirty_jpeg(orientation=6, trailer=False))
    out = tmp_path / "out"
    out.mkdir()
    (out / "p.jpg").write_bytes(b"old")
    args = [str(src), "--json", "--out", str(out), "--bake-orientation", "--overwrite"]
    assert clean(args) == 0
    entry = _json(capsys)["results"][0]
    assert entry["output"] == str(out / "p.jpg") and entry["lossless"] is False
    assert (out / "p.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_destination_that_cannot_be_created_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _photos(tmp_path / "in")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = clean([str(src), "--json", "--out", str(blocker / "out")])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "cannot create the output folder" in captured.err


def test_same_folder_with_kept_names_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _photos(tmp_path / "in")
    before = fx.sha256(src / "a.jpg")
    assert clean([str(src / "a.jpg"), "--json", "--out", str(src)]) == 2
    assert _json(capsys)["results"][0]["status"] == "failed"
    assert fx.sha256(src / "a.jpg") == before


def test_parallel_workers_give_the_same_results_in_order(tmp_path: Path) -> None:
    src = _photos(tmp_path / "in")
    for i in range(4):
        (src / "trip" / f"c{i}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (src / "trip" / "d_broken.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 10)
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "veil",
                "clean",
                str(src),
                "-r",
                "--json",
                "-j",
                jobs,
                "--rename",
                "neutral",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2, proc.stderr
        runs[jobs] = [
            (e["source"], e["status"], e["output"] and Path(e["output"]).relative_to(out))
            for e in json.loads(proc.stdout)["results"]
        ]
        assert not list(out.rglob(".veil-*"))
    assert runs["1"] == runs["2"] and len(runs["1"]) == 7


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_overwrite_never_replaces_another_original_of_the_batch(tmp_path: Path, jobs: str) -> None:
    """``veil clean ow/a --out ow/a --rename neutral --overwrite`` with photo-0002.jpg and
    z.jpg in ow/a: z.jpg's copy (photo-0002.jpg) used to replace the original photo-0002."""
    folder = tmp_path / "ow" / "a"
    folder.mkdir(parents=True)
    (folder / "photo-0002.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (folder / "z.jpg").write_bytes(fx.dirty_jpeg(orientation=6, trailer=False))
    before = {p.name: fx.sha256(p) for p in folder.iterdir()}
    args = [str(folder), "--out", str(folder), "--rename", "neutral", "--overwrite", "--json"]
    proc = subprocess.run(
        [sys.executable, "-m", "veil", "clean", "-j", jobs, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    results = {Path(e["source"]).name: e for e in json.loads(proc.stdout)["results"]}
    assert {n: fx.sha256(folder / n) for n in before} == before  # originals untouched
    # photo-0002.jpg (1st) gets the free name photo-0001.jpg; z.jpg (2nd) would need the
    # original's name: refused, with the reason.
    assert results["photo-0002.jpg"]["status"] == "cleaned"
    assert results["photo-0002.jpg"]["output"] == str(folder / "photo-0001.jpg")
    refused = results["z.jpg"]
    assert refused["status"] == "failed" and refused["output"] is None
    assert "photo-0002.jpg" in refused["error"] and "being cleaned" in refused["error"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "photo-0001.jpg",
        "photo-0002.jpg",
        "z.jpg",
    ]


def test_photos_already_in_an_output_folder_inside_the_source_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    (src / "out").mkdir(parents=True)
    (src / "a.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (src / "out" / "gps.jpg").write_bytes(fx.dirty_jpeg(trailer=False))  # a user's photo
    code = clean(["-r", str(src), "--out", str(src / "out"), "--json"])
    by_name = {Path(e["source"]).name: e for e in _json(capsys)["results"]}
    assert code == 2  # never exit 0 with an input left out
    assert by_name["a.jpg"]["status"] == "cleaned"
    assert by_name["gps.jpg"]["status"] == "skipped"
    assert "inside the output folder" in by_name["gps.jpg"]["error"]
    code = clean(["-r", str(src), "--out", str(src / "out")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 2 and any("gps.jpg: SKIPPED: it is inside the output folder" in x for x in lines)


@pytest.mark.parametrize("frozen_earlier", [False, True], ids=["fresh", "frozen-earlier"])
def test_the_process_run_freezes_its_objects_before_exit_a_call_does_not(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    frozen_earlier: bool,
) -> None:
    """``veil ...`` (main() reading the command line) ends its process: what it made is
    frozen out of the interpreter's last collections. main(argv) called by a program that
    goes on (these tests) leaves the collector alone.

    gc.freeze() is process-wide and outlives whoever called it: a GUI session earlier in
    the same pytest process (tests/gui) freezes every object after each flush of reports.
    So this measures what each call adds to the frozen count, never the count itself
    ("frozen-earlier" is that case). Freezing only adds; a frozen object that dies meanwhile
    only takes one away, hence ``<=`` for the call that must not freeze."""
    import gc

    if frozen_earlier:
        gc.freeze()
    try:
        (tmp_path / "a.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
        args = ["clean", "-j", "1", str(tmp_path / "a.jpg"), "--out", str(tmp_path / "out")]
        before = gc.get_freeze_count()
        assert main(args) == 0 and gc.get_freeze_count() <= before
        monkeypatch.setattr(sys, "argv", ["veil", *args, "--overwrite"])
        before = gc.get_freeze_count()
        assert main() == 0 and gc.get_freeze_count() > before
    finally:
        gc.unfreeze()  # the collector as a process starts with it, for the tests after
    capsys.readouterr()
