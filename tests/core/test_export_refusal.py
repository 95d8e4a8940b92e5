"""skip_reason: the export's own "skipped before writing" rule, usable before an export."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import export as fx
from tests.factories import raw as fr
from tests.factories.undecodable import png_bomb
from veil.core.audit import audit_file
from veil.core.export import export_clean
from veil.core.export.refusal import (
    DAMAGED_PIXELS,
    Refusal,
    SkipKind,
    planned_skip,
    refusal,
    skip_reason,
)
from veil.core.model import ExportOptions, ExportStatus

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _dng(path: Path) -> Path:
    fx.gradient((16, 16)).save(path, format="TIFF", tiffinfo={50706: b"\x01\x04\x00\x00"})
    return path


def _cases(tmp_path: Path) -> list[Path]:
    (tmp_path / "photo.jpg").write_bytes(fx.dirty_jpeg())
    out = [_dng(tmp_path / "raw.jpg"), tmp_path / "photo.jpg", fx.dirty_tiff(tmp_path / "d.tif")]
    for name, data in (("iiq.tif", fr.iiq()), ("x.cr3", fr.cr3()), ("x.raf", fr.raf())):
        (tmp_path / name).write_bytes(data)
        out.append(tmp_path / name)
    return out


def test_skip_reason_is_the_exports_own_decision(tmp_path: Path) -> None:
    for src in _cases(tmp_path):
        reason = skip_reason(src)
        result = export_clean(src, tmp_path / "out", ExportOptions())
        if reason is None:
            assert result.status is ExportStatus.CLEANED, (src.name, result.error)
        else:
            assert result.status is ExportStatus.SKIPPED and result.error == reason, src.name
    assert skip_reason(tmp_path / "raw.jpg") and "DNG" in skip_reason(tmp_path / "raw.jpg")
    assert skip_reason(tmp_path / "photo.jpg") is None and skip_reason(tmp_path / "d.tif") is None


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent")
def test_the_corpus_raws_are_the_ones_skipped() -> None:
    skipped = sorted(p.name for p in SHARED.rglob("*") if p.is_file() and skip_reason(p))
    assert skipped == ["C.dng", "DNG.dng"]


def test_planned_skip_from_the_audit_is_the_exports_decision(tmp_path: Path) -> None:
    """A picture too large to clean is known from the audit's size: the plan says so (before,
    it promised a copy of a 10001x10001 PNG the export then skipped)."""
    huge = png_bomb(tmp_path / "huge.png", side=10_001)  # 100,020,001 px: just over the cap
    for src in [*_cases(tmp_path), huge]:
        planned = planned_skip(src, audit_file(src, metadata_only=True))
        result = export_clean(src, tmp_path / "out", ExportOptions())
        if planned is None:
            assert result.status is ExportStatus.CLEANED, (src.name, result.error)
        else:
            assert result.status is ExportStatus.SKIPPED, src.name
            assert result.error == planned.reason, src.name
    assert planned_skip(huge, audit_file(huge)) == Refusal(
        SkipKind.TOO_LARGE, "the picture is too large to clean (10001x10001 pixels)")
    assert skip_reason(huge) is None  # the file alone does not say it: its size does


def test_each_refusal_says_its_kind(tmp_path: Path) -> None:
    """Raw files are told apart by kind, never by matching the reason's words (a planner
    counting "raw files" must not depend on how the sentence is put)."""
    kinds = {}
    for src in _cases(tmp_path):
        found = refusal(src)
        kinds[src.name] = found.kind if found else None
        assert skip_reason(src) == (found.reason if found else None)  # the same decision
    assert kinds == {
        "raw.jpg": SkipKind.RAW,  # a DNG under a photo's name: the content decides
        "photo.jpg": None,
        "d.tif": None,
        "iiq.tif": SkipKind.RAW,
        "x.cr3": SkipKind.RAW,
        "x.raf": SkipKind.RAW,
    }
    huge = png_bomb(tmp_path / "huge.png", side=10_001)
    found = planned_skip(huge, audit_file(huge, metadata_only=True))
    assert found is not None and found.kind is SkipKind.TOO_LARGE


def test_a_heif_whose_coded_data_is_broken_is_planned_as_not_written(tmp_path: Path) -> None:
    """exiftool's QuickTime.heic was planned 'ready', then not written ('the original's
    pixels are damaged'): the plan now says so from the coded data's structure."""
    pytest.importorskip("pillow_heif")
    from tests.core.test_export_heif_decode import _damaged_heic

    broken = _damaged_heic(tmp_path / "long.heic", "length")  # a NAL unit past its data
    sound = fx.dirty_heic(tmp_path / "sound.heic")
    planned = planned_skip(broken, audit_file(broken, metadata_only=True))
    assert planned is not None and planned.kind is SkipKind.DAMAGED
    assert planned.reason.startswith(f"{DAMAGED_PIXELS} (")
    result = export_clean(broken, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.FAILED and DAMAGED_PIXELS in (result.error or "")
    assert skip_reason(broken) is None  # the export's own rule is unchanged: it tries
    assert planned_skip(sound, audit_file(sound, metadata_only=True)) is None
    assert export_clean(sound, tmp_path / "out", ExportOptions()).status is ExportStatus.CLEANED


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent")
def test_the_corpus_heif_the_export_cannot_decode_is_planned_so() -> None:
    damaged = sorted(
        p.name
        for p in SHARED.rglob("*")
        if p.suffix.lower() in (".heic", ".heif", ".avif")
        and (found := planned_skip(p, audit_file(p, metadata_only=True))) is not None
        and found.kind is SkipKind.DAMAGED
    )
    assert damaged == ["QuickTime.heic"]
