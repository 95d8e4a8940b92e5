"""XMP parsing: identifying values lifted, unsafe or broken packets refused without crashing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories.exif import XMP_NS, scan, xmp_packet
from veil.core.metadata import Metadata, decode
from veil.core.metadata.xmp import parse_coord

PHOTO = Path("/nonexistent/p.jpg")


def meta_of(*packets: bytes) -> Metadata:
    return decode(PHOTO, scan(xmp=packets))


def desc(attrs: str = "", body: str = "") -> bytes:
    return xmp_packet(f'<rdf:Description rdf:about="" {XMP_NS} {attrs}>{body}</rdf:Description>')


@pytest.mark.parametrize(
    ("text", "value"),
    [("48,51.5N", 48.858333), ("2,17.67E", 2.2945), ("48,51,30N", 48.858333),
     ("33,51.4S", -33.856667), ("74,2.67W", -74.0445), ("12.5", 12.5), ("junk", None)],
)
def test_parse_coord(text: str, value: float | None) -> None:
    got = parse_coord(text)
    assert got == pytest.approx(value, abs=1e-4) if value is not None else got is None


def test_gps_creator_serial_software_dates() -> None:
    meta = meta_of(desc(
        'exif:GPSLatitude="48,51.5N" exif:GPSLongitude="2,17.67E" aux:SerialNumber="SN123" '
        'xmp:CreatorTool="Lightroom" xmp:CreateDate="2023-11-05T14:30:12+01:00" '
        'photoshop:City="Paris"',
        "<dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>"
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) Jane</rdf:li></rdf:Alt>'
        "</dc:rights>",
    ))
    assert meta.gps[0].lat == pytest.approx(48.858333, abs=1e-5)
    assert meta.gps[0].source == "XMP"
    assert ("XMP dc:creator[1]", "Jane Doe") in meta.owners
    assert ("XMP dc:rights[1]", "(c) Jane") in meta.owners
    assert ("XMP SerialNumber", "SN123") in meta.serials
    assert ("XMP xmp:CreatorTool", "Lightroom") in meta.software
    assert ("XMP xmp:CreateDate", "2023-11-05T14:30:12+01:00") in meta.datetimes
    assert ("XMP photoshop:City", "Paris") in meta.places
    assert any(t.group == "XMP" and t.name == "dc:creator[1]" for t in meta.tags)


def test_mwg_and_mp_regions_name_people_with_boxes() -> None:
    mwg = (
        "<mwg-rs:Regions rdf:parseType=\"Resource\"><mwg-rs:RegionList><rdf:Bag>"
        '<rdf:li><rdf:Description mwg-rs:Name="Alice" mwg-rs:Type="Face">'
        '<mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.4"/>'
        "</rdf:Description></rdf:li>"
        '<rdf:li><rdf:Description mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.1" '
        'stArea:y="0.1" stArea:w="0.1" stArea:h="0.1"/></rdf:Description></rdf:li>'
        "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"
    )
    mp = (
        "<MP:RegionInfo rdf:parseType=\"Resource\"><MPRI:Regions><rdf:Bag><rdf:li "
        'MPReg:PersonDisplayName="Bob" MPReg:Rectangle="0.1, 0.2, 0.3, 0.4"/>'
        "</rdf:Bag></MPRI:Regions></MP:RegionInfo>"
    )
    meta = meta_of(desc(body=mwg + mp + "<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Carol"
                        "</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>"))
    people = {p.name: p for p in meta.people}
    assert set(people) == {"Alice", "Bob", "Carol"}
    assert people["Alice"].box == pytest.approx((0.4, 0.3, 0.2, 0.4))
    assert people["Bob"].box == pytest.approx((0.1, 0.2, 0.3, 0.4))
    assert meta.values["XMP:FaceRegions"] == 3


def test_motion_photo_flag_and_history() -> None:
    meta = meta_of(desc('GCamera:MotionPhoto="1" xmpMM:DocumentID="xmp.did:1234"',
                        "<xmpMM:History><rdf:Seq><rdf:li stEvt:action=\"saved\" "
                        "stEvt:softwareAgent=\"Photoshop\"/></rdf:Seq></xmpMM:History>"))
    assert "motion_photo" in meta.flags
    assert ("xmpMM:DocumentID", "xmp.did:1234") in meta.xmp_history
    assert any(v == "Photoshop" for _, v in meta.software)


@pytest.mark.parametrize(
    "packet",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&b;</x:xmpmeta>',
        b'<!doctype x SYSTEM "file:///etc/passwd"><x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
    ],
)
def test_doctype_and_entities_are_refused(packet: bytes) -> None:
    meta = meta_of(packet)
    assert meta.scan.complete is False
    assert any("entities" in w for w in meta.warnings)
    assert not any(t.group == "XMP" for t in meta.tags)


def test_malformed_xml_is_a_warning_not_a_crash() -> None:
    meta = meta_of(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><unclosed></x:xmpmeta>')
    assert meta.scan.complete is False
    assert meta.warnings


def test_oversized_packet_is_not_parsed() -> None:
    meta = meta_of(desc(f'dc:title="{"x" * (9 * 1024 * 1024)}"'))
    assert meta.scan.complete is False


def test_utf16_packet_without_bom() -> None:
    packet = desc('xmp:CreatorTool="Tool"').decode().encode("utf-16-be")
    assert ("XMP xmp:CreatorTool", "Tool") in meta_of(packet).software


def test_deep_nesting_is_bounded() -> None:
    body = "<dc:x>" * 200 + "v" + "</dc:x>" * 200
    assert isinstance(meta_of(desc(body=body)), Metadata)


def test_latin1_packet_is_read() -> None:
    packet = desc('xmp:CreatorTool="Caf\u00e9"').decode().replace("\ufeff", "").encode("latin-1")
    assert ("XMP xmp:CreatorTool", "Café") in meta_of(packet).software


def test_self_closing_empty_packet_with_padding_is_read() -> None:
    """Pillow's xmp_padded.jpg: an empty <x:xmpmeta/> followed by the trailer and NULs."""
    packet = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
              b'<x:xmpmeta xmlns:x="adobe:ns:meta/" />\n<?xpacket end="w"?>\x00\x00')
    meta = decode(Path("/x/a.jpg"), scan(xmp=(packet,)))
    assert meta.warnings == () and meta.scan.complete


