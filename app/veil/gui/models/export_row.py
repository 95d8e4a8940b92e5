"""One row of the export table, in plain values (no Qt): a photo's plan made before writing
and its result once written, and the words for each (:func:`result_text`; "Verified clean"
only for a cleaned and verified copy that shows no face or mark left uncovered, and whose
faces and marks were checked).
:mod:`veil.gui.models.export_results` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from veil.core.model import ExportResult, ExportStatus
from veil.gui.models.export_plan import PlanRow
from veil.gui.models.export_wording import (
    TURNED,
    caution,
    covered_words,
    removed_words,
    words,
)
from veil.gui.text import safe_text

if TYPE_CHECKING:
    from veil.core.export.refusal import Refusal

#: Longest full reason / details a row gives (the table's detail role and tooltips).
DETAIL_LIMIT = 2000


def result_text(result: ExportResult, limit: int = 200, plan: PlanRow | None = None, *,
                which: bool = False) -> str:
    """The words for one result; "Verified clean" only for a cleaned *and* verified file.
    With its ``plan``: whether the copy was turned upright (it then kept no tag), and what
    it still shows or was not checked for, first ("Still shows 1 face — metadata removed,
    verified", "Faces and marks not checked — …"): a cell cut to its width must still
    warn, and such a copy is not "clean". Then how many areas it covers, in the plan's
    count ("Verified clean · 2 areas covered (re-encoded)"), and with ``which`` (the
    tooltip, "Copy details") what they hide: "… — black boxes over 1 face and 1 possible
    mark"."""
    if result.status is ExportStatus.CLEANED and result.verified:
        notes = [] if result.lossless else ["re-encoded"]
        if plan and plan.turns and not result.lossless and "orientation" not in result.kept:
            notes.append(TURNED)  # its Kept cell no longer lists the tag: say why
        if result.unchanged:  # the same clean copy was there already: nothing was written
            notes.append("already saved there")
        shown = caution(plan)
        first = shown[:1].upper() + shown[1:]
        text = f"{first} — metadata removed, verified" if shown else "Verified clean"
        # Said after the category words (the colour and tests key on them), before the
        # notes: "Verified clean (re-encoded)" alone hid that 26 faces, or a pot taken for
        # one, now carry black boxes.
        text += f" · {covered_count(plan)} covered" if plan and plan.covers else ""
        text += f" ({', '.join(notes)})" if notes else ""
        extra = [covered_words(plan)] if which and plan and plan.covered else []
        # What the user must know besides (an original that was already damaged).
        extra += result.notes
        return safe_text(" — ".join([text, *extra]), limit) if extra else text
    if result.status is ExportStatus.CLEANED:
        return "Saved, but not verified"
    if result.status is ExportStatus.SKIPPED:
        return safe_text(f"Skipped: {result.error or 'no reason given'}", limit)
    return safe_text(f"Failed: {result.error or 'no reason given'}", limit)


def covered_count(plan: PlanRow) -> str:
    """The plan's areas to cover, counted as before writing: "1 area", "26 areas"."""
    return f"{plan.covers} {'area' if plan.covers == 1 else 'areas'}"


def is_verified(result: ExportResult) -> bool:
    """True for a cleaned and verified copy."""
    return result.status is ExportStatus.CLEANED and result.verified


@dataclass(slots=True)
class ExportEntry:
    """One row: the plan made before writing, and the result once written."""

    plan: PlanRow | None
    result: ExportResult | None = None

    @property
    def name(self) -> str:
        source = self.result.source if self.result else self.plan.source if self.plan else None
        return safe_text(source.name, 160) if source else ""

    def rank(self) -> int:
        """0: no copy (failed, skipped, or will be); 1: a copy to look at first (a large
        cover, a HEIC to convert, a face or possible mark it still shows, faces or marks
        not checked); 2: all well. The Result cell's colour and icon follow it: a copy
        still showing a face was drawn green (with the "verified" shield once written)
        though its words said otherwise."""
        shows = bool(caution(self.plan))
        if self.result is not None:
            return (1 if shows else 2) if is_verified(self.result) else 0
        if self.plan is not None and self.plan.blocked:
            return 0  # no copy will be written: shown with the problems
        if self.plan is not None and (self.plan.large_cover or self.plan.needs_conversion):
            return 1
        return 1 if shows else 2

    def status(self) -> str:
        if self.result is not None:
            return safe_text(result_text(self.result, plan=self.plan), 300)
        assert self.plan is not None
        blocked = self.plan.blocked
        if blocked is not None:
            return safe_text(f"{_planned_outcome(blocked)}: {self.plan.blocked_words}", 400)
        # What the copy will still show (or was not checked for) comes first, before
        # writing too (it was said only once written): a Result cell cut to its width
        # still says it.
        detail = self._ready()
        shown = caution(self.plan, written=False)
        if not shown:
            return f"Ready: {detail}" if detail else "Ready"
        return f"Ready — {shown}" + (f" · {detail}" if detail else "")

    def _ready(self) -> str:
        """What the plan asks of the copy besides: converting, a large cover, covers, and
        turning it upright."""
        assert self.plan is not None
        n = self.plan.covers
        if self.plan.needs_conversion:
            first = "HEIC, needs converting to JPEG to cover"
        elif self.plan.large_cover:
            first = f"{self.plan.covered_share:.0%} of the picture covered — look first"
        else:
            first = f"covers {covered_count(self.plan)}" if n else ""
        return " · ".join(p for p in (first, TURNED if self.plan.turns else "") if p)

    def removed(self) -> tuple[str, ...]:
        """What the copy removes (before writing) or removed, in the plan's plain words
        (:func:`~veil.gui.models.export_wording.removed_words`): the same count and words
        before and after writing unless the copy removed a kind the plan did not list."""
        if self.result is not None:
            return removed_words(self.result.removed, self.plan)[0]
        return self.plan.removes if self.plan else ()

    def removed_text(self) -> str:
        """:meth:`removed` for the tooltip and "Copy details", then where a written copy's
        were in the file, in core's names: "location, date and time, software (in the file:
        creation times, QuickTime user data (udta))"; "" when nothing."""
        plain = ", ".join(self.removed())
        blocks = removed_words(self.result.removed, self.plan)[1] if self.result else ()
        if not blocks:
            return plain
        return f"{plain or 'nothing flagged'} (in the file: {', '.join(blocks)})"

    def kept(self) -> tuple[str, ...]:
        if self.result is not None:
            return words(self.result.kept)
        return self.plan.keeps if self.plan else ()

    def detail(self) -> str:
        """Everything about the row in one copyable line."""
        parts = [
            self.name,
            (result_text(self.result, DETAIL_LIMIT, self.plan, which=True) if self.result
             else self.status()),
        ]
        if self.removed_text():
            parts.append("removed: " + self.removed_text())
        if self.kept():
            parts.append("kept: " + ", ".join(self.kept()))
        if self.result is not None and self.result.output is not None:
            parts.append(f"saved as {safe_text(self.result.output, 600)}")
        return " — ".join(parts)


def _planned_outcome(refusal: Refusal) -> str:
    """How a plan row names what core will do instead of a copy: skip it, or try and fail
    (a HEIF whose coded data is broken: the export reports a failure, not a skip)."""
    from veil.core.export.refusal import SkipKind  # loaded by the plan's worker already

    return "Won't be written" if refusal.kind is SkipKind.DAMAGED else "Will be skipped"
