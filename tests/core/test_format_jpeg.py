"""JPEG / MPO reading: every segment walked, every metadata block and hidden image found."""

from __future__ import annotations

import io
import json
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.factories import exif as ex
from tests.factories import jpeg as fj
from tests.factories.isobmff import make_mp4
from tests.factories.jpeg import rich_jpeg, split_exif_jpeg, thumb_jpeg
from veil.core.errors import CorruptFile
from veil.core.formats.base import ContainerScan
from veil.core.formats.jpeg import Jpeg
from veil.core.formats.jpeg_walk import walk_jpeg


def read(data: bytes) -> ContainerScan:
    return Jpeg.read(io.BytesIO(data), len(data))


def test_walk_lists_every_segment_contiguously() -> None:
    data = rich_jpeg()
    scan = read(data)
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
    scan = read(data)
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
    scan = read(data)
    thumbs = [e for e in scan.embedded if e.kind == "thumbnail"]
    assert len(thumbs) == 1
    t = thumbs[0]
    assert t.data == thumb_jpeg()
    assert data[t.offset : t.offset + t.length] == thumb_jpeg()


def test_exif_split_over_app1_segments_is_read_whole() -> None:
    data, tiff = split_exif_jpeg()
    scan = read(data)
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
    scan = read(data)
    assert scan.exif == (block[:100],) and not scan.complete
    assert any("too large" in w for w in scan.warnings)


def test_separate_and_orphan_exif_app1_segments() -> None:
    one, two = ex.exif_payload(make="Canon"), ex.exif_payload(artist="Jane", bo=">")
    scan = read(fj.insert(fj.encode(), fj.app1_exif(one), fj.app1_exif(two)))
    assert scan.exif == (one, two) and scan.complete
    orphan = read(fj.insert(fj.encode(), fj.app1_exif(b"no TIFF header here")))
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
    scan = read(fj.encode())
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
    scan = read(evil)
    assert not [e for e in scan.embedded if e.kind in ("trailer", "cropped_leftover")]
    assert "comment" in {b.kind for b in scan.blocks}


def test_mpo_lists_the_extra_image() -> None:
    data = fj.mpo(fj.encode(), fj.encode(fj.noise_image(seed=3)))
    scan = read(data)
    assert scan.format == "mpo"
    extra = [e for e in scan.embedded if e.kind == "mpf_image"]
    assert len(extra) == 1
    assert data[extra[0].offset : extra[0].offset + 3] == b"\xff\xd8\xff"
    assert extra[0].offset + extra[0].length == len(data)
    assert not [e for e in scan.embedded if e.kind == "trailer"]


def test_motion_photo_video_after_eoi() -> None:
    movie = make_mp4(duration=2800, audio=True)
    data = fj.encode() + movie
    scan = read(data)
    videos = [e for e in scan.embedded if e.kind == "motion_video"]
    assert len(videos) == 1
    v = videos[0]
    assert v.offset == len(data) - len(movie) and v.length == len(movie)
    assert v.detail.get("duration_s") == pytest.approx(2.8)
    assert v.detail.get("has_audio") is True


def test_gain_map_padding_and_video_after_eoi() -> None:
    movie = make_mp4(duration=1000, audio=False)
    data = fj.mpo(fj.encode(), fj.encode(fj.noise_image((16, 12), "L"))) + b"\x00" * 7 + movie
    scan = read(data)
    assert [e.kind for e in scan.embedded] == ["mpf_image", "motion_video"]
    assert scan.embedded[1].offset == len(data) - len(movie)
    assert scan.embedded[1].detail.get("has_audio") is False


def test_samsung_trailer_with_motion_photo() -> None:
    movie = make_mp4(duration=1500, audio=False)
    sef = fj.samsung_trailer({"Image_UTC_Data": b"1699195812000", "MotionPhoto_Data": movie})
    scan = read(fj.encode() + sef)
    kinds = {e.kind: e for e in scan.embedded}
    assert "Image_UTC_Data" in kinds["trailer"].detail["entries"]
    assert kinds["trailer"].detail["values"]["Image_UTC_Data"] == "1699195812000"
    assert kinds["motion_video"].detail.get("has_audio") is False


