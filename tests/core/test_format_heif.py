"""HEIF/HEIC/AVIF reading: brands, items, metadata payloads, hidden images (hostile and
damaged input: test_format_heif_damage)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import exifread
import pytest
from PIL import Image

from tests.factories.basic import gps_serial_exif
from tests.factories.isobmff import (
    XMP_PACKET,
    Coded,
    Item,
    aux_c,
    box,
    build_heif,
    c2pa_uuid_box,
    clap,
    exif_payload,
    ftyp,
    imir,
    irot,
    ispe,
    read_heif,
    simple_heif,
)
from tests.factories.mp4 import make_mp4, xyz_atom
from veil.core import formats
from veil.core.formats.heif import Heif

pillow_heif = pytest.importorskip("pillow_heif")


def exif_tags(tiff: bytes) -> dict:
    return exifread.process_file(io.BytesIO(tiff), details=False)


def test_sniff_brands() -> None:
    assert Heif.sniff(ftyp("heic", "mif1", "heic"))
    assert Heif.sniff(ftyp("mif1", "mif1", "avif"))
    assert Heif.sniff(ftyp("msf1", "msf1", "hevc"))
    assert not Heif.sniff(ftyp("isom", "isom", "mp42"))
    assert not Heif.sniff(b"\xff\xd8\xff\xe1" + b"\0" * 60)
    assert formats.detect(ftyp("avif", "avif", "mif1") + b"\0" * 40) is Heif


def test_format_names(coded: Coded) -> None:
    assert read_heif(simple_heif(coded)).format == "heic"
    assert read_heif(simple_heif(coded, brands=("mif1", "mif1", "avif"))).format == "heic"
    # the brands decide when the primary item is not a known codec
    assert read_heif(simple_heif(coded, brands=("mif1", "mif1"))).format == "heic"


def test_pillow_heif_file_exif_gps_serial_and_xmp(tmp_path: Path) -> None:
    path = tmp_path / "a.heic"
    img = Image.new("RGB", (96, 64), (120, 30, 200))
    pillow_heif.from_pillow(img).save(path, exif=gps_serial_exif().tobytes(), xmp=XMP_PACKET)
    with open(path, "rb") as f:
        scan = Heif.read(f, path.stat().st_size)
    assert scan.format == "heic" and (scan.width, scan.height) == (96, 64)
    assert scan.complete and not scan.warnings
    (tiff,) = scan.exif
    tags = exif_tags(tiff)
    assert str(tags["GPS GPSLatitudeRef"]) == "N"
    assert "48" in str(tags["GPS GPSLatitude"])
    assert str(tags["EXIF BodySerialNumber"]) == "0123456789"
    assert any(b"Jane Doe" in x for x in scan.xmp)
    assert not scan.c2pa and not scan.embedded


def test_avif_with_exif(tmp_path: Path) -> None:
    from PIL import features

    if not features.check("avif"):
        pytest.skip("Pillow built without AVIF")
    path = tmp_path / "a.avif"
    Image.new("RGB", (40, 30), (1, 2, 3)).save(path, exif=gps_serial_exif(), xmp=XMP_PACKET)
    with open(path, "rb") as f:
        scan = Heif.read(f, path.stat().st_size)
    assert scan.format == "avif" and (scan.width, scan.height) == (40, 30)
    assert "GPS GPSLatitude" in exif_tags(scan.exif[0])
    assert any(b"Jane Doe" in x for x in scan.xmp)


def _rich(coded: Coded, **kwargs: object) -> bytes:
    """Primary + thumbnail + depth, alpha and gain-map aux images + Exif + XMP."""
    pic = list(coded.props)
    items = [
        Item(1, "hvc1", coded.data, [*pic, irot(1)]),
        Item(2, "hvc1", coded.data, pic),  # thumbnail (same size, fine for tests)
        Item(3, "hvc1", coded.data, [*pic, aux_c("urn:mpeg:hevc:2015:auxid:2")], hidden=True),
        Item(
            4,
            "hvc1",
            coded.data,
            [*pic, aux_c("urn:mpeg:mpegB:cicp:systems:auxiliary:alpha")],
            hidden=True,
        ),
        Item(
            5,
            "hvc1",
            coded.data,
            [*pic, aux_c("urn:com:apple:photo:2020:aux:hdrgainmap")],
            hidden=True,
        ),
        Item(6, "Exif", exif_payload(gps_serial_exif()), extents=3),
        Item(7, "mime", XMP_PACKET, content_type="application/rdf+xml", in_idat=True),
    ]
    refs = [
        ("thmb", 2, [1]),
        ("auxl", 3, [1]),
        ("auxl", 4, [1]),
        ("auxl", 5, [1]),
        ("cdsc", 6, [1]),
        ("cdsc", 7, [1]),
    ]
    return build_heif(items, 1, refs, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("iloc_version", [1, 2])
def test_items_thumbnail_aux_split_extents_idat(coded: Coded, iloc_version: int) -> None:
    scan = read_heif(_rich(coded, iloc_version=iloc_version, large_mdat=iloc_version == 2))
    assert scan.complete, scan.warnings
    assert (scan.width, scan.height) == (64, 64)
    kinds = [(e.kind, e.detail.get("aux_type")) for e in scan.embedded]
    assert ("thumbnail", None) in kinds
    assert {("aux_image", "depth"), ("aux_image", "alpha"), ("aux_image", "gain map")} <= set(kinds)
    thumb = next(e for e in scan.embedded if e.kind == "thumbnail")
    assert (thumb.detail["width"], thumb.detail["height"]) == (64, 64)
    assert "GPS GPSLongitude" in exif_tags(scan.exif[0])  # reassembled from 3 extents
    assert scan.xmp == (XMP_PACKET,)  # read from idat
    assert scan.orientation == 8  # irot 90° anticlockwise
    assert any(b.name == "irot" for b in scan.blocks)
    json.dumps([e.detail for e in scan.embedded])


_EXIF_OPS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def test_orientation_matches_libheif(coded: Coded) -> None:
    """scan.orientation, applied EXIF-style, gives exactly what libheif displays."""
    import numpy as np

    def decode(data: bytes) -> Image.Image:
        with Image.open(io.BytesIO(data)) as im:
            return im.convert("RGB")

    pillow_heif.register_heif_opener()
    plain = decode(build_heif([Item(1, "hvc1", coded.data, list(coded.props))], 1))
    combos = [[irot(k)] for k in range(4)] + [[imir(a)] for a in (0, 1)]
    combos += [[irot(k), imir(a)] for k in (1, 2, 3) for a in (0, 1)]
    combos += [[imir(a), irot(k)] for k in (1, 3) for a in (0, 1)]
    seen = set()
    for transforms in combos:
        data = build_heif([Item(1, "hvc1", coded.data, [*coded.props, *transforms])], 1)
        scan = read_heif(data)
        assert scan.orientation is not None
        seen.add(scan.orientation)
        op = _EXIF_OPS.get(scan.orientation)
        expected = plain.transpose(op) if op is not None else plain
        assert np.array_equal(np.asarray(decode(data)), np.asarray(expected)), transforms
    assert seen == set(range(1, 9))


def test_clean_aperture_gives_the_shown_size(coded: Coded) -> None:
    data = build_heif([Item(1, "hvc1", coded.data, [coded.hvcc, ispe(64, 64), clap(60, 40)])], 1)
    scan = read_heif(data)
    assert (scan.width, scan.height) == (60, 40)


def test_exif_item_with_a_wrong_offset(coded: Coded) -> None:
    payload = b"\0\0\0\0" + b"Exif\0\0" + exif_payload(gps_serial_exif())[10:]
    items = [Item(1, "hvc1", coded.data, list(coded.props)), Item(2, "Exif", payload)]
    scan = read_heif(build_heif(items, 1, [("cdsc", 2, [1])]))
    assert scan.exif and "GPS GPSLatitude" in exif_tags(scan.exif[0])


def test_iloc_version_0(coded: Coded) -> None:
    scan = read_heif(simple_heif(coded, exif=gps_serial_exif(), iloc_version=0))
    assert scan.complete and "GPS GPSLatitude" in exif_tags(scan.exif[0])


def test_c2pa_boxes_and_items(coded: Coded) -> None:
    assert read_heif(simple_heif(coded, extra_top=c2pa_uuid_box())).c2pa
    assert read_heif(simple_heif(coded, extra_top=box("jumb", b"\0" * 16))).c2pa
    items = [
        Item(1, "hvc1", coded.data, [coded.hvcc]),
        Item(2, "mime", b"{}", content_type="application/c2pa"),
    ]
    assert read_heif(build_heif(items, 1)).c2pa
    assert not read_heif(simple_heif(coded)).c2pa


def test_samsung_motion_video_box(coded: Coded) -> None:
    movie = make_mp4(duration=2800, udta=xyz_atom("+48.8584+002.2945/"))
    scan = read_heif(simple_heif(coded, extra_top=box("mpvd", movie)))
    (video,) = [e for e in scan.embedded if e.kind == "motion_video"]
    assert video.detail["duration_s"] == pytest.approx(2.8)
    assert video.detail["has_audio"] is True
    assert video.detail["gps"]["lat"] == pytest.approx(48.8584)
    assert video.length == len(movie)


def test_appended_motion_video_file(coded: Coded) -> None:
    movie = make_mp4(duration=1500, audio=False)
    scan = read_heif(simple_heif(coded) + movie)
    (video,) = [e for e in scan.embedded if e.kind == "motion_video"]
    assert video.detail["duration_s"] == pytest.approx(1.5) and video.detail["has_audio"] is False
    assert video.length == len(movie) and scan.complete


CORPUS_EXT = (".heic", ".heif", ".hif", ".avif")


def corpus_files(shared: Path) -> list[Path]:
    root = shared / "corpus"
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in CORPUS_EXT and p.is_file())


@pytest.mark.slow
def test_corpus_read_matches_exiftool(shared_dir: Path) -> None:
    files = corpus_files(shared_dir)
    if not files:
        pytest.skip("no HEIF files in the corpus")
    exiftool = shutil.which("exiftool")
    for path in files:
        with open(path, "rb") as f:
            scan = Heif.read(f, path.stat().st_size)
        assert scan.width and scan.height, path
        if not exiftool:
            continue
        (ref,) = json.loads(
            subprocess.run(
                [exiftool, "-j", "-G", "-n", str(path)], capture_output=True, check=True, text=True
            ).stdout
        )
        ours = {}
        for tiff in scan.exif:
            ours.update(exif_tags(tiff))
        has_gps = "EXIF:GPSLatitude" in ref
        assert ("GPS GPSLatitude" in ours) == has_gps, path.name
        assert bool(scan.xmp) == any(k.startswith("XMP:") for k in ref), path.name
        has_video = "QuickTime:MotionPhotoVideo" in ref
        assert any(e.kind == "motion_video" for e in scan.embedded) == has_video, path.name
        for key in ("EXIF:SerialNumber", "EXIF:BodySerialNumber", "EXIF:LensSerialNumber"):
            if key in ref:
                name = "EXIF " + key.split(":")[1]
                assert str(ours.get(name)).strip() == str(ref[key]).strip(), path.name
        if "QuickTime:ImageSpatialExtent" in ref or "Composite:ImageSize" in ref:
            size = str(ref.get("Composite:ImageSize", "")).replace("x", " ").split()
            if len(size) == 2:
                assert sorted(map(int, size)) == sorted((scan.width, scan.height)), path.name


def test_a_second_picture_nothing_references_is_reported(tmp_path: Path) -> None:
    """Issue 12 item 9: libheif lists two images; the audit must not say "none found"."""
    from veil.core.audit import audit_file
    from veil.core.model import Risk

    heif = pillow_heif.from_pillow(Image.new("RGB", (64, 48), (200, 10, 10)))
    heif.add_from_pillow(Image.new("RGB", (64, 48), (10, 200, 10)))  # the hidden one
    path = tmp_path / "two.heic"
    heif.save(path, quality=80)
    assert len(pillow_heif.open_heif(path)) == 2
    scan = read_heif(path.read_bytes())
    (extra,) = [e for e in scan.embedded if e.kind == "mpf_image"]
    assert extra.note == "HEIF extra image item" and extra.length > 0
    report = audit_file(path, metadata_only=True)
    assert report.risk is not Risk.NONE
    assert any("more image" in f.summary for f in report.findings)
