"""JPEG / MPO reading: every segment walked, every metadata block and thumbnail found.

What follows the picture is tested in test_format_jpeg_trailers, damaged files in
test_format_jpeg_damage."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.factories import exif as ex
from tests.factories import jpeg as fj
from tests.factories.jpeg import read_jpeg, rich_jpeg, split_exif_jpeg, thumb_jpeg
from veil.core.errors import CorruptFile
from veil.core.formats.base import ContainerScan
from veil.core.formats.jpeg import Jpeg
from veil.core.formats.jpeg_walk import walk_jpeg


def test_walk_lists_every_segment_contiguously() -> None:
    data = rich_jpeg()
    scan = read_jpeg(data)
    top = [b for b in scan.blocks if b.name != "IFD1"]  # the thumbnail is nested in APP1
    pos = 0
    for block in top:
        assert block.offset == pos, block
        pos += block.length
    assert pos == len(data)
    kinds = [b.kind for b in top]
    for kind in ("exif", "xmp", "xmp_extended", "icc", "c2pa", "iptc", "adobe", "maker",
                 "comment", "structure", "image"):
        assert kind in kinds
    # Only its FlashPix block is not understood (Veil does not decode FlashPix streams).
    assert [w.split(" was ")[0] for w in scan.warnings] == ["FlashPix data"]
    assert scan.width == 64 and scan.height == 48


def test_payloads_are_collected_and_reassembled() -> None:
    data = rich_jpeg()
    scan = read_jpeg(data)
    assert scan.exif and scan.exif[0][:4] == b"II*\x00"
    assert scan.xmp[0].startswith(b"<?xpacket")
    ext = ex.xmp_packet("<rdf:Description>" + "x" * 500 + "</rdf:Description>")
    assert scan.xmp[1] == ext
    assert scan.icc == fj.fake_icc()
    assert scan.iptc == (ex.iim(2, 80, b"Jane Doe"),)
    assert scan.comments == (b"hello \xff\xd9 world".decode("latin-1"),)
    assert scan.c2pa


def test_exif_thumbnail_is_located_exactly() -> None:
    data = rich_jpeg()
    scan = read_jpeg(data)
    thumbs = [e for e in scan.embedded if e.kind == "thumbnail"]
    assert len(thumbs) == 1
    t = thumbs[0]
    assert t.data == thumb_jpeg()
    assert data[t.offset : t.offset + t.length] == thumb_jpeg()


def test_exif_split_over_app1_segments_is_read_whole() -> None:
    data, tiff = split_exif_jpeg()
    scan = read_jpeg(data)
    assert scan.exif == (tiff,)  # one block, stitched as Pillow and ExifTool do
    assert scan.complete, scan.warnings
    assert [b.kind for b in scan.blocks].count("exif") == 3
    (thumb,) = [e for e in scan.embedded if e.kind == "thumbnail"]
    assert thumb.data == thumb_jpeg()
    assert data[thumb.offset : thumb.offset + thumb.length] == thumb_jpeg()


def test_stitched_exif_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.core.formats import jpeg_exif

    monkeypatch.setattr(jpeg_exif, "MAX_BLOCK", 120)
    block = ex.exif_payload(make="Canon", description="d" * 200)
    # The third part would pass the cap; the small fourth must not be stitched on after a gap.
    data = fj.insert(fj.encode(), *fj.split_app1_exif(block, 60, 100, 140, len(block) - 4))
    scan = read_jpeg(data)
    assert scan.exif == (block[:100],) and not scan.complete
    assert any("too large" in w for w in scan.warnings)


def test_separate_and_orphan_exif_app1_segments() -> None:
    one, two = ex.exif_payload(make="Canon"), ex.exif_payload(artist="Jane", bo=">")
    scan = read_jpeg(fj.insert(fj.encode(), fj.app1_exif(one), fj.app1_exif(two)))
    assert scan.exif == (one, two) and scan.complete
    orphan = read_jpeg(fj.insert(fj.encode(), fj.app1_exif(b"no TIFF header here")))
    assert orphan.exif == () and not orphan.complete
    assert "an EXIF block has no valid TIFF header" in orphan.warnings


def test_stream_without_readinto_walks_the_same() -> None:
    data = fj.encode(fj.noise_image((80, 64)), progressive=True) + b"tail"

    class Plain:  # only read and seek, like some file-like wrappers
        def __init__(self) -> None:
            self.inner = io.BytesIO(data)

        def read(self, n: int) -> bytes:
            return self.inner.read(n)

        def seek(self, off: int, whence: int = 0) -> int:
            return self.inner.seek(off, whence)

    plain = walk_jpeg(Plain(), len(data))  # type: ignore[arg-type]
    assert plain == walk_jpeg(io.BytesIO(data), len(data)) and plain.end == len(data) - 4


def test_plain_pillow_jpeg_has_only_structure() -> None:
    scan = read_jpeg(fj.encode())
    assert {b.kind for b in scan.blocks} <= {"structure", "image", "jfif"}
    assert scan.embedded == () and scan.complete and scan.format == "jpeg"


@pytest.mark.parametrize("params", [{"progressive": True}, {"restart_marker_rows": 1},
                                    {"progressive": True, "restart_marker_blocks": 3}])
def test_scans_with_restarts_and_progressive_end_at_eoi(params: dict[str, object]) -> None:
    data = fj.encode(fj.noise_image((80, 64)), **params)
    layout = walk_jpeg(io.BytesIO(data), len(data))
    assert layout.has_eoi and layout.end == len(data)
    scans = [s for s in layout.segments if s.marker == 0]
    assert len(scans) >= (2 if params.get("progressive") else 1)


def test_eoi_pattern_between_progressive_scans_is_not_the_end() -> None:
    data = fj.encode(fj.noise_image((80, 64)), progressive=True)
    second_sos = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    evil = data[:second_sos] + fj.segment(0xFE, b"\xff\xd9 not the end") + data[second_sos:]
    scan = read_jpeg(evil)
    assert not [e for e in scan.embedded if e.kind in ("trailer", "cropped_leftover")]
    assert "comment" in {b.kind for b in scan.blocks}


def test_photoshop_thumbnail_and_jfxx_thumbnail() -> None:
    thumb = thumb_jpeg()
    res = b"\x00" * 28 + thumb
    jfxx = fj.segment(0xE0, b"JFXX\x00\x10" + thumb)
    scan = read_jpeg(fj.insert(fj.encode(), fj.segment(0xED, ex.photoshop((0x040C, res))), jfxx))
    sources = sorted(e.detail["source"] for e in scan.embedded if e.kind == "thumbnail")
    assert sources == ["JFXX", "Photoshop"]
    assert all(e.data == thumb for e in scan.embedded)


def test_uncompressed_exif_thumbnail_is_located() -> None:
    ifd1 = ex.Ifd({0x0103: (ex.SHORT, 1), 0x0111: (ex.LONG, 8), 0x0117: (ex.LONG, 48)})
    tiff = ex.tiff(ex.Ifd({0x010F: (ex.ASCII, "Sony")}), ifd1)
    scan = read_jpeg(fj.insert(fj.encode(), fj.app1_exif(tiff)))
    (thumb,) = scan.embedded
    assert thumb.kind == "thumbnail" and thumb.detail["source"] == "EXIF IFD1"


def test_preview_in_appn_and_known_maker_blocks() -> None:
    preview = thumb_jpeg()
    data = fj.insert(fj.encode(), fj.segment(0xE2, b"QVGA\x00" + preview),
                     fj.segment(0xE5, b"ssuniqueid\x00" + b"A1B2C3"),
                     fj.segment(0xE2, b"urn:iso:std:iso:ts:21496:-1\x00\x00\x00"))
    scan = read_jpeg(data)
    (thumb,) = scan.embedded
    assert thumb.data == preview and data[thumb.offset : thumb.offset + 3] == b"\xff\xd8\xff"
    notes = {b.note for b in scan.blocks if b.kind == "maker"}
    assert notes == {"Samsung unique ID", "HDR gain map metadata"}
    assert scan.complete


def test_thumbnail_found_after_an_ifd_with_duplicate_tags() -> None:
    thumb = thumb_jpeg()
    make = struct.pack("<HHI4s", 0x010F, 2, 2, b"A\x00\x00\x00")
    ifd0 = struct.pack("<H", 2) + make + make + struct.pack("<I", 38)  # IFD1 right after
    ifd1_entries = [(0x0201, 4, 1, 38 + 2 + 24 + 4), (0x0202, 4, 1, len(thumb))]
    ifd1 = struct.pack("<H", 2) + b"".join(struct.pack("<HHII", *e) for e in ifd1_entries)
    tiff = b"II*\x00\x08\x00\x00\x00" + ifd0 + ifd1 + b"\x00" * 4 + thumb
    scan = read_jpeg(fj.insert(fj.encode(), fj.app1_exif(tiff)))
    assert [e.data for e in scan.embedded] == [thumb]


# -- real files (../shared/corpus; skipped when absent) ---------------------------------------

_TRAILERS = {"trailer", "motion_video", "cropped_leftover", "mpf_image"}


def _corpus_jpegs(shared_dir: Path) -> list[Path]:
    root = shared_dir / "corpus"
    if not root.is_dir():
        pytest.skip("../shared/corpus is absent")
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".mpo"))


def test_corpus_jpegs_read_and_agree_with_exiftool(shared_dir: Path) -> None:
    files = _corpus_jpegs(shared_dir)
    scans: dict[str, ContainerScan] = {}
    for path in files:
        with open(path, "rb") as f:
            try:
                scans[str(path)] = Jpeg.read(f, path.stat().st_size)
            except CorruptFile:
                continue  # a genuinely broken file; anything else is a bug
    assert len(scans) >= len(files) - 2
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.skip("exiftool is not installed")
    res = subprocess.run([exe, "-j", "-G", "-a", "-ThumbnailLength", "-Trailer", "-MPImage2",
                          *scans], capture_output=True, text=True, check=False)
    problems = []
    for tags in json.loads(res.stdout):
        scan = scans[tags["SourceFile"]]
        name = Path(tags["SourceFile"]).name
        ours_thumb = any(e.detail.get("source") == "EXIF IFD1" for e in scan.embedded)
        if ours_thumb != bool(tags.get("EXIF:ThumbnailLength")):
            problems.append(f"{name}: EXIF thumbnail ours={ours_thumb}")
        theirs_hidden = "Trailer:Trailer" in tags or "MPF:MPImage2" in tags
        ours_hidden = any(e.kind in _TRAILERS for e in scan.embedded)
        if ours_hidden != theirs_hidden:
            problems.append(f"{name}: data after the image ours={ours_hidden}")
    assert not problems, problems


def test_corpus_multi_segment_exif_is_stitched(shared_dir: Path) -> None:
    path = shared_dir / "corpus/python-pillow__Pillow/Tests/images/multiple_exif.jpg"
    if not path.is_file():
        pytest.skip("multiple_exif.jpg is absent")
    scan = read_jpeg(path.read_bytes())
    (tiff,) = scan.exif
    assert b"firstsecond" in tiff and scan.complete, scan.warnings
