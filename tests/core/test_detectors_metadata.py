"""Metadata detectors: one finding per concept, right severity, plain summaries, JSON details
(sidecars and colour profiles: test_detectors_sidecar, test_detectors_colour_profile)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories.exif import (
    XMP_NS,
    canon_note,
    exif_payload,
    iim,
    photoshop,
    scan,
    with_maker_note,
    xmp_packet,
)
from veil.core.detectors.metadata_rules import DETECTORS
from veil.core.formats.base import Embedded
from veil.core.metadata import Metadata, decode
from veil.core.model import Finding, FindingKind, Severity


def _thumb(w: int, h: int) -> bytes:
    """A minimal JPEG header with a SOF0 of w x h (all the size reader needs)."""
    return (b"\xff\xd8\xff\xc0\x00\x11\x08" + h.to_bytes(2, "big") + w.to_bytes(2, "big")
            + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")


THUMB_4_3 = _thumb(160, 120)


def run(meta: Metadata) -> list[Finding]:
    found = [f for _, detect in DETECTORS for f in detect(meta)]
    for f in found:
        json.dumps(f.to_json())  # every detail is JSON-able
    return found


def of(kind: FindingKind, found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.kind is kind]


def meta(path: str = "/nonexistent/photo.jpg", **kw: object) -> Metadata:
    return decode(Path(path), scan(**kw))  # type: ignore[arg-type]


def test_gps_is_one_high_finding_with_place() -> None:
    found = run(meta(exif=(exif_payload(gps=(48.8584, 2.2945)),)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.severity is Severity.HIGH
    assert loc.summary == "Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France"
    assert loc.source == "EXIF GPS"
    assert loc.detail["lat"] == pytest.approx(48.8584)
    assert loc.detail["place"] == "near Paris, France"


def test_written_place_without_gps_is_medium() -> None:
    found = run(meta(iptc=(photoshop((0x0404, iim(2, 90, b"Lyon"))),)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.severity is Severity.MEDIUM
    assert "Lyon" in loc.summary


def test_gps_and_another_written_place_names_both() -> None:
    # The GPS point says Paris, the IPTC says Lyon and a street: the summary named only
    # Paris, and a person reading it never learned the file also names the street.
    iptc = photoshop((0x0404, iim(2, 90, b"Lyon") + iim(2, 92, b"12 rue Oberkampf")))
    found = run(meta(exif=(exif_payload(gps=(48.8584, 2.2945)),), iptc=(iptc,)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.severity is Severity.HIGH
    assert loc.summary == ("Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France;"
                           " it also names the place: Lyon, 12 rue Oberkampf")


def test_gps_and_the_same_town_written_says_it_once() -> None:
    iptc = photoshop((0x0404, iim(2, 90, b"Paris") + iim(2, 101, b"France")))
    found = run(meta(exif=(exif_payload(gps=(48.8584, 2.2945)),), iptc=(iptc,)))
    (loc,) = of(FindingKind.LOCATION, found)
    assert loc.summary == "Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France"


def _history(*params: str, derived: str | None = None) -> bytes:
    events = "".join(f'<rdf:li stEvt:action="saved" stEvt:parameters="{p}" '
                     'stEvt:softwareAgent="Adobe Photoshop 25.0 (Windows)"/>' for p in params)
    ref = (f'<xmpMM:DerivedFrom stRef:filePath="{derived}" '
           'xmlns:stRef="http://ns.adobe.com/xap/1.0/sType/ResourceRef#"/>' if derived else "")
    return xmp_packet(f'<rdf:Description {XMP_NS} xmpMM:DocumentID="xmp.did:AB12">'
                      f"<xmpMM:History><rdf:Seq>{events}</rdf:Seq></xmpMM:History>{ref}"
                      "</rdf:Description>")


def test_a_file_path_in_the_editing_history_names_the_account() -> None:
    # Photoshop's history and DerivedFrom keep where the file was on the editor's computer;
    # the user folder is the account name, often the person's. It was only "hidden IDs".
    packet = _history("from /Users/jdoe/Desktop/private_0001.psd",
                      derived="C:\\Users\\jane.doe\\Pictures\\IMG_0001.jpg")
    (soft,) = of(FindingKind.SOFTWARE, run(meta(xmp=(packet,))))
    assert soft.severity is Severity.MEDIUM
    assert soft.summary == (
        "Names the software used: Adobe Photoshop 25.0 (Windows); it also names a file on the "
        "computer it was edited on: C:\\Users\\jane.doe\\Pictures\\IMG_0001.jpg (user name: "
        "jane.doe), and 1 more path")
    assert set(soft.detail["accounts"]) == {"jdoe", "jane.doe"}


def test_history_without_paths_stays_low() -> None:
    packet = _history("converted from image/jpeg to image/tiff; see http://ns.adobe.com/Users/x")
    (soft,) = of(FindingKind.SOFTWARE, run(meta(xmp=(packet,))))
    assert soft.severity is Severity.LOW and soft.detail["paths"] == []
    assert soft.summary.endswith("hidden IDs that can link it to other versions of the file")


def test_a_path_without_a_user_folder_is_named_but_low() -> None:
    (soft,) = of(FindingKind.SOFTWARE, run(meta(xmp=(_history("saved to D:\\Wedding\\a.psd"),))))
    assert soft.severity is Severity.LOW
    assert "a file on the computer it was edited on: D:\\Wedding\\a.psd" in soft.summary


@pytest.mark.parametrize("byline", [b"Picasa", b"GIMP 2.10", b"Adobe Photoshop Lightroom"])
def test_a_program_named_as_the_photographer_is_software(byline: bytes) -> None:
    # Picasa writes "Picasa" as the IPTC By-line: it said "Names a person: Picasa".
    found = run(meta(iptc=(photoshop((0x0404, iim(2, 80, byline))),)))
    assert of(FindingKind.IDENTITY, found) == []
    (soft,) = of(FindingKind.SOFTWARE, found)
    assert soft.summary == f"Names the software used: {byline.decode()}"


def test_a_person_with_a_program_in_the_name_stays_a_person() -> None:
    found = run(meta(iptc=(photoshop((0x0404, iim(2, 80, b"Jane Picasa"))),)))
    (who,) = of(FindingKind.IDENTITY, found)
    assert who.summary == "Names a person: Jane Picasa (photographer)"


def test_time_summary_words() -> None:
    found = run(meta(exif=(exif_payload(taken="2023:11:05 14:30:12"),)))
    (when,) = of(FindingKind.TIME, found)
    assert when.summary == "Shows when it was taken: 5 November 2023, 14:30"
    assert when.severity is Severity.MEDIUM
    assert when.detail["taken"] == "2023-11-05T14:30:12"


def test_camera_model_medium_and_serials_high() -> None:
    found = run(meta(exif=(exif_payload(make="Canon", model="Canon EOS 5D Mark IV",
                                        serial="0123456789", lens_serial="L1"),)))
    model, serial = of(FindingKind.DEVICE, found)
    assert model.summary == "Names the camera: Canon EOS 5D Mark IV"
    assert model.severity is Severity.MEDIUM
    assert serial.severity is Severity.HIGH
    assert serial.summary.startswith(
        "Carries the camera's serial number (0123456789) — it links every photo from this camera")
    assert serial.detail["serials"] == {"BodySerialNumber": "0123456789",
                                        "LensSerialNumber": "L1"}


def test_maker_note_serial_is_a_device_finding_not_a_maker_notes_one() -> None:
    found = run(meta(exif=(with_maker_note("Canon", canon_note(serial=42)),)))
    assert "42" in of(FindingKind.DEVICE, found)[-1].summary
    assert of(FindingKind.MAKER_NOTES, found) == []


def test_opaque_maker_note_is_low() -> None:
    found = run(meta(exif=(with_maker_note("SONY", canon_note(owner="x")),)))
    (notes,) = of(FindingKind.MAKER_NOTES, found)
    assert notes.severity is Severity.LOW
    assert notes.summary == ("Contains private data from the Sony camera, which can include "
                             "settings and internal IDs")


def test_the_same_person_in_artist_and_copyright_is_one_name() -> None:
    # It said "Names a person: Jane Q. Private (artist), and 1 more name": the copyright
    # "(c) 2026 Jane Q. Private" is the same person.
    found = run(meta(exif=(exif_payload(artist="Jane Q. Private",
                                        copyright="(c) 2026 Jane Q. Private"),)))
    (who,) = of(FindingKind.IDENTITY, found)
    assert who.summary == "Names a person: Jane Q. Private (artist)"
    assert who.detail["names"] == ["Jane Q. Private"]
    other = run(meta(exif=(exif_payload(artist="Jane Doe", copyright="(c) John Roe"),)))
    (two,) = of(FindingKind.IDENTITY, other)
    assert two.summary == "Names a person: Jane Doe (artist), and 1 more name"
    numbered = run(meta(exif=(exif_payload(artist="Photographer 1",
                                           copyright="Photographer 2"),)))
    assert of(FindingKind.IDENTITY, numbered)[0].detail["names"] == [
        "Photographer 1", "Photographer 2"]


def test_owner_names_and_boilerplate_copyright() -> None:
    found = run(meta(exif=(exif_payload(artist="Jane Doe", copyright="Copyright 2005"),)))
    (who,) = of(FindingKind.IDENTITY, found)
    assert who.severity is Severity.HIGH
    assert who.summary == "Names a person: Jane Doe (artist)"
    assert run(meta(exif=(exif_payload(copyright="(C) 2010"),))) == []


def test_named_people_from_xmp() -> None:
    body = (f'<rdf:Description rdf:about="" {XMP_NS}><Iptc4xmpExt:PersonInImage><rdf:Bag>'
            "<rdf:li>Alice</rdf:li><rdf:li>Bob</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>"
            "</rdf:Description>")
    (people,) = of(FindingKind.IDENTITY, run(meta(xmp=(xmp_packet(body),))))
    assert people.summary == "Names 2 people in it: Alice and Bob (tagged in the photo)"
    assert people.severity is Severity.HIGH


def test_thumbnail_present_medium_and_stale_high() -> None:
    ok = run(meta(width=4000, height=3000, exif=(exif_payload(thumbnail=THUMB_4_3),)))
    (thumb,) = of(FindingKind.THUMBNAIL, ok)
    assert thumb.severity is Severity.MEDIUM
    stale = run(meta(width=3000, height=3000, exif=(exif_payload(thumbnail=_thumb(200, 100)),)))
    (thumb,) = of(FindingKind.THUMBNAIL, stale)
    assert thumb.severity is Severity.HIGH
    assert thumb.summary == ("The small preview inside the file doesn't match the photo: it may "
                             "show the uncropped original")


def test_an_empty_preview_slot_is_not_a_finding() -> None:
    """IFD1 pointing at a 0-byte preview reveals nothing (exiftool still lists the offset)."""
    found = run(meta(exif=(exif_payload(thumbnail=b""),)))
    assert not of(FindingKind.THUMBNAIL, found)


def test_dcf_thumbnail_shape_proves_nothing_but_cropped_exif_size_does() -> None:
    padded = run(meta(width=6000, height=4000, exif=(exif_payload(thumbnail=THUMB_4_3),)))
    assert of(FindingKind.THUMBNAIL, padded)[0].severity is Severity.MEDIUM
    cropped = run(meta(width=3000, height=3000,
                       exif=(exif_payload(thumbnail=THUMB_4_3, exif_size=(6000, 4000)),)))
    assert of(FindingKind.THUMBNAIL, cropped)[0].severity is Severity.HIGH


def test_rotated_photo_is_not_stale() -> None:
    found = run(meta(width=3000, height=4000, exif=(exif_payload(thumbnail=_thumb(200, 150)),)))
    assert of(FindingKind.THUMBNAIL, found)[0].severity is Severity.MEDIUM


def test_motion_video_with_sound_is_high() -> None:
    video = Embedded("motion_video", 1000, 500_000, "motion photo video",
                     detail={"duration_s": 2.8, "has_audio": True})
    (emb,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=(video,))))
    assert emb.severity is Severity.HIGH
    assert emb.summary.startswith("Contains 2.8 s of video with sound")
    silent = Embedded("motion_video", 1000, 500, detail={"duration_s": 1.0, "has_audio": False})
    assert of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=(silent,))))[0].severity is \
        Severity.MEDIUM


def test_mpf_trailer_leftover_and_c2pa() -> None:
    items = (Embedded("mpf_image", 10, 100, "MPF extra image"),
             Embedded("mpf_image", 200, 100, "MPF extra image"),
             Embedded("trailer", 300, 2048, "Samsung trailer"),
             Embedded("cropped_leftover", 400, 9000, "data after IEND"))
    found = run(meta(embedded=items, c2pa=True))
    summaries = {f.summary: f.severity for f in of(FindingKind.EMBEDDED_MEDIA, found)}
    assert summaries["Contains 2 more images inside the file (for example a larger preview or "
                     "a second view)"] is Severity.MEDIUM
    assert summaries["Has 2 KB of extra data after the picture (data added by Samsung's camera "
                     "app)"] is Severity.MEDIUM
    assert any(s.startswith("Holds leftover data") and v is Severity.HIGH
               for s, v in summaries.items())
    (prov,) = of(FindingKind.PROVENANCE, found)
    assert prov.summary.startswith("Carries a Content Credentials (C2PA) record")


def test_software_is_low() -> None:
    (soft,) = of(FindingKind.SOFTWARE, run(meta(exif=(exif_payload(software="GIMP 2.10"),))))
    assert soft.severity is Severity.LOW
    assert soft.summary == "Names the software used: GIMP 2.10"


def test_filename_date_medium_and_device_hint_low() -> None:
    (name,) = of(FindingKind.FILENAME, run(meta("/x/PXL_20231105_143012345.jpg")))
    assert name.severity is Severity.MEDIUM
    assert "5 November 2023, 14:30" in name.summary
    (hint,) = of(FindingKind.FILENAME, run(meta("/x/DSCN0010.jpg")))
    assert hint.severity is Severity.LOW
    assert run(meta("/x/holiday.jpg")) == []


def test_other_text_low_and_standard_icc_silent() -> None:
    found = run(meta(comments=("Birthday at home",), text=(("Comment", "x"),)))
    (other,) = of(FindingKind.OTHER_METADATA, found)
    assert other.severity is Severity.LOW
    assert "Birthday at home" in other.summary


def test_nothing_found_for_an_empty_scan() -> None:
    assert run(meta()) == []


def test_hostile_values_stay_plain_and_short() -> None:
    evil = "<img src=x>\x1b[2J" + "A" * 10_000
    found = run(meta(exif=(exif_payload(artist=evil, make=evil, model=evil, software=evil),)))
    assert found
    for f in found:
        assert "\x1b" not in f.summary and len(f.summary) < 400
        assert len(json.dumps(f.to_json())) < 20_000


def test_several_previews_are_one_finding() -> None:
    items = (Embedded("thumbnail", 0, 10, "EXIF thumbnail", detail={"source": "EXIF IFD1"}),
             Embedded("thumbnail", 50, 900, "preview (SubIFD1, 1024x683)",
                      detail={"width": 1024, "height": 683}))
    found = run(meta("/x/a.dng", fmt="dng", embedded=items,
                     exif=(exif_payload(thumbnail=THUMB_4_3),)))
    (thumb,) = of(FindingKind.THUMBNAIL, found)
    assert thumb.summary == "Contains 2 preview copies of the photo (the largest 1024×683)"
    assert thumb.detail["count"] == 2
