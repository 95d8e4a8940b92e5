"""HEIF/HEIC/AVIF container-level cleaning: no leaks, same pixels, refusals, JPEG path."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.factories.basic import gps_serial_exif
from tests.factories.heif_clean import assert_no_leaks, clean, grid_heif, pixels, scan_of
from tests.factories.isobmff import (
    XMP_PACKET,
    Coded,
    Item,
    aux_c,
    box,
    build_heif,
    c2pa_uuid_box,
    exif_payload,
    full_box,
    irot,
    ispe,
    simple_heif,
    write,
)
from tests.factories.mp4 import make_mp4
from veil.core.errors import Unsupported
from veil.core.formats.heif import Heif
from veil.core.metadata.icc import neutral_icc
from veil.core.model import ExportOptions

pillow_heif = pytest.importorskip("pillow_heif")
pillow_heif.register_heif_opener()


def test_pillow_heif_file_cleaned_losslessly(tmp_path: Path) -> None:
    src = tmp_path / "dirty.heic"
    img = Image.effect_noise((120, 80), 40).convert("RGB")
    pillow_heif.from_pillow(img).save(src, exif=gps_serial_exif().tobytes(), xmp=XMP_PACKET)
    write(src, src.read_bytes() + c2pa_uuid_box())
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    data, outcome = clean(src)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # original untouched
    assert outcome.lossless and {"exif", "xmp", "c2pa"} <= set(outcome.removed)
    assert_no_leaks(data)
    assert np.array_equal(pixels(data), pixels(src))
    again_src = write(tmp_path / "clean.heic", data)
    again, outcome2 = clean(again_src)
    assert again == data  # cleaning is stable
    assert outcome2.removed == ()


def test_avif_cleaned_losslessly(tmp_path: Path) -> None:
    from PIL import features

    if not features.check("avif"):
        pytest.skip("Pillow built without AVIF")
    src = tmp_path / "dirty.avif"
    Image.effect_noise((48, 32), 50).convert("RGB").save(
        src, exif=gps_serial_exif(), xmp=XMP_PACKET, quality=90
    )
    data, outcome = clean(src)
    assert outcome.lossless and {"exif", "xmp"} <= set(outcome.removed)
    assert_no_leaks(data)
    assert scan_of(data).format == "avif"
    assert np.array_equal(pixels(data), pixels(src))


def test_icc_kept_or_dropped_on_request(tmp_path: Path) -> None:
    src = tmp_path / "icc.heic"
    pillow_heif.from_pillow(Image.new("RGB", (32, 32), (1, 100, 200))).save(
        src, icc_profile=_srgb_icc()
    )
    assert scan_of(src.read_bytes()).icc == _srgb_icc()
    data, outcome = clean(src)
    assert scan_of(data).icc == neutral_icc(_srgb_icc()) and "icc" in outcome.kept
    data, outcome = clean(src, ExportOptions(keep_icc=False))
    assert scan_of(data).icc is None and "icc" in outcome.removed
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (32, 32)


def test_exiftool_sees_nothing(tmp_path: Path) -> None:
    exiftool = shutil.which("exiftool")
    if not exiftool:
        pytest.skip("exiftool not installed")
    src = tmp_path / "dirty.heic"
    pillow_heif.from_pillow(Image.new("RGB", (64, 64), (9, 99, 199))).save(
        src, exif=gps_serial_exif().tobytes(), xmp=XMP_PACKET
    )
    out = write(tmp_path / "out.heic", clean(src)[0])
    (dirty,) = json.loads(
        subprocess.run(
            [exiftool, "-j", "-G", str(src)], capture_output=True, text=True, check=True
        ).stdout
    )
    (tags,) = json.loads(
        subprocess.run(
            [exiftool, "-j", "-G", str(out)], capture_output=True, text=True, check=True
        ).stdout
    )
    assert "EXIF:GPSLatitude" in dirty and "XMP:Creator" in dirty  # the check can fail
    leaked = [k for k in tags if k.split(":")[0] in ("EXIF", "XMP", "IPTC", "MakerNotes", "JUMBF")]
    assert not leaked
    assert not [k for k in tags if "GPS" in k or "Serial" in k or "Warning" in k]


def _rich(coded: Coded, **kwargs: object) -> bytes:
    pic = list(coded.props)
    alpha_urn = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"
    items = [
        Item(1, "hvc1", coded.data, [*pic, irot(1)], extents=2),
        Item(2, "hvc1", coded.data, pic),
        Item(3, "hvc1", coded.data, [*pic, aux_c("urn:mpeg:hevc:2015:auxid:2")], hidden=True),
        Item(4, "hvc1", coded.data, [*pic, aux_c(alpha_urn)], hidden=True),
        Item(
            5,
            "hvc1",
            coded.data,
            [*pic, aux_c("urn:com:apple:photo:2020:aux:hdrgainmap")],
            hidden=True,
        ),
        Item(6, "Exif", exif_payload(gps_serial_exif()), in_idat=True),
        Item(7, "mime", XMP_PACKET, content_type="application/rdf+xml"),
    ]
    refs = [
        ("thmb", 2, [1]),
        ("auxl", 3, [1]),
        ("auxl", 4, [1]),
        ("auxl", 5, [1]),
        ("cdsc", 6, [1]),
        ("cdsc", 7, [1]),
    ]
    return build_heif(items, 1, refs, extra_top=box("mpvd", make_mp4()), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("iloc_version", "layout"), [(0, "plain"), (1, "plain"), (2, "plain"), (1, "base"), (2, "wide")]
)
def test_thumbnail_depth_gainmap_video_dropped_alpha_kept(
    tmp_path: Path, coded: Coded, iloc_version: int, layout: str
) -> None:
    if iloc_version == 0:  # version 0 has no idat construction: keep the Exif in mdat
        src = write(
            tmp_path / "v0.heic", simple_heif(coded, exif=gps_serial_exif(), iloc_version=0)
        )
    else:
        src = write(
            tmp_path / "rich.heic", _rich(coded, iloc_version=iloc_version, iloc_layout=layout)
        )
    data, outcome = clean(src)
    assert_no_leaks(data)
    scan = scan_of(data)
    if iloc_version:
        assert {"thumbnail", "motion_video", "aux_image (depth)", "aux_image (gain map)"} <= set(
            outcome.removed
        )
        assert [e.detail["aux_type"] for e in scan.embedded] == ["alpha"]
        assert "orientation" in outcome.kept and "alpha" in outcome.kept
        assert any(b.name == "irot" for b in scan.blocks)
    assert np.array_equal(pixels(data), pixels(src))


def test_grid_image_with_tiles_in_idat(tmp_path: Path, coded: Coded) -> None:
    src = write(tmp_path / "grid.heic", grid_heif(coded, 64, 2, 2, 10))
    assert scan_of(src.read_bytes()).width == 128
    data, _ = clean(src)
    assert_no_leaks(data)
    scan = scan_of(data)
    assert (scan.width, scan.height) == (128, 128)
    out_pixels = pixels(data)
    assert out_pixels.shape == (128, 128, 4)
    assert np.array_equal(out_pixels, pixels(src))


def test_a_grid_shares_one_neutralised_profile(
    tmp_path: Path, coded: Coded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tiles of a grid share one ICC colour property: the copy neutralises it once
    (not once per tile), and every tile and the grid point to that one neutral profile."""
    from veil.core.formats import heif_props

    colr = box("colr", b"prof" + _srgb_icc())
    ids = [10 + k for k in range(4)]
    tiles = [Item(i, "hvc1", coded.data, [*coded.props, colr], hidden=True) for i in ids]
    desc = bytes([0, 0, 1, 1]) + (128).to_bytes(2, "big") + (128).to_bytes(2, "big")
    grid = Item(1, "grid", desc, [ispe(128, 128), colr], in_idat=True)
    src = write(tmp_path / "grid-icc.heic", build_heif([grid, *tiles], 1, [("dimg", 1, ids)]))
    calls: list[int] = []
    neutral = heif_props.neutral_icc

    def counting(profile: bytes) -> bytes:
        calls.append(len(profile))
        return neutral(profile)

    monkeypatch.setattr(heif_props, "neutral_icc", counting)
    data, outcome = clean(src)
    assert len(calls) == 1 and "icc" in outcome.kept
    assert data.count(b"colrprof") == 1  # one profile property, shared
    assert scan_of(data).icc == neutral(_srgb_icc())
    assert np.array_equal(pixels(data), pixels(src))


