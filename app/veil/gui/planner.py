"""``ExportPlanner``: export plans made off the GUI thread; the newest request wins.

A plan of thousands of photos reads each file's first bytes (core's skip rule) and builds a
row per photo: on the GUI thread that stalled the window for seconds on a slow disk. Here
the GUI thread only freezes the inputs (:meth:`ExportPlanner.choices`,
:meth:`ExportPlanner.request_for`: no file is touched) and
:func:`veil.gui.export_plans.make_plan` runs on the session's export pool (exports and
plans never overlap: the pane plans nothing while an export runs).

Callers ask on a channel ("shown": the plan the pane shows; "export": the plan an Export
click acts on). A newer request on a channel cancels the older one, whose plan is never
delivered; a request for the very same inputs as the one still being made (same choices,
same rows with the same reports, same receiver) leaves that one running instead: while
photos are checked the pane asks again at every batch of results, and restarting a plan
that would come out the same read every file again. Core's skip answers are remembered per
row with the report they were asked for (asked again when the row's report changes: the
file may have been replaced), so a plan made again reads no file.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from veil.core.cancel import NEVER, CancelToken
from veil.core.model import ExportOptions, FileReport
from veil.gui.export_plans import ExportPlan, PlanChoices, PlanRequest, PlanSource, make_plan
from veil.gui.session import AuditSession
from veil.gui.states import RowState
from veil.gui.workers import Pool

if TYPE_CHECKING:
    from veil.core.export.refusal import Refusal

PRIO_PLAN = 0
#: The detail pane's one-photo plan: on the analysis pool next to the preview it goes with
#: (the export pool may be busy with an export for minutes).
PRIO_PLAN_ONE = 4
#: The channel of the detail pane's one-photo plan.
ONE = "one"
#: A plan's receiver: the plan, or None when its job ended without one (a bug, reported
#: through the session's ``job_failed``).
Deliver = Callable[[ExportPlan | None], None]


class ExportPlanner(QObject):
    """Plans exports of the session's rows, off the GUI thread (every method runs on it)."""

    def __init__(self, session: AuditSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        #: Core's skip answer per row key, with the report it was asked for.
        self._skips: dict[str, tuple[FileReport, Refusal | None]] = {}
        #: Per channel, the request waiting for its plan: its number, its job's token, what
        #: it was made from and who receives it (compared by :func:`_same_inputs`).
        self._latest: dict[str, tuple[int, CancelToken, PlanRequest, Deliver]] = {}
        self._numbers = itertools.count(1)

    def choices(
        self,
        scope: str,
        keys: Iterable[str],
        out_dir: Path | None,
        options: ExportOptions,
        cover: bool,
        beside: bool,
    ) -> PlanChoices:
        """The user's choices as they are now (cheap: compared to a plan's to tell if the
        plan is stale)."""
        keys = tuple(keys)
        redactions = self.session.redactions
        boxes = tuple(redactions.get(k, ()) for k in keys) if cover else ()
        return PlanChoices(scope, keys, out_dir, options, cover, beside, boxes)

    def request_for(self, choices: PlanChoices) -> PlanRequest:
        """Freeze the listed rows of ``choices`` (no file is read)."""
        model, redactions = self.session.model, self.session.redactions
        sources = []
        for key in choices.keys:
            row = model.row_for_key(key)
            if row is None:
                continue
            known = self._skips.get(key)
            sources.append(
                PlanSource(
                    key,
                    row.path,
                    row.relative_dir,
                    row.report,
                    row.full_report,
                    row.audit_state is RowState.CANCELLED,
                    redactions.get(key, ()) if choices.cover else (),
                    (known[1],) if known is not None and known[0] is row.report else None,
                )
            )
        return PlanRequest(choices, tuple(sources))

    def plan_now(self, choices: PlanChoices) -> ExportPlan:
        """Plan on the calling (GUI) thread: one photo's line, whose file the full plan has
        usually read already."""
        plan = make_plan(self.request_for(choices))
        self._remember(plan)
        return plan

    def plan_one(self, choices: PlanChoices, deliver: Deliver) -> ExportPlan | None:
        """One photo's plan (the detail pane's line), made at once when no file must be read
        for it (core's skip answer for its report is known, usually from the pane's plan);
        otherwise None, and the plan is made on the analysis pool and ``deliver`` ed (a
        newer ask supersedes it). Reading a file's head on the GUI thread stalls the window
        on a slow or sleeping disk. With ``choices.cover`` but covers not plannable yet (its
        faces are still being checked), the plan without covers rather than none."""
        requests = [self.request_for(choices)]
        if choices.cover:
            plain = dataclasses.replace(choices, cover=False, boxes=())
            requests.append(self.request_for(plain))
        self.forget(ONE)
        readable = [s for s in requests[0].sources if s.report is not None and s.report.ok]
        if all(s.known is not None for s in readable):
            plan = _first_possible(tuple(requests))
            self._remember(plan)
            return plan
        self._start(
            ONE,
            requests[0],
            lambda cancel: _first_possible(tuple(requests), cancel),
            deliver,
            self.session.analysis_pool,
            PRIO_PLAN_ONE,
        )
        return None

    def request(self, channel: str, choices: PlanChoices, deliver: Deliver) -> None:
        """Plan ``choices`` on a worker; ``deliver`` gets the plan on the GUI thread unless a
        newer request on ``channel`` (or :meth:`forget`) comes first. When the plan still
        being made on ``channel`` is for the same inputs, that one is kept."""
        request = self.request_for(choices)
        waiting = self._latest.get(channel)
        if waiting is not None and waiting[3] == deliver and _same_inputs(waiting[2], request):
            return
        self.forget(channel)
        work = functools.partial(make_plan, request)
        self._start(channel, request, work, deliver, self.session.export_pool, PRIO_PLAN)

    def _start(
        self,
        channel: str,
        request: PlanRequest,
        work: Callable[[CancelToken], ExportPlan],
        deliver: Deliver,
        pool: Pool,
        priority: int,
    ) -> None:
        number, token = next(self._numbers), CancelToken()
        # Stored before the start: a test pool runs the job inside start_job.
        self._latest[channel] = (number, token, request, deliver)
        self.session.start_job(
            "plan",
            work,
            priority,
            pool=pool,
            token=token,
            on_results=lambda _id, batch: self._landed(channel, number, batch, deliver),
            on_finished=lambda _id, _cancelled: self._ended(channel, number, deliver),
        )

    def pending(self, channel: str) -> bool:
        """True while a plan asked on ``channel`` has not been delivered."""
        return channel in self._latest

    def forget(self, channel: str) -> None:
        """Deliver nothing for ``channel``'s waiting request, and stop its job early."""
        waiting = self._latest.pop(channel, None)
        if waiting is not None:
            waiting[1].cancel()

    def forget_all(self) -> None:
        """Stop every waiting plan (the window is closing)."""
        for channel in list(self._latest):
            self.forget(channel)

    def _landed(self, channel: str, number: int, batch: list[Any], deliver: Deliver) -> None:
        plan = batch[-1]
        self._remember(plan)  # right for the reports it was made from, superseded or not
        waiting = self._latest.get(channel)
        if waiting is None or waiting[0] != number:
            return  # superseded: a newer request's plan follows
        del self._latest[channel]
        deliver(plan)

    def _ended(self, channel: str, number: int, deliver: Deliver) -> None:
        """The job ended; if its plan never came (it failed), the caller stops waiting."""
        waiting = self._latest.get(channel)
        if waiting is not None and waiting[0] == number:
            del self._latest[channel]
            deliver(None)

    def _remember(self, plan: ExportPlan) -> None:
        reports = {s.key: s.report for s in plan.request.sources}
        for row in plan.rows:
            report = reports.get(row.key)
            if report is not None:
                self._skips[row.key] = (report, row.refusal)
        model = self.session.model
        if len(self._skips) > 2 * model.rowCount() + 64:  # rows taken off the list
            self._skips = {k: v for k, v in self._skips.items() if model.row_for_key(k)}


def _first_possible(requests: tuple[PlanRequest, ...], cancel: CancelToken = NEVER) -> ExportPlan:
    """The plan of the first of ``requests`` that has no problem, else the last one's."""
    for request in requests[:-1]:
        plan = make_plan(request, cancel)
        if not plan.problem:
            return plan
    return make_plan(requests[-1], cancel)


def _same_inputs(a: PlanRequest, b: PlanRequest) -> bool:
    """Whether two requests would give the same plan: equal choices and rows, each row's
    report the very same object (reports are immutable and replaced when a row is checked
    again). Identity is tested first, so comparing the rows never compares two reports
    field by field."""
    return (
        a.choices == b.choices
        and len(a.sources) == len(b.sources)
        and all(x.report is y.report for x, y in zip(a.sources, b.sources, strict=True))
        and a.sources == b.sources
    )
