"""An export's plan as one frozen value, made from frozen inputs (no Qt, no model access).

The window freezes what an Export button would export (:class:`PlanRequest`: the rows'
paths and reports, the covers, the options and folder as set) on the GUI thread, without
touching a file; :func:`make_plan` then runs on a worker thread: it checks the folder,
asks core which files the export will skip (that reads each file's first bytes, slow on
a slow disk), and says per photo what its copy will remove, keep and cover
(:class:`~veil.gui.models.export_plan.PlanRow`). :mod:`veil.gui.planner` runs it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from veil.core.cancel import NEVER, CancelToken
from veil.core.model import ExportOptions, ExportResult, ExportStatus, FileReport, FindingKind
from veil.gui.export_tasks import BESIDE_SUFFIX, ExportTask
from veil.gui.models.export_plan import PlanRow, plan_row
from veil.gui.redactions import OverlayBox, accepted_regions

if TYPE_CHECKING:
    from veil.core.export.refusal import Refusal

#: Rows planned between two looks at the cancel token (a newer request supersedes).
CHECK_EVERY = 64
#: Formats (``FileReport.format``) that may be animations (which the export cannot cover).
ANIMATABLE = frozenset({"gif", "webp", "png"})


@dataclass(frozen=True, slots=True)
class PlanSource:
    """One listed row, as it was when the plan was asked for.

    Attributes:
        key, path, relative_dir: the row's.
        report: its latest audit (None while not read yet).
        full_report: its faces and marks were checked.
        cancelled: its checks were cancelled (so they never will be, unless added again).
        boxes: its boxes on the preview (the accepted ones are covered).
        known: core's skip answer already asked for this very report, as a 1-tuple
            (``(None,)``: it will not be skipped); None: not asked yet.
    """

    key: str
    path: Path
    relative_dir: Path
    report: FileReport | None
    full_report: bool
    cancelled: bool
    boxes: tuple[OverlayBox, ...]
    known: tuple[Refusal | None] | None = None

    @property
    def checking(self) -> bool:
        """Its faces and marks are still to be checked: not yet, and not stopped."""
        return not self.full_report and not self.cancelled


@dataclass(frozen=True, slots=True)
class PlanChoices:
    """What the user chose: which rows (in order: it numbers neutral names), the options,
    the folder, and the boxes when covering. A plan made for other choices is stale."""

    scope: str  # "all", "selected" (the button), or "one" (the detail pane's line)
    keys: tuple[str, ...]
    out_dir: Path | None
    options: ExportOptions
    cover: bool
    beside: bool
    boxes: tuple[tuple[OverlayBox, ...], ...] = ()  # per listed key, when ``cover``


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """Everything :func:`make_plan` needs, frozen on the GUI thread."""

    choices: PlanChoices
    sources: tuple[PlanSource, ...]  # the keys still listed, in order


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """What an export of :attr:`request` would do.

    Attributes:
        request: what it was made from.
        tasks: the files to export (empty with a ``problem``).
        problem: why the export cannot start, in plain words, or None.
        rows: per task, what its copy will remove, keep and cover, or why it is skipped.
        left_out: listed rows that are not readable photos (not exported).
    """

    request: PlanRequest
    tasks: tuple[ExportTask, ...]
    problem: str | None
    rows: tuple[PlanRow, ...]
    left_out: int


def make_plan(request: PlanRequest, cancel: CancelToken = NEVER) -> ExportPlan:
    """Plan ``request`` (any thread): the tasks, or the reason the export cannot start,
    and each task's :class:`PlanRow`.

    Raises:
        Cancelled: ``cancel`` was cancelled (a newer request superseded this one).
    """
    choices = request.choices
    rows = [s for s in request.sources if s.report is not None and s.report.ok]
    left_out = len(request.sources) - len(rows)
    problem = _problem(rows, choices, cancel)
    if problem:
        return ExportPlan(request, (), problem, (), left_out)
    options = choices.options
    if choices.beside:
        options = dataclasses.replace(options, name_suffix=BESIDE_SUFFIX)
    tasks, plans = [], []
    for i, src in enumerate(rows, start=1):
        if i % CHECK_EVERY == 0:
            cancel.raise_if_cancelled()
        report = src.report
        assert report is not None  # rows are the readable ones
        regions = accepted_regions(src.boxes) if choices.cover else ()
        opts = dataclasses.replace(options, redactions=regions)
        if choices.beside:
            task = ExportTask(src.key, src.path, Path(), opts, i, src.path.parent)
        else:
            assert choices.out_dir is not None  # else a problem above
            task = ExportTask(src.key, src.path, src.relative_dir, opts, i, choices.out_dir)
        tasks.append(task)
        skip = src.known[0] if src.known is not None else _skip(src.path, report)
        cover_skip = None if skip else _cover_skip(src.path, report, opts)
        plans.append(plan_row(src.key, src.path, report, opts, skip, cover_skip,
                              checking=src.checking))
    return ExportPlan(request, tuple(tasks), None, tuple(plans), left_out)


def _problem(rows: list[PlanSource], choices: PlanChoices, cancel: CancelToken) -> str | None:
    """Why the export of ``rows`` cannot start, or None."""
    if not rows:
        return "There are no checked photos to export."
    out_dir = choices.out_dir
    if not choices.beside:
        if out_dir is None:
            return "Choose a folder for the cleaned copies."
        target = out_dir.resolve()
        for i, src in enumerate(rows):
            if i % CHECK_EVERY == 0:
                cancel.raise_if_cancelled()
            if src.path.resolve().parent == target:
                return "Choose another folder: the originals are in this one."
    unchecked = [s for s in rows if not s.full_report]
    if choices.cover and unchecked:
        if any(s.cancelled for s in unchecked):
            n = len(unchecked)
            what = "1 photo was" if n == 1 else f"{n:,} photos were"
            # Names the window's own way back (status bar and View menu), not a re-add.
            return (
                f"{what} not checked for faces (checking was stopped). “Check the rest”"
                " checks them; or untick “Cover…” to export without covering."
            )
        return "Some photos are still being checked for faces. Export when it finishes."
    return None


def _skip(source: Path, report: FileReport) -> Refusal | None:
    """Why the export will skip ``source``: core's own rule, never a copy of it here."""
    from veil.core.export.refusal import planned_skip  # loads the export engine: not at startup

    try:  # a raw file, or too large to clean (from the audit's size, as the export decides)
        return planned_skip(source, report)
    except OSError:  # unreadable now: the export will say so; nothing is promised
        return None


