"""The export table tells what a result's notes say (an original that was already damaged)."""

from __future__ import annotations

from pathlib import Path

from veil.core.model import ExportResult, ExportStatus
from veil.gui.models.export_row import ExportEntry, result_text

NOTE = "the original is damaged: the picture data is cut short, so the copy is just as incomplete"


def _result(notes: tuple[str, ...]) -> ExportResult:
    return ExportResult(
        Path("/in/a.jpg"),
        Path("/out/a.jpg"),
        ExportStatus.CLEANED,
        verified=True,
        lossless=True,
        notes=notes,
    )


def test_a_verified_copy_of_a_damaged_original_says_so() -> None:
    text = result_text(_result((NOTE,)))
    assert text.startswith("Verified clean") and NOTE in text
    assert NOTE in ExportEntry(None, _result((NOTE,))).detail()
    assert result_text(_result(())) == "Verified clean"