def test_cropped_leftover_and_appended_jpeg_and_padding() -> None:
    original = fj.encode(fj.noise_image((128, 96), seed=5))
    leftover = read(fj.encode() + fj.scan_tail(original))
    assert [e.kind for e in leftover.embedded] == ["cropped_leftover"]
    second = fj.encode(fj.noise_image((16, 16), seed=9))
    appended = read(fj.encode() + second)
    (emb,) = appended.embedded
    assert emb.kind == "trailer" and emb.data == second
    padded = read(fj.encode() + b"\x00" * 300)
    assert padded.embedded == () and padded.complete


def test_unknown_trailer_and_unknown_app_are_reported() -> None:
    scan = read(fj.insert(fj.encode(), fj.segment(0xE9, b"Mystery\x00data")) + b"secret bytes")
    (emb,) = scan.embedded
    assert emb.kind == "trailer" and emb.length == len(b"secret bytes")
    unknown = [b for b in scan.blocks if not b.known]
    assert {b.name for b in unknown} == {"APP9", "trailer"}
    assert not scan.complete  # an APPn Veil can't read means the file can't be called clean


def test_photoshop_thumbnail_and_jfxx_thumbnail() -> None:
    thumb = thumb_jpeg()
    res = b"\x00" * 28 + thumb
    jfxx = fj.segment(0xE0, b"JFXX\x00\x10" + thumb)
    scan = read(fj.insert(fj.encode(), fj.segment(0xED, ex.photoshop((0x040C, res))), jfxx))
    sources = sorted(e.detail["source"] for e in scan.embedded if e.kind == "thumbnail")
    assert sources == ["JFXX", "Photoshop"]
    assert all(e.data == thumb for e in scan.embedded)


# -- hostile input ----------------------------------------------------------------------------


def test_not_a_jpeg_and_empty() -> None:
    with pytest.raises(CorruptFile):
        read(b"")
    with pytest.raises(CorruptFile):
        read(b"GIF89a" + b"\x00" * 40)
    assert not Jpeg.sniff(b"\x89PNG\r\n\x1a\n")


def test_invalid_segment_length_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        read(b"\xff\xd8\xff\xe1\x00\x01rest")


def test_length_beyond_file_is_incomplete() -> None:
    scan = read(b"\xff\xd8\xff\xe1\xff\xf0Exif\x00\x00II*\x00")
    assert not scan.complete and scan.warnings


def test_exif_ifd_loop_does_not_hang() -> None:
    make = b"\x0f\x01\x02\x00\x02\x00\x00\x00A\x00\x00\x00"  # Make = "A"
    loop = b"II*\x00\x08\x00\x00\x00" + b"\x01\x00" + make
    loop += b"\x08\x00\x00\x00"  # next IFD = IFD0 again
    scan = read(fj.insert(fj.encode(), fj.app1_exif(bytes(loop))))
    assert not scan.complete
    assert any("loop" in w for w in scan.warnings)


def test_mpf_pointing_beyond_the_file() -> None:
    data = fj.mpo(fj.encode(), fj.encode(fj.noise_image(seed=4)))
    cut = data[: len(data) - 500]
    scan = read(cut)
    assert not scan.complete
    assert not [e for e in scan.embedded if e.kind == "mpf_image"]


def test_huge_extended_xmp_claim_is_refused() -> None:
    seg = fj.segment(0xE1, fj.XMP_EXT_SIG + b"1" * 32 + b"\xff\xff\xff\xff\x00\x00\x00\x00abc")
    scan = read(fj.insert(fj.encode(), seg))
    assert not scan.complete


def test_truncations_and_bit_flips_never_escape_as_other_errors() -> None:
    data = rich_jpeg() + make_mp4()
    rng = random.Random(42)
    variants = [data[:n] for n in range(0, len(data), 97)]
    for _ in range(150):
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        variants.append(bytes(b))
    for v in variants:
        try:
            scan = read(v)
        except CorruptFile:
            continue
        assert isinstance(scan, ContainerScan)


