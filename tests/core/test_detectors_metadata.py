"""Metadata detectors: free text, an empty scan and hostile values. One concern per file:
where and when (test_detectors_place_time), who and software (test_detectors_people), which
camera (test_detectors_device), previews and hidden content (test_detectors_hidden_content),
sidecars (test_detectors_sidecar), colour profiles (test_detectors_colour_profile), wording
(test_detectors_wording)."""

from __future__ import annotations

import json

from tests.factories.exif import (
    exif_payload,
)
from tests.factories.findings import meta, of, run
from veil.core.model import FindingKind, Severity


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
