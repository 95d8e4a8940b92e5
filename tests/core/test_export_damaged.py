"""A damaged original is cleaned as it is (the copy is no worse), and the result says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import export as fx
from veil.core.damage_words import COULD_NOT_COPY
from veil.core.export import export_clean
from veil.core.formats.jpeg_walk import PICTURE_CUT_SHORT
from veil.core.model import ExportOptions, ExportStatus, Region


def _cut_jpeg(tmp_path: Path) -> Path:
    whole = fx.dirty_jpeg(image=fx.gradient((256, 192)), trailer=False)
    sos = whole.index(b"\xff\xda")
    src = tmp_path / "cut.jpg"
    src.write_bytes(whole[: (sos + len(whole)) // 2])  # halfway through the picture data
    return src


@pytest.mark.parametrize("bake", [False, True])
def test_a_cut_short_original_is_cleaned_and_the_result_says_it_was_damaged(
    tmp_path: Path, bake: bool
) -> None:
    src = _cut_jpeg(tmp_path)
    res = export_clean(src, tmp_path / "out", ExportOptions(bake_orientation=bake))
    # The verification's rule is unchanged: the copy is clean and no worse than the original.
    assert res.status is ExportStatus.CLEANED and res.verified, res.error
    assert res.output is not None and not fx.leaked(res.output.read_bytes())
    (note,) = res.notes
    assert note.startswith("the original is damaged") and "cut short" in note
    assert json.loads(json.dumps(res.to_json()))["notes"] == [note]


def test_covering_a_cut_short_original_still_fails_plainly(tmp_path: Path) -> None:
    """Covers need the pixels decoded: a copy is refused, not written with a grey half."""
    opts = ExportOptions(redactions=(Region(20, 20, 40, 40),))
    res = export_clean(_cut_jpeg(tmp_path), tmp_path / "out", opts)
    assert res.status is ExportStatus.FAILED
    assert res.error == f"{COULD_NOT_COPY} ({PICTURE_CUT_SHORT})"
    assert not (tmp_path / "out" / "cut.jpg").exists()


def test_a_whole_original_has_no_note(tmp_path: Path) -> None:
    src = tmp_path / "whole.jpg"
    src.write_bytes(fx.dirty_jpeg(trailer=False))
    res = export_clean(src, tmp_path / "out", ExportOptions())
    assert res.verified and res.notes == () and res.to_json()["notes"] == []
    with Image.open(res.output) as im:  # type: ignore[arg-type]
        im.load()


def test_veil_clean_says_the_original_was_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from veil.cli import main

    src = _cut_jpeg(tmp_path)
    assert main(["clean", "-j", "1", "--json", "--out", str(tmp_path / "o1"), str(src)]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["results"]
    assert entry["verified"] and len(entry["notes"]) == 1 and "cut short" in entry["notes"][0]
    assert main(["clean", "-j", "1", "--out", str(tmp_path / "o2"), str(src)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "verified: metadata removed" in lines[0] and lines[1] == f"  ! {entry['notes'][0]}"
