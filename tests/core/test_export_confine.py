"""Nothing is ever written outside the output folder: a symbolic link below --out (a
sub-folder or a final name) is refused for that copy, and the batch goes on."""

from __future__ import annotations

from pathlib import Path

from tests.factories import export as fx
from veil.core.export import export_batch, export_clean
from veil.core.model import ExportOptions, ExportStatus


def _roll(tmp_path: Path) -> Path:
    roll = tmp_path / "roll"
    (roll / "sub" / "deep").mkdir(parents=True)
    for rel in ("a.jpg", "sub/b.jpg", "sub/deep/c.jpg"):
        (roll / rel).write_bytes(fx.dirty_jpeg(trailer=False))
    return roll


def _everything(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_linked_sub_folder_in_out_is_refused_and_nothing_lands_outside(tmp_path: Path) -> None:
    roll = _roll(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    results = {r.source.name: r for r in export_batch([roll], out, ExportOptions())}
    assert _everything(elsewhere) == []  # no copy, no temp file, no "deep" folder
    assert results["a.jpg"].status is ExportStatus.CLEANED
    for name in ("b.jpg", "c.jpg"):
        r = results[name]
        assert r.status is ExportStatus.FAILED and r.output is None
        assert "symbolic link" in (r.error or "") and "outside the output folder" in r.error
    assert (out / "a.jpg").is_file()


def test_the_output_folder_itself_may_be_a_link(tmp_path: Path) -> None:
    roll = _roll(tmp_path)
    real = tmp_path / "real"
    real.mkdir()
    out = tmp_path / "out"
    out.symlink_to(real, target_is_directory=True)
    results = list(export_batch([roll], out, ExportOptions()))
    assert all(r.status is ExportStatus.CLEANED for r in results)
    assert (real / "sub" / "deep" / "c.jpg").is_file()


def test_a_final_name_that_is_a_link_is_never_written_through(tmp_path: Path) -> None:
    src = tmp_path / "in" / "IMG_1.jpg"
    src.parent.mkdir()
    src.write_bytes(fx.dirty_jpeg(trailer=False))
    victim = tmp_path / "victim.jpg"
    victim.write_bytes(b"keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "IMG_1.jpg").symlink_to(victim)
    for overwrite in (False, True):
        r = export_clean(src, out, ExportOptions(overwrite=overwrite))
        assert r.status is ExportStatus.FAILED, overwrite
        assert "symbolic link" in (r.error or "")
        assert victim.read_bytes() == b"keep me" and (out / "IMG_1.jpg").is_symlink()
    assert _everything(out) == ["IMG_1.jpg"]