def test_descriptive_properties_dropped_essential_unknown_refused(
    tmp_path: Path, coded: Coded
) -> None:
    udes = full_box("udes", 0, 0, b"en\0Jane Doe at home\0\0\0")
    items = [Item(1, "hvc1", coded.data, [coded.hvcc, ispe(64, 64), udes])]
    data, outcome = clean(write(tmp_path / "udes.heic", build_heif(items, 1)))
    assert b"Jane Doe" not in data and "property udes" in outcome.removed
    assert np.array_equal(pixels(data), pixels(tmp_path / "udes.heic"))
    # an unknown property marked essential can't be dropped: refuse, write nothing
    weird = box("zzzz", b"\x01")
    raw = bytearray(build_heif([Item(1, "hvc1", coded.data, [coded.hvcc, weird])], 1))
    ipma = raw.index(b"ipma")
    row = raw.index(b"\x00\x01\x02\x81\x02", ipma)  # item 1: two props, hvcC essential
    raw[row + 4] = 0x82  # mark 'zzzz' essential
    src = write(tmp_path / "weird.heic", bytes(raw))
    out = io.BytesIO()
    with pytest.raises(Unsupported, match="zzzz"):
        Heif.write_clean(src, out, ExportOptions())
    assert out.getvalue() == b""


