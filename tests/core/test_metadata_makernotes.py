"""Maker-note serials, previews and FLIR records, on notes built from the public tag tables
(tests/factories/makernotes.py, maker_apps.py), and checked against exiftool where it is
installed: what exiftool decodes from the same bytes as a serial, position or picture, Veil
reports too."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.factories.exif import ASCII, BYTE, LONG, Ifd, exif_payload, tiff, xmp_packet
from tests.factories.maker_apps import (
    flir_apps,
    flir_fff,
    gopro_app6,
    infiray_apps,
    jpeg_with_apps,
    jpeg_with_exif,
    picture_info_app12,
    small_jpeg,
    tiny_png,
)
from tests.factories.makernotes import (
    canon_entries,
    canon_note,
    exif_with_note,
    hp_note,
    kodak_type7_note,
    leica_note,
    nikon_note,
    olympus_old_note,
    panasonic_note,
    phaseone_note,
    sony_9050_note,
    sony_note,
)
from veil.core.audit import audit_file
from veil.core.model import FileReport, FindingKind

MUID = (1226518844, 2828866582, 2773941473, 3503062618, 0, 0, 0, 0)
SONY_ID = bytes.fromhex("0a1b2c3d4e5f")
RAW_ID = "353a09672fb8db29b7d072ae61bbeccd"


def _flir(parts: int = 2, **kw: Any) -> bytes:
    fff = flir_fff(raw_png=tiny_png(), visible=small_jpeg(), **kw)
    exif = exif_payload(make="FLIR Systems AB", model="FLIR ONE")
    return jpeg_with_apps((0xE1, b"Exif\0\0" + exif), *flir_apps(fff, parts))


def _dji() -> bytes:
    body = ('<rdf:Description xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" '
            'drone-dji:GpsLatitude="+22.5431" drone-dji:GpsLongitude="-113.9423" '
            'drone-dji:AbsoluteAltitude="+85.2"/>')
    return jpeg_with_apps((0xE1, b"http://ns.adobe.com/xap/1.0/\0" + xmp_packet(body)))


#: name -> (file bytes builder, serials Veil must report, positions (lat, lon) it must report)
CASES: dict[str, tuple[Callable[[], bytes], set[str], set[tuple[float, float]]]] = {
    "canon_le_note_in_be_exif_moved": (
        lambda: jpeg_with_exif(exif_with_note("Canon", canon_note(canon_entries(), "<"), ">",
                                              "Canon EOS 80D", shift=164)),
        {"ZA2146315", "000027ced3", "1234567"}, set()),
    "canon_be": (
        lambda: jpeg_with_exif(exif_with_note("Canon", canon_note(canon_entries(), ">"), ">",
                                              "Canon EOS 80D")),
        {"ZA2146315", "000027ced3", "1234567"}, set()),
    "olympus_old_le": (
        lambda: jpeg_with_exif(exif_with_note(
            "OLYMPUS OPTICAL CO.,LTD", olympus_old_note(thumbnail=small_jpeg((160, 120))),
            "<", "C5050Z")),
        {"F70501740"}, set()),
    "olympus_old_be": (
        lambda: jpeg_with_exif(exif_with_note(
            "OLYMPUS OPTICAL CO.,LTD",
            olympus_old_note(thumbnail=small_jpeg((160, 120)), bo=">"), ">", "C5050Z")),
        {"F70501740"}, set()),
    "phaseone_le": (
        lambda: jpeg_with_exif(exif_with_note("Phase One", phaseone_note(), "<", "IQ180")),
        {"EH021234"}, set()),
    "phaseone_be": (
        lambda: jpeg_with_exif(exif_with_note("Leaf", phaseone_note(bo=">"), ">", "Credo 80")),
        {"EH021234"}, set()),
    "sony_dsc": (
        lambda: jpeg_with_exif(exif_with_note("SONY", sony_note(), "<", "DSC-RX100")),
        {"1200000034567890"}, set()),
    "sony_bare": (
        lambda: jpeg_with_exif(exif_with_note("SONY", sony_note(header=False, bo=">"), ">",
                                              "ILCE-7M3")),
        {"1200000034567890"}, set()),
    "sony_9050_ilce7m3": (
        lambda: jpeg_with_exif(exif_with_note("SONY", sony_9050_note(SONY_ID, 0x88), "<",
                                              "ILCE-7M3")), {SONY_ID.hex()}, set()),
    "sony_9050_ilce1": (
        lambda: jpeg_with_exif(exif_with_note("SONY", sony_9050_note(SONY_ID, 0x8A), "<",
                                              "ILCE-1")), {SONY_ID.hex()}, set()),
    "sony_9050_slt": (
        lambda: jpeg_with_exif(exif_with_note("SONY", sony_9050_note(SONY_ID[:5], 0xF0), "<",
                                              "SLT-A99V")), {SONY_ID[:5].hex()}, set()),
    "sony_9050_nex6": (
        lambda: jpeg_with_exif(exif_with_note("SONY", sony_9050_note(SONY_ID[:4], 0x7C), ">",
                                              "NEX-6")), {SONY_ID[:4].hex()}, set()),
    "kodak_type7": (
        lambda: jpeg_with_exif(exif_with_note("EASTMAN KODAK COMPANY", kodak_type7_note(),
                                              "<", "KODAK Z990 DIGITAL CAMERA")),
        {"KCXJ45200123"}, set()),
    "leica_m8": (
        lambda: jpeg_with_exif(exif_with_note(
            "Leica Camera AG", leica_note(b"\0\0", {0x0303: (LONG, 3107025)}), "<",
            "M8 Digital Camera")),
        {"3107025"}, set()),
    "leica_m9": (
        lambda: jpeg_with_exif(exif_with_note(
            "Leica Camera AG", leica_note(b"\x01\0", {0x0305: (LONG, 3903456)}, ">"), ">",
            "M9 Digital Camera")),
        {"3903456"}, set()),
    "flir_one": (_flir, {"470023842", "55905-0802"}, {(59.3293, -18.0686)}),
    "flir_le_header": (lambda: _flir(bo="<", refs=("S", "E"), gps=(33.8688, 151.2093)),
                       {"470023842", "55905-0802"}, {(-33.8688, 151.2093)}),
    "dji_xmp": (_dji, set(), {(22.5431, -113.9423)}),
    "gopro_gpmf": (lambda: jpeg_with_apps(gopro_app6(MUID)), {" ".join(map(str, MUID)),
                                                              "C3221324657219"}, set()),
    "nikon_preview": (
        lambda: jpeg_with_exif(exif_with_note("NIKON CORPORATION",
                                              nikon_note(preview=small_jpeg((160, 120))),
                                              ">", "NIKON D2Hs")),
        {"3001006"}, set()),
    "panasonic": (
        lambda: jpeg_with_exif(exif_with_note("Panasonic", panasonic_note(), "<", "DMC-GH4")),
        {"S010604030293", "04JG2101234", "ACC123456"}, set()),
    "hp_type4": (
        lambda: jpeg_with_exif(exif_with_note("Hewlett-Packard", hp_note(4), "<",
                                              "HP PhotoSmart R707")),
        {"CN52E1234"}, set()),
    "hp_type6": (
        lambda: jpeg_with_exif(exif_with_note("Hewlett-Packard", hp_note(6), "<",
                                              "HP PhotoSmart R967")),
        {"CN52E1234"}, set()),
    "infiray": (lambda: jpeg_with_apps(*infiray_apps()), {"P200019B15656148"}, set()),
    "picture_info": (lambda: jpeg_with_apps(picture_info_app12()), {"#00000001"}, set()),
    "dng_raw_unique_id": (
        lambda: jpeg_with_exif(tiff(Ifd({0x010F: (ASCII, "Canon"),
                                         0xC65D: (BYTE, bytes.fromhex(RAW_ID))}))),
        {RAW_ID.upper()}, set()),
}


def _report(tmp_path: Path, name: str) -> tuple[Path, FileReport]:
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(CASES[name][0]())
    return path, audit_file(path, metadata_only=True)


def _text(report: FileReport, kind: FindingKind) -> str:
    return "\n".join(f.summary + json.dumps(dict(f.detail), default=str)
                     for f in report.findings if f.kind is kind)


@pytest.mark.parametrize("name", sorted(CASES))
def test_identifiers_are_found(tmp_path: Path, name: str) -> None:
    _, report = _report(tmp_path, name)
    assert report.ok, report.error
    serials = {v for f in report.findings if f.kind is FindingKind.DEVICE
               for v in dict(f.detail.get("serials") or {}).values()}
    assert CASES[name][1] <= serials
    where = {(round(f.detail["lat"], 4), round(f.detail["lon"], 4))
             for f in report.findings if f.kind is FindingKind.LOCATION and "lat" in f.detail}
    assert CASES[name][2] <= where


def test_olympus_note_thumbnail_is_a_hidden_preview(tmp_path: Path) -> None:
    _, report = _report(tmp_path, "olympus_old_le")
    thumb = [f for f in report.findings if f.kind is FindingKind.THUMBNAIL]
    assert thumb and "Maker notes" in thumb[0].detail["sources"]


def test_flir_pictures_are_embedded_media(tmp_path: Path) -> None:
    path, report = _report(tmp_path, "flir_one")
    media = [f for f in report.findings if f.kind is FindingKind.EMBEDDED_MEDIA]
    assert media, report.findings
    items = media[0].detail["items"]
    assert {i["aux_type"] for i in items} == {"thermal image", "visible image"}
    data = path.read_bytes()
    for item in items:  # the offsets point at the pictures in the file, across the parts
        head = data[item["offset"] : item["offset"] + 4]
        assert head in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb") or \
            head.startswith(b"\xff\xd8"), (item, head)


def test_flir_with_a_missing_part_is_partial_not_clean(tmp_path: Path) -> None:
    apps = flir_apps(flir_fff(gps=None), 3)
    path = tmp_path / "flir_cut.jpg"
    path.write_bytes(jpeg_with_apps(*(apps[:1] + apps[2:])))
    report = audit_file(path, metadata_only=True)
    assert report.ok and report.risk != "none"
    assert any("FLIR" in w for w in report.notes), report.notes


def test_hostile_flir_directory_is_bounded(tmp_path: Path) -> None:
    fff = bytearray(flir_fff(gps=None))
    fff[0x1C:0x20] = b"\xff\xff\xff\xff"  # claims 4 billion records
    path = tmp_path / "flir_hostile.jpg"
    path.write_bytes(jpeg_with_apps(*flir_apps(bytes(fff), 1)))
    assert audit_file(path, metadata_only=True).ok


# --- the same bytes through exiftool ------------------------------------------------------

_IDENTIFYING = ("SerialNumber", "OwnerName", "UniqueID")


def _forms(value: str) -> set[str]:
    """The value as exiftool -n gives it, and as it displays byte lists (hex, no spaces)."""
    parts = value.split()
    if len(parts) > 1 and all(p.isdigit() and int(p) < 256 for p in parts):
        return {value, bytes(int(p) for p in parts).hex()}
    return {value}


def _exiftool(path: Path) -> dict[str, Any]:
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.skip("exiftool is not installed")
    out = subprocess.run([exe, "-j", "-G1", "-a", "-n", str(path)], capture_output=True,
                         text=True, check=True).stdout
    return dict(json.loads(out)[0])


@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_exiftool(tmp_path: Path, name: str) -> None:
    path, report = _report(tmp_path, name)
    theirs = _exiftool(path)
    device = _text(report, FindingKind.DEVICE)
    missing = [f"{k}={v}" for k, v in theirs.items()
               if k.split(":")[-1].endswith(_IDENTIFYING) and str(v).strip(" 0")
               and not any(form in device for form in _forms(str(v).strip()))]
    assert not missing, f"exiftool sees {missing}; Veil: {device}"
    ours = [(f.detail["lat"], f.detail["lon"]) for f in report.findings
            if f.kind is FindingKind.LOCATION and "lat" in f.detail]
    for group in {k.split(":")[0] for k in theirs if k.endswith(":GPSLatitude")}:
        lat = float(str(theirs[f"{group}:GPSLatitude"]))
        lon = float(str(theirs[f"{group}:GPSLongitude"]))
        if str(theirs.get(f"{group}:GPSLatitudeRef", "")).startswith("S"):
            lat = -abs(lat)
        if str(theirs.get(f"{group}:GPSLongitudeRef", "")).startswith("W"):
            lon = -abs(lon)
        assert any(abs(a - lat) < 1e-5 and abs(b - lon) < 1e-5 for a, b in ours), (group, ours)
    kinds = {f.kind for f in report.findings}
    if any(k.endswith(("ThumbnailImage", "PreviewImage")) for k in theirs):
        assert FindingKind.THUMBNAIL in kinds
    if any(k.endswith(("RawThermalImage", "EmbeddedImage")) for k in theirs):
        assert FindingKind.EMBEDDED_MEDIA in kinds


def test_nikon_preview_is_a_hidden_preview(tmp_path: Path) -> None:
    _, report = _report(tmp_path, "nikon_preview")
    thumb = [f for f in report.findings if f.kind is FindingKind.THUMBNAIL]
    assert thumb and "Maker notes" in thumb[0].detail["sources"]


@pytest.mark.parametrize("model", ["NEX-7", "NEX-5N", "DSC-RX100M7", "ILCE-6700"])
def test_sony_bodies_without_a_known_9050_layout_give_no_guess(tmp_path: Path,
                                                              model: str) -> None:
    path = tmp_path / "sony.jpg"
    path.write_bytes(jpeg_with_exif(exif_with_note("SONY", sony_9050_note(SONY_ID, 0x88), "<",
                                                   model)))
    device = _text(audit_file(path, metadata_only=True), FindingKind.DEVICE)
    assert SONY_ID.hex() not in device
