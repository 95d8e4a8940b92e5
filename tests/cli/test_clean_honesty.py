"""``veil clean``'s text never says "clean" in a way that hides what a copy still shows:
the kept sound of a clip, faces and marks in the pixels (not looked at), a revealing name;
and ``--json`` says the same things as the text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.cli import main

#: A verified copy's words on its text line.
WORDS = "verified: metadata removed (lossless); faces and marks not checked"
FACES_LINE = "Faces, tattoos and anything else visible in the pictures are not checked"


def _clean(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["clean", "-j", "1", *args])
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg for the clip")
@pytest.mark.parametrize("sound", [True, False])
def test_a_clip_whose_copy_keeps_its_sound_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sound: bool
) -> None:
    # `veil clean --out o clip.mov` said "verified clean (lossless)" while the copy keeps
    # the clip's sound (voices, places); only --json's "kept": ["sound"] told it.
    from tests.factories.video import make_clip

    clip = make_clip(tmp_path / "clip.mov", fmt="mov", sound=sound)
    code, lines = _clean([str(clip), "--out", str(tmp_path / "out")], capsys)
    assert code == 0
    line = next(x for x in lines if " -> " in x)
    assert line.endswith(f"{WORDS} — keeps the sound") is sound
    assert line.endswith(WORDS) is not sound


def test_text_output_says_once_that_faces_and_marks_are_not_covered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # clean audits metadata only (export.engine: audit_file(metadata_only=True)) and the CLI
    # has no cover option: a face in faces.jpg stays in its "verified clean" copy.
    for name in ("faces.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(fx.dirty_jpeg(trailer=False))
    files = [str(tmp_path / "faces.jpg"), str(tmp_path / "b.jpg")]
    code, lines = _clean([*files, "--out", str(tmp_path / "out")], capsys)
    assert code == 0
    assert sum(FACES_LINE in x for x in lines) == 1
    assert lines[-1].startswith(FACES_LINE) and "veil open" in lines[-1]
    main(["clean", "-j", "1", *files, "--json", "--out", str(tmp_path / "out2")])
    doc = json.loads(capsys.readouterr().out)  # --json: one document, extended at its end
    assert list(doc) == ["results", "notes"] and doc["notes"] == [lines[-1]]


def test_no_faces_line_when_nothing_was_cleaned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a photo")
    code, lines = _clean([str(tmp_path / "notes.txt"), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and not any(FACES_LINE in x for x in lines)
    code, lines = _clean([str(tmp_path / "notes.txt"), "--json", "--out", str(tmp_path)], capsys)
    doc = json.loads("\n".join(lines))
    assert code == 2 and doc["notes"] == []  # no copy written: nothing to warn about either
    assert doc["results"][0]["checks"] == {"faces": "skipped", "marks": "skipped"}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("jane.doe@gmail.com.jpg", "e-mail address"),
        ("PXL_20231105_143012345.MP.jpg", "when it was taken"),
    ],
)
def test_a_kept_revealing_name_is_told_with_the_option_to_drop_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, words: str
) -> None:
    # With the default --rename keep the copy kept the name and nothing said so
    # ("removed": []).
    (tmp_path / name).write_bytes(fx.dirty_jpeg(trailer=False))
    code, lines = _clean([str(tmp_path / name), "--out", str(tmp_path / "out")], capsys)
    assert code == 0
    note = next(x for x in lines if x.startswith("  ! "))
    assert words in note and "the copy keeps that name" in note and "--rename neutral" in note
    main(["clean", "-j", "1", str(tmp_path / name), "--json", "--out", str(tmp_path / "o2")])
    entry = json.loads(capsys.readouterr().out)["results"][0]
    assert any(words in n and "--rename neutral" in n for n in entry["notes"])  # additive
    # The engine's fact, read by both front ends: kept names the file name, and what it
    # reveals is the note's own words (the CLI runs no name detector of its own).
    assert "filename" in entry["kept"] and "filename" not in entry["removed"]
    assert [n.split("; the copy keeps")[0] for n in entry["notes"]] == entry["name_reveals"]
    code, lines = _clean(
        [str(tmp_path / name), "--rename", "neutral", "--out", str(tmp_path / "o3")], capsys
    )
    assert code == 0 and not any(x.startswith("  ! ") for x in lines)


def test_a_plain_name_gets_no_name_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "beach.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    main(["clean", "-j", "1", str(tmp_path / "beach.jpg"), "--json", "--out", str(tmp_path)
          + "/out"])
    entry = json.loads(capsys.readouterr().out)["results"][0]
    assert entry["notes"] == [] and entry["name_reveals"] == [] and "filename" not in entry["kept"]


def test_json_says_a_verified_copy_was_not_checked_for_faces_and_it_still_shows_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A script reading `veil clean --json` saw "verified": true, "notes": [] for a portrait
    # and shared the copy: nothing said the face was neither looked for nor covered.
    from tests.factories.faces import astronaut
    from veil.core.audit import audit_file
    from veil.core.model import FindingKind

    (tmp_path / "portrait.jpg").write_bytes(fx.dirty_jpeg(astronaut(), trailer=False))
    code, lines = _clean([str(tmp_path / "portrait.jpg"), "--json", "--out",
                          str(tmp_path / "out")], capsys)
    doc = json.loads("\n".join(lines))
    (entry,) = doc["results"]
    assert code == 0 and entry["status"] == "cleaned" and entry["verified"] is True
    # Named and valued as `veil scan --json` names its checks: "skipped" = not run.
    assert entry["checks"] == {"faces": "skipped", "marks": "skipped"}
    assert len(doc["notes"]) == 1 and doc["notes"][0].startswith(FACES_LINE)
    # ... and that is the truth: the copy still shows the face a full scan finds.
    copy = audit_file(Path(entry["output"]))
    assert copy.checks["faces"].value == "done"
    assert [f.kind for f in copy.findings] == [FindingKind.FACE]


def test_text_and_json_say_the_same_of_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "jane.doe@gmail.com.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (src / "beach.jpg").write_bytes(fx.dirty_jpeg(orientation=6))
    (src / "zz_broken.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 10)
    text_code, text = _clean([str(src), "--out", str(tmp_path / "t")], capsys)
    json_code, lines = _clean([str(src), "--json", "--out", str(tmp_path / "j")], capsys)
    doc = json.loads("\n".join(lines))
    assert text_code == json_code == 2  # exit codes unchanged: one input failed
    results = doc["results"]
    per_file = [x for x in text if " -> " in x or ": FAILED: " in x or ": SKIPPED: " in x]
    assert len(per_file) == len(results) == 3
    for line, entry in zip(per_file, results, strict=True):
        assert line.startswith(entry["source"])
        verified = entry["verified"] and entry["status"] == "cleaned"
        assert ("verified: metadata removed" in line) is verified
        assert ("faces and marks not checked" in line) is verified  # = its "checks" (skipped)
        assert entry["checks"] == {"faces": "skipped", "marks": "skipped"}
    notes = [x[len("  ! "):] for x in text if x.startswith("  ! ")]
    assert notes == [n for e in results for n in e["notes"]] and len(notes) == 1
    # The run's closing line is the JSON's top-level notes, word for word.
    assert text[-1].startswith(FACES_LINE) and doc["notes"] == [text[-1]]


def test_each_copy_line_says_its_faces_and_marks_were_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `veil clean` printed "verified clean (lossless)" on the line of a portrait and of a
    # tattoo photo; only the closing note, after the whole batch, said faces and marks are
    # neither looked for nor covered. Each copy's own line now says it.
    from tests.factories.faces import astronaut
    from tests.factories.marks import tattoo_photo

    (tmp_path / "portrait.jpg").write_bytes(fx.dirty_jpeg(astronaut(), trailer=False))
    tattoo_photo()[0].save(tmp_path / "arm.png")
    files = [str(tmp_path / "portrait.jpg"), str(tmp_path / "arm.png")]
    code, lines = _clean([*files, "--out", str(tmp_path / "out")], capsys)
    copies = [x for x in lines if " -> " in x]
    assert code == 0 and len(copies) == 2
    for line in copies:
        assert "verified clean" not in line
        assert line.endswith(f"  {WORDS}")
    assert lines[-1].startswith(FACES_LINE)  # the run's note stays, once
