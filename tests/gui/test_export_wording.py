"""The export pane's words: why an export cannot start (pointing at what the window offers),
and counts written as the status bar writes them."""

from __future__ import annotations

from pathlib import Path

from tests.gui.test_overlays import gradient_jpeg
from veil.core.audit import audit_file
from veil.core.model import ExportOptions
from veil.gui.export_plans import ExportPlan, PlanChoices, PlanRequest, PlanSource, make_plan


def _cancelled(path: Path, n: int) -> PlanRequest:
    report = audit_file(path, metadata_only=True)
    sources = tuple(
        PlanSource(f"k{i}", path, Path(), report, False, True, ()) for i in range(n)
    )
    keys = tuple(s.key for s in sources)
    choices = PlanChoices("all", keys, None, ExportOptions(), True, True)
    return PlanRequest(choices, sources)


def test_photos_left_unchecked_by_a_cancel_point_at_check_the_rest(tmp_path: Path) -> None:
    # Seen after 'Stop checking' on a 2,184-file roll: 'Export all: 1955 photos were not
    # checked for faces (cancelled). Add them again to check them…', while the status bar
    # (and the View menu) offer 'Check the rest', which does exactly that.
    photo = gradient_jpeg(tmp_path / "a.jpg")
    problem = make_plan(_cancelled(photo, 1955)).problem
    assert problem is not None
    assert problem.startswith("1,955 photos were not checked for faces"), problem
    assert "“Check the rest”" in problem and "Add them again" not in problem
    one = make_plan(_cancelled(photo, 1)).problem
    assert one is not None and one.startswith("1 photo was not checked for faces"), one


def test_export_counts_are_written_like_the_status_bars() -> None:
    from veil.gui.export_tasks import ExportSummary

    # After a cancelled export of a 2,176-photo roll the pane said '1149 verified clean ·
    # 16 skipped · 8 failed · cancelled (1003 not saved)' and 'Saving 153 of 2176' above
    # a status bar saying '2,176 files'.
    text = ExportSummary(2176, 1149, 8, True, 16).text(1234)
    assert text == (
        "1,149 verified clean · 1,234 files left out (not a readable photo) · 16 skipped"
        " · 8 failed · cancelled (1,003 not saved)"
    )


def test_export_progress_is_written_like_the_status_bars(window) -> None:  # type: ignore[no-untyped-def]
    pane = window.export_pane
    pane._on_started(2176)
    assert pane.progress.format() == "Saving 0 of 2,176"
    pane._on_progress(153, 2176)
    assert pane.progress.format() == "Saving 153 of 2,176"


def test_the_plan_is_made_again_while_results_keep_landing(
    qtbot, window, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    from veil.gui.session import AuditSession

    # Seen after 'Check the rest' on a 2,184-file roll: reports landed every ~100 ms, each
    # asked for a plan 'at most every 1.5 s', but setting the timer's interval restarted
    # it, so no plan was made while checking ran: the note went on saying the photos were
    # not checked and that 'Check the rest' would check them.
    monkeypatch.setattr(AuditSession, "auditing", property(lambda _self: True))
    pane = window.export_pane
    pane._plan_later()
    assert pane._replan.isActive()
    qtbot.wait(700)
    pane._plan_later()  # a report landed
    assert pane._replan.remainingTime() < 1000, pane._replan.remainingTime()


def test_the_heic_choice_reads_as_a_whole_sentence_at_1024(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A hostile review read 'Convert HEIC to JPEG without asking when it must be' as cut off
    (it was the whole label). It says when, shows whole at 1024x700, and its tooltip says
    what converting costs."""
    window.resize(1024, 700)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    box = window.export_pane.heic
    text = box.text()
    assert not text.endswith(" be") and "when needed" in text
    assert box.sizeHint().width() <= box.width() or box.width() == 0
    tip = box.toolTip()
    assert "JPEG" in tip and " s " in tip and "asks first" in tip


def test_the_plan_note_lists_its_parts_without_a_full_stop_between() -> None:
    """Seen on a 1,686-file roll: '… 8 copies will have more than a third of the picture
    covered. · 3 HEIC need converting to JPEG (you will be asked)'."""
    from veil.gui.export_tasks import ExportTask
    from veil.gui.models.export_plan import PlanRow
    from veil.gui.widgets.export_questions import plan_note

    rows = tuple(
        PlanRow(k, Path(f"{k}.heic"), (), (), 0, 1, 0.5, True) for k in ("a", "b")
    )
    tasks = tuple(
        ExportTask(r.key, r.source, Path(), ExportOptions(), i, Path("/out"))
        for i, r in enumerate(rows, 1)
    )
    choices = PlanChoices("all", ("a", "b"), Path("/out"), ExportOptions(), True, False)
    plan = ExportPlan(PlanRequest(choices, ()), tasks, None, rows, 0)
    note = plan_note(plan, "Export all")
    assert "more than a third of the picture covered · 2 HEIC need converting" in note, note
    assert ". ·" not in note
