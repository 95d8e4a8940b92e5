"""What maker notes and maker blocks say besides serial numbers, in plain words: the cities a
camera's world clock was set to, a thermal camera's lens, a GoPro's model. Built from the
public tag tables (tests/factories/makernotes.py, maker_apps.py), never from a real file,
and checked against exiftool where it is installed (its printed values, not -n codes)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.factories.exif import ASCII, SHORT, UNDEFINED, exif_payload
from tests.factories.maker_apps import (
    flir_apps,
    flir_fff,
    gopro_app6,
    jpeg_with_apps,
    jpeg_with_exif,
)
from tests.factories.makernotes import Entries, exif_with_note, fuji_face_rec, fuji_note, plain_note
from tests.factories.raw import crw
from veil.core.audit import audit_file
from veil.core.model import FileReport, Finding, FindingKind


def _audit(tmp_path: Path, data: bytes, name: str = "photo.jpg") -> tuple[Path, FileReport]:
    path = tmp_path / name
    path.write_bytes(data)
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    return path, report


def _of(report: FileReport, kind: FindingKind) -> list[Finding]:
    return [f for f in report.findings if f.kind is kind]


def _exiftool(path: Path) -> dict[str, Any]:
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.skip("exiftool is not installed")
    out = subprocess.run([exe, "-j", "-G1", "-a", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return dict(json.loads(out)[0])


def _pentax(entries: Entries) -> bytes:
    note = plain_note(entries, "<", prefix=b"AOC\0II")
    return jpeg_with_exif(exif_with_note("PENTAX Corporation", note, "<", "PENTAX K10D"))


@pytest.mark.parametrize(("entries", "home", "away"), [
    ({0x0023: (SHORT, 11), 0x0024: (SHORT, 12)}, "Toronto", "New York"),  # K10D: Main tags
    ({0x006B: (UNDEFINED, bytes([1, 0, 56, 20]))}, "Tokyo", "London"),  # K-5: TimeInfo
])
def test_pentax_world_time_cities_are_places(tmp_path: Path, entries: Entries, home: str,
                                             away: str) -> None:
    # The home city the owner set says where they live; it was not read at all.
    path, report = _audit(tmp_path, _pentax(entries))
    (where,) = _of(report, FindingKind.LOCATION)
    assert where.summary == (f"Names the place: {home} (the camera's home city), {away} "
                             "(the camera's travel city)")
    assert where.detail["places"] == {"MakerNote HometownCity": home,
                                      "MakerNote DestinationCity": away}
    theirs = _exiftool(path)
    assert (theirs["Pentax:HometownCity"], theirs["Pentax:DestinationCity"]) == (home, away)


def test_pentax_city_past_the_known_list_is_not_guessed(tmp_path: Path) -> None:
    _, report = _audit(tmp_path, _pentax({0x0023: (SHORT, 75), 0x0024: (SHORT, 0xFFFF)}))
    assert _of(report, FindingKind.LOCATION) == []


def test_flir_lens_is_named_with_the_camera(tmp_path: Path) -> None:
    # FLIR.jpg (a FLIR i7) keeps its lens, FOL7, only in the thermal record: it was not read.
    fff = flir_fff(gps=None, lens_model="FOL7")
    exif = exif_payload(make="FLIR Systems AB", model="FLIR i7")
    path, report = _audit(tmp_path, jpeg_with_apps((0xE1, b"Exif\0\0" + exif),
                                                   *flir_apps(fff)))
    model = _of(report, FindingKind.DEVICE)[0]
    assert model.summary == "Names the camera: FLIR i7, and the lens: FOL7"
    assert model.detail["lens"] == "FOL7"
    assert _exiftool(path)["FLIR:LensModel"] == "FOL7"


def test_a_second_camera_in_a_canon_ciff_block_is_named(tmp_path: Path) -> None:
    # ExifTool.jpg: a Fujifilm JPEG keeping an early Canon PowerShot's CIFF block (APP0),
    # with its model and the camera's own folder and name for the shot. Both were read but
    # said nowhere: the scan named only the Fujifilm.
    ciff = crw(model="Canon PowerShot A5", owner="",
               original="C:\\DC97\\CTG_0000\\AUT_0045.JPG").replace(b"HEAPCCDR", b"HEAPJPGM")
    exif = exif_payload(make="FUJIFILM", model="FinePix2400Zoom")
    path, report = _audit(tmp_path, jpeg_with_apps((0xE1, b"Exif\0\0" + exif), (0xE0, ciff)))
    model = _of(report, FindingKind.DEVICE)[0]
    assert model.summary == ("Names the camera: Fujifilm FinePix2400Zoom; another part of the "
                             "file names a Canon PowerShot A5")
    assert model.detail["devices"] == {"Model": "Canon PowerShot A5"}
    (text,) = _of(report, FindingKind.OTHER_METADATA)
    assert text.detail["texts"]["OriginalRawFileName"] == "C:\\DC97\\CTG_0000\\AUT_0045.JPG"
    theirs = _exiftool(path)
    assert (theirs["CIFF:Model"], theirs["CIFF:OriginalFileName"]) == (
        "Canon PowerShot A5", "C:\\DC97\\CTG_0000\\AUT_0045.JPG")


def test_the_same_camera_in_two_blocks_is_named_once(tmp_path: Path) -> None:
    ciff = crw(model="Canon EOS 300D DIGITAL").replace(b"HEAPCCDR", b"HEAPJPGM")
    exif = exif_payload(make="Canon", model="Canon EOS 300D DIGITAL")
    _, report = _audit(tmp_path, jpeg_with_apps((0xE1, b"Exif\0\0" + exif), (0xE0, ciff)))
    model = _of(report, FindingKind.DEVICE)[0]
    assert model.summary == "Names the camera: Canon EOS 300D DIGITAL"
    assert "devices" not in model.detail


def test_gopro_model_and_device_name_are_read_from_its_gpmf_block(tmp_path: Path) -> None:
    # A GoPro photo whose EXIF an editor dropped keeps the model in its APP6 GPMF block
    # (MINF): the scan named no camera. DVNM names the stream's device ("Photo Global
    # Settings" in a photo): kept in the detail, it names no camera of its own.
    app6 = gopro_app6((1, 2, 3, 4, 0, 0, 0, 0), model="HERO6 Black")
    path, report = _audit(tmp_path, jpeg_with_apps(app6))
    model = _of(report, FindingKind.DEVICE)[0]
    assert model.summary == "Names the camera: GoPro HERO6 Black"
    assert model.detail["devices"] == {"GoPro DeviceName": "Photo Global Settings"}
    theirs = _exiftool(path)
    assert (theirs["GoPro:Model"], theirs["GoPro:DeviceName"]) == (
        "HERO6 Black", "Photo Global Settings")


def test_fujifilm_recognised_faces_are_named_people(tmp_path: Path) -> None:
    # A Fujifilm camera taught faces keeps, per photo, the names (and birthdays) of those
    # it recognised in its maker notes (FaceRecInfo): they were not read at all.
    note = fuji_note({0x0010: (ASCII, "FFDT22A1234567"),
                      0x4282: (UNDEFINED, fuji_face_rec([("Anna", "20190412"),
                                                         ("Ben", "19850101")]))})
    path, report = _audit(tmp_path, jpeg_with_exif(exif_with_note("FUJIFILM", note, "<",
                                                                  "X-T30")))
    people = [f for f in _of(report, FindingKind.IDENTITY) if f.detail["label"] ==
              "Named people"]
    assert people and people[0].summary == (
        "Names 2 people in it: Anna and Ben (from the camera's own notes)")
    (text,) = _of(report, FindingKind.OTHER_METADATA)
    assert text.summary == ('Carries text written into it: "2019:04:12" (birthday of a face '
                            "the camera knows), and 1 more")
    theirs = _exiftool(path)
    assert (theirs["FujiFilm:Face1Name"], theirs["FujiFilm:Face2Name"]) == ("Anna", "Ben")


def test_a_fujifilm_face_block_pointing_outside_itself_is_bounded(tmp_path: Path) -> None:
    block = bytearray(fuji_face_rec([("Anna", "20190412")]))
    struct.pack_into("<II", block, 16 + 30, 4, 0xFFFFFFF0)  # the name lies far past the end
    note = fuji_note({0x4282: (UNDEFINED, bytes(block))})
    _, report = _audit(tmp_path, jpeg_with_exif(exif_with_note("FUJIFILM", note, "<")))
    assert not [f for f in _of(report, FindingKind.IDENTITY)]


def test_media_jukebox_people_places_and_date_are_read(tmp_path: Path) -> None:
    # ExifTool.jpg keeps JRiver Media Center's tags in an APP9 "Media Jukebox" block: a
    # person (Santa) and a place (Jamaica) it said nothing of ("... was found but not
    # decoded").
    xml = ("<MJMD>\r\n<Tool_Name>Media Center</Tool_Name>\r\n<Tool_Version>19.0.67"
           "</Tool_Version>\r\n<People>Anna Roe;Ben Roe</People>\r\n<Places>Kingston &amp; "
           "Ocho Rios</Places>\r\n<Date>41518.8418865740750334</Date>\r\n<Name>Our house"
           "</Name>\r\n</MJMD>\r\n")
    app9 = (0xE9, b"Media Jukebox\0\x01\0" + xml.encode() + b"\0")
    path, report = _audit(tmp_path, jpeg_with_apps(app9))
    who = [f for f in _of(report, FindingKind.IDENTITY) if f.detail["label"] == "Named people"]
    assert who and who[0].summary == ("Names 2 people in it: Anna Roe and Ben Roe (tagged in "
                                      "the photo)")
    (where,) = _of(report, FindingKind.LOCATION)
    assert where.summary == "Names the place: Kingston & Ocho Rios"
    (when,) = _of(report, FindingKind.TIME)
    assert when.summary == "Shows when it was taken: 1 September 2013, 20:12"
    assert not report.notes, report.notes
    theirs = _exiftool(path)
    assert (theirs["MediaJukebox:People"], theirs["MediaJukebox:Date"]) == (
        "Anna Roe;Ben Roe", "2013:09:01 20:12:19")


@pytest.mark.parametrize("bo", ["<", ">"])
def test_casio_home_city_is_a_place(tmp_path: Path, bo: str) -> None:
    # A Casio's "type 2" note keeps the world-time home city the owner chose, as text.
    note = plain_note({0x3006: (ASCII, "Tokyo")}, bo, prefix=b"QVC\0\0\0")
    path, report = _audit(tmp_path, jpeg_with_exif(exif_with_note(
        "CASIO COMPUTER CO.,LTD.", note, bo, "EX-Z750")))
    (where,) = _of(report, FindingKind.LOCATION)
    assert where.summary == "Names the place: Tokyo (the camera's home city)"
    assert _exiftool(path)["Casio:HometownCity"] == "Tokyo"
