"""The two questions an export may ask before writing (once per export, never per file).

* HEIC photos that must be converted to JPEG to be covered: "Convert" or "Skip them"
  (converting costs ~16 s per 12 MP photo: never done silently).
* Copies that will have more than a third of the picture covered: "Look at them" or
  "Export anyway" (one false box must never black out a photo unseen).

Each returns the chosen word, or None when the user cancels the export; :func:`settle`
asks those a plan needs and applies the answers. :func:`plan_note`, the line above the
plan's table, counts what they will ask about before Export is clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from veil.core.covers import LARGE_COVER
from veil.core.model import ExportResult
from veil.gui.export_plans import ExportPlan, plan_counts
from veil.gui.export_tasks import ExportTask, apply_conversion
from veil.gui.models.export_plan import PlanRow, shows_face
from veil.gui.models.export_wording import conversion_detail, conversion_text, will_show_note

#: What to start: the tasks, the results of those the user chose to skip, the tasks' plan.
Settled = tuple[tuple[ExportTask, ...], tuple[ExportResult, ...], tuple[PlanRow, ...]]


def _ask(parent: QWidget, title: str, text: str, detail: str, choices: list[str]) -> str | None:
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Question)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setInformativeText(detail)
    buttons = {box.addButton(word, QMessageBox.ButtonRole.AcceptRole): word for word in choices}
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(next(iter(buttons)))
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return next((word for button, word in buttons.items() if button is clicked), None)


def ask_convert(parent: QWidget, count: int) -> str | None:
    """Ask about converting ``count`` HEIC photos: "convert", "skip" or None (cancel)."""
    word = _ask(
        parent,
        "Convert HEIC photos?",
        conversion_text(count),
        conversion_detail(count),
        ["Convert", "Skip them"],
    )
    return {"Convert": "convert", "Skip them": "skip"}.get(word or "")


def large_cover_text(count: int) -> str:
    """The count in words: "3 copies will have more than a third of the picture covered."."""
    noun = "copy" if count == 1 else "copies"
    share = "a third" if abs(LARGE_COVER - 1 / 3) < 1e-9 else f"{LARGE_COVER:.0%}"
    return f"{count} {noun} will have more than {share} of the picture covered."


def plan_note(plan: ExportPlan, button: str) -> str:
    """The line above the table for ``plan`` (made for ``button``): what it will do and what
    the questions will ask about; "" when it exports nothing and nothing is wrong."""
    rows = plan.rows
    parts = [f"{button}: {plan.problem}"] if plan.problem else plan_counts(rows, button)
    # A face or mark left in view is said before writing (it is what a recipient sees).
    showing = [p for p in rows if p.uncovered and not p.blocked]
    faces = sum(1 for p in showing if shows_face(p))
    shown = will_show_note(faces, len(showing) - faces)
    if shown:
        parts.append(shown)
    large = sum(p.large_cover for p in rows)
    if large:
        parts.append(large_cover_text(large).rstrip("."))  # one of the note's " · " parts
    convert = sum(p.needs_conversion for p in rows)
    if convert:
        verb = "needs" if convert == 1 else "need"
        parts.append(f"{convert} HEIC {verb} converting to JPEG (you will be asked)")
    return " · ".join(parts) if plan.tasks or plan.problem else ""


def ask_large_covers(parent: QWidget, count: int) -> str | None:
    """Ask about ``count`` copies with large covers: "look", "export" or None (cancel)."""
    word = _ask(
        parent,
        "Large areas covered",
        large_cover_text(count),
        "Look at them first: “What a recipient will see” shows each copy as it will be "
        "written. Untick a box to keep that part of the picture.",
        ["Look at them", "Export anyway"],
    )
    return {"Look at them": "look", "Export anyway": "export"}.get(word or "")


def settle(
    plan: ExportPlan,
    ask_convert: Callable[[int], str | None],
    ask_large: Callable[[int], str | None],
) -> Settled | list[str] | None:
    """Ask the questions ``plan`` needs, once each, and apply the answers: what to start;
    the keys of the large covers when the user wants to look at them first; or None when
    the user cancelled."""
    rows = {p.key: p for p in plan.rows}
    convert = {k for k, p in rows.items() if p.needs_conversion}
    tasks: tuple[ExportTask, ...] = plan.tasks
    skipped: tuple[ExportResult, ...] = ()
    if convert:
        choice = ask_convert(len(convert))
        answered = apply_conversion(tasks, convert, choice)
        if answered is None:
            return None
        tasks, skipped = answered
        if choice == "convert":  # allowed now: their rows no longer wait for an answer
            rows.update((k, replace(rows[k], needs_conversion=False)) for k in convert)
    large = [t.key for t in tasks if rows[t.key].large_cover]
    if large:
        choice = ask_large(len(large))
        if choice == "look":
            return large
        if choice != "export":
            return None
    return tasks, skipped, tuple(rows[t.key] for t in tasks)
