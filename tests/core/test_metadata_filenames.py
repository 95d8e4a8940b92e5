"""What file names give away."""

from __future__ import annotations

import pytest

from veil.core.metadata.filenames import read_name


@pytest.mark.parametrize(
    ("name", "when", "origin_word"),
    [
        ("IMG_20231105_143012.jpg", "2023-11-05 14:30:12", "Android"),
        ("PXL_20231105_143012345.jpg", "2023-11-05 14:30:12", "Pixel"),
        ("Screenshot_2023-11-05-14-30-12.png", "2023-11-05 14:30:12", "screenshot"),
        ("WhatsApp Image 2023-11-05 at 14.30.12.jpeg", "2023-11-05 14:30:12", "WhatsApp"),
        ("signal-2023-11-05-143012.jpg", "2023-11-05 14:30:12", "Signal"),
        ("IMG-20231105-WA0001.jpg", "2023-11-05", "WhatsApp"),
        ("20231105_143012.jpg", "2023-11-05 14:30:12", "Samsung"),
        ("DSC_0001.JPG", None, "Nikon"),
        ("DSCN0010.jpg", None, "Coolpix"),
        ("P1000123.JPG", None, "Panasonic"),
        ("GOPR0001.JPG", None, "GoPro"),
        # macOS in a 12-hour locale, and Dropbox's camera uploads: both said nothing
        ("Screen Shot 2023-11-05 at 2.30.12 PM.png", "2023-11-05 14:30:12", "Mac"),
        ("Screenshot 2023-11-05 at 12.05.09 AM.png", "2023-11-05 00:05:09", "Mac"),
        ("Screenshot 2023-11-05 at 14.30.12.png", "2023-11-05 14:30:12", "screenshot"),
        ("2023-11-05 14.30.12.jpg", "2023-11-05 14:30:12", "Dropbox"),
        ("2023-11-05 14.30.12-1.jpg", "2023-11-05 14:30:12", "Dropbox"),
        # A camera's name with words put in front keeps its date (a hostile review's
        # roll: it said nothing, and "Keep the names" kept it silently).
        ("Anna_Schmidt_birthday_IMG_20240714_184210.jpg", "2024-07-14 18:42:10", "Android"),
        ("trip - PXL_20231105_143012345.jpg", "2023-11-05 14:30:12", "Pixel"),
        ("Mum (WhatsApp Image 2023-11-05 at 14.30.12).jpeg", "2023-11-05 14:30:12",
         "WhatsApp"),
    ],
)
def test_patterns(name: str, when: str | None, origin_word: str) -> None:
    hint = read_name(name)
    assert hint is not None
    assert hint.when == when
    assert origin_word in (hint.origin or "")


@pytest.mark.parametrize("name", ["holiday.jpg", "IMG_1234.JPG", "20231399_999999.jpg",
                                  "photo.png", "Jane Doe at the beach.jpg",
                                  "2023-11-05 holiday.jpg", "trip_P1000123.JPG",
                                  "Jane_DSC_0001.jpg", "v2_20231399_999999.jpg"])
def test_neutral_names(name: str) -> None:
    assert read_name(name) is None


@pytest.mark.parametrize(("name", "address"), [
    ("jane.doe@gmail.com.jpg", "jane.doe@gmail.com"),
    ("from bob+pics@mail.example.org 3.png", "bob+pics@mail.example.org"),
])
def test_an_e_mail_address_in_a_name_is_high(name: str, address: str) -> None:
    from pathlib import Path

    from tests.factories.exif import scan
    from veil.core.detectors.filename import detect_filename
    from veil.core.metadata import decode
    from veil.core.model import FindingKind, Severity

    (found,) = detect_filename(decode(Path("/x") / name, scan()))
    assert found.kind is FindingKind.FILENAME and found.severity is Severity.HIGH
    assert found.summary == f"Its file name holds an e-mail address: {address}"


def test_no_address_in_a_name_with_an_at() -> None:
    from pathlib import Path

    from tests.factories.exif import scan
    from veil.core.detectors.filename import detect_filename
    from veil.core.metadata import decode

    assert detect_filename(decode(Path("/x/party @ home.jpg"), scan())) == []


@pytest.mark.parametrize(("name", "named"), [
    ("Canon_EOS_5D_Mark_IV.jpg", True),
    ("holiday canon eos 5d mark iv 2.jpg", True),
    ("Canon_EOS_5D.jpg", False),  # another model's name is no match
    ("photo.jpg", False),
])
def test_a_name_that_spells_out_the_camera_model(tmp_path, name: str, named: bool) -> None:
    # HMD_Nokia_8.3_5G.jpg, Canon_DIGITAL_IXUS_400.jpg: a copy drops the model from its
    # metadata but keeps it in its name unless renamed.
    from tests.factories.basic import gps_serial_exif, make_jpeg
    from veil.core.audit import audit_file
    from veil.core.model import FindingKind, Severity

    report = audit_file(make_jpeg(tmp_path / name, exif=gps_serial_exif()), metadata_only=True)
    found = [f for f in report.findings if f.kind is FindingKind.FILENAME]
    if named:
        (one,) = found
        assert one.severity is Severity.LOW
        assert one.summary == "Its file name includes the camera model: Canon EOS 5D Mark IV"
    else:
        assert found == []


def test_a_model_too_short_to_tell_from_a_word_is_not_matched() -> None:
    from pathlib import Path

    from veil.core.detectors.filename import _model_finding

    assert _model_finding(Path("/x/X 2 beach.jpg"), "X 2") == []
    assert _model_finding(Path("/x/pixel_7a_test.jpg"), "Pixel 7a") != []
