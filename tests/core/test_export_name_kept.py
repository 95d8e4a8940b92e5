"""An export result says once whether the copy kept a revealing file name, and what it
reveals: both front ends read that fact (``veil clean``'s note, the window's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.core.export import export_clean
from veil.core.export.parallel import export_batch_parallel
from veil.core.model import ExportOptions, ExportStatus

DATED = "PXL_20231105_143012345.MP.jpg"


def _photo(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(fx.dirty_jpeg(trailer=False))
    return path


@pytest.mark.parametrize(
    ("name", "words"),
    [(DATED, "when it was taken: 5 November 2023"), ("jane.doe@gmail.com.jpg", "e-mail")],
)
def test_a_kept_revealing_name_is_in_kept_with_what_it_reveals(
    tmp_path: Path, name: str, words: str
) -> None:
    # The engine knew the name was kept (engine._name_removed) but said so in neither
    # removed nor kept: `veil clean` ran the name detector again on the copy's name.
    src = _photo(tmp_path / "in", name)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.verified
    assert "filename" in result.kept and "filename" not in result.removed
    assert len(result.name_reveals) == 1 and words in result.name_reveals[0]
    assert result.to_json()["name_reveals"] == list(result.name_reveals)


@pytest.mark.parametrize("rename", ["neutral", "random"])
def test_a_changed_name_is_removed_and_reveals_nothing(tmp_path: Path, rename: str) -> None:
    src = _photo(tmp_path / "in", DATED)
    result = export_clean(src, tmp_path / "out", ExportOptions(rename=rename))
    assert result.verified and result.name_reveals == ()
    assert "filename" in result.removed and "filename" not in result.kept


def test_a_plain_name_is_neither_kept_nor_removed(tmp_path: Path) -> None:
    result = export_clean(_photo(tmp_path / "in", "beach.jpg"), tmp_path / "out",
                          ExportOptions())
    assert result.verified and result.name_reveals == ()
    assert "filename" not in result.kept and "filename" not in result.removed


def test_the_fact_crosses_from_the_workers(tmp_path: Path) -> None:
    """The window and `veil clean` get results from worker processes."""
    src = _photo(tmp_path / "in", DATED)
    _photo(tmp_path / "in", "beach.jpg")
    results = {r.source.name: r for r in export_batch_parallel(
        [src.parent], tmp_path / "out", ExportOptions(), jobs=2)}
    assert results[DATED].verified and "filename" in results[DATED].kept
    assert "when it was taken" in results[DATED].name_reveals[0]
    assert results["beach.jpg"].verified and results["beach.jpg"].name_reveals == ()
