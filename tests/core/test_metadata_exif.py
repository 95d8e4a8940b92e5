"""EXIF decoding: values lifted into Metadata (hostile payloads: test_metadata_exif_hostile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories.exif import (
    ASCII,
    RATIONAL,
    Ifd,
    canon_note,
    exif_metadata,
    exif_payload,
    tiff,
    with_maker_note,
)

#: A minimal JPEG header with a 160x120 SOF0: enough for the thumbnail size reader.
THUMB_4_3 = bytes.fromhex("ffd8ffc0001108007800a003012200021101031101ffd9")


@pytest.mark.parametrize(
    ("lat", "lon"), [(48.8584, 2.2945), (-33.8568, 151.2153), (40.6892, -74.0445)]
)
def test_gps_becomes_signed_decimal_degrees(lat: float, lon: float) -> None:
    meta = exif_metadata(exif_payload(gps=(lat, lon)))
    assert len(meta.gps) == 1
    assert meta.gps[0].lat == pytest.approx(lat, abs=1e-5)
    assert meta.gps[0].lon == pytest.approx(lon, abs=1e-5)
    assert meta.gps[0].source == "EXIF GPS"


def test_gps_zero_denominator_seconds_are_ignored_not_fatal() -> None:
    raw = {1: (ASCII, "N"), 2: (RATIONAL, [(48, 1), (51, 1), (30, 0)]),
           3: (ASCII, "E"), 4: (RATIONAL, [(2, 1), (17, 1), (0, 0)])}
    meta = exif_metadata(exif_payload(gps_raw=raw))
    assert meta.gps[0].lat == pytest.approx(48 + 51 / 60)
    assert meta.gps[0].lon == pytest.approx(2 + 17 / 60)


def test_gps_zero_denominator_degrees_means_no_position() -> None:
    raw = {1: (ASCII, "N"), 2: (RATIONAL, [(48, 0), (0, 1), (0, 1)]),
           3: (ASCII, "E"), 4: (RATIONAL, [(2, 1), (0, 1), (0, 1)])}
    assert exif_metadata(exif_payload(gps_raw=raw)).gps == ()


@pytest.mark.parametrize("lat", [(200, 1), (91, 1)])
def test_gps_out_of_range_is_dropped_with_a_warning(lat: tuple[int, int]) -> None:
    raw = {1: (ASCII, "N"), 2: (RATIONAL, [lat, (0, 1), (0, 1)]),
           3: (ASCII, "E"), 4: (RATIONAL, [(2, 1), (0, 1), (0, 1)])}
    meta = exif_metadata(exif_payload(gps_raw=raw))
    assert meta.gps == ()
    assert any("GPS" in w for w in meta.warnings)


def test_gps_null_island_is_not_a_location() -> None:
    assert exif_metadata(exif_payload(gps=(0.0, 0.0))).gps == ()


def test_times_keep_offset_and_subseconds() -> None:
    meta = exif_metadata(exif_payload(taken="2023:11:05 14:30:12", offset="+01:00", subsec="345"))
    assert ("DateTimeOriginal", "2023:11:05 14:30:12.345+01:00") in meta.datetimes


def test_blank_dates_are_ignored() -> None:
    assert exif_metadata(exif_payload(taken="0000:00:00 00:00:00")).datetimes == ()


def test_device_serials_and_owners() -> None:
    payload = exif_payload(make="Canon", model="Canon EOS 5D Mark IV", serial="0123456789",
                           lens_serial="LS42", unique_id="ABCDEF0123", owner="Jane Doe",
                           artist="J. Doe", copyright="(c) Jane Doe")
    meta = exif_metadata(payload)
    assert (meta.make, meta.model) == ("Canon", "Canon EOS 5D Mark IV")
    assert dict(meta.serials) == {"BodySerialNumber": "0123456789", "LensSerialNumber": "LS42",
                                  "ImageUniqueID": "ABCDEF0123"}
    assert dict(meta.owners) == {"Artist": "J. Doe", "Copyright": "(c) Jane Doe",
                                 "CameraOwnerName": "Jane Doe"}


def test_placeholder_serials_are_ignored() -> None:
    assert exif_metadata(exif_payload(serial="0000000000")).serials == ()


def test_xp_author_is_utf16_and_user_comment_charsets() -> None:
    meta = exif_metadata(exif_payload(xp_author="Jürgen Müller",
                                      user_comment=b"UNICODE\0" + "héllo".encode("utf-16-le")))
    assert ("XPAuthor", "Jürgen Müller") in meta.owners
    assert ("UserComment", "héllo") in meta.texts


def test_orientation_for_jpeg_but_not_for_heif() -> None:
    assert exif_metadata(exif_payload(orientation=6)).orientation == 6
    heic = exif_metadata(exif_payload(orientation=6), fmt="heic")
    assert heic.orientation is None
    assert any("Orientation" in t.name for t in heic.tags)


def test_heif_container_orientation_wins_over_exif() -> None:
    assert exif_metadata(exif_payload(orientation=1), fmt="heic", orientation=6).orientation == 6
    assert exif_metadata(exif_payload(orientation=6), fmt="avif", orientation=1).orientation == 1


def test_bogus_orientation_is_ignored() -> None:
    assert exif_metadata(exif_payload(orientation=42)).orientation is None


def test_thumbnail_bytes_and_size() -> None:
    meta = exif_metadata(exif_payload(make="X", thumbnail=THUMB_4_3))
    assert meta.thumbnail == THUMB_4_3
    assert meta.thumbnail_size == (160, 120)


def test_canon_maker_note_serial_and_owner() -> None:
    note = canon_note(serial=560018150, owner="Phil Harvey")
    meta = exif_metadata(with_maker_note("Canon", note))
    assert ("MakerNote SerialNumber", "560018150") in meta.serials
    assert ("MakerNote OwnerName", "Phil Harvey") in meta.owners
    assert meta.maker_note == "Canon"


def test_unknown_maker_note_is_noted_without_serials() -> None:
    note = Ifd({0x0001: (ASCII, "whatever")})
    meta = exif_metadata(with_maker_note("Acme Cameras", note))
    assert meta.maker_note == "Acme Cameras"
    assert meta.serials == ()


def test_big_endian_payload() -> None:
    meta = exif_metadata(exif_payload(make="Sony", gps=(10.5, -20.25), bo=">"))
    assert meta.make == "Sony"
    assert meta.gps[0].lon == pytest.approx(-20.25)


@pytest.mark.parametrize(
    ("make", "tag", "serial_name"),
    [("SIGMA", 0x0002, "SerialNumber"), ("samsung", 0xA002, "SerialNumber")],
)
def test_other_makers_serials(make: str, tag: int, serial_name: str) -> None:
    note = Ifd({tag: (ASCII, "SN0123456789")})
    payload = with_maker_note(make, note)
    if make == "SIGMA":  # Sigma notes start with "SIGMA\0\0\0" + 2 bytes, then the IFD
        payload = _prefixed_note(make, note, b"SIGMA\0\0\0\x01\0")
    assert (f"MakerNote {serial_name}", "SN0123456789") in exif_metadata(payload).serials


def _prefixed_note(make: str, note: Ifd, prefix: bytes) -> bytes:
    """Like with_maker_note, with a maker signature before the IFD (offsets from TIFF)."""
    import struct

    from tests.factories.exif import UNDEFINED, _encode

    base = tiff(Ifd({0x010F: (ASCII, make)}, {0x8769: Ifd({0x9000: (UNDEFINED, b"0231")})}))
    note_at = len(base) + len(prefix)
    tags = sorted(note.entries)
    body = bytearray(struct.pack("<H", len(tags)))
    tail = bytearray()
    data_at = note_at + 2 + 12 * len(tags) + 4
    for tag in tags:
        typ, value = note.entries[tag]
        count, data = _encode(typ, value, "<")
        body += struct.pack("<HHII", tag, typ, count, data_at + len(tail))
        tail += data
    body += b"\0\0\0\0" + tail
    blob = prefix + bytes(body)
    out = bytearray(base) + blob
    exif_at = len(out)
    out += struct.pack("<H", 1) + struct.pack("<HHII", 0x927C, UNDEFINED, len(blob), len(base))
    out += b"\0\0\0\0"
    for i in range(struct.unpack_from("<H", out, 8)[0]):
        if struct.unpack_from("<H", out, 10 + 12 * i)[0] == 0x8769:
            struct.pack_into("<I", out, 10 + 12 * i + 8, exif_at)
    return bytes(out)


@pytest.mark.parametrize(("tag", "name"), [(0x0011, "MediaGroupUUID"), (0x000B, "BurstUUID"),
                                           (0x0020, "ImageCaptureRequestID")])
def test_apple_ids_are_unique_ids(tag: int, name: str) -> None:
    """The Live Photo pairing, the burst and the capture request: each links copies."""
    from veil.core.detectors.device import detect_device

    uuid = "570F1469-09C7-4E50-9875-05F21D5BD166"
    meta = exif_metadata(_apple_note(uuid, tag))
    assert (f"MakerNote {name}", uuid) in meta.serials
    (ids,) = [f for f in detect_device(meta) if "serials" in f.detail]
    assert ids.detail["unique"] == [uuid] and uuid in ids.summary
    assert ids.summary.endswith({"MediaGroupUUID": "to its Live Photo video",
                                 "BurstUUID": "to the other shots of its burst",
                                 "ImageCaptureRequestID": "copies of this photo to the original",
                                 }[name])


def _apple_note(value: str, tag: int = 0x0011) -> bytes:
    """An Apple MakerNote ("Apple iOS" header, IFD at +14, offsets from the note start)."""
    import struct

    from tests.factories.exif import UNDEFINED

    data = value.encode() + b"\0"
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", tag, 2, len(data), 14 + 18) + b"\0" * 4
    note = b"Apple iOS\0\0\x01II" + ifd + data
    base = tiff(Ifd({0x010F: (ASCII, "Apple")}, {0x8769: Ifd({0x9000: (UNDEFINED, b"0231")})}))
    out = bytearray(base) + note
    exif_at = len(out)
    out += struct.pack("<H", 1) + struct.pack("<HHII", 0x927C, UNDEFINED, len(note), len(base))
    out += b"\0\0\0\0"
    for i in range(struct.unpack_from("<H", out, 8)[0]):
        if struct.unpack_from("<H", out, 10 + 12 * i)[0] == 0x8769:
            struct.pack_into("<I", out, 10 + 12 * i + 8, exif_at)
    return bytes(out)


@pytest.mark.parametrize("bo", ["<", ">"])
def test_dng_camera_serial_number_is_a_serial(tmp_path: Path, bo: str) -> None:
    """IFD0 0xC62F (DNG CameraSerialNumber) has no exifread name: still a serial, named as
    exiftool names it, in a DNG written at run time and read through the container."""
    from tests.factories.exif import BYTE, LONG, SHORT, Ifd
    from veil.core.audit import audit_file
    from veil.core.model import FindingKind

    ifd0 = Ifd({0x0100: (SHORT, 4), 0x0101: (SHORT, 2), 0x0102: (SHORT, 8),
                0x0103: (SHORT, 1), 0x0106: (SHORT, 1), 0x0111: (LONG, 8), 0x0115: (SHORT, 1),
                0x0117: (LONG, 8), 0x010F: (ASCII, "Canon"),
                0x0110: (ASCII, "Canon EOS 350D DIGITAL"), 0xC612: (BYTE, [1, 4, 0, 0]),
                0xC62F: (ASCII, "SN-98765")})
    path = tmp_path / "raw.dng"
    path.write_bytes(tiff(ifd0, bo=bo))
    report = audit_file(path, metadata_only=True)
    assert report.ok and report.format == "dng"
    assert ("EXIF", "CameraSerialNumber", "SN-98765") in [(t.group, t.name, t.value)
                                                          for t in report.tags]
    assert not [t for t in report.tags if t.name == "Tag 0xC62F"]
    device = [f for f in report.findings if f.kind is FindingKind.DEVICE]
    assert any("SN-98765" in f.summary for f in device)


def test_geotiff_map_position_is_a_place(tmp_path: Path) -> None:
    """Hostile retest of issue 15: a GeoTIFF's georeferencing (tie point, projection) had no
    exifread names, so a map picture scanned "none found"; the cleaner did drop the tags."""
    from PIL import Image, TiffImagePlugin

    from veil.core.audit import audit_file
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions, ExportStatus, FindingKind, Risk

    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[33922] = (0.0, 0.0, 0.0, 691955.0, 2791710.0, 0.0)  # ModelTiepoint
    info.tagtype[33922] = 12
    info[33550] = (30.0, 30.0, 0.0)  # ModelPixelScale
    info.tagtype[33550] = 12
    info[34735] = (1, 1, 0, 1, 3072, 0, 1, 32617)  # GeoKeyDirectory: UTM zone 17N
    info.tagtype[34735] = 3
    info[34737] = "WGS 84 / UTM zone 17N|"
    info.tagtype[34737] = 2
    src = tmp_path / "map.tif"
    Image.new("RGB", (16, 16), (20, 120, 40)).save(src, tiffinfo=info)
    report = audit_file(src, metadata_only=True)
    where = [f.summary for f in report.findings if f.kind is FindingKind.LOCATION]
    assert where and "UTM zone 17N" in where[0] and "691955" in where[0], where
    assert report.risk is not Risk.NONE
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.output is not None
    again = audit_file(result.output, metadata_only=True)
    assert not [f for f in again.findings if f.kind is FindingKind.LOCATION]