def test_garbage_after_soi_stops_cleanly() -> None:
    scan = read(b"\xff\xd8" + bytes(random.Random(1).randbytes(5000)).replace(b"\xff", b"\x00"))
    assert not scan.complete


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
    scan = read(path.read_bytes())
    (tiff,) = scan.exif
    assert b"firstsecond" in tiff and scan.complete, scan.warnings


def test_endless_standalone_markers_stop() -> None:
    scan = read(b"\xff\xd8" + b"\xff\xd0" * 100_000)
    assert not scan.complete and any("too many" in w for w in scan.warnings)


def test_afcp_and_fotostation_trailers_give_their_iptc_and_thumbnails() -> None:
    iptc = ex.iim(2, 80, b"Jane Doe")
    base = fj.encode()
    for trailer in (fj.afcp_trailer(iptc, thumb_jpeg(), len(base)),
                    fj.fotostation_trailer(iptc, thumb_jpeg())):
        scan = read(base + trailer)
        assert scan.iptc == (iptc,)
        kinds = sorted(e.kind for e in scan.embedded)
        assert kinds == ["thumbnail", "trailer"]
        assert next(e for e in scan.embedded if e.kind == "thumbnail").data == thumb_jpeg()


def test_uncompressed_exif_thumbnail_is_located() -> None:
    ifd1 = ex.Ifd({0x0103: (ex.SHORT, 1), 0x0111: (ex.LONG, 8), 0x0117: (ex.LONG, 48)})
    tiff = ex.tiff(ex.Ifd({0x010F: (ex.ASCII, "Sony")}), ifd1)
    scan = read(fj.insert(fj.encode(), fj.app1_exif(tiff)))
    (thumb,) = scan.embedded
    assert thumb.kind == "thumbnail" and thumb.detail["source"] == "EXIF IFD1"


def test_preview_in_appn_and_known_maker_blocks() -> None:
    preview = thumb_jpeg()
    data = fj.insert(fj.encode(), fj.segment(0xE2, b"QVGA\x00" + preview),
                     fj.segment(0xE5, b"ssuniqueid\x00" + b"A1B2C3"),
                     fj.segment(0xE2, b"urn:iso:std:iso:ts:21496:-1\x00\x00\x00"))
    scan = read(data)
    (thumb,) = scan.embedded
    assert thumb.data == preview and data[thumb.offset : thumb.offset + 3] == b"\xff\xd8\xff"
    notes = {b.note for b in scan.blocks if b.kind == "maker"}
    assert notes == {"Samsung unique ID", "HDR gain map metadata"}
    assert scan.complete


@pytest.mark.parametrize("tail", [b"CANON OPTIONAL DATA\x00" + b"\x00" * 44, b"xxQDIOBS",
                                  b"\x00\x00\x00\x00\x00\x00/NIKON APP"])
def test_known_metadata_trailers_are_named(tail: bytes) -> None:
    scan = read(fj.encode() + b"payload" + tail)
    (emb,) = scan.embedded
    assert emb.kind == "trailer" and "unknown" not in emb.note
    assert all(b.known for b in scan.blocks)


def test_thumbnail_found_after_an_ifd_with_duplicate_tags() -> None:
    thumb = thumb_jpeg()
    make = struct.pack("<HHI4s", 0x010F, 2, 2, b"A\x00\x00\x00")
    ifd0 = struct.pack("<H", 2) + make + make + struct.pack("<I", 38)  # IFD1 right after
    ifd1_entries = [(0x0201, 4, 1, 38 + 2 + 24 + 4), (0x0202, 4, 1, len(thumb))]
    ifd1 = struct.pack("<H", 2) + b"".join(struct.pack("<HHII", *e) for e in ifd1_entries)
    tiff = b"II*\x00\x08\x00\x00\x00" + ifd0 + ifd1 + b"\x00" * 4 + thumb
    scan = read(fj.insert(fj.encode(), fj.app1_exif(tiff)))
    assert [e.data for e in scan.embedded] == [thumb]


