"""Metadata detectors: a colour profile's texts; a device's is low, a person's or computer's
name is identity, standard profiles are silent, a damaged one is still read."""

from __future__ import annotations

from tests.factories.findings import meta, of, run
from veil.core.model import FindingKind, Severity


def test_device_colour_profile_is_low_standard_one_silent() -> None:
    from tests.core.test_metadata_text import _icc_v2

    (icc,) = of(FindingKind.OTHER_METADATA, run(meta(icc=_icc_v2(b"Canon EOS R5 profile"))))
    assert icc.severity is Severity.LOW
    assert run(meta(icc=_icc_v2(b"sRGB IEC61966-2.1"))) == []
    assert run(meta(icc=_icc_v2(b"Display P3"))) == []


def test_personal_colour_profile_texts_are_identity() -> None:
    from tests.factories import icc as fi

    # The description names someone's computer; the copyright (never read before) a person.
    found = run(meta(icc=fi.display_profile(cprt="Copyright Apple Inc., 2017")))
    (who,) = of(FindingKind.IDENTITY, found)
    assert who.severity is Severity.MEDIUM and "JohnS iMac 27" in who.summary
    assert who.source == "ICC profile"
    found = run(meta(icc=fi.display_profile("sRGB IEC61966-2.1", device=None)))
    (who,) = of(FindingKind.IDENTITY, found)
    assert "John Secretname" in who.summary and "copyright" in who.summary


def test_standard_profiles_with_vendor_copyrights_are_silent() -> None:
    from tests.factories import icc as fi

    assert run(meta(icc=fi.SRGB_V4)) == []
    apple = fi.display_profile("Display P3", "Copyright Apple Inc., 2017", device=None)
    assert run(meta(icc=apple)) == []
    hp = fi.display_profile("sRGB IEC61966-2.1", "Copyright (c) 1998 Hewlett-Packard Company",
                            device=("IEC http://www.iec.ch",
                                    "IEC 61966-2.1 Default RGB colour space - sRGB"))
    assert run(meta(icc=hp)) == []


def test_a_damaged_profile_is_still_read_for_names() -> None:
    from tests.factories import icc as fi

    broken = fi.display_profile(cprt="Copyright Apple Inc., 2017", device=None)
    broken = broken[:128] + (10**6).to_bytes(4, "big") + broken[132:]  # tag count damaged
    (who,) = of(FindingKind.IDENTITY, run(meta(icc=broken)))
    assert "JohnS iMac 27" in who.summary
