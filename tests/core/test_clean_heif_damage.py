"""HEIF/HEIC/AVIF cleaning of damaged and hostile files: what follows the boxes is dropped,
bytes elsewhere or overlapping the metadata are refused, random damage never leaks."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest

from tests.factories.basic import gps_serial_exif
from tests.factories.heif_clean import assert_no_leaks, clean, pixels, scan_of
from tests.factories.isobmff import XMP_PACKET, Coded, c2pa_uuid_box, simple_heif, write
from tests.factories.mp4 import make_mp4
from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.heif import Heif

pillow_heif = pytest.importorskip("pillow_heif")
pillow_heif.register_heif_opener()


def test_appended_video_and_junk_are_dropped(tmp_path: Path, coded: Coded) -> None:
    base = simple_heif(coded, exif=gps_serial_exif())
    for tail, kind in ((make_mp4(), "motion_video"), (b"\x00\x01junk after the boxes", "trailer")):
        src = write(tmp_path / f"{kind}.heic", base + tail)
        data, outcome = clean(src)
        assert kind in outcome.removed and tail not in data
        assert_no_leaks(data)
        assert np.array_equal(pixels(data), pixels(base))  # libheif can't open the source


def test_data_references(tmp_path: Path, coded: Coded) -> None:
    """Data reference 1 is fine when its dref entry is self-contained; else refused."""
    src = write(
        tmp_path / "local.heic", simple_heif(coded, exif=gps_serial_exif(), external_ref=False)
    )
    assert scan_of(src.read_bytes()).exif
    data, _ = clean(src)
    assert_no_leaks(data)
    assert np.array_equal(pixels(data), pixels(src))
    src = write(
        tmp_path / "remote.heic", simple_heif(coded, exif=gps_serial_exif(), external_ref=True)
    )
    remote = scan_of(src.read_bytes())
    assert not remote.exif and not remote.complete  # bytes in another file: not "clean"
    with pytest.raises(Unsupported):
        clean(src)


def test_picture_overlapping_metadata_is_refused(tmp_path: Path, coded: Coded) -> None:
    raw = bytearray(simple_heif(coded, exif=gps_serial_exif()))
    length_at = raw.index(b"iloc") + 4 + 4 + 2 + 2 + 2 + 2 + 2 + 2 + 4  # item 1's length
    length = int.from_bytes(raw[length_at : length_at + 4], "big")
    for new_length in (length + 40, 0):  # swallow Exif bytes; 0 = "to the end of the file"
        raw[length_at : length_at + 4] = new_length.to_bytes(4, "big")
        with pytest.raises(Unsupported, match="overlap"):
            clean(write(tmp_path / "overlap.heic", bytes(raw)))


def test_mutated_files_never_crash_or_leak(tmp_path: Path, coded: Coded) -> None:
    """Random byte damage: every outcome is a clean file or a VeilError, never a leak."""
    import random

    from veil.core.errors import VeilError

    seed = simple_heif(coded, exif=gps_serial_exif(), xmp=XMP_PACKET, extra_top=c2pa_uuid_box())
    meta_at = seed.index(b"meta")
    rng = random.Random(1234)
    path = tmp_path / "mutant.heic"
    outcomes = {"cleaned": 0, "refused": 0}
    for _ in range(300):
        data = bytearray(seed)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(meta_at, min(len(data), meta_at + 500))
            if rng.random() < 0.6:
                data[at] = rng.randrange(256)
            else:
                data[at : at + 4] = rng.choice([b"\0\0\0\0", b"\xff\xff\xff\xff", b"\0\0\0\x01"])
        write(path, bytes(data))
        with contextlib.suppress(VeilError):
            Heif.read(io.BytesIO(bytes(data)), len(data))
        try:
            out, _ = clean(path)
        except VeilError:
            outcomes["refused"] += 1
            continue
        outcomes["cleaned"] += 1
        scan = scan_of(out)
        assert not scan.exif and not scan.xmp and not scan.c2pa
        assert b"Jane Doe" not in out and b"0123456789" not in out
    assert outcomes["cleaned"] > 20 and outcomes["refused"] > 20  # both paths exercised


def test_broken_sources_fail_cleanly(tmp_path: Path, coded: Coded) -> None:
    data = simple_heif(coded)  # the picture's bytes are the last ones
    with pytest.raises(CorruptFile, match="beyond"):
        clean(write(tmp_path / "cut.heic", data[:-10]))
    with pytest.raises(CorruptFile):
        clean(write(tmp_path / "short.heic", data[:40]))
    raw = bytearray(data)
    first_extent = raw.index(b"iloc") + 4 + 4 + 2 + 2 + 2 + 2 + 2 + 2  # item 1's offset
    raw[first_extent : first_extent + 4] = (1 << 30).to_bytes(4, "big")
    with pytest.raises(CorruptFile, match="beyond"):
        clean(write(tmp_path / "far.heic", bytes(raw)))


def test_a_profile_too_damaged_to_neutralise_is_dropped_even_when_kept(
    tmp_path: Path, coded: Coded
) -> None:
    """Keep colour profile on, but the ``colr`` profile is not an ICC profile (no "acsp"):
    it can't be neutralised, so it is dropped (never copied unchecked) and the picture is
    still copied losslessly."""
    from tests.factories.isobmff import Item, box, build_heif
    from veil.core.model import ExportOptions

    secret = b"Jane Doe's scanner " * 8
    colr = box("colr", b"prof" + secret)
    src = write(tmp_path / "bad-icc.heic",
                build_heif([Item(1, "hvc1", coded.data, [*coded.props, colr])], 1, []))
    data, outcome = clean(src, ExportOptions(keep_icc=True))
    assert "icc" in outcome.removed and "icc" not in outcome.kept
    # (the coded picture's own nclx colr, which holds no profile, stays)
    assert secret not in data and b"colrprof" not in data and scan_of(data).icc is None
    assert np.array_equal(pixels(data), pixels(src))
