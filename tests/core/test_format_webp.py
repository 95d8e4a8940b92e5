"""WebP reading: RIFF chunks walked and bounded, EXIF/XMP/ICC found, hostile input safe."""

from __future__ import annotations

import contextlib
import io
import struct

import exifread
import pytest

from tests.factories import png as fp
from tests.factories import webp as fw
from tests.factories.damage import assert_truncations_flagged, damaged_copies
from veil.core.errors import CorruptFile
from veil.core.formats import detect
from veil.core.formats.base import ContainerScan
from veil.core.formats.webp import Webp


def read(data: bytes) -> ContainerScan:
    return Webp.read(io.BytesIO(data), len(data))


def test_sniff_and_registry() -> None:
    data = fw.pillow_webp()
    assert Webp.sniff(data[:64]) and detect(data[:64]) is Webp
    assert not Webp.sniff(b"RIFF\0\0\0\0WAVEfmt ")


@pytest.mark.parametrize("lossless", [True, False])
def test_walk_lists_every_chunk(lossless: bool) -> None:
    data = fw.dirty_webp(lossless=lossless)
    scan = read(data)
    assert [b.name for b in scan.blocks] == [c for c, _ in fw.split(data)]
    assert scan.blocks[-1].offset + scan.blocks[-1].length == len(data)
    assert (scan.width, scan.height) == (24, 16)
    assert scan.complete and not scan.warnings


@pytest.mark.parametrize("prefix", [False, True])
def test_exif_xmp_icc_found(prefix: bool) -> None:
    scan = read(fw.dirty_webp(prefix=prefix, orientation=8))
    assert len(scan.exif) == 1 and scan.exif[0][:4] in (b"II*\0", b"MM\0*")
    tags = exifread.process_file(io.BytesIO(scan.exif[0]), details=False)
    assert str(tags["EXIF BodySerialNumber"]) == "0123456789"
    assert str(tags["GPS GPSLongitudeRef"]) == "E"
    assert tags["Image Orientation"].values == [8]
    assert b"exif:GPSLatitude" in scan.xmp[0] and b"Jane Doe" in scan.xmp[0]
    assert scan.icc is not None and scan.icc[36:40] == b"acsp"


def test_pillow_exif_and_xmp_round_trip() -> None:
    exif = fp.gps_serial_exif().tobytes()
    scan = read(fw.pillow_webp(exif=exif, xmp=fp.xmp_packet()))
    assert scan.exif and scan.xmp


@pytest.mark.parametrize(("lossless", "mode"), [(True, "RGB"), (False, "RGB"), (False, "RGBA")])
def test_simple_format_dimensions(lossless: bool, mode: str) -> None:
    scan = read(fw.pillow_webp(lossless=lossless, size=(37, 23), mode=mode))
    assert (scan.width, scan.height) == (37, 23)
    assert scan.complete


def test_animation_frames_are_walked() -> None:
    scan = read(fw.animated_webp())
    names = [b.name for b in scan.blocks]
    assert names[:2] == ["VP8X", "ANIM"] and names.count("ANMF") == 2
    assert scan.xmp and scan.complete


def test_unknown_chunk_in_animation_frame_is_flagged() -> None:
    chunks = []
    for fourcc, data in fw.split(fw.animated_webp()):
        if fourcc == "ANMF":
            data = data + fw.chunk("SECR", b"hidden")
        chunks.append(fw.chunk(fourcc, data))
    scan = read(fw.riff(chunks))
    assert not scan.complete and any("unknown chunks" in w for w in scan.warnings)


def test_unknown_chunk_and_trailer() -> None:
    scan = read(fw.dirty_webp(unknown=True, trailer=b"leftover bytes" * 4))
    unknown = next(b for b in scan.blocks if b.name == "abcd")
    assert not unknown.known and not scan.complete
    assert scan.embedded and scan.embedded[0].length == 56


def test_riff_size_beyond_file_is_incomplete() -> None:
    data = fw.riff([c for c in (fw.chunk(f, d) for f, d in fw.split(fw.dirty_webp()))],
                   size_delta=1000)
    scan = read(data)
    assert not scan.complete and any("truncated" in w for w in scan.warnings)


def test_huge_chunk_size_is_bounded() -> None:
    base = [fw.chunk(f, d) for f, d in fw.split(fw.pillow_webp())]
    huge = b"EXIF" + struct.pack("<I", 0xFFFFFFF0) + b"II*\0"
    scan = read(fw.riff([*base, huge]))
    assert not scan.complete and any("claims more bytes" in w for w in scan.warnings)


@pytest.mark.parametrize(
    "data", [b"", b"RIFF", b"RIFF\x04\0\0\0WEBP", b"RIFF\0\0\0\0WAVE" + b"\0" * 20],
    ids=["empty", "riff-only", "no-chunks", "not-webp"],
)
def test_broken_headers_raise_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read(data)


def test_every_truncation_is_corrupt_or_incomplete() -> None:
    data = fw.dirty_webp()
    assert_truncations_flagged(read, data, len(data) - 1)  # the last byte may be a pad byte


def test_random_damage_never_escapes() -> None:
    for broken in damaged_copies(fw.dirty_webp(unknown=True), seed=5):
        with contextlib.suppress(CorruptFile):
            read(broken)


def test_metadata_beyond_the_budget_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.core.formats import webp as webp_module

    data = fw.dirty_webp()  # chunk order: ICCP, EXIF, XMP
    full = read(data)
    assert full.icc and full.exif
    monkeypatch.setattr(webp_module, "MAX_TOTAL", len(full.icc) + len(full.exif[0]) + 1)
    scan = read(data)
    assert not scan.complete and scan.exif and not scan.xmp


def test_an_exif_block_cut_by_the_end_of_the_file_is_still_read() -> None:
    """Issue 15 'Damaged files': what comes before the damage is reported."""
    from tests.factories import exif as ex

    tiff = ex.exif_payload(make="Canon", gps=(48.8584, 2.2945))
    base = [fw.chunk(f, d) for f, d in fw.split(fw.pillow_webp())]
    data = fw.riff([*base, fw.chunk("EXIF", tiff + b"\0" * 4000)])
    scan = read(data[:-3000])
    assert scan.exif and scan.exif[0].startswith(tiff[:8])
    assert not scan.complete and any("ends inside the EXIF" in w for w in scan.warnings)
