"""A damaged picture is said the same way by the planner, the export and the scan: what it
means first, the technical reason after it (issue: a damaged HEIC said "item 1: NAL unit 1
runs past the end of its coded data" when planned and "not written: ... Invalid input:
Unspecified: NAL stream was rejected ..." once exported)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import undecodable
from veil.core.audit import audit_file
from veil.core.damage_words import COULD_NOT_COPY, COULD_NOT_LOOK, pixels_undecodable
from veil.core.explain import plain_note
from veil.core.export import export_clean
from veil.core.export.refusal import planned_skip
from veil.core.model import ExportOptions, ExportStatus

#: Each builder, and the technical words its export's reason still carries after the plain
#: ones (the JSON ``error`` stays as informative as before).
DAMAGED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "planes.avif": (undecodable.avif_garbled_planes, "Decoding of color planes failed"),
    "no_item.avif": (undecodable.avif_missing_item, "item 1"),
    "cut.heic": (undecodable.heic_cut, "item 1"),
    "strip.tif": (undecodable.tiff_garbled_deflate, "decoder error"),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_every_damaged_picture_says_the_same_first_words_in_scan_and_export(
    tmp_path: Path, name: str
) -> None:
    if name.endswith(".heic"):
        pytest.importorskip("pillow_heif")
    make, technical = DAMAGED[name]
    src = make(tmp_path / name)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.FAILED
    error = result.error or ""
    assert error.startswith(f"{COULD_NOT_COPY} ("), error
    assert technical in error
    report = audit_file(src)
    assert pixels_undecodable(report.notes)
    said = [plain_note(n) for n in report.notes]
    assert sum(n.startswith(COULD_NOT_LOOK) for n in said) == 1, said


def test_the_planner_says_it_as_the_export_does(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    from tests.core.test_export_heif_decode import _damaged_heic

    broken = _damaged_heic(tmp_path / "long.heic", "length")
    planned = planned_skip(broken, audit_file(broken, metadata_only=True))
    assert planned is not None
    assert planned.reason.startswith(f"{COULD_NOT_COPY} (item "), planned.reason
    assert "NAL unit" in planned.reason  # the walk's own words, after the plain ones


def test_words_that_already_say_no_copy_do_not_say_it_twice() -> None:
    """"No clean copy: the picture data is damaged, so Veil could not make a clean copy"."""
    from veil.core.damage_words import could_not_copy, no_copy_reason

    assert no_copy_reason(could_not_copy("item 1: x")) == "the picture data is damaged (item 1: x)"
    assert no_copy_reason("a camera raw file") == "a camera raw file"