def _cover_skip(source: Path, report: FileReport, options: ExportOptions) -> Refusal | None:
    """Why the export will skip ``source`` with these covers or rotation (an animation),
    core's rule. Only a GIF, WebP or PNG with boxes to cover, or with a rotation tag while
    the pixels are to be rotated, is read (its structure and header, no pixel)."""
    turn = options.bake_orientation and report.orientation not in (None, 1)
    if not (options.redactions or turn) or (report.format or "").lower() not in ANIMATABLE:
        return None
    from veil.core.export.refusal import animation_refusal  # the plan's worker loaded it

    try:
        return animation_refusal(source, options)
    except OSError:  # unreadable now: the export will say so
        return None


def plan_counts(rows: tuple[PlanRow, ...], button: str = "Export all") -> list[str]:
    """What ``button`` can promise: the photos the export will try ("ready to export", never
    "will be clean": a picture may still fail to decode) and those core says it will skip,
    counted by core's kind of skip (never by the words of its reason)."""
    from veil.core.export.refusal import SkipKind  # loaded by the plan's worker already

    skipped = [p.blocked for p in rows if p.blocked]
    ready = len(rows) - len(skipped)
    parts = [f"{button}: {ready:,} {'photo' if ready == 1 else 'photos'} ready to export"]
    raws = sum(r.kind is SkipKind.RAW for r in skipped)
    damaged = sum(r.kind is SkipKind.DAMAGED for r in skipped)
    if raws:
        noun = "raw file" if raws == 1 else "raw files"
        parts.append(f"{raws:,} {noun} will be skipped (Veil doesn't rewrite raw files)")
    if damaged:
        noun = "damaged photo" if damaged == 1 else "damaged photos"
        parts.append(f"{damaged:,} {noun} won't be written (see Result)")
    animated = sum(r.kind is SkipKind.ANIMATED for r in skipped)
    if animated:
        noun = "animation" if animated == 1 else "animations"
        parts.append(f"{animated:,} {noun} will be skipped while “Cover” is ticked (see Result)")
    turned = sum(r.kind is SkipKind.ANIMATED_TURN for r in skipped)
    if turned:
        noun = "animation" if turned == 1 else "animations"
        parts.append(f"{turned:,} {noun} will be skipped while “Rotate the pixels” is chosen"
                     " (see Result)")
    other = len(skipped) - raws - damaged - animated - turned
    if other:
        parts.append(f"{other:,} {'file' if other == 1 else 'files'} will be skipped (see Result)")
    return parts


def saved_names_note(results: Iterable[ExportResult]) -> str:
    """The note after an export on its saved copies that kept a revealing name (a date, a
    name: the engine's ``kept`` says so, as it does for ``veil clean``), or "". Counted
    over the copies actually saved (after a Cancel, "16 file names reveal something" was
    said of 200 copies saved out of 2,176)."""
    named = sum(1 for r in results if r.status is ExportStatus.CLEANED and r.verified
                and FindingKind.FILENAME.value in r.kept)
    if not named:
        return ""
    return (
        f"{named} file {'name reveals' if named == 1 else 'names reveal'} something"
        " (a date, a name, a device): choose Neutral names to hide it."
    )
