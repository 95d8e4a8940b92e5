"""Metadata detectors: a sidecar file (Takeout JSON, XMP) next to the photo is one finding that
names the file, as severe as what it reveals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories.exif import XMP_NS, scan, xmp_packet
from tests.factories.findings import of, run
from veil.core.metadata import decode
from veil.core.model import FindingKind, Severity


def test_sidecar_finding_names_the_file(tmp_path: Path) -> None:
    photo = tmp_path / "IMG_1.jpg"
    photo.write_bytes(b"")
    (tmp_path / "IMG_1.jpg.json").write_text(json.dumps({
        "geoData": {"latitude": 48.8584, "longitude": 2.2945}, "people": [{"name": "Jane"}]}))
    (side,) = of(FindingKind.SIDECAR, run(decode(photo, scan())))
    assert side.severity is Severity.HIGH  # a position and a name: as much as in the photo
    assert side.summary.startswith("A file next to this photo (IMG_1.jpg.json) reveals where it "
                                   "was taken (48.8584 N, 2.2945 E — near Paris, France)")
    assert "Jane" in side.summary
    assert side.source == "Takeout JSON sidecar"


@pytest.mark.parametrize(
    ("doc", "severity"),
    [({"geoData": {"latitude": 48.8584, "longitude": 2.2945}}, Severity.HIGH),
     ({"people": [{"name": "Jane Doe"}]}, Severity.HIGH),
     ({"description": "Our new flat"}, Severity.MEDIUM),
     ({"photoTakenTime": {"timestamp": "1700000000"}}, Severity.MEDIUM),
     ({"geoData": {"latitude": 0.0, "longitude": 0.0}, "title": "x"}, Severity.MEDIUM)],
)
def test_sidecar_severity_follows_what_it_reveals(
    tmp_path: Path, doc: dict[str, object], severity: Severity
) -> None:
    photo = tmp_path / "IMG_2.jpg"
    photo.write_bytes(b"")
    (tmp_path / "IMG_2.jpg.json").write_text(json.dumps(doc))
    (side,) = of(FindingKind.SIDECAR, run(decode(photo, scan())))
    assert side.severity is severity
    if "photoTakenTime" in doc:  # no brackets inside brackets
        assert side.summary.endswith("reveals when (14 November 2023, 22:13, time zone UTC)")


def test_sidecar_owner_name_is_high_but_a_company_medium(tmp_path: Path) -> None:
    photo = tmp_path / "DSC_1.jpg"
    photo.write_bytes(b"")
    severities = []
    for creator in ("Jane Doe", "Acme Photo Ltd"):
        body = (f'<rdf:Description rdf:about="" {XMP_NS}><dc:creator><rdf:Seq><rdf:li>'
                f"{creator}</rdf:li></rdf:Seq></dc:creator></rdf:Description>")
        (tmp_path / "DSC_1.xmp").write_bytes(xmp_packet(body))
        (side,) = of(FindingKind.SIDECAR, run(decode(photo, scan())))
        severities.append(side.severity)
    assert severities == [Severity.HIGH, Severity.MEDIUM]
