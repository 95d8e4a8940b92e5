"""A PNG, GIF, WebP or TIFF cut short inside its picture: the scan says so in the walkers'
own words (``FILE_ENDS_IN_PICTURE``), and an export, refused as before, says the original
is damaged instead of a reader's technical complaint (see ``veil.core.export.damage``)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import png as pf
from tests.factories.gif import dirty_gif, plain_gif
from tests.factories.tiff import make_tiff
from tests.factories.webp import dirty_webp
from veil.core.audit import audit_file
from veil.core.damage_words import COULD_NOT_COPY
from veil.core.export import export_clean
from veil.core.formats.builder import FILE_ENDS_IN_PICTURE
from veil.core.formats.png_idat import STREAM_CUT_SHORT
from veil.core.model import ExportOptions, ExportStatus

DAMAGED = f"{COULD_NOT_COPY} ({FILE_ENDS_IN_PICTURE})"


def _noise(size: tuple[int, int] = (96, 64)) -> Image.Image:
    """Pictures that compress badly, so a cut at 60% lands in the picture data."""
    return Image.effect_noise(size, 80).convert("RGB")


def _saved(fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image = _noise()
    (image.convert("P") if fmt == "GIF" else image).save(buf, fmt, **params)
    return buf.getvalue()


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 6 // 10]


#: (file name, the whole file). Each is cut inside its picture data by :func:`_cut`.
WHOLE: dict[str, Callable[[], bytes]] = {
    "cut.png": lambda: pf.assemble(_saved("PNG"), before_idat=[pf.text("Author", "Jane Doe")]),
    "cut.gif": lambda: _saved("GIF"),
    "cut_anim.gif": lambda: plain_gif(frames=3, size=(96, 64)),
    "cut_lossy.webp": lambda: _saved("WEBP", quality=90),
    "cut_lossless.webp": lambda: _saved("WEBP", lossless=True),
    "cut.tif": lambda: make_tiff(size=(96, 64)),  # Pillow puts the directory first
}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_a_cut_picture_is_reported_and_its_export_says_the_original_is_damaged(
    tmp_path: Path, name: str
) -> None:
    src = _write(tmp_path, name, _cut(WHOLE[name]()))
    report = audit_file(src, metadata_only=True)
    assert report.ok and FILE_ENDS_IN_PICTURE in report.notes, report.notes
    assert report.width and report.height  # what was read before the cut is still used
    res = export_clean(src, tmp_path / "out", ExportOptions())
    assert res.status is ExportStatus.FAILED and not res.verified  # refused, as before
    assert res.error == DAMAGED
    assert not (tmp_path / "out" / name).exists()


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_a_whole_original_has_no_damage_note(tmp_path: Path, name: str) -> None:
    src = _write(tmp_path, name, WHOLE[name]())
    assert FILE_ENDS_IN_PICTURE not in audit_file(src, metadata_only=True).notes
    res = export_clean(src, tmp_path / "out", ExportOptions())
    assert res.status is ExportStatus.CLEANED and res.verified and res.notes == (), res.error


def test_a_cut_png_says_so_once(tmp_path: Path) -> None:
    """A stream with no end hides nothing after it: no second note about leftovers."""
    src = _write(tmp_path, "cut.png", _cut(WHOLE["cut.png"]()))
    notes = audit_file(src, metadata_only=True).notes
    assert [n for n in notes if "cut short" in n] == [FILE_ENDS_IN_PICTURE]


def test_a_png_whose_stream_stops_early_but_has_its_end_is_not_a_cut_file(
    tmp_path: Path,
) -> None:
    parts = pf.split(_saved("PNG"))
    idat = b"".join(raw[8:-4] for ctype, raw in parts if ctype == "IDAT")
    head = b"".join(raw for ctype, raw in parts if ctype not in ("IDAT", "IEND"))
    src = _write(tmp_path, "short.png",
                 pf.SIG + head + pf.chunk("IDAT", idat[: len(idat) // 2]) + parts[-1][1])
    notes = audit_file(src, metadata_only=True).notes
    assert FILE_ENDS_IN_PICTURE not in notes
    assert STREAM_CUT_SHORT + "; the picture could not be checked for hidden leftovers" in notes


def test_metadata_before_the_cut_is_still_reported(tmp_path: Path) -> None:
    src = _write(tmp_path, "cut.png", _cut(WHOLE["cut.png"]()))
    report = audit_file(src, metadata_only=True)
    assert "Jane Doe" in json.dumps(report.to_json())


def test_a_png_cut_between_two_picture_chunks_is_cut_short(tmp_path: Path) -> None:
    """No chunk is cut, but the picture's compressed stream stops before its end."""
    parts = pf.split(_saved("PNG"))
    idat = b"".join(raw[8:-4] for ctype, raw in parts if ctype == "IDAT")
    head = b"".join(raw for ctype, raw in parts if ctype not in ("IDAT", "IEND"))
    first, second = pf.chunk("IDAT", idat[:1000]), pf.chunk("IDAT", idat[1000:])
    src = _write(tmp_path, "split.png", pf.SIG + head + first)  # cut where `second` began
    assert pf.split(pf.SIG + head + first + second + parts[-1][1])  # the whole file is sound
    assert FILE_ENDS_IN_PICTURE in audit_file(src, metadata_only=True).notes
    assert export_clean(src, tmp_path / "out", ExportOptions()).error == DAMAGED