def test_pdf_schema_names_author_dates_and_tools() -> None:
    """exiftool's ExtendedXMP.jpg keeps its author in the XMP pdf schema."""
    body = ('<rdf:Description xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Author="PhilToo" '
            'pdf:Creator="Guess Who" pdf:Producer="Just ExifTool again" pdf:Title="PDF Title" '
            'pdf:CreationDate="2008-10-20T19:54:15"/>')
    meta = decode(Path("/x/a.jpg"), scan(xmp=(xmp_packet(body),)))
    assert ("XMP pdf:Author", "PhilToo") in meta.owners
    assert [v for _, v in meta.software] == ["Guess Who", "Just ExifTool again"]
    assert ("XMP pdf:CreationDate", "2008-10-20T19:54:15") in meta.datetimes
    assert ("XMP pdf:Title", "PDF Title") in meta.texts


def test_photoshop_text_layers_are_text() -> None:
    # image00971.jpg (../shared) keeps a letter's layers, "Sehr geehrter Herr Mustermann,
    # ...", in XMP photoshop:TextLayers: the scan said nothing of them.
    from tests.factories.findings import of, run
    from veil.core.model import FindingKind

    layers = "".join(f'<rdf:li photoshop:LayerName="{n}" photoshop:LayerText="{t}"/>' for n, t in
                     (("Dear Mr Doe", "Dear Mr Doe, your results are ready"), ("Logo", "ACME")))
    meta = meta_of(desc(body=f"<photoshop:TextLayers><rdf:Bag>{layers}</rdf:Bag>"
                             "</photoshop:TextLayers>"))
    assert [v for _, v in meta.texts] == ["Dear Mr Doe, your results are ready", "ACME"]
    (text,) = of(FindingKind.OTHER_METADATA, run(meta))
    assert text.summary == ('Carries text written into it: "Dear Mr Doe, your results are '
                            'ready" (a text layer), and 1 more')
