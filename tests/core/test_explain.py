"""Plain words shared by the CLI and GUI."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.factories.exif import exif_payload
from veil.core import explain
from veil.core.audit import audit_file
from veil.core.model import FileReport, Finding, FindingKind, Risk, Severity


@pytest.mark.parametrize(
    ("text", "words"),
    [("2023:11:05 14:30:12", "5 November 2023, 14:30"),
     ("2023:11:05 14:30:12.345+01:00", "5 November 2023, 14:30 (time zone UTC+1)"),
     ("2023:11:05 14:30:12+05:30", "5 November 2023, 14:30 (time zone UTC+5:30)"),
     ("2023:11:05 14:30:12-03:00", "5 November 2023, 14:30 (time zone UTC-3)"),
     ("2023-11-05T14:30:12Z", "5 November 2023, 14:30 (time zone UTC)"),
     ("2023:11:05", "5 November 2023"),
     ("0000:00:00 00:00:00", None), ("2023:13:45 10:00:00", None), ("garbage", None),
     # RFC 1123, which the PNG spec asks its "Creation Time" text to use
     ("Sun, 05 Nov 2023 14:30:12 +0100", "5 November 2023, 14:30 (time zone UTC+1)"),
     ("Sun, 05 Nov 2023 14:30:12 GMT", "5 November 2023, 14:30 (time zone UTC)"),
     ("5 November 2023 14:30 -0530", "5 November 2023, 14:30 (time zone UTC-5:30)"),
     ("5 Nov 2023", "5 November 2023"), ("Sun, 05 Nov 2023 14:30:12", "5 November 2023, 14:30"),
     ("12 Mayhem 2020", None), ("32 Jan 2020 10:00", None), ("5 Nov 23", None)],
)
def test_when_words(text: str, words: str | None) -> None:
    assert explain.when_words(text) == words


def test_coord() -> None:
    assert explain.coord(48.8584, 2.2945) == "48.8584 N, 2.2945 E"
    assert explain.coord(-33.85, -70.5) == "33.8500 S, 70.5000 W"


def test_every_kind_has_a_heading() -> None:
    for kind in FindingKind:
        assert explain.heading(kind) in explain.HEADINGS
    assert explain.heading(FindingKind.LOCATION) == "Where"
    assert explain.heading(FindingKind.EMBEDDED_MEDIA) == "Hidden inside the file"
    assert explain.heading(FindingKind.FACE) == "People & marks"


def _report(*findings: Finding, risk: Risk = Risk.HIGH) -> FileReport:
    return FileReport(Path("x.jpg"), "ok", None, "jpeg", 1, 1, 1, risk, findings)


def test_summary_line_orders_by_severity_and_counts_faces() -> None:
    face = Finding(FindingKind.FACE, Severity.HIGH, "A face", "pixels")
    report = _report(
        Finding(FindingKind.SOFTWARE, Severity.LOW, "s", "EXIF", {"label": "Software"}),
        Finding(FindingKind.LOCATION, Severity.HIGH, "l", "EXIF GPS", {"label": "Location"}),
        Finding(FindingKind.DEVICE, Severity.HIGH, "d", "EXIF", {"label": "Serial number"}),
        face, face,
        Finding(FindingKind.EMBEDDED_MEDIA, Severity.HIGH, "v", "x", {"label": "Hidden video"}),
    )
    assert explain.summary_line(report) == (
        "Location · Serial number · 2 faces · Hidden video · Software")


def test_summary_line_is_honest_when_nothing_found() -> None:
    assert explain.summary_line(_report(risk=Risk.NONE)) == explain.NONE_FOUND
    assert explain.summary_line(_report(risk=Risk.UNKNOWN)) == "Not fully checked"


def test_group_findings_keeps_heading_order() -> None:
    groups = explain.group_findings([
        Finding(FindingKind.SOFTWARE, Severity.LOW, "s", "EXIF"),
        Finding(FindingKind.TIME, Severity.MEDIUM, "t", "EXIF"),
        Finding(FindingKind.LOCATION, Severity.HIGH, "l", "EXIF"),
    ])
    assert [h for h, _ in groups] == ["Where", "When", "Other"]


def test_risk_words_never_call_unknown_clean() -> None:
    assert explain.RISK_WORDS[Risk.UNKNOWN] == "Unknown"
    assert "not known to be clean" in explain.RISK_MEANING[Risk.UNKNOWN]


def test_real_jpeg_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "IMG_20231105_143012.jpg"
    payload = exif_payload(make="Canon", model="Canon EOS 5D Mark IV", gps=(48.8584, 2.2945),
                           taken="2023:11:05 14:30:12", serial="0123456789", artist="Jane Doe")
    Image.new("RGB", (64, 48), "gray").save(path, exif=b"Exif\0\0" + payload)
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    assert report.risk is Risk.HIGH
    line = explain.summary_line(report)
    assert line.startswith("Location · Serial number · Owner name")
    summaries = {f.summary for f in report.findings}
    assert "Shows where it was taken: 48.8584 N, 2.2945 E — near Paris, France" in summaries
    assert "Names a person: Jane Doe (artist)" in summaries
    assert any(t.group == "GPS" for t in report.tags)


def test_a_png_creation_time_in_rfc_1123_is_a_time(tmp_path: Path) -> None:
    # The PNG spec's own format for "Creation Time"; it was dropped as unparseable, so a
    # screenshot saying when it was made said nothing about time.
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Creation Time", "Mon, 07 Dec 2026 10:00:00 +0100")
    path = tmp_path / "shot.png"
    Image.new("RGB", (64, 48), "gray").save(path, pnginfo=info)
    report = audit_file(path, metadata_only=True)
    times = [f for f in report.findings if f.kind is FindingKind.TIME]
    assert [f.summary for f in times] == [
        "Shows when it was created: 7 December 2026, 10:00 (time zone UTC+1)"]
    assert times[0].detail["taken"] == "2026-12-07T10:00:00+01:00"


def test_a_sidecar_is_listed_under_what_it_reveals() -> None:
    side = Finding(FindingKind.SIDECAR, Severity.HIGH, "s", "Takeout JSON sidecar",
                   {"file": "a.jpg.json", "location": [48.8, 2.2], "people": ["Jane"]})
    xmp = Finding(FindingKind.SIDECAR, Severity.MEDIUM, "x", "XMP sidecar", {"edits": True})
    people = Finding(FindingKind.SIDECAR, Severity.HIGH, "p", "XMP", {"people": ["Jane"]})
    assert explain.finding_heading(side) == "Where"
    assert explain.finding_heading(people) == "Who"
    assert explain.finding_heading(xmp) == "Other"
    groups = dict(explain.group_findings([side, xmp]))
    assert groups["Where"] == [side] and groups["Other"] == [xmp]


def test_plain_note_drops_library_jargon() -> None:
    note = "pixels not checked: cannot decode the pixels: Truncated File Read"
    assert explain.plain_note(note) == (
        "the picture data is damaged, so Veil could not look at the picture itself; faces and "
        "marks were not checked (the file is cut short)")
    assert "APP0" not in explain.plain_note("the file ends inside the APP0 segment")
    assert explain.plain_note("image file is truncated (5 bytes not processed)") == (
        "the file is cut short")
    assert explain.plain_note("nothing to change") == "nothing to change"
    bomb = ("the picture is too large to check its pixels (Image size (1600000000 pixels) "
            "exceeds limit of 800000000 pixels, could be decompression bomb DOS attack.)")
    heif = ("pixels not checked: cannot decode the pixels: Invalid input: Unspecified: NAL "
            "stream was rejected because a NAL unit size is invalid.")
    # libheif's reason, in plain words, only said "damaged" again: it is left out.
    assert explain.plain_note(heif) == (
        "the picture data is damaged, so Veil could not look at the picture itself; faces and "
        "marks were not checked")
    assert explain.plain_note("while decoding the pixels: Corrupt EXIF data. Expecting to "
                              "read 12 bytes but only got 2.") == (
        "while decoding the pixels: a metadata block is damaged")
    assert "MPO" not in explain.plain_note(
        "Image appears to be a malformed MPO file, it will be interpreted as a base JPEG file")
    assert explain.plain_note(bomb) == (
        "the picture is too large to check its pixels (1600000000 pixels, more than Veil opens)")



def test_a_picture_no_decoder_reads_is_said_plainly_first_and_once() -> None:
    """A damaged HEIC said "faces and marks not checked: the picture could not be opened:
    Invalid input: ..." and its preview's note repeated the decoder's words: what it means
    comes first now, the reason after it, and the preview's note does not repeat it."""
    garbled = ("pixels not checked: cannot decode the pixels: Failed to decode frame 0: "
               "Decoding of color planes failed")
    assert explain.plain_note(garbled) == (
        "the picture data is damaged, so Veil could not look at the picture itself; faces and "
        "marks were not checked (Failed to decode frame 0: Decoding of color planes failed)")
    preview = ("the preview's content was not compared with the photo: cannot decode the "
               "pixels: Failed to decode frame 0: Decoding of color planes failed")
    assert explain.plain_note(preview) == (
        "the preview stored in the file was not compared with the picture either")
    # A rotation tag that stops the decode is not damaged picture data.
    exif = ("pixels not checked: cannot decode the pixels: its EXIF orientation is unreadable "
            "(unpack requires a buffer of 4 bytes)")
    assert explain.plain_note(exif).startswith(
        "part of the file is damaged, so Veil could not look at the picture itself; ")
    assert "(its EXIF orientation is unreadable (unpack requires" in explain.plain_note(exif)
