"""JPEG cleaning: allowlist copy around byte-identical scans; dirty -> clean -> re-read."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps

from tests.factories import exif as ex
from tests.factories import jpeg as fj
from tests.factories.jpeg import rich_jpeg, split_exif_jpeg, thumb_jpeg
from tests.factories.mp4 import make_mp4
from veil.core.formats.jpeg import Jpeg
from veil.core.formats.jpeg_walk import walk_jpeg
from veil.core.formats.tiffwalk import bytes_reader, walk_tiff
from veil.core.metadata.icc import neutral_icc
from veil.core.model import ExportOptions


def clean(tmp_path: Path, data: bytes, options: ExportOptions | None = None,
          pixels: Image.Image | None = None) -> tuple[bytes, object]:
    src = tmp_path / "src.jpg"
    src.write_bytes(data)
    out = io.BytesIO()
    outcome = Jpeg.write_clean(src, out, options or ExportOptions(), pixels)
    return out.getvalue(), outcome


def scans(data: bytes) -> list[bytes]:
    layout = walk_jpeg(io.BytesIO(data), len(data))
    return [data[s.offset : s.offset + s.length] for s in layout.segments if s.marker == 0]


def dirty(extra_after: bytes = b"") -> bytes:
    return rich_jpeg() + extra_after


def test_everything_identifying_is_removed(tmp_path: Path) -> None:
    data = dirty(make_mp4())
    out, outcome = clean(tmp_path, data)
    scan = Jpeg.read(io.BytesIO(out), len(out))
    assert scan.xmp == () and scan.iptc == () and scan.comments == () and not scan.c2pa
    assert scan.embedded == ()
    assert {b.kind for b in scan.blocks} <= {"structure", "image", "exif", "icc", "adobe"}
    assert scan.complete
    for kind in ("exif", "xmp", "iptc", "comment", "thumbnail", "c2pa", "maker", "trailer"):
        assert kind in outcome.removed
    assert set(outcome.kept) == {"orientation", "icc"}
    assert outcome.lossless


def test_orientation_tag_is_kept_alone(tmp_path: Path) -> None:
    out, _ = clean(tmp_path, dirty())
    scan = Jpeg.read(io.BytesIO(out), len(out))
    (tiff,) = scan.exif
    info = walk_tiff(bytes_reader(tiff), len(tiff), pages=False)
    assert info is not None and info.orientation == 6
    assert [i.name for i in info.ifds] == ["IFD0"]
    assert list(info.ifds[0].entries) == [0x0112]


def test_scan_bytes_and_pixels_are_identical(tmp_path: Path) -> None:
    data = dirty()
    out, _ = clean(tmp_path, data)
    assert scans(out) == scans(data)
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert a.tobytes() == b.tobytes()


def test_cleaning_twice_gives_identical_bytes(tmp_path: Path) -> None:
    once, _ = clean(tmp_path, dirty(make_mp4()))
    twice, outcome = clean(tmp_path, once)
    assert once == twice
    assert outcome.removed == ()


def test_icc_chunks_kept_in_order_or_dropped(tmp_path: Path) -> None:
    out, _ = clean(tmp_path, dirty())
    assert Jpeg.read(io.BytesIO(out), len(out)).icc == neutral_icc(fj.fake_icc())
    out, outcome = clean(tmp_path, dirty(), ExportOptions(keep_icc=False))
    assert Jpeg.read(io.BytesIO(out), len(out)).icc is None
    assert "icc" not in outcome.kept and "icc" in outcome.removed


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_displays_upright(tmp_path: Path, orientation: int) -> None:
    img = fj.noise_image((40, 24))
    tiff = ex.exif_payload(make="Canon", gps=(1.0, 2.0), orientation=orientation)
    data = fj.insert(fj.strip_jfif(fj.encode(img)), fj.app1_exif(tiff))
    out, outcome = clean(tmp_path, data)
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert b.getexif().get(0x0112, 1) == orientation
        ua, ub = ImageOps.exif_transpose(a), ImageOps.exif_transpose(b)
        assert ua.size == ub.size and ua.tobytes() == ub.tobytes()
        assert 0x8825 not in b.getexif() and 0x010F not in b.getexif()
    assert ("orientation" in outcome.kept) == (orientation != 1)


def test_cmyk_keeps_adobe_marker_and_colours(tmp_path: Path) -> None:
    data = fj.insert(fj.encode(fj.noise_image((32, 32), "CMYK")),
                     fj.segment(0xFE, b"owner: Jane"))
    assert b"Adobe" in data
    out, _ = clean(tmp_path, data)
    assert b"Adobe" in out and b"owner" not in out
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert b.mode == "CMYK" and a.tobytes() == b.tobytes()


def test_mpo_keeps_only_the_primary_image(tmp_path: Path) -> None:
    primary = fj.encode()
    data = fj.mpo(primary, fj.encode(fj.noise_image(seed=3)))
    out, outcome = clean(tmp_path, data)
    assert "mpf" in outcome.removed and "trailer" in outcome.removed
    scan = Jpeg.read(io.BytesIO(out), len(out))
    assert scan.format == "jpeg" and scan.embedded == ()
    assert out.count(b"\xff\xd9") >= 1 and len(out) < len(primary) + 100


def test_jfif_thumbnail_is_cut_out(tmp_path: Path) -> None:
    base = fj.strip_jfif(fj.encode())
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x02\x02" + b"\x7f" * 12  # 2x2 RGB thumbnail
    out, _ = clean(tmp_path, fj.insert(base, fj.segment(0xE0, jfif)))
    assert out[2:20] == fj.segment(0xE0, jfif[:12] + b"\x00\x00")


def test_pixels_are_encoded_with_source_tables_and_no_exif(tmp_path: Path) -> None:
    data = dirty()
    with Image.open(io.BytesIO(data)) as src:
        upright = ImageOps.exif_transpose(src)
        tables = src.quantization
    upright.paste((0, 0, 0), (0, 0, 10, 10))  # a redaction
    upright.info["comment"] = b"must not survive"
    out, outcome = clean(tmp_path, data, pixels=upright)
    assert not outcome.lossless and "icc" in outcome.kept
    with Image.open(io.BytesIO(out)) as b:
        assert b.quantization == tables
        assert b.size == upright.size
        assert not b.getexif() and "comment" not in b.info
        assert b.info.get("icc_profile") == neutral_icc(fj.fake_icc())


def test_bake_orientation_rotates_pixels(tmp_path: Path) -> None:
    tiff = ex.exif_payload(orientation=6)
    data = fj.insert(fj.strip_jfif(fj.encode(fj.noise_image((40, 24)))), fj.app1_exif(tiff))
    out, outcome = clean(tmp_path, data, ExportOptions(bake_orientation=True))
    assert not outcome.lossless and "orientation" not in outcome.kept
    with Image.open(io.BytesIO(out)) as b:
        assert b.size == (24, 40) and not b.getexif()


def test_removed_thumbnail_is_not_in_output(tmp_path: Path) -> None:
    out, _ = clean(tmp_path, dirty())
    assert thumb_jpeg()[20:80] not in out


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_finds_nothing_identifying(tmp_path: Path) -> None:
    out, _ = clean(tmp_path, dirty(make_mp4()))
    path = tmp_path / "out.jpg"
    path.write_bytes(out)
    res = subprocess.run(["exiftool", "-j", "-G", "-a", "-ee", str(path)], capture_output=True,
                         text=True, check=True)
    tags = json.loads(res.stdout)[0]
    allowed = ("SourceFile", "File:", "ExifTool:", "Composite:", "ICC_Profile:", "JFIF:",
               "APP14:")
    leftover = {k: v for k, v in tags.items() if not k.startswith(allowed)}
    assert leftover == {"EXIF:Orientation": "Rotate 90 CW"}


def test_corrupt_source_raises(tmp_path: Path) -> None:
    from veil.core.errors import CorruptFile

    with pytest.raises(CorruptFile):
        clean(tmp_path, b"\xff\xd8\xff\xe1\x00\x01")


def test_diff_free_roundtrip_of_pixels_via_pillow(tmp_path: Path) -> None:
    data = fj.encode(fj.noise_image((64, 64)), progressive=True, restart_marker_rows=2)
    out, _ = clean(tmp_path, fj.insert(data, fj.segment(0xFE, b"x")))
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert ImageChops.difference(a, b).getbbox() is None


#: exiftool groups a cleaned JPEG may still show: file facts, the kept ICC/JFIF/Adobe blocks.
_ALLOWED_GROUPS = ("SourceFile", "File:", "ExifTool:", "Composite:", "ICC_Profile:", "JFIF:",
                   "APP14:")


def test_corpus_jpegs_clean_losslessly(shared_dir: Path, tmp_path: Path) -> None:
    root = shared_dir / "corpus"
    if not root.is_dir():
        pytest.skip("../shared/corpus is absent")
    from veil.core.errors import CorruptFile

    outputs = []
    for i, path in enumerate(sorted(root.rglob("*"))):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".mpo"):
            continue
        out_path = tmp_path / f"{i:03d}.jpg"
        try:
            with open(out_path, "wb") as out:
                Jpeg.write_clean(path, out, ExportOptions())
        except CorruptFile:
            continue
        data, out = path.read_bytes(), out_path.read_bytes()
        assert scans(out) == scans(data), path.name
        outputs.append(str(out_path))
    assert outputs
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    res = subprocess.run(["exiftool", "-j", "-G", "-a", *outputs], capture_output=True,
                         text=True, check=False)
    leaks = {}
    for tags in json.loads(res.stdout):
        extra = {k for k in tags if not k.startswith(_ALLOWED_GROUPS)} - {"EXIF:Orientation"}
        if extra:
            leaks[tags["SourceFile"]] = sorted(extra)
    assert not leaks, leaks


def test_xmp_only_orientation_moves_into_the_minimal_exif(tmp_path: Path) -> None:
    xmp = ex.xmp_packet('<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
                        'tiff:Orientation="8" xmlns:dc="x" dc:creator="Jane"/>')
    data = fj.insert(fj.encode(fj.noise_image((40, 24))), fj.app1_xmp(xmp))
    out, outcome = clean(tmp_path, data)
    assert b"Jane" not in out and "orientation" in outcome.kept
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert ImageOps.exif_transpose(a).tobytes() == ImageOps.exif_transpose(b).tobytes()
        assert ImageOps.exif_transpose(b).size == (24, 40)


def test_every_part_of_a_split_exif_is_dropped(tmp_path: Path) -> None:
    data, _ = split_exif_jpeg()
    out, outcome = clean(tmp_path, data)
    for secret in (b"Canon", b"first", b"second", b"SN-7788", thumb_jpeg()[:64]):
        assert secret not in out
    scan = Jpeg.read(io.BytesIO(out), len(out))
    # Only the minimal orientation EXIF is left; 6 came from the stitched IFD0 (cut mid-table).
    (tiff,) = scan.exif
    info = walk_tiff(bytes_reader(tiff), len(tiff), pages=False)
    assert info is not None and info.orientation == 6 and len(info.ifds[0].entries) == 1
    assert scan.embedded == () and {"exif", "thumbnail"} <= set(outcome.removed)
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert ImageOps.exif_transpose(a).tobytes() == ImageOps.exif_transpose(b).tobytes()


def test_corpus_multi_segment_exif_is_dropped(shared_dir: Path, tmp_path: Path) -> None:
    path = shared_dir / "corpus/python-pillow__Pillow/Tests/images/multiple_exif.jpg"
    if not path.is_file():
        pytest.skip("multiple_exif.jpg is absent")
    out, outcome = clean(tmp_path, path.read_bytes())
    assert b"first" not in out and b"second" not in out and b"Exif" not in out
    assert "exif" in outcome.removed and scans(out) == scans(path.read_bytes())


def test_only_the_first_exif_block_gives_the_orientation(tmp_path: Path) -> None:
    # Pillow and browsers apply the first EXIF block; a second block's orientation is ignored.
    first, second = ex.exif_payload(make="Canon"), ex.exif_payload(orientation=6)
    data = fj.insert(fj.encode(fj.noise_image((40, 24))), fj.app1_exif(first),
                     fj.app1_exif(second))
    out, outcome = clean(tmp_path, data)
    assert "orientation" not in outcome.kept and b"Exif" not in out
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(out)) as b:
        assert ImageOps.exif_transpose(a).size == ImageOps.exif_transpose(b).size == (40, 24)
