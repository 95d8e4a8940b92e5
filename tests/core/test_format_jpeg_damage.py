"""JPEG reading of hostile and damaged files: bounded, and either one clear error or a
salvaged scan that never calls the file complete."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from tests.factories import exif as ex
from tests.factories import jpeg as fj
from tests.factories.jpeg import read_jpeg, rich_jpeg
from tests.factories.mp4 import make_mp4
from veil.core.errors import CorruptFile
from veil.core.formats.base import ContainerScan
from veil.core.formats.jpeg import Jpeg


def test_not_a_jpeg_and_empty() -> None:
    with pytest.raises(CorruptFile):
        read_jpeg(b"")
    with pytest.raises(CorruptFile):
        read_jpeg(b"GIF89a" + b"\x00" * 40)
    assert not Jpeg.sniff(b"\x89PNG\r\n\x1a\n")


def test_invalid_segment_length_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        read_jpeg(b"\xff\xd8\xff\xe1\x00\x01rest")


def test_length_beyond_file_is_incomplete() -> None:
    scan = read_jpeg(b"\xff\xd8\xff\xe1\xff\xf0Exif\x00\x00II*\x00")
    assert not scan.complete and scan.warnings


def test_exif_ifd_loop_does_not_hang() -> None:
    make = b"\x0f\x01\x02\x00\x02\x00\x00\x00A\x00\x00\x00"  # Make = "A"
    loop = b"II*\x00\x08\x00\x00\x00" + b"\x01\x00" + make
    loop += b"\x08\x00\x00\x00"  # next IFD = IFD0 again
    scan = read_jpeg(fj.insert(fj.encode(), fj.app1_exif(bytes(loop))))
    assert not scan.complete
    assert any("loop" in w for w in scan.warnings)


def test_mpf_pointing_beyond_the_file() -> None:
    data = fj.mpo(fj.encode(), fj.encode(fj.noise_image(seed=4)))
    cut = data[: len(data) - 500]
    scan = read_jpeg(cut)
    assert not scan.complete
    assert not [e for e in scan.embedded if e.kind == "mpf_image"]


def test_huge_extended_xmp_claim_is_refused() -> None:
    seg = fj.segment(0xE1, fj.XMP_EXT_SIG + b"1" * 32 + b"\xff\xff\xff\xff\x00\x00\x00\x00abc")
    scan = read_jpeg(fj.insert(fj.encode(), seg))
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
            scan = read_jpeg(v)
        except CorruptFile:
            continue
        assert isinstance(scan, ContainerScan)


def test_garbage_after_soi_stops_cleanly() -> None:
    junk = bytes(random.Random(1).randbytes(5000)).replace(b"\xff", b"\x00")
    scan = read_jpeg(b"\xff\xd8" + junk)
    assert not scan.complete


def test_endless_standalone_markers_stop() -> None:
    scan = read_jpeg(b"\xff\xd8" + b"\xff\xd0" * 100_000)
    assert not scan.complete and any("too many" in w for w in scan.warnings)


def _damaged_after_jfif(length: int) -> bytes:
    """SOI, an intact JFIF block with an 8x8 RGB thumbnail, then a comment whose length
    field is impossible, then a whole picture nobody can reach any more."""
    jfif = b"JFIF\0\x01\x02\0\0\x01\0\x01" + bytes([8, 8]) + b"\x80" * 192
    return (b"\xff\xd8" + fj.segment(0xE0, jfif) + b"\xff\xfe" + struct.pack(">H", length)
            + fj.strip_jfif(fj.encode())[2:])


@pytest.mark.parametrize("length", [0, 1])
def test_damage_after_an_intact_block_is_salvaged_not_refused(length: int) -> None:
    """Issue 15: report what was read before the damage (never "complete")."""
    scan = read_jpeg(_damaged_after_jfif(length))
    assert not scan.complete
    assert [e.note for e in scan.embedded] == ["JFIF RGB thumbnail"]
    assert any("the rest of the file could not be read" in w for w in scan.warnings)
    assert not any("APP" in w or "COM" in w for w in scan.warnings), scan.warnings


def test_damage_right_after_the_start_is_refused() -> None:
    with pytest.raises(CorruptFile, match="damaged at its start"):
        read_jpeg(b"\xff\xd8\xff\xfe\x00\x01" + b"\0" * 100)


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
    scan = read_jpeg(data[: at + len(app1) - 3000])
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
    assert not read_jpeg(cut_data).complete
    src = tmp_path / "cut.jpg"
    src.write_bytes(cut_data)
    assert audit_file(src, metadata_only=True).risk is Risk.UNKNOWN


def test_a_jpeg_cut_inside_its_picture_data_keeps_its_metadata_complete() -> None:
    data = fj.encode()
    scan = read_jpeg(data[: len(data) - 40])
    assert scan.complete and any("cut short" in w for w in scan.warnings)