@pytest.mark.parametrize(("name", "data"), [
    ("no_iend.png", lambda: pf.base_png()[:-12]),  # the picture is whole, only IEND is gone
    ("no_trailer.gif", lambda: dirty_gif()[:-1]),  # every frame whole, only ';' is gone
])
def test_a_file_missing_only_its_end_mark_is_not_called_a_cut_picture(
    tmp_path: Path, name: str, data: Callable[[], bytes]
) -> None:
    src = _write(tmp_path, name, data())
    report = audit_file(src, metadata_only=True)
    assert report.notes and FILE_ENDS_IN_PICTURE not in report.notes
    res = export_clean(src, tmp_path / "out", ExportOptions())
    assert res.status is ExportStatus.FAILED and "damaged" not in (res.error or "")


def test_a_webp_cut_in_its_metadata_is_not_a_cut_picture(tmp_path: Path) -> None:
    whole = dirty_webp()
    src = _write(tmp_path, "meta_cut.webp", whole[: whole.index(b"XMP ") + 40])
    assert FILE_ENDS_IN_PICTURE not in audit_file(src, metadata_only=True).notes


def test_a_tiff_whose_directory_is_cut_off_says_so(tmp_path: Path) -> None:
    """Pillow writes a compressed TIFF's directory after its pixels: a cut loses it all."""
    src = _write(tmp_path, "dir_cut.tif", _cut(_saved("TIFF", compression="tiff_deflate")))
    report = audit_file(src, metadata_only=True)
    assert not report.ok and "cut short" in (report.error or "")
    res = export_clean(src, tmp_path / "out", ExportOptions())
    assert res.status is ExportStatus.FAILED and "cut short" in (res.error or "")


def test_veil_clean_json_says_the_png_original_was_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from veil.cli import main

    src = _write(tmp_path, "cut.png", _cut(WHOLE["cut.png"]()))
    assert main(["scan", "--json", "--metadata-only", str(src)]) in (0, 1, 2)
    (entry,) = json.loads(capsys.readouterr().out)["files"]
    assert FILE_ENDS_IN_PICTURE in entry["notes"]
    main(["clean", "-j", "1", "--json", "--out", str(tmp_path / "o"), str(src)])
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["status"] == "failed" and result["error"] == DAMAGED


CORPUS = ["python-pillow__Pillow/Tests/images/exif.png",
          "python-pillow__Pillow/Tests/images/flower.webp",
          "exiftool__exiftool/t/images/ExifTool.tif"]


@pytest.mark.parametrize("rel", CORPUS)
def test_real_files_cut_short(tmp_path: Path, shared_dir: Path, rel: str) -> None:
    source = shared_dir / "corpus" / rel
    if not source.is_file():
        pytest.skip(f"{rel} is not in ../shared")
    src = _write(tmp_path, source.name, _cut(source.read_bytes()))
    assert FILE_ENDS_IN_PICTURE in audit_file(src, metadata_only=True).notes
    assert export_clean(src, tmp_path / "out", ExportOptions()).error == DAMAGED
