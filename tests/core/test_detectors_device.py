"""Metadata detectors: which camera (model, lens, serial numbers, maker notes)."""

from __future__ import annotations

from tests.factories.exif import (
    canon_note,
    exif_payload,
    with_maker_note,
)
from tests.factories.findings import meta, of, run
from veil.core.model import FindingKind, Severity


def test_camera_model_medium_and_serials_high() -> None:
    found = run(meta(exif=(exif_payload(make="Canon", model="Canon EOS 5D Mark IV",
                                        serial="0123456789", lens_serial="L1"),)))
    model, serial = of(FindingKind.DEVICE, found)
    assert model.summary == "Names the camera: Canon EOS 5D Mark IV"
    assert model.severity is Severity.MEDIUM
    assert serial.severity is Severity.HIGH
    assert serial.summary.startswith(
        "Carries the camera's serial number (0123456789) — it links every photo from this camera")
    assert serial.summary.endswith(" (plus 1 more ID)")  # the lens serial
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
