"""A copy's verification checks, asked directly: the structural look at a kept EXIF block,
which findings a kept block explains, the JPEG coding-identity proof (bytes or mapped
files), and a kept colour profile that still names someone."""

from __future__ import annotations

from pathlib import Path

from tests.factories import export as fx
from veil.core.export import export_clean
from veil.core.model import ExportOptions, ExportStatus, FindingKind


def test_structural_check_accepts_only_layout_exif() -> None:
    from tests.factories.exif import exif_payload
    from veil.core.export.structure import exif_leftovers

    assert exif_leftovers(exif_payload(orientation=6)) == []
    assert exif_leftovers(exif_payload(orientation=6, bo=">")) == []
    assert "EXIF tag 34853" in exif_leftovers(exif_payload(gps=(1.0, 2.0)))  # GPS pointer
    assert "EXIF tag 42033" in exif_leftovers(exif_payload(serial="123"))
    with_thumb = exif_payload(orientation=1, thumbnail=fx.jpeg_bytes(fx.gradient((8, 8))))
    assert "a second EXIF image (thumbnail)" in exif_leftovers(with_thumb)
    assert exif_leftovers(b"II*\x00\xff\xff\x00\x00")[0].startswith("unreadable EXIF")


def test_only_low_findings_about_kept_blocks_are_explained() -> None:
    from veil.core.export.verify import explained_by_kept
    from veil.core.model import Finding, Severity

    icc = Finding(FindingKind.OTHER_METADATA, Severity.LOW, "Colour profile (ICC)", "ICC")
    named = Finding(FindingKind.OTHER_METADATA, Severity.LOW,
                    'Its colour profile is named "Canon EOS R5"', "ICC profile")
    jfif = Finding(FindingKind.OTHER_METADATA, Severity.LOW, "JFIF header", "JFIF")
    caption = Finding(FindingKind.OTHER_METADATA, Severity.LOW,
                      'Carries text written into it: "orientation day, icc jfif"', "EXIF")
    gps = Finding(FindingKind.LOCATION, Severity.HIGH, "GPS position", "EXIF GPS")
    xmp = Finding(FindingKind.OTHER_METADATA, Severity.LOW, "Adobe XMP packet", "XMP")
    # A kept colour profile never excuses a finding about it: the copy still says it.
    assert not explained_by_kept(icc, ["icc"])
    assert not explained_by_kept(named, ["icc", "orientation"])
    assert explained_by_kept(jfif, ["jfif"]) and not explained_by_kept(jfif, [])
    # Only the source counts, not words in a caption.
    assert not explained_by_kept(caption, ["icc", "jfif", "orientation"])
    assert not explained_by_kept(gps, ["icc", "orientation"])
    assert not explained_by_kept(xmp, ["icc", "adobe", "orientation"])


def test_coding_identity_check_catches_a_changed_table_or_scan() -> None:
    from tests.factories import jpeg as jpeg_f
    from veil.core.export.structure import jpeg_coding_identical

    src = fx.dirty_jpeg(trailer=True)
    plain = jpeg_f.strip_jfif(jpeg_f.encode(fx.gradient(), quality=90))
    assert jpeg_coding_identical(src, plain)  # same pixels coding, metadata stripped
    assert jpeg_coding_identical(bytearray(src), plain)  # segments sliced as bytearrays
    other_q = jpeg_f.strip_jfif(jpeg_f.encode(fx.gradient(), quality=89))
    assert not jpeg_coding_identical(src, other_q)
    flipped = bytearray(plain)
    flipped[-10] ^= 0x01  # one bit of the scan
    assert not jpeg_coding_identical(src, bytes(flipped))
    assert not jpeg_coding_identical(src, plain[:-2])  # no EOI


def test_coding_identity_check_reads_mapped_files(tmp_path: Path) -> None:
    """The comparison reads mapped files, bytes, or a mapped source against a copy read back
    (compared where the bytes lie): the same answers, including a scan changed in its last
    byte and a copy longer than its source; the mapping is released after."""
    import mmap

    from tests.factories import jpeg as jpeg_f
    from veil.core.export.structure import jpeg_coding_identical
    from veil.core.export.verify import proven_same_coding

    src = fx.dirty_jpeg(trailer=False)
    plain = jpeg_f.strip_jfif(jpeg_f.encode(fx.gradient(), quality=90))
    flipped = bytearray(plain)
    flipped[-3] ^= 0x01
    longer = plain[:-2] + b"\x00" * 64 + plain[-2:]
    for data, same in ((plain, True), (bytes(flipped), False), (longer, False)):
        (tmp_path / "s.jpg").write_bytes(src)
        (tmp_path / "o.jpg").write_bytes(data)
        with open(tmp_path / "s.jpg", "rb") as f, open(tmp_path / "o.jpg", "rb") as g, \
                mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as a, \
                mmap.mmap(g.fileno(), 0, access=mmap.ACCESS_READ) as b:
            assert jpeg_coding_identical(a, b) is same
            assert jpeg_coding_identical(a, data) is same  # the export's: copy read back
        assert jpeg_coding_identical(src, data) is same
        # The proof on paths: both files mapped (a copy too large to read back), or the copy
        # read back already.
        assert proven_same_coding(tmp_path / "s.jpg", tmp_path / "o.jpg") is same
        assert proven_same_coding(tmp_path / "s.jpg", tmp_path / "o.jpg", data) is same


def test_a_kept_colour_profile_that_names_someone_fails_verification(tmp_path: Path) -> None:
    """Keeping the ICC profile used to excuse every finding about it: a copy whose profile
    is still called "JohnS iMac 27" (copyright "(c) John Secretname 2024") was called
    verified clean. Until the cleaners write a neutral profile, such a copy is refused."""
    from tests.factories import icc as fi

    src = tmp_path / "p.jpg"
    fx.gradient().save(src, format="JPEG", quality=90, icc_profile=fi.display_profile())
    result = export_clean(src, tmp_path / "out", ExportOptions())
    if result.status is ExportStatus.CLEANED:  # a cleaner already neutralises the profile
        assert result.output is not None
        data = result.output.read_bytes()
        assert b"John" not in data and b"J\0o\0h\0n" not in data
    else:
        assert result.status is ExportStatus.FAILED and result.output is None
        assert "identity" in (result.error or "") and "colour profile" in (result.error or "")
        assert list((tmp_path / "out").iterdir()) == []
    # Dropping the profile gives a clean copy.
    dropped = export_clean(src, tmp_path / "out2", ExportOptions(keep_icc=False))
    assert dropped.status is ExportStatus.CLEANED and dropped.verified, dropped.error
