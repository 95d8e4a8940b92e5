"""Metadata detectors: who (owners, copyright holders, tagged people) and the software and
editing history that can name an account."""

from __future__ import annotations

import pytest

from tests.factories.exif import (
    XMP_NS,
    exif_payload,
    iim,
    photoshop,
    xmp_packet,
)
from tests.factories.findings import meta, of, run
from veil.core.model import FindingKind, Severity


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


def test_software_is_low() -> None:
    (soft,) = of(FindingKind.SOFTWARE, run(meta(exif=(exif_payload(software="GIMP 2.10"),))))
    assert soft.severity is Severity.LOW
    assert soft.summary == "Names the software used: GIMP 2.10"
