"""JPEG structure the cleaner must not get wrong: a walk that stopped early is refused (never
a silently truncated copy), APP14 Adobe is cut to its 12-byte structure, and bytes between
segments make the scan partial."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import jpeg as fj
from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.jpeg import Jpeg
from veil.core.model import ExportOptions


def clean(tmp_path: Path, data: bytes) -> tuple[bytes, object]:
    src = tmp_path / "src.jpg"
    src.write_bytes(data)
    out = io.BytesIO()
    outcome = Jpeg.write_clean(src, out, ExportOptions())
    return out.getvalue(), outcome


def read(data: bytes):  # noqa: ANN201 - ContainerScan
    return Jpeg.read(io.BytesIO(data), len(data))


def progressive() -> bytes:
    return fj.encode(fj.noise_image((64, 48)), progressive=True)


def test_progressive_with_too_many_segments_between_scans_is_refused(tmp_path: Path) -> None:
    """8300 empty COM segments between scans used to stop the walk: the copy kept only
    the first scan (1.4 KB) and was reported lossless."""
    data = fj.before_second_scan(progressive(), fj.segment(0xFE, b"") * 8300)
    assert not read(data).complete
    with pytest.raises(Unsupported, match="too many blocks"):
        clean(tmp_path, data)


def test_second_soi_after_the_first_scan_is_refused(tmp_path: Path) -> None:
    data = fj.before_second_scan(progressive(), b"\xff\xd8")
    with pytest.raises(CorruptFile, match="second picture starts"):
        clean(tmp_path, data)


def test_unparsed_bytes_after_the_first_scan_are_refused(tmp_path: Path) -> None:
    data = fj.before_second_scan(progressive(), fj.segment(0xFE, b"x") + b"A" * 70_000)
    with pytest.raises(CorruptFile, match="unexpected bytes"):
        clean(tmp_path, data)


def test_a_whole_progressive_jpeg_still_cleans_losslessly(tmp_path: Path) -> None:
    data = fj.before_second_scan(progressive(), fj.segment(0xFE, b"") * 100)
    out, outcome = clean(tmp_path, data)
    assert outcome.lossless  # type: ignore[attr-defined]
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert a.tobytes() == b.tobytes()


def _cmyk() -> bytes:
    return fj.encode(fj.noise_image((32, 32), "CMYK"))


def test_adobe_app14_is_cut_to_its_structure(tmp_path: Path) -> None:
    plain = _cmyk()
    data = fj.with_adobe_text(plain, b"Owner: John Secretname")
    out, _ = clean(tmp_path, data)
    assert b"Secretname" not in out and b"Adobe" in out
    at = out.find(b"\xff\xee")
    assert out[at + 2 : at + 4] == b"\x00\x0e"  # length 14: the 12-byte payload
    assert out[at + 4 : at + 16] == plain[plain.find(b"\xff\xee") + 4 :][:12]
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert b.mode == "CMYK" and a.tobytes() == b.tobytes()


def test_adobe_app14_with_extra_bytes_is_reported(tmp_path: Path) -> None:
    assert read(_cmyk()).complete
    scan = read(fj.with_adobe_text(_cmyk(), b"Owner: John Secretname"))
    assert not scan.complete
    block = next(b for b in scan.blocks if b.kind == "adobe")
    assert not block.known
    assert any("Adobe" in w and "22 extra bytes" in w for w in scan.warnings)


def test_bytes_between_segments_make_the_scan_partial(tmp_path: Path) -> None:
    base = fj.encode()
    assert read(base).complete
    junk = fj.with_bytes_after_first_segment(base, b"JOHN!")
    scan = read(junk)
    assert not scan.complete and any("unexpected bytes" in w for w in scan.warnings)
    out, _ = clean(tmp_path, junk)
    assert b"JOHN!" not in out
    # Fill bytes before a marker are legal and say nothing.
    filled = read(fj.with_bytes_after_first_segment(base, b"\xff" * 7))
    assert filled.complete and not filled.warnings


@pytest.mark.parametrize("cut", [None, -2, -900, 300])
def test_a_jpeg_in_memory_walks_as_the_same_file_on_disk(tmp_path: Path, cut: int | None) -> None:
    """A BytesIO is walked where its bytes lie (no copy): the very layout of the file on
    disk, whole or cut short anywhere; and the BytesIO can be written again afterwards."""
    import io

    from tests.factories import export as fx
    from veil.core.formats.jpeg_walk import walk_jpeg

    data = fx.dirty_jpeg(trailer=True)[:cut]
    path = tmp_path / "a.jpg"
    path.write_bytes(data)
    with open(path, "rb") as f:
        on_disk = walk_jpeg(f, len(data))
    memory = io.BytesIO(data)
    in_memory = walk_jpeg(memory, len(data))
    assert on_disk == in_memory
    assert len(on_disk.segments) > (3 if cut is None else 1)
    memory.write(b"x")  # no view of its memory is left behind
