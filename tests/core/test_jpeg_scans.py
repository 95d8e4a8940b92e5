"""A copy's JPEG walk reuses where its source's scans end, only when the bytes are equal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.factories import export as fx
from tests.factories import jpeg as fj
from veil.core.export import export_clean
from veil.core.formats import jpeg_scans
from veil.core.formats import jpeg_walk as jw
from veil.core.formats.jpeg_window import FileWindow, MemoryWindow
from veil.core.model import ExportOptions


def _searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every marker search, by where the file lies ("file" or "memory")."""
    seen: list[str] = []
    real = FileWindow.next_marker

    def spy(self: FileWindow, off: int) -> int | None:
        seen.append("memory" if isinstance(self, MemoryWindow) else "file")
        return real(self, off)

    monkeypatch.setattr(FileWindow, "next_marker", spy)
    return seen


def _layout(data: bytes) -> list[tuple[int, int, int]]:
    layout = jw.walk_jpeg(io.BytesIO(data), len(data))
    return [(s.marker, s.offset, s.length) for s in layout.segments]


def _source_walk(path: Path) -> None:
    with jpeg_scans.remembering(), open(path, "rb") as f:
        jw.walk_jpeg(f, path.stat().st_size)


def test_an_export_walks_its_copy_without_searching_its_scans_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "p.jpg"
    src.write_bytes(fj.encode(fj.noise_image((64, 48)), progressive=True))
    fresh = _layout(src.read_bytes())
    seen = _searches(monkeypatch)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.verified, result.error
    assert seen and set(seen) == {"file"}  # the source's scans only, none of the copy's
    assert result.output is not None
    copy = result.output.read_bytes()
    assert fresh == _layout(src.read_bytes())  # the walks themselves answer the same
    monkeypatch.setattr(jpeg_scans, "_last", ())
    expected = _layout(copy)  # searched in full
    _source_walk(src)
    assert _layout(copy) == expected


def test_a_copy_whose_scan_differs_is_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A marker put inside the copy's scan (where the source has none) is found: the
    remembered scan is used only for bytes equal to it."""
    data = fx.dirty_jpeg(trailer=False)
    src = tmp_path / "s.jpg"
    src.write_bytes(data)
    _source_walk(src)
    segments = _layout(data)
    scan = next(s for s in segments if s[0] == 0)
    cut = scan[1] + scan[2] // 2
    changed = data[:cut] + b"\xff\xd9" + data[cut + 2 :]
    seen = _searches(monkeypatch)
    found = _layout(changed)
    assert "memory" in seen
    ends = next(s for s in found if s[0] == 0)
    assert ends[1] + ends[2] == cut  # the scan ends at the marker put into it
    monkeypatch.setattr(jpeg_scans, "_last", ())
    assert found == _layout(changed)  # as if nothing were remembered


def test_outside_an_export_nothing_is_kept(tmp_path: Path) -> None:
    """`veil scan` walks files without copying their scans anywhere."""
    src = tmp_path / "s.jpg"
    src.write_bytes(fx.dirty_jpeg(trailer=False))
    before = jpeg_scans._last
    with open(src, "rb") as f:
        jw.walk_jpeg(f, src.stat().st_size)
    assert jpeg_scans._last is before
    _source_walk(src)
    assert jpeg_scans._last is not before and all(s is not None for s in jpeg_scans._last)


def test_every_corpus_jpeg_copy_walks_the_same_with_its_source_remembered(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jpegs = [p for p in sorted((shared_dir / "corpus").rglob("*"))
             if p.suffix.lower() in (".jpg", ".jpeg", ".mpo")]
    assert jpegs
    checked = 0
    for n, src in enumerate(jpegs):
        result = export_clean(src, tmp_path / f"o{n}", ExportOptions())
        if not result.verified or result.output is None:
            continue
        copy = result.output.read_bytes()
        _source_walk(src)
        remembered = _layout(copy)
        monkeypatch.setattr(jpeg_scans, "_last", ())
        assert remembered == _layout(copy), src.name
        checked += 1
    assert checked > len(jpegs) // 2


def test_the_cleaner_writes_the_scans_its_audit_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export's copy takes its scans from the source's walk (no second read of them from
    the file), byte for byte what a cleaner reading the file writes."""
    from veil.core.formats import byteio, jpeg_clean

    src = tmp_path / "p.jpg"
    src.write_bytes(fj.encode(fj.noise_image((64, 48)), progressive=True))
    fresh = io.BytesIO()
    jpeg_clean.write_clean(src, fresh, ExportOptions())  # no audit first: reads the file
    copied: list[int] = []
    real = byteio.copy_range

    def spy(f, dst, offset, length, reason):  # type: ignore[no-untyped-def]
        copied.append(length)
        real(f, dst, offset, length, reason)

    monkeypatch.setattr(jpeg_clean, "copy_range", spy)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.verified and result.output is not None
    assert copied == []
    assert result.output.read_bytes() == fresh.getvalue()
    jpeg_clean.write_clean(src, io.BytesIO(), ExportOptions())  # no audit: reads them again
    assert copied
