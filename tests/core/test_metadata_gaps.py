"""Identifying metadata exiftool reads that the scan once reported nowhere (found with
tools/metadata_gaps.py on ../shared/corpus): a Canon lens model kept only in the maker
notes, a Reconyx trail camera's capture time (in its maker notes only), IPTC's digital
creation date, a name in a non-standard XMP property, a file's own XMP IDs behind a long
list of ancestor documents, and the original file's name kept inside. Each on bytes built
here; exiftool agrees where installed."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.factories.exif import ASCII, UNDEFINED, Ifd, iim, photoshop, tiff, xmp_packet
from tests.factories.maker_apps import jpeg_with_apps, jpeg_with_exif, picture_info_app12
from tests.factories.makernotes import (
    canon_entries,
    canon_note,
    exif_with_note,
    ifd_bytes,
    plain_note,
)
from veil.core.audit import audit_file
from veil.core.model import FileReport, Finding, FindingKind

LENS = "EF16-35mm f/2.8L II USM"
XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\0"


def _scan(tmp_path: Path, data: bytes, name: str = "photo.jpg") -> tuple[Path, FileReport]:
    path = tmp_path / name
    path.write_bytes(data)
    return path, audit_file(path, metadata_only=True)


def _one(report: FileReport, kind: FindingKind) -> Finding:
    found = [f for f in report.findings if f.kind is kind]
    assert found, [f.summary for f in report.findings]
    return found[0]


def _exiftool(path: Path, *tags: str) -> dict[str, Any]:
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.skip("exiftool is not installed")
    out = subprocess.run([exe, "-j", "-G1", *[f"-{t}" for t in tags], str(path)],
                         capture_output=True, check=True).stdout
    return dict(json.loads(out)[0])


def _reconyx_note(when: tuple[int, int, int, int, int, int], serial: str) -> bytes:
    """A HyperFire note: int16u words, the time at word 0x0b (second, minute, hour, month,
    day, year), the serial as UTF-16 at byte 0x2a (ExifTool's Reconyx HyperFire table)."""
    words = [0xF101, 3, 3, 0, 0x2011, 0x0110, 84, 0, 0, 0, 8, *when]
    note = bytearray(struct.pack(f"<{len(words)}H", *words))
    note += bytes(0x2A - len(note)) + serial.encode("utf-16-le").ljust(30, b"\0")
    return bytes(note + bytes(0x60))


def test_a_canon_lens_model_in_the_maker_notes_is_named(tmp_path: Path) -> None:
    entries = {**canon_entries(), 0x0095: (ASCII, LENS)}
    exif = exif_with_note("Canon", canon_note(entries, "<"), "<", "Canon EOS-1D Mark III")
    path, report = _scan(tmp_path, jpeg_with_exif(exif))
    device = [f for f in report.findings if f.kind is FindingKind.DEVICE and "lens" in f.detail]
    assert device and device[0].detail["lens"] == LENS and LENS in device[0].summary
    assert _exiftool(path, "Canon:LensModel").get("Canon:LensModel") == LENS


def test_a_reconyx_capture_time_in_the_maker_notes_is_shown(tmp_path: Path) -> None:
    """A trail camera writes no EXIF date: its maker notes hold the only one."""
    note = _reconyx_note((0, 0, 10, 3, 16, 2020), "H500EE06130468")
    exif = exif_with_note("RECONYX", lambda at: note, "<", "HC500 HYPERFIRE")
    path, report = _scan(tmp_path, jpeg_with_exif(exif))
    time = _one(report, FindingKind.TIME)
    assert time.detail["taken"] == "2020-03-16T10:00:00" and "16 March 2020" in time.summary
    devices = [f.detail for f in report.findings if f.kind is FindingKind.DEVICE]
    assert "H500EE06130468" in json.dumps(devices)
    theirs = _exiftool(path, "Reconyx:DateTimeOriginal")
    assert theirs.get("Reconyx:DateTimeOriginal") == "2020:03:16 10:00:00"


def test_an_impossible_reconyx_time_is_not_shown(tmp_path: Path) -> None:
    note = _reconyx_note((0, 0, 10, 13, 16, 2020), "H500EE06130468")  # month 13
    exif = exif_with_note("RECONYX", lambda at: note, "<", "HC500 HYPERFIRE")
    _, report = _scan(tmp_path, jpeg_with_exif(exif))
    assert not [f for f in report.findings if f.kind is FindingKind.TIME]


def test_iptc_digital_creation_date_is_shown(tmp_path: Path) -> None:
    """When it was digitised (a scan of an old print, or the camera's own copy)."""
    iptc = iim(2, 62, b"20020202") + iim(2, 63, b"022222+0200")
    _, report = _scan(tmp_path, jpeg_with_apps((0xED, photoshop((0x0404, iptc)))))
    time = _one(report, FindingKind.TIME)
    assert time.detail["values"] == {"IPTC DigitalCreationDate": "2002:02:02 02:22:22+02:00"}
    assert "2 February 2002" in time.summary


def test_a_name_in_a_nonstandard_xmp_property_is_reported(tmp_path: Path) -> None:
    """Some writers copy EXIF's Copyright into XMP as exif:Copyright (no schema has it)."""
    body = ('<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/">'
            "<exif:Copyright>Ilya Kurikhin</exif:Copyright></rdf:Description>")
    _, report = _scan(tmp_path, jpeg_with_apps((0xE1, XMP_APP1 + xmp_packet(body))))
    assert "Ilya Kurikhin" in _one(report, FindingKind.IDENTITY).detail["names"]


def test_the_files_own_ids_are_shown_before_hundreds_of_ancestors(tmp_path: Path) -> None:
    ancestors = "".join(f"<rdf:li>{i:032X}</rdf:li>" for i in range(300))
    body = ('<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
            'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
            f"<photoshop:DocumentAncestors><rdf:Bag>{ancestors}</rdf:Bag>"
            "</photoshop:DocumentAncestors>"
            "<xmpMM:InstanceID>xmp.iid:0E90BC000C20681180839CF504E18B6D</xmpMM:InstanceID>"
            "</rdf:Description>")
    _, report = _scan(tmp_path, jpeg_with_apps((0xE1, XMP_APP1 + xmp_packet(body))))
    history = _one(report, FindingKind.SOFTWARE).detail["history"]
    assert history["xmpMM:InstanceID"] == "xmp.iid:0E90BC000C20681180839CF504E18B6D"
    assert "photoshop:DocumentAncestors[1]" in history  # the ancestors still follow


@pytest.mark.parametrize(("name", "data"), [
    ("dng_tag.jpg", lambda: jpeg_with_exif(tiff(Ifd({0x010F: (ASCII, "Canon"),
                                                      0xC68B: (ASCII, "IMG_0457.CR2")})))),
    ("xmp_crs.jpg", lambda: jpeg_with_apps((0xE1, XMP_APP1 + xmp_packet(
        '<rdf:Description xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" '
        'crs:RawFileName="IMG_0457.CR2"/>')))),
])
def test_the_original_file_name_kept_inside_is_reported(
    tmp_path: Path, name: str, data: Callable[[], bytes]
) -> None:
    """A DNG's OriginalRawFileName or Camera Raw's crs:RawFileName: the camera's name for
    the shot (its number) or whatever name the owner gave the raw file."""
    _, report = _scan(tmp_path, data(), name)
    text = _one(report, FindingKind.OTHER_METADATA)
    assert '"IMG_0457.CR2" (original file name)' in text.summary


def test_a_picture_info_capture_time_is_shown(tmp_path: Path) -> None:
    """Agfa/Olympus/Sanyo PictureInfo APP12 "TimeDate": seconds since 1970, as exiftool."""
    path, report = _scan(tmp_path, jpeg_with_apps(picture_info_app12()))
    time = _one(report, FindingKind.TIME)
    assert time.detail["taken"] == "1998-12-31T15:17:20" and "31 December 1998" in time.summary
    theirs = _exiftool(path, "PictureInfo:DateTimeOriginal")
    assert theirs.get("PictureInfo:DateTimeOriginal") == "1998:12:31 15:17:20"


def test_people_tags_in_keyword_trees_name_people(tmp_path: Path) -> None:
    """digiKam, Windows Photo Gallery and Lightroom file named faces as keyword paths under
    "People"; other branches ("Places/Paris") are text, not people."""
    body = ('<rdf:Description xmlns:digiKam="http://www.digikam.org/ns/1.0/" '
            'xmlns:MicrosoftPhoto="http://ns.microsoft.com/photo/1.0/" '
            'xmlns:lr="http://ns.adobe.com/lightroom/1.0/">'
            "<digiKam:TagsList><rdf:Seq><rdf:li>People/Jane Doe</rdf:li>"
            "<rdf:li>Places/Paris</rdf:li></rdf:Seq></digiKam:TagsList>"
            "<MicrosoftPhoto:LastKeywordXMP><rdf:Bag><rdf:li>People/Ann Example</rdf:li>"
            "</rdf:Bag></MicrosoftPhoto:LastKeywordXMP>"
            "<lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Family|John Roe</rdf:li>"
            "</rdf:Bag></lr:hierarchicalSubject></rdf:Description>")
    _, report = _scan(tmp_path, jpeg_with_apps((0xE1, XMP_APP1 + xmp_packet(body))))
    people = json.dumps([f.detail for f in report.findings if f.kind is FindingKind.IDENTITY])
    for name in ("Jane Doe", "Ann Example", "John Roe"):
        assert name in people
    assert "Paris" not in people
    text = _one(report, FindingKind.OTHER_METADATA)
    assert "Places/Paris" in json.dumps(text.detail) and "(keywords)" in text.summary


def _panasonic_note(entries: dict[int, tuple[int, Any]]) -> Callable[[int], bytes]:
    def build(at: int) -> bytes:
        return b"Panasonic\0\0\0" + ifd_bytes(entries, "<", at + 12, 0, next_ifd=False)

    return build


def _text64(value: str) -> tuple[int, bytes]:
    return UNDEFINED, value.encode().ljust(64, b"\0")


def _faces(*names: str) -> bytes:
    """FaceRecInfo: count, then a 48-byte record per face (name, position, age)."""
    records = b"".join(n.encode().ljust(20, b"\0") + bytes(8) + b"".ljust(20, b"\0")
                       for n in names)
    return struct.pack("<HH", len(names), 0) + records


def test_panasonic_names_and_places_in_the_maker_notes_are_reported(tmp_path: Path) -> None:
    """What the owner typed (a baby's name), faces the camera was taught to recognise, and
    the landmark its GPS database named; an unset field ("---") is nothing."""
    entries = {0x0001: (UNDEFINED, b"0121"), 0x0025: (UNDEFINED, b"S010604030293\0\0\0"),
               0x0061: (UNDEFINED, _faces("Jane Doe", "John Roe")), 0x0066: _text64("Emma"),
               0x0067: _text64("---"), 0x006D: _text64("Paris"), 0x006F: _text64("Eiffel Tower")}
    exif = exif_with_note("Panasonic", _panasonic_note(entries), "<", "DMC-ZS7")
    path, report = _scan(tmp_path, jpeg_with_exif(exif))
    people = json.dumps([f.detail for f in report.findings if f.kind is FindingKind.IDENTITY])
    for name in ("Emma", "Jane Doe", "John Roe"):
        assert name in people
    places = json.dumps(_one(report, FindingKind.LOCATION).detail)
    assert "Eiffel Tower" in places and "Paris" in places and "---" not in places
    theirs = _exiftool(path, "Panasonic:all")
    assert theirs.get("Panasonic:BabyName") == "Emma"
    assert theirs.get("Panasonic:Landmark") == "Eiffel Tower"
    assert theirs.get("Panasonic:RecognizedFace2Name") == "John Roe"


def _nikon_note(entries: dict[int, tuple[int, Any]]) -> Callable[[int], bytes]:
    """A Nikon type-3 note: its own big-endian TIFF header, offsets counted from it."""
    def build(_at: int) -> bytes:
        return b"Nikon\0\x02\x10\0\0MM\0*" + struct.pack(">I", 8) + ifd_bytes(entries, ">", 8, 0)

    return build


def test_a_nikon_gps_models_place_name_and_a_samsung_face_name_are_reported(
    tmp_path: Path,
) -> None:
    location = b"0100" + b"\x01" + b"FRA" + b"\x00" + b"Tour Eiffel, Paris".ljust(70, b"\0")
    nikon = _nikon_note({0x0001: (UNDEFINED, b"0210"), 0x001D: (ASCII, "3001006"),
                         0x0039: (UNDEFINED, location)})
    path, report = _scan(tmp_path, jpeg_with_exif(exif_with_note("NIKON", nikon, ">", "AW100")))
    assert "Tour Eiffel, Paris" in json.dumps(_one(report, FindingKind.LOCATION).detail)
    assert _exiftool(path, "Nikon:Location").get("Nikon:Location") == "Tour Eiffel, Paris"
    samsung = plain_note({0xA002: (ASCII, "R1AB23CD45E"), 0x0123: (ASCII, "Jane Doe")})
    path, report = _scan(tmp_path, jpeg_with_exif(exif_with_note("SAMSUNG", samsung, "<",
                                                                 "SM-G991B")), "s.jpg")
    assert "Jane Doe" in json.dumps(_one(report, FindingKind.IDENTITY).detail)
