"""Video audit: sniffing MOV/MP4/M4V/3GP by content and reading where, when, which phone,
who, sound and revealing tracks from clips made with ffmpeg and tagged with exiftool."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.factories.isobmff import box, ftyp, make_mp4, xyz_atom
from tests.factories.video import PHONE_TAGS, make_clip, tag, telemetry_clip
from veil.core import formats
from veil.core.audit import audit_file
from veil.core.formats.video import Video, sniff_movie
from veil.core.model import CheckStatus, FindingKind, Risk, Severity


def _kinds(report) -> dict[FindingKind, list[str]]:
    out: dict[FindingKind, list[str]] = {}
    for f in report.findings:
        out.setdefault(f.kind, []).append(f.summary)
    return out


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


def test_live_photo_keys(tmp_path: Path) -> None:
    meta = _keys_meta({"com.apple.quicktime.content.identifier": "8E2A1C4B-3F5D-4E6A",
                       "com.apple.quicktime.location.ISO6709": "+35.6586+139.7454+040.000/",
                       "com.apple.quicktime.model": "iPhone 15 Pro"})
    raw = make_mp4(brand="qt  ")
    at = raw.index(b"moov") - 4
    size = struct.unpack(">I", raw[at : at + 4])[0]
    raw = raw[:at] + struct.pack(">I", size + len(meta)) + raw[at + 4 : at + size] + meta + \
        raw[at + size :]
    path = tmp_path / "live.mov"
    path.write_bytes(raw)
    report = audit_file(path, metadata_only=True)
    kinds = _kinds(report)
    assert kinds[FindingKind.LOCATION][0].startswith("Shows where it was filmed: 35.6586 N")
    assert any("Live Photo still" in s and "8E2A1C4B" in s for s in kinds[FindingKind.DEVICE])
    assert any("iPhone 15 Pro" in s for s in kinds[FindingKind.DEVICE])


def test_phone_tags_found(tmp_path: Path) -> None:
    clip = tag(make_clip(tmp_path / "IMG_0001.MOV", fmt="mov"), *PHONE_TAGS)
    report = audit_file(clip)
    assert report.ok, report.error
    assert report.format == "mov" and (report.width, report.height) == (96, 64)
    kinds = _kinds(report)
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


def test_silent_plain_clip_can_be_none(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "quiet.mp4", sound=False, extra=("-fflags", "+bitexact",
                                                                  "-map_metadata", "-1"))
    report = audit_file(clip)
    assert report.ok, report.error
    assert not [f for f in report.findings if f.kind is FindingKind.SOUND]
    leftovers = [f.summary for f in report.findings]
    assert report.risk is Risk.NONE, leftovers


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


def _patched(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack(">I", value) + data[at + 4 :]


def test_bad_movies_one_line_reason(tmp_path: Path) -> None:
    data = make_mp4(brand="isom")
    moov_at = data.index(b"moov") - 4
    cases = {
        "huge_moov.mp4": _patched(data, moov_at, 0x7FFF_FFFF),
        "no_moov.mp4": ftyp("isom", "isom") + box("mdat", b"\0" * 32),
        "tiny_box.mp4": _patched(data, moov_at, 3),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        report = audit_file(path, metadata_only=True)
        assert not report.ok, name
        assert report.error and "\n" not in report.error, name
        assert report.risk is Risk.UNKNOWN


def test_unknown_top_box_blocks_none(tmp_path: Path) -> None:
    path = tmp_path / "odd.mp4"
    path.write_bytes(make_mp4(brand="isom", audio=False) + box("zzzz", b"secret"))
    report = audit_file(path, metadata_only=True)
    assert report.ok
    assert report.risk is not Risk.NONE
    assert any("zzzz" in n for n in report.notes)


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


def test_telemetry_track_records_where(tmp_path: Path) -> None:
    report = audit_file(telemetry_clip(tmp_path), metadata_only=True)
    where = [f for f in report.findings if f.kind is FindingKind.LOCATION]
    assert where and where[0].summary == (
        "A track records where it was filmed (GoPro GPMF telemetry)")
    assert where[0].severity is Severity.HIGH


def test_gopro_gps_fix_is_read(tmp_path: Path) -> None:
    report = audit_file(telemetry_clip(tmp_path, gpmf=(51.500729, -0.124625, 20.0)),
                        metadata_only=True)
    where = [f for f in report.findings if f.kind is FindingKind.LOCATION]
    assert where[0].summary.startswith("Shows where it was filmed: 51.5007 N, 0.1246 W")
    assert where[0].source == "GoPro GPMF"
    assert any(f.summary.startswith("A track records where") for f in where)


def test_vendor_box_and_compressor_name(tmp_path: Path) -> None:
    path = tmp_path / "s.mp4"
    path.write_bytes(make_mp4(udta=box("smta", b"\0\0\0\x10saut" + b"SM-G991B")))
    report = audit_file(path, metadata_only=True)
    notes = [f for f in report.findings if f.kind is FindingKind.MAKER_NOTES]
    assert notes and "Samsung" in notes[0].summary
    clip = make_clip(tmp_path / "c.mp4", sound=False)
    tags = {t.name: t.value for t in audit_file(clip, metadata_only=True).tags}
    assert "libx264" in tags["CompressorName"]


def test_padding_that_holds_data_blocks_none(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "tail.mp4", sound=False, extra=("-map_metadata", "-1",
                                                                 "-fflags", "+bitexact"))
    assert audit_file(clip).risk is Risk.NONE
    secret = b"OWNER=Jane Doe"
    with open(clip, "ab") as f:
        f.write(struct.pack(">I4s", 8 + len(secret), b"free") + secret)
    report = audit_file(clip)
    assert report.risk is Risk.UNKNOWN
    assert any("padding box holds" in n for n in report.notes)


def test_cover_picture_is_a_preview(tmp_path: Path) -> None:
    from PIL import Image

    cover = tmp_path / "cover.jpg"
    Image.new("RGB", (32, 32), "red").save(cover)
    clip = tag(make_clip(tmp_path / "c.mp4", sound=False), f"-ItemList:CoverArt<={cover}")
    report = audit_file(clip, metadata_only=True)
    previews = [f.summary for f in report.findings if f.kind is FindingKind.THUMBNAIL]
    assert previews == ["Contains a small preview copy of the video"]


def test_apple_timed_metadata_keys_decide_the_finding() -> None:
    from veil.core.formats.isobmff import Box
    from veil.core.formats.video.movie import TELEMETRY, TIMED, Track, _mebx_keys

    def keyd(name: str) -> bytes:
        return box(struct.pack(">I", 1), box("keyd", b"mdta" + name.encode()))

    entry = box("mebx", bytes(8) + box("keys", keyd("com.apple.quicktime.still-image-time")))
    keys = _mebx_keys(bytes(8) + entry)
    assert keys == ["com.apple.quicktime.still-image-time"]
    track = Track(Box("trak", 0, 8, 8), sample_format="mebx", meta_keys=keys)
    assert track.role == TIMED
    track.meta_keys.append("com.apple.quicktime.location.ISO6709")
    assert track.role == TELEMETRY
    assert Track(Box("trak", 0, 8, 8), sample_format="mebx").role == TELEMETRY  # unknown: assume


def test_labelled_position_in_a_text_track(tmp_path: Path) -> None:
    srt = tmp_path / "dji.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nF/2.8, SS 1000, ISO 100 "
                   "[latitude: 48.858400] [longitude: 2.294500] [rel_alt: 30.0]\n\n")
    clip = make_clip(tmp_path / "DJI_0002.mp4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    where = [f for f in audit_file(clip, metadata_only=True).findings
             if f.kind is FindingKind.LOCATION]
    assert where[0].summary.startswith("Shows where it was filmed: 48.8584 N, 2.2945 E")
    assert where[0].source == "Text track"


def _qt_text(code: bytes, text: str) -> bytes:
    raw = text.encode()
    return box(code, struct.pack(">HH", len(raw), 0x15C7) + raw)


def test_quicktime_user_data_atoms(tmp_path: Path) -> None:
    from tests.factories.isobmff import loci_atom

    udta = (loci_atom(-33.8568, 151.2153) + _qt_text(b"\xa9day", "2021-03-04T05:06:07+1100")
            + _qt_text(b"\xa9mak", "samsung") + _qt_text(b"\xa9mod", "SM-G991B")
            + _qt_text(b"\xa9swr", "G991BXXU3AUE1"))
    path = tmp_path / "VID_1.3gp"
    path.write_bytes(make_mp4(brand="3gp5", udta=udta))
    report = audit_file(path, metadata_only=True)
    assert report.format == "3gp"
    kinds = _kinds(report)
    assert kinds[FindingKind.LOCATION][0].startswith("Shows where it was filmed: 33.8568 S")
    assert "Sydney" in kinds[FindingKind.LOCATION][0]
    assert kinds[FindingKind.TIME][0].startswith("Shows when it was filmed: 4 March 2021")
    assert any("SM-G991B" in s for s in kinds[FindingKind.DEVICE])
    assert any("G991BXXU3AUE1" in s for s in kinds[FindingKind.SOFTWARE])


def test_a_movie_cut_inside_its_media_still_shows_its_metadata(tmp_path: Path) -> None:
    """Hostile retest of issues 15/17 ("salvage, don't refuse"): a fast-start movie (moov
    first) cut inside mdat was an error ("box 'mdat' ... beyond its container's end") and hid
    the position exiftool still reads from it. Now: ok, the position, never "none", a note;
    the cleaner still refuses it."""
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions, ExportStatus

    data = make_mp4(brand="isom", udta=xyz_atom("+48.8584+002.2945/"))
    assert data.index(b"moov") < data.index(b"mdat")
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) - 30])
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    assert report.risk is not Risk.NONE
    assert _kinds(report)[FindingKind.LOCATION][0].startswith("Shows where it was filmed: 48.8")
    assert any("could not be read" in n for n in report.notes), report.notes
    result = export_clean(path, tmp_path / "out", ExportOptions())
    assert result.status is not ExportStatus.CLEANED
    assert not list((tmp_path / "out").glob("*"))


def test_a_movie_cut_inside_its_movie_header_is_still_refused(tmp_path: Path) -> None:
    data = make_mp4(brand="isom")
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: data.index(b"moov") + 40])
    report = audit_file(path, metadata_only=True)
    assert not report.ok and report.error and "\n" not in report.error


@pytest.mark.parametrize("pad", ["", "x" * 13])
def test_labelled_text_track_position_whatever_the_sample_length(tmp_path: Path,
                                                                 pad: str) -> None:
    """Hostile retest of issue 17: a tx3g sample starts with its 2-byte length; a length of
    48..57 or 65..122 bytes is an ASCII letter or digit ('0' for 48), which glued to
    'latitude' defeated the word boundary, so the labelled DJI position was missed."""
    text = f"latitude: 48.8584 longitude: 2.2945 SN{pad}"
    srt = tmp_path / "gps.srt"
    srt.write_text(f"1\n00:00:00,000 --> 00:00:01,500\n{text}\n\n")
    clip = make_clip(tmp_path / "drone.mp4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    report = audit_file(clip, metadata_only=True)
    where = [f.summary for f in report.findings if f.kind is FindingKind.LOCATION]
    assert any(s.startswith("Shows where it was filmed: 48.8584 N, 2.2945 E") for s in where), \
        (len(text), where)
