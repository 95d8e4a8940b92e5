"""Video audit: sniffing MOV/MP4/M4V/3GP by content and reading where, when, which phone,
who and sound from clips made with ffmpeg and tagged with exiftool (revealing tracks:
test_format_video_tracks; damaged movies: test_format_video_damage)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.factories.isobmff import box, ftyp
from tests.factories.mp4 import make_mp4, xyz_atom
from tests.factories.video import PHONE_TAGS, make_clip, summaries_by_kind, tag
from veil.core import formats
from veil.core.audit import audit_file
from veil.core.formats.video import Video, sniff_movie
from veil.core.model import CheckStatus, FindingKind, Risk, Severity


@pytest.mark.parametrize("brand", ["qt  ", "isom", "mp42", "M4V ", "3gp5", "3g2a", "avc1"])
def test_movie_brands_are_sniffed(brand: str) -> None:
    head = make_mp4(brand=brand)[:64]
    assert formats.detect(head) is Video


@pytest.mark.parametrize("major", ["heic", "avif", "mif1", "crx "])
def test_stills_and_raws_are_not_movies(major: str) -> None:
    head = ftyp(major, major, "isom") + b"\0" * 40
    assert not sniff_movie(head)


def test_old_quicktime_without_ftyp_is_sniffed() -> None:
    data = make_mp4(brand="qt  ")
    old = data[data.index(b"moov") - 4 :]  # moov first, like QuickTime 6 wrote them
    assert old[4:8] == b"moov"
    assert formats.detect(old[:64]) is Video
    assert formats.detect(b"\0\0\0\x08wide" + old[:56]) is Video
    assert formats.detect(b"\xff\xd8\xff\xe0" + b"\0" * 60) is not Video


def test_skeleton_movie_location_atom(tmp_path: Path) -> None:
    path = tmp_path / "x.mov"
    path.write_bytes(make_mp4(brand="qt  ", udta=xyz_atom("+48.8584+002.2945/")))
    report = audit_file(path, metadata_only=True)
    assert report.ok and report.format == "mov"
    location = [f for f in report.findings if f.kind is FindingKind.LOCATION]
    assert location[0].summary.startswith("Shows where it was filmed: 48.8584 N, 2.2945 E")
    assert location[0].severity is Severity.HIGH


def _keys_meta(entries: dict[str, str]) -> bytes:
    """A QuickTime ``meta`` with ``keys`` + ``ilst``, as iPhones write it."""
    keys = b"".join(struct.pack(">I4s", 8 + len(k), b"mdta") + k.encode() for k in entries)
    ilst = b"".join(box(struct.pack(">I", i), box("data", struct.pack(">II", 1, 0) + v.encode()))
                    for i, v in enumerate(entries.values(), 1))
    hdlr = box("hdlr", bytes(8) + b"mdta" + bytes(12) + b"\0")
    return box("meta", hdlr + box("keys", struct.pack(">II", 0, len(entries)) + keys)
               + box("ilst", ilst))


def _clip_with_keys(entries: dict[str, str], brand: str) -> bytes:
    """A small MP4/MOV whose ``moov`` ends with :func:`_keys_meta` of ``entries``."""
    meta = _keys_meta(entries)
    raw = make_mp4(brand=brand)
    at = raw.index(b"moov") - 4
    size = struct.unpack(">I", raw[at : at + 4])[0]
    return (raw[:at] + struct.pack(">I", size + len(meta)) + raw[at + 4 : at + size] + meta
            + raw[at + size :])


def test_live_photo_keys(tmp_path: Path) -> None:
    raw = _clip_with_keys({"com.apple.quicktime.content.identifier": "8E2A1C4B-3F5D-4E6A",
                           "com.apple.quicktime.location.ISO6709": "+35.6586+139.7454+040.000/",
                           "com.apple.quicktime.model": "iPhone 15 Pro"}, brand="qt  ")
    path = tmp_path / "live.mov"
    path.write_bytes(raw)
    report = audit_file(path, metadata_only=True)
    kinds = summaries_by_kind(report)
    assert kinds[FindingKind.LOCATION][0].startswith("Shows where it was filmed: 35.6586 N")
    assert any("Live Photo still" in s and "8E2A1C4B" in s for s in kinds[FindingKind.DEVICE])
    assert any("iPhone 15 Pro" in s for s in kinds[FindingKind.DEVICE])


def test_an_android_version_is_named_android(tmp_path: Path) -> None:
    # Pixel videos carry com.android.version = "14": it said "Names the software used: 14".
    raw = _clip_with_keys({"com.android.version": "14", "com.android.capture.fps": "30"},
                          brand="isom")
    path = tmp_path / "PXL_1.mp4"
    path.write_bytes(raw)
    kinds = summaries_by_kind(audit_file(path, metadata_only=True))
    (soft,) = kinds[FindingKind.SOFTWARE]
    assert soft.startswith("Names the software used: Android 14")


def test_phone_tags_found(tmp_path: Path) -> None:
    clip = tag(make_clip(tmp_path / "IMG_0001.MOV", fmt="mov"), *PHONE_TAGS)
    report = audit_file(clip)
    assert report.ok, report.error
    assert report.format == "mov" and (report.width, report.height) == (96, 64)
    kinds = summaries_by_kind(report)
    assert kinds[FindingKind.LOCATION][0].startswith(
        "Shows where it was filmed: 48.8584 N, 2.2945 E — near Paris, France")
    assert kinds[FindingKind.TIME][0].startswith("Shows when it was filmed: 1 May 2023")
    assert any("iPhone 12" in s for s in kinds[FindingKind.DEVICE])
    assert any("Jane Doe" in s for s in kinds[FindingKind.IDENTITY])
    who = next(f for f in report.findings if f.kind is FindingKind.IDENTITY)
    assert "Jane's phone" in who.detail["names"]
    assert kinds[FindingKind.SOUND][0].startswith("Contains 2.")
    assert " s of sound" in kinds[FindingKind.SOUND][0]
    assert report.risk is Risk.HIGH
    # Faces in videos are not checked, and the report says so instead of "nothing found".
    assert report.checks["faces"] is CheckStatus.SKIPPED
    assert any("not checked" in n for n in report.notes)
    groups = {t.group for t in report.tags}
    assert {"Video", "QuickTime UserData", "QuickTime Keys"} <= groups


@pytest.mark.parametrize(("fmt", "name", "expected"),
                         [("mp4", "clip.mp4", "mp4"), ("ipod", "clip.m4v", "m4v"),
                          ("3gp", "clip.3gp", "3gp"), ("mov", "clip.bin", "mov")])
def test_containers_by_content(tmp_path: Path, fmt: str, name: str, expected: str) -> None:
    extra = ("-c:a", "aac", "-ar", "8000", "-ac", "1") if fmt == "3gp" else ()
    clip = make_clip(tmp_path / name, fmt=fmt, sound=fmt != "3gp", extra=extra)
    report = audit_file(clip, metadata_only=True)
    assert report.ok, report.error
    assert report.format == expected


def test_silent_plain_clip_has_no_findings_and_is_unknown(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "quiet.mp4", sound=False, extra=("-fflags", "+bitexact",
                                                                  "-map_metadata", "-1"))
    report = audit_file(clip)
    assert report.ok, report.error
    leftovers = [f.summary for f in report.findings]
    assert leftovers == []
    # Its frames were not looked at for faces: not "nothing found" (the window said Unknown
    # while this said none); a metadata-only scan still says none.
    assert report.risk is Risk.UNKNOWN
    assert audit_file(clip, metadata_only=True).risk is Risk.NONE


def test_text_track_is_reported(tmp_path: Path) -> None:
    srt = tmp_path / "gps.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nGPS 48.8584 2.2945\n\n")
    clip = make_clip(tmp_path / "drone.mp4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    report = audit_file(clip, metadata_only=True)
    where = [f.summary for f in report.findings if f.kind is FindingKind.LOCATION]
    assert any(s.startswith("A text track may record where it was filmed") for s in where)


def test_rotation_is_the_orientation(tmp_path: Path) -> None:
    clip = tag(make_clip(tmp_path / "turned.mp4"), "-Rotation=90")
    report = audit_file(clip, metadata_only=True)
    assert report.orientation == 6
    assert (report.width, report.height) == (64, 96)


def test_poster_frame_is_upright(tmp_path: Path) -> None:
    from veil.core.pixels import load_upright

    clip = tag(make_clip(tmp_path / "turned.mp4", sound=False), "-Rotation=90")
    upright = load_upright(clip, max_side=48)
    assert (upright.full_width, upright.full_height) == (64, 96)
    assert max(upright.image.size) == 48 and upright.image.height > upright.image.width
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(clip.read_bytes()[:2000])
    from veil.core.errors import VeilError

    with pytest.raises(VeilError):
        load_upright(bad)


def test_vendor_box_and_compressor_name(tmp_path: Path) -> None:
    path = tmp_path / "s.mp4"
    path.write_bytes(make_mp4(udta=box("smta", b"\0\0\0\x10saut" + b"SM-G991B")))
    report = audit_file(path, metadata_only=True)
    notes = [f for f in report.findings if f.kind is FindingKind.MAKER_NOTES]
    assert notes and "Samsung" in notes[0].summary
    clip = make_clip(tmp_path / "c.mp4", sound=False)
    tags = {t.name: t.value for t in audit_file(clip, metadata_only=True).tags}
    assert "libx264" in tags["CompressorName"]


def test_cover_picture_is_a_preview(tmp_path: Path) -> None:
    from PIL import Image

    cover = tmp_path / "cover.jpg"
    Image.new("RGB", (32, 32), "red").save(cover)
    clip = tag(make_clip(tmp_path / "c.mp4", sound=False), f"-ItemList:CoverArt<={cover}")
    report = audit_file(clip, metadata_only=True)
    previews = [f.summary for f in report.findings if f.kind is FindingKind.THUMBNAIL]
    assert previews == ["Contains a small preview copy of the video"]


def _qt_text(code: bytes, text: str) -> bytes:
    raw = text.encode()
    return box(code, struct.pack(">HH", len(raw), 0x15C7) + raw)


def test_quicktime_user_data_atoms(tmp_path: Path) -> None:
    from tests.factories.mp4 import loci_atom

    udta = (loci_atom(-33.8568, 151.2153) + _qt_text(b"\xa9day", "2021-03-04T05:06:07+1100")
            + _qt_text(b"\xa9mak", "samsung") + _qt_text(b"\xa9mod", "SM-G991B")
            + _qt_text(b"\xa9swr", "G991BXXU3AUE1"))
    path = tmp_path / "VID_1.3gp"
    path.write_bytes(make_mp4(brand="3gp5", udta=udta))
    report = audit_file(path, metadata_only=True)
    assert report.format == "3gp"
    kinds = summaries_by_kind(report)
    assert kinds[FindingKind.LOCATION][0].startswith("Shows where it was filmed: 33.8568 S")
    assert "Sydney" in kinds[FindingKind.LOCATION][0]
    assert kinds[FindingKind.TIME][0].startswith("Shows when it was filmed: 4 March 2021")
    assert any("SM-G991B" in s for s in kinds[FindingKind.DEVICE])
    assert any("G991BXXU3AUE1" in s for s in kinds[FindingKind.SOFTWARE])


def test_a_cover_picture_with_its_own_gps_and_name_is_said(tmp_path: Path) -> None:
    # An MP4 whose cover art is a photo with EXIF GPS and an artist said only "Contains a
    # small preview copy of the video"; exiftool reads both from the cover.
    from PIL import Image

    from tests.factories.exif import exif_payload
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions, ExportStatus

    cover = tmp_path / "cover.jpg"
    payload = exif_payload(gps=(51.5, -0.12), artist="Jane Cover")
    Image.new("RGB", (64, 48), "orange").save(cover, exif=b"Exif\0\0" + payload)
    clip = make_clip(tmp_path / "clip.mp4", sound=False, fmt="mp4", inputs=("-i", str(cover)),
                     extra=("-map", "0", "-map", "1", "-c:v:1", "copy",
                            "-disposition:v:1", "attached_pic", "-map_metadata", "-1"))
    report = audit_file(clip, metadata_only=True)
    kinds = summaries_by_kind(report)
    assert kinds[FindingKind.LOCATION] == [
        "The cover picture inside the file shows where it was taken: 51.5000 N, 0.1200 W"
        " — near London, United Kingdom"]
    assert any("Jane Cover" in s for s in kinds[FindingKind.IDENTITY])
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output is not None
    again = summaries_by_kind(audit_file(result.output, metadata_only=True))
    assert FindingKind.LOCATION not in again and FindingKind.IDENTITY not in again
