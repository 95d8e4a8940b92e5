"""Maker APPn blocks: decoded when their layout is known (Casio QVCI, JPS, Ducky), otherwise
"not understood" so the file is never called clean (issue 12 item 9, issue 15)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.factories import jpeg as fj
from veil.core.audit import audit_file
from veil.core.model import FileReport, Risk


def qvci(model: bytes = b"QV7000S", when: bytes = b"2001.02.03.04:05:06") -> bytes:
    """A Casio QVCI APP1 payload: quality at 0x2c, time at 0x4d, model at 0x62."""
    body = bytearray(b"QVCI\0".ljust(0x90, b"\0"))
    body[0x2C] = 3
    body[0x4D : 0x4D + len(when)] = when
    body[0x62 : 0x62 + len(model)] = model
    return bytes(body)


def jps(comment: bytes) -> bytes:
    """A JPS APP3 payload: header length 4, stereo side-by-side, then the comment."""
    return (b"_JPSJPS_" + struct.pack(">H", 4) + bytes([1, 0, 2, 1])
            + struct.pack(">H", len(comment)) + comment)


def ducky(comment: str, copyright_: str) -> bytes:
    def text(tag: int, value: str) -> bytes:
        data = struct.pack(">I", len(value)) + value.encode("utf-16-be")
        return struct.pack(">HH", tag, len(data)) + data

    return b"Ducky" + struct.pack(">HHI", 1, 4, 80) + text(2, comment) + text(3, copyright_) \
        + b"\0\0"


def scan(tmp_path: Path, marker: int, payload: bytes) -> FileReport:
    path = tmp_path / "maker.jpg"
    path.write_bytes(fj.insert(fj.encode(), fj.segment(marker, payload)))
    return audit_file(path, metadata_only=True)


def values(report: FileReport) -> dict[str, str]:
    return {f"{t.group}:{t.name}": t.value for t in report.tags}


def exiftool(path: Path) -> dict[str, str]:
    tool = shutil.which("exiftool")
    if tool is None:
        pytest.skip("exiftool not installed")
    out = subprocess.run([tool, "-j", "-G1", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {k.split(":")[-1]: str(v) for k, v in json.loads(out)[0].items()}


def test_casio_qvci_gives_the_model_and_capture_time(tmp_path: Path) -> None:
    report = scan(tmp_path, 0xE1, qvci())
    got = values(report)
    assert got["EXIF:Model"] == "QV7000S"
    assert got["EXIF:DateTimeOriginal"] == "2001:02:03 04:05:06"
    assert report.risk is not Risk.NONE
    ref = exiftool(report.path)  # conformance: exiftool reads the same two values
    assert ref["ModelType"] == "QV7000S" and ref["DateTimeOriginal"] == "2001:02:03 04:05:06"


def test_jps_comment_is_read(tmp_path: Path) -> None:
    report = scan(tmp_path, 0xE3, jps(b"test comment"))
    assert "test comment" in values(report).values()
    assert report.risk is not Risk.NONE
    assert exiftool(report.path)["JPSComment"] == "test comment"


def test_ducky_comment_and_copyright_are_read(tmp_path: Path) -> None:
    report = scan(tmp_path, 0xEC, ducky("shot at home", "Jane Doe"))
    got = values(report)
    assert "shot at home" in got.values() and got["EXIF:Copyright"] == "Jane Doe"
    assert report.risk is not Risk.NONE
    assert not report.notes


@pytest.mark.parametrize("marker,payload", [(0xE5, b"RMETA\0" + b"SERIAL 12345"),
                                            (0xE6, b"GoPro" + b"\0" * 20),
                                            (0xE3, b"_JPSJPS_")])
def test_maker_blocks_not_decoded_are_not_understood(tmp_path: Path, marker: int,
                                                      payload: bytes) -> None:
    report = scan(tmp_path, marker, payload)
    assert report.status == "ok" and report.risk is Risk.UNKNOWN
    assert any("not decoded" in n for n in report.notes), report.notes


def test_a_plain_frame_header_stays_understood(tmp_path: Path) -> None:
    report = scan(tmp_path, 0xE0, b"AVI1" + b"\0" * 12)
    assert report.risk is Risk.NONE, report.notes


def test_samsung_unique_id_is_a_serial(tmp_path: Path) -> None:
    report = scan(tmp_path, 0xE5, b"ssuniqueid\0" + b"A1B2C3D4")
    assert values(report)["EXIF:ImageUniqueID"] == "A1B2C3D4"
    assert report.risk is not Risk.NONE and not report.notes


def test_canon_ciff_in_app0_is_read_with_the_crw_walker(tmp_path: Path) -> None:
    from tests.factories.raw import crw

    ciff = crw(owner="Jane Doe").replace(b"HEAPCCDR", b"HEAPJPGM")
    report = scan(tmp_path, 0xE0, ciff)
    got = values(report)
    assert got["EXIF:CameraOwnerName"] == "Jane Doe" and got["EXIF:BodySerialNumber"]
    assert not any("CIFF" in n for n in report.notes), report.notes


def test_photostudio_unicode_comment_is_read(tmp_path: Path) -> None:
    report = scan(tmp_path, 0xEA, b"UNICODE\0" + "Zoë at home".encode("utf-16-be"))
    assert "Zoë at home" in values(report).values()
    assert not report.notes and report.risk is not Risk.NONE


def test_casio_qvci_manufacture_index_and_code_are_read_as_a_serial(tmp_path: Path) -> None:
    """Hostile retest of issue 15: exiftool reads QVCI ManufactureIndex (0x72) and
    ManufactureCode (0x7c), "could be serial number"; Veil read neither, so a block holding
    only them scanned ``risk: none``."""
    body = bytearray(qvci(model=b"", when=b""))
    body[0x72 : 0x72 + 8] = b"07051234"
    body[0x7C : 0x7C + 8] = b"A1B2C3D4"
    report = scan(tmp_path, 0xE1, bytes(body))
    serials = [v for k, v in values(report).items() if "Serial" in k]
    assert serials and "07051234" in serials[0] and "A1B2C3D4" in serials[0]
    assert report.risk is not Risk.NONE
    ref = exiftool(report.path)
    assert ref["ManufactureIndex"] == "07051234" and ref["ManufactureCode"] == "A1B2C3D4"
