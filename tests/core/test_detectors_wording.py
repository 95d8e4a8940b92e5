"""Metadata detectors: plain wording (owners, copyright holders, hidden video, text, software)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories.exif import XMP_NS, exif_payload, iim, photoshop, xmp_packet
from tests.factories.findings import meta, of, run
from tests.factories.jpeg import encode
from tests.factories.mp4 import make_mp4, xyz_atom
from veil.core.audit import audit_file
from veil.core.formats.base import Embedded
from veil.core.model import FindingKind, Severity


def test_png_author_is_an_identity_finding_and_place_text_a_location() -> None:
    found = run(meta("/x/a.png", fmt="png", text=(("AUTHOR", "Jane Doe"), ("Title", "Beach"),
                                                  ("Location", "Lyon, France"))))
    (who,) = of(FindingKind.IDENTITY, found)
    assert who.severity is Severity.HIGH
    assert who.summary == "Names a person: Jane Doe (author)"
    assert who.source == "PNG text"
    (where,) = of(FindingKind.LOCATION, found)
    assert where.summary == "Names the place: Lyon, France"
    (text,) = of(FindingKind.OTHER_METADATA, found)
    assert "Beach" in text.summary


def test_png_creation_time_reads_as_created() -> None:
    found = run(meta("/x/a.png", fmt="png", text=(("Creation Time", "2023:11:05 10:00:00"),)))
    (when,) = of(FindingKind.TIME, found)
    assert when.summary == "Shows when it was created: 5 November 2023, 10:00"
    assert when.severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("value", "severity"),
    [("TM&Copyright (C) 2010 Sony Computer Entertainment Inc.", Severity.MEDIUM),
     ("Acme Photo GmbH", Severity.MEDIUM), ("Nikon Corporation", Severity.MEDIUM),
     ("Big Pictures Ltd", Severity.MEDIUM), ("(C) Jane Doe 2021", Severity.HIGH),
     ("Jane Doe", Severity.HIGH)],
)
def test_copyright_holder_wording_and_severity(value: str, severity: Severity) -> None:
    (who,) = of(FindingKind.IDENTITY, run(meta(exif=(exif_payload(copyright=value),))))
    assert who.summary == f"Names the copyright holder: {value}"
    assert who.severity is severity


def test_a_person_heads_the_owner_finding_before_a_company_copyright() -> None:
    (who,) = of(FindingKind.IDENTITY, run(meta(exif=(exif_payload(
        copyright="Example Inc.", artist="Jane Doe"),))))
    assert who.summary == "Names a person: Jane Doe (artist), and 1 more name"
    assert who.severity is Severity.HIGH
    company = run(meta(exif=(exif_payload(artist="Example Studios Inc."),)))
    assert of(FindingKind.IDENTITY, company)[0].severity is Severity.MEDIUM


def test_job_title_is_never_the_headline() -> None:
    found = run(meta(iptc=(photoshop((0x0404, iim(2, 85, b"Staff photographer")
                                      + iim(2, 80, b"Jane Doe"))),)))
    (who,) = of(FindingKind.IDENTITY, found)
    assert who.summary.startswith("Names a person: Jane Doe (photographer)")


def _motion(detail: dict[str, object]) -> Embedded:
    return Embedded("motion_video", 1000, 500_000, "motion photo video (Samsung mpvd box)",
                    detail={"duration_s": 2.1, "has_audio": True, **detail})


def test_hidden_video_location_and_time() -> None:
    video = _motion({"created": "2023-03-08T07:01:06+00:00",
                     "gps": {"lat": 12.9603, "lon": 77.7055, "source": "©xyz"}})
    found = run(meta(exif=(exif_payload(gps=(12.9604, 77.7055)),), embedded=(video,)))
    photo, hidden = of(FindingKind.LOCATION, found)
    assert photo.summary.startswith("Shows where it was taken: 12.9604 N")
    assert hidden.severity is Severity.HIGH and hidden.source == "embedded video"
    assert hidden.summary == ("The hidden video inside the file also shows where it was taken: "
                              "12.9603 N, 77.7055 E — near Bengaluru, India")
    assert (hidden.detail["lat"], hidden.detail["lon"]) == (12.9603, 77.7055)
    alone = of(FindingKind.LOCATION, run(meta(embedded=(video,))))
    assert [f.summary.split(":")[0] for f in alone] == [
        "The hidden video inside the file shows where it was taken"]
    (when,) = of(FindingKind.TIME, run(meta(embedded=(video,))))
    assert when.summary == ("Shows when it was taken, according to the hidden video inside it: "
                            "8 March 2023, 07:01 (time zone UTC)")
    assert when.source == "embedded video"
    (clip,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=(video,))))
    assert clip.summary == "Contains 2.1 s of video with sound hidden inside the file"


@pytest.mark.parametrize("gps", [{"lat": "12", "lon": 77.0}, {"lat": float("nan"), "lon": 1.0},
                                 {"lat": 95.0, "lon": 1.0}, {"lat": 0, "lon": 0}, "12,77",
                                 {"lat": True, "lon": 1.0}])
def test_hostile_video_positions_are_ignored(gps: object) -> None:
    found = run(meta(embedded=(_motion({"gps": gps, "created": "1904-01-01T00:00:00"}),)))
    assert of(FindingKind.LOCATION, found) == [] and of(FindingKind.TIME, found) == []


def test_hidden_layers_and_trailers_in_plain_words() -> None:
    items = (Embedded("aux_image", 10, 100, "HEIF auxiliary image: gain map",
                      detail={"aux_type": "gain map"}),
             Embedded("aux_image", 200, 100, "HEIF auxiliary image: depth",
                      detail={"aux_type": "depth"}),
             Embedded("trailer", 300, 859, "AFCP metadata trailer (IPTC)"))
    summaries = [f.summary for f in of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=items)))]
    assert summaries == [
        "Contains 2 extra image layers inside the file: a brightness map of the same scene "
        "(for extra-bright screens) and a depth map (how far each point was from the camera)",
        "Has 859 bytes of extra data after the picture (captions and tags added by photo "
        "software)"]


def test_appended_picture_and_unknown_bytes_in_plain_words() -> None:
    """Handler notes name formats ("JPEG") or repeat the size: the sentence says neither."""
    picture = (Embedded("trailer", 300, 60_000, "another JPEG image appended after the picture"),)
    unknown = (Embedded("trailer", 300, 4096,
                        "4096 bytes of unknown data after the end of the image"),)
    (one,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=picture)))
    (two,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=unknown)))
    assert one.summary == "Has 59 KB of extra data after the picture (another picture)"
    assert two.summary == "Has 4 KB of extra data after the picture (unknown content)"


@pytest.mark.parametrize(
    ("software", "make", "expected"),
    [("S901U1UEU2CWAI", "samsung", "Samsung firmware S901U1UEU2CWAI"),
     ("HD6.01.01.51.00", "GoPro", "GoPro firmware HD6.01.01.51.00"),
     ("Photoshop8", "Canon", "Photoshop8"), ("GIMP 2.10", "Canon", "GIMP 2.10")],
)
def test_firmware_build_codes_say_whose_they_are(software: str, make: str, expected: str) -> None:
    (soft,) = of(FindingKind.SOFTWARE,
                 run(meta(exif=(exif_payload(software=software, make=make),))))
    assert soft.summary == f"Names the software used: {expected}"


@pytest.mark.parametrize(
    ("software", "model", "expected"),
    [("K10D Ver 1.30", "PENTAX K10D", "Pentax firmware 1.30"),
     ("Digital Camera FinePix2400Zoom Ver1.70", "FinePix2400Zoom", "Pentax firmware 1.70"),
     ("GIMP Ver 2.1", "PENTAX K10D", "GIMP Ver 2.1")],
)
def test_model_and_version_is_firmware(software: str, model: str, expected: str) -> None:
    (soft,) = of(FindingKind.SOFTWARE, run(meta(exif=(exif_payload(
        software=software, make="PENTAX", model=model),))))
    assert soft.summary == f"Names the software used: {expected}"


def test_long_software_lists_are_cut_between_names() -> None:
    body = (f'<rdf:Description rdf:about="" {XMP_NS} xmpMM:DocumentID="xmp.did:1">'
            "<xmp:CreatorTool>Adobe Fireworks CS5 11.0.0.484 Windows</xmp:CreatorTool>"
            "</rdf:Description>")
    found = run(meta(exif=(exif_payload(software="Adobe Photoshop CS5 Macintosh"),),
                     xmp=(xmp_packet(body),)))
    (soft,) = of(FindingKind.SOFTWARE, found)
    assert soft.summary == ("Names the software used: Adobe Photoshop CS5 Macintosh and Adobe "
                            "Fireworks CS5 11.0.0.484 Windows; it also keeps hidden IDs that "
                            "can link it to other versions of the file")


def test_text_labels_are_words_and_camera_boilerplate_is_silent() -> None:
    found = run(meta(exif=(exif_payload(description="Our street", model="X100"),)))
    (text,) = of(FindingKind.OTHER_METADATA, found)
    assert text.summary == 'Carries text written into it: "Our street" (description)'
    for boiler in ("DCF 1.0", "X100"):
        found = run(meta(exif=(exif_payload(description=boiler, model="X100"),)))
        assert of(FindingKind.OTHER_METADATA, found) == []


def test_a_web_address_as_author_points_to_the_owner() -> None:
    (who,) = of(FindingKind.IDENTITY, run(meta(exif=(exif_payload(artist="www.example.com"),))))
    assert who.summary == "Points to its owner: www.example.com (artist)"
    assert who.severity is Severity.HIGH


def test_xmp_pdf_creation_date_reads_as_created() -> None:
    body = ('<rdf:Description xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
            'pdf:CreationDate="2008-10-20T19:54:15"/>')
    (when,) = of(FindingKind.TIME, run(meta(xmp=(xmp_packet(body),))))
    assert when.summary == "Shows when it was created: 20 October 2008, 19:54"


def test_mpf_images_say_what_they_are_when_known() -> None:
    three_d = (Embedded("mpf_image", 10, 100, "MPF disparity (3D) frame",
                        detail={"type": "disparity (3D) frame"}),)
    (emb,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=three_d)))
    assert emb.summary == ("Contains 1 more image inside the file: the other eye's view of a "
                           "3D photo")
    unknown = (Embedded("mpf_image", 10, 100, "MPF extra image", detail={"type": "extra image"}),)
    (emb,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=unknown)))
    assert emb.summary.endswith("(for example a larger preview or a second view)")


def test_motion_photo_video_gps_end_to_end(tmp_path: Path) -> None:
    """A JPEG with a movie after its end: the movie's own ©xyz position is reported."""
    photo = tmp_path / "PXL_motion.jpg"
    photo.write_bytes(encode() + make_mp4(udta=xyz_atom("+12.9603+077.7055/")))
    report = audit_file(photo, metadata_only=True)
    (where,) = [f for f in report.findings if f.kind is FindingKind.LOCATION]
    assert where.source == "embedded video" and where.severity is Severity.HIGH
    assert (where.detail["lat"], where.detail["lon"]) == (12.9603, 77.7055)
    assert where.summary.startswith("The hidden video inside the file shows where it was taken")