def test_image_sequence_refused_or_converted(tmp_path: Path) -> None:
    src = tmp_path / "seq.heic"
    pillow_heif.from_pillow(Image.new("RGB", (32, 32), (200, 10, 10))).save(
        src, exif=gps_serial_exif().tobytes()
    )
    write(src, src.read_bytes() + box("moov", b""))
    with pytest.raises(Unsupported, match="animated"):
        clean(src)
    data, outcome = clean(src, ExportOptions(heic_to_jpeg=True))
    assert data[:2] == b"\xff\xd8" and "converted_to_jpeg" in outcome.kept
    assert not outcome.lossless
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (32, 32) and not im.getexif() and "exif" not in im.info


def test_redaction_pixels_need_jpeg_choice(tmp_path: Path) -> None:
    src = tmp_path / "face.heic"
    icc = _srgb_icc()
    img = Image.new("RGB", (40, 60), (50, 60, 70))
    pillow_heif.from_pillow(img).save(src, exif=gps_serial_exif().tobytes(), icc_profile=icc)
    covered = img.copy()
    covered.paste((0, 0, 0), (5, 5, 20, 20))
    with pytest.raises(Unsupported, match="convert to JPEG"):
        clean(src, ExportOptions(), pixels=covered)
    data, outcome = clean(src, ExportOptions(heic_to_jpeg=True), pixels=covered)
    assert "converted_to_jpeg" in outcome.kept and "icc" in outcome.kept and not outcome.lossless
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG" and im.size == (40, 60)
        assert im.info.get("icc_profile") == neutral_icc(icc)
        assert not im.getexif()
        cover = im.getpixel((10, 10))
        assert isinstance(cover, tuple) and cover[0] < 20  # the cover is there
    for word in (b"0123456789", b"Canon"):
        assert word not in data


@functools.cache
def _srgb_icc() -> bytes:
    # Made once: littleCMS stamps each new profile with the time of day, so two profiles
    # made a second apart differ (the test compared two and failed now and then).
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