def test_broken_ftyp_box_is_one_damaged_movie() -> None:
    scan = read(fj.encode() + b"\x00\x00\x00\x04ftypisom" + b"\x00" * 40)
    assert [e.kind for e in scan.embedded] == ["motion_video"]


def _damaged_after_jfif(length: int) -> bytes:
    """SOI, an intact JFIF block with an 8x8 RGB thumbnail, then a comment whose length
    field is impossible, then a whole picture nobody can reach any more."""
    jfif = b"JFIF\0\x01\x02\0\0\x01\0\x01" + bytes([8, 8]) + b"\x80" * 192
    return (b"\xff\xd8" + fj.segment(0xE0, jfif) + b"\xff\xfe" + struct.pack(">H", length)
            + fj.strip_jfif(fj.encode())[2:])


@pytest.mark.parametrize("length", [0, 1])
def test_damage_after_an_intact_block_is_salvaged_not_refused(length: int) -> None:
    """Issue 15: report what was read before the damage (never "complete")."""
    scan = read(_damaged_after_jfif(length))
    assert not scan.complete
    assert [e.note for e in scan.embedded] == ["JFIF RGB thumbnail"]
    assert any("the rest of the file could not be read" in w for w in scan.warnings)
    assert not any("APP" in w or "COM" in w for w in scan.warnings), scan.warnings


def test_damage_right_after_the_start_is_refused() -> None:
    with pytest.raises(CorruptFile, match="damaged at its start"):
        read(b"\xff\xd8\xff\xfe\x00\x01" + b"\0" * 100)


def test_salvaged_jpeg_scans_ok_but_unknown_and_the_cleaner_refuses(tmp_path: Path) -> None:
    from veil.core.audit import audit_file
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions, ExportStatus, Risk

    src = tmp_path / "damaged.jpg"
    src.write_bytes(_damaged_after_jfif(1))
    report = audit_file(src, metadata_only=True)
    assert report.status == "ok" and report.risk is not Risk.NONE
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.FAILED and not list((tmp_path / "out").glob("*"))


def test_a_metadata_block_cut_by_the_end_of_the_file_is_still_read() -> None:
    """Issue 15 'Damaged files': what comes before the damage is reported."""
    tiff = ex.exif_payload(make="Canon", gps=(48.8584, 2.2945))
    app1 = fj.app1_exif(tiff + b"\0" * 4000)  # the padding is what the cut removes
    data = fj.insert(fj.encode(), app1)
    at = data.index(app1)
    scan = read(data[: at + len(app1) - 3000])
    assert scan.exif and scan.exif[0].startswith(tiff[:8])
    assert not scan.complete
    assert any("the rest could not be read" in w for w in scan.warnings)


@pytest.mark.parametrize("cut", ["soi_ff", "soi_marker", "after_jfif", "after_jfif_marker"])
def test_a_jpeg_cut_before_its_picture_data_is_never_complete(cut: str, tmp_path: Path) -> None:
    """Hostile retest of issue 15: a JPEG cut at a block boundary before its image data
    (3 bytes ``FF D8 FF``; SOI + APP0 and nothing after) scanned ``risk: none``, exit 0 with
    ``--metadata-only``, though the rest of its headers (the EXIF...) could not be read."""
    from veil.core.audit import audit_file
    from veil.core.model import Risk

    data = fj.encode()
    jfif_end = 2 + 2 + struct.unpack(">H", data[4:6])[0]
    assert data[2:4] == b"\xff\xe0"
    ends = {"soi_ff": 3, "soi_marker": 4, "after_jfif": jfif_end,
            "after_jfif_marker": jfif_end + 2}
    cut_data = data[: ends[cut]]
    assert not read(cut_data).complete
    src = tmp_path / "cut.jpg"
    src.write_bytes(cut_data)
    assert audit_file(src, metadata_only=True).risk is Risk.UNKNOWN


def test_a_jpeg_cut_inside_its_picture_data_keeps_its_metadata_complete() -> None:
    data = fj.encode()
    scan = read(data[: len(data) - 40])
    assert scan.complete and any("cut short" in w for w in scan.warnings)
