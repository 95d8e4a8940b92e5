"""Every model passes qtmodeltester; 5,000 rows load, sort, filter and scroll."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from veil.core.model import (
    CheckStatus,
    ExportResult,
    ExportStatus,
    FileReport,
    Finding,
    FindingKind,
    Risk,
    Severity,
    Tag,
)
from veil.gui.models.export_results import ExportResultsModel
from veil.gui.models.file_filter import RiskFilterProxy
from veil.gui.models.file_table import COL_RISK, FileRow, FileTableModel
from veil.gui.models.tags import TagFilterProxy, TagsModel
from veil.gui.states import Badge, RowState, badge_for
from veil.gui.widgets.badges import BadgeDelegate

RISKS = (Risk.HIGH, Risk.MEDIUM, Risk.LOW, Risk.NONE, Risk.UNKNOWN)


def report(i: int, risk: Risk | None = None) -> FileReport:
    risk = risk or RISKS[i % len(RISKS)]
    findings: tuple[Finding, ...] = ()
    if risk in (Risk.HIGH, Risk.MEDIUM, Risk.LOW):
        sev = {Risk.HIGH: Severity.HIGH, Risk.MEDIUM: Severity.MEDIUM, Risk.LOW: Severity.LOW}
        findings = (Finding(FindingKind.LOCATION, sev[risk], "Shows where.", "EXIF GPS"),)
    return FileReport(
        path=Path(f"/photos/IMG_{i:05d}.jpg"),
        status="ok",
        error=None,
        format="jpeg",
        width=4000,
        height=3000,
        orientation=1,
        risk=risk,
        findings=findings,
        checks={"metadata": CheckStatus.DONE, "faces": CheckStatus.DONE},
    )


def rows(n: int, start: int = 0) -> list[FileRow]:
    out = []
    for i in range(start, start + n):
        r = report(i)
        out.append(FileRow(r.path, str(r.path), state=RowState.DONE, report=r, full_report=True))
    return out


def test_file_table_model_and_proxy_pass_modeltester(qtmodeltester) -> None:
    model = FileTableModel()
    model.add_rows(rows(25))
    qtmodeltester.check(model)
    proxy = RiskFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_RISK, Qt.SortOrder.DescendingOrder)
    proxy.set_badges({Badge.HIGH, Badge.UNKNOWN})
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 10


def test_tags_and_export_models_pass_modeltester(qtmodeltester) -> None:
    tags = TagsModel()
    tags.set_tags(tuple(Tag("EXIF", f"Tag{i}", f"value {i}") for i in range(30)))
    qtmodeltester.check(tags)
    proxy = TagFilterProxy()
    proxy.setSourceModel(tags)
    proxy.setFilterFixedString("tag1")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 11
    results = ExportResultsModel()
    results.append(
        [
            ExportResult(Path("/a.jpg"), Path("/o/a.jpg"), ExportStatus.CLEANED, verified=True),
            ExportResult(Path("/b.jpg"), None, ExportStatus.FAILED, error="disk full"),
        ]
    )
    qtmodeltester.check(results)
    assert results.index(0, 1).data().startswith("Verified clean")
    assert results.index(1, 1).data() == "Failed: disk full"


def test_none_found_is_never_shown_before_every_check_ran() -> None:
    clean = report(0, Risk.NONE)
    assert badge_for(RowState.CHECKING_PIXELS, clean) is Badge.CHECKING
    assert badge_for(RowState.QUEUED, None) is Badge.CHECKING
    assert badge_for(RowState.DONE, clean) is Badge.NONE
    assert badge_for(RowState.CHECKING_PIXELS, report(0, Risk.HIGH)) is Badge.HIGH
    assert badge_for(RowState.CANCELLED, clean) is Badge.UNKNOWN
    assert badge_for(RowState.UNSUPPORTED, None) is Badge.UNKNOWN


@pytest.mark.parametrize("batch", [100])
def test_five_thousand_rows_sort_filter_scroll(qtbot, batch: int) -> None:
    model = FileTableModel()
    proxy = RiskFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(COL_RISK, Qt.SortOrder.DescendingOrder)
    view.setItemDelegateForColumn(COL_RISK, BadgeDelegate(view))
    view.resize(900, 600)
    view.show()
    for start in range(0, 5000, batch):  # batches, as the session flushes them
        model.add_rows(rows(batch, start))
    assert model.rowCount() == 5000
    assert proxy.index(0, COL_RISK).data() == "High"
    for col in range(5):
        view.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    view.sortByColumn(COL_RISK, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, COL_RISK).data() == "None found"
    proxy.set_badges({Badge.MEDIUM})
    assert proxy.rowCount() == 1000
    proxy.set_badges(None)
    view.scrollToBottom()
    view.grab()
    model.rows_changed(str(r.path) for r in model.rows[::7])
    model.remove_keys([r.key for r in model.rows[100:2100]])
    assert model.rowCount() == 3000 and proxy.rowCount() == 3000
    view.scrollToTop()
    view.grab()


def test_thumbnails_in_memory_stay_within_budget(qapp) -> None:
    from PySide6.QtGui import QImage

    from veil.gui.models.file_table import THUMB_BUDGET

    model = FileTableModel()
    model.add_rows(rows(THUMB_BUDGET + 50))
    image = QImage(8, 8, QImage.Format.Format_RGB888)
    for row in model.rows:
        row.thumbnail_requested = True
        model.store_thumbnail(row, image)
    kept = [r for r in model.rows if r.thumbnail is not None]
    assert len(kept) == THUMB_BUDGET
    assert model.rows[0].thumbnail is None and not model.rows[0].thumbnail_requested
    assert model.rows[-1].thumbnail is not None


def test_findings_view_groups_caps_and_pairs_boxes() -> None:
    from veil.core.model import Region
    from veil.gui.models.findings import MAX_FINDINGS, MAX_SENTENCE, findings_view
    from veil.gui.redactions import boxes_from_report

    face = Finding(FindingKind.FACE, Severity.HIGH, "A face", "pixels", region=Region(1, 2, 30, 40))
    long = Finding(FindingKind.OTHER_METADATA, Severity.LOW, "<b>" + "x" * 5000, "EXIF")
    rep = report(0, Risk.HIGH)
    rep = dataclasses.replace(rep, findings=(*rep.findings, face, long))
    view = findings_view(rep, boxes_from_report(rep))
    headings = [h for h, _ in view.groups]
    assert "Where" in headings and "People & marks" in headings
    lines = [line for _, group in view.groups for line in group]
    by_index = {line.index: line for line in lines}
    assert by_index[1].covered is True  # the face, covered by default
    assert by_index[0].covered is None  # metadata: nothing to cover
    assert by_index[2].text.startswith("<b>")  # literal, shown as plain text
    assert len(by_index[2].text.replace("\u200b", "")) < MAX_SENTENCE + 40
    many = dataclasses.replace(rep, findings=(long,) * (MAX_FINDINGS + 5))
    assert findings_view(many).more == 5
    broken = dataclasses.replace(rep, status="error", error="cannot read <the> file")
    assert findings_view(broken).title == "This file could not be checked"


def test_an_exports_progress_sorts_the_list_again_only_by_status(qtbot) -> None:
    """3,000 rows turning "Saving a clean copy…" re-sorted a list sorted by risk (~0.1 s);
    only a list sorted by Status depends on it. The failed-only filter still sees them."""
    from veil.gui.models.file_filter import KIND_FAILED
    from veil.gui.models.file_table import COL_STATUS

    model = FileTableModel()
    proxy = RiskFilterProxy()
    proxy.setSourceModel(model)
    model.add_rows(rows(300))
    for row in model.rows:
        row.state = RowState.DONE
    model.rows_changed(r.key for r in model.rows)
    compared = []
    real = proxy.lessThan
    proxy.lessThan = lambda a, b: compared.append(1) or real(a, b)  # type: ignore[method-assign]
    proxy.sort(COL_RISK, Qt.SortOrder.DescendingOrder)
    compared.clear()
    for row in model.rows:
        row.state = RowState.EXPORTING
    model.rows_changed((r.key for r in model.rows), status_only=True)
    assert compared == []  # sorted by risk: nothing to compare
    assert proxy.index(0, COL_STATUS).data() == "Saving a copy…"

    proxy.sort(COL_STATUS, Qt.SortOrder.AscendingOrder)
    failed = model.rows[17]
    failed.state = RowState.EXPORT_FAILED
    failed.export = ExportResult(failed.path, None, ExportStatus.FAILED, error="disk full")
    compared.clear()
    model.rows_changed([failed.key], status_only=True)
    assert compared  # sorted by status: it moves
    assert proxy.index(0, COL_STATUS).data() == "Copy failed"
    tip = proxy.index(0, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "<p>Clean copy failed: disk full</p>"
    proxy.set_kind(KIND_FAILED)
    assert proxy.rowCount() == 1
