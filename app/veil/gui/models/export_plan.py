"""What an export will do to each photo, known before writing (plain values, no Qt).

Per photo: what the copy drops and what it keeps (in words a user knows), how many areas it
covers and what share of the picture that is, and whether it must be converted from HEIC to
JPEG to be covered. The export table shows it per row; the detail pane shows the selected
photo's as one line (:func:`~veil.gui.models.export_wording.copy_line`). The share uses core's
:func:`~veil.core.covers.covered_fraction` (the export's own padded geometry), so "more than
a third covered" is what the file will show.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from veil.core.covers import LARGE_COVER, covered_fraction
from veil.core.model import PIXEL_KINDS, CheckStatus, ExportOptions, FileReport, FindingKind, Region
from veil.gui.models.export_wording import (
    ANIMATION_ADVICE,
    BOTH_ADVICE,
    KIND_WORDS,
    TURN_ADVICE,
    removal_words,
)
from veil.gui.redactions import can_cover
from veil.gui.states import CHECK_WORDS

if TYPE_CHECKING:  # the export engine loads in a worker, not with the window
    from veil.core.export.refusal import Refusal

HEIF_FORMATS = frozenset({"heif", "heic", "avif"})


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One photo of a planned export.

    Attributes:
        key: the row's key in the file list.
        source: the photo.
        removes: what the copy will not contain (plain words, each once).
        removes_by_kind: the finding kind each of those words stands for, as (kind, word)
            pairs in the same order: a written copy's Removed cell names the kinds core says
            it removed in these words (:func:`~veil.gui.models.export_wording.removed_words`),
            so the count and words before and after writing agree.
        keeps: what the copy keeps besides the picture (plain words).
        removed_items: how many listed findings the copy drops (metadata; faces and marks
            are covered, not removed).
        covers: areas covered (none in a video: the export covers nothing in a clip).
        covered_share: share of the picture covered (0..1, padding included).
        covered: what those areas hide, in words ("1 face", "2 possible marks", "1 area you
            drew"), adding up to ``covers``: a written copy says which areas of the picture
            now carry a black box (a pot taken for a face, 26 faces of a group photo).
        needs_conversion: a HEIC that must become a JPEG to be covered (or rotated).
        uncovered: detected faces and possible marks the copy still shows, in words
            ("1 face", "2 possible marks"): no cover box hides most of them.
        unchecked: the pixel checks that did not run for the photo ("faces", "marks"):
            Cancel stopped them, a detector was not available, or the file is a video. The
            copy may show what nobody looked for, so it is never called clean.
        checking: those checks are still to come for the photo (the scan will reach them:
            not cancelled), rather than stopped, unavailable or failed; worded as still
            running before writing, never as a decision not to look.
        refusal: why the export will skip the file without writing a copy (a camera raw,
            a picture too large to clean): core's kind and words
            (:func:`veil.core.export.refusal.planned_skip`), or None.
        cover_refusal: why it will skip the file *with these covers or rotation* (an
            animation: :func:`veil.core.export.refusal.animation_refusal`), or None. Kept
            apart from ``refusal``: the boxes stay editable, unticking them (or keeping the
            orientation tag) is the way out.
        turns: the copy's pixels are turned upright and it has no orientation tag: a
            rotated photo with areas to cover (core covers its upright pixels, whatever
            the orientation choice) or with "Rotate the pixels" chosen.
    """

    key: str
    source: Path
    removes: tuple[str, ...]
    keeps: tuple[str, ...]
    removed_items: int
    covers: int
    covered_share: float
    needs_conversion: bool
    uncovered: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()
    refusal: Refusal | None = None
    cover_refusal: Refusal | None = None
    rotate_too: bool = False  # a covered animation whose pixels are also to be rotated
    turns: bool = False
    checking: bool = False
    removes_by_kind: tuple[tuple[FindingKind, str], ...] = ()
    covered: tuple[str, ...] = ()

    @property
    def skip(self) -> str | None:
        """Why the export will skip the file whatever is covered, in its own words, or None."""
        return self.refusal.reason if self.refusal else None

    @property
    def blocked(self) -> Refusal | None:
        """Why the export, as chosen, will write no copy of the file (either refusal)."""
        return self.refusal or self.cover_refusal

    @property
    def blocked_words(self) -> str | None:
        """:attr:`blocked` in the window's words: core's reason, or for covers it cannot
        make (an animation) what to do in this window, first (a line cut short keeps it)."""
        if self.refusal:
            return self.refusal.reason
        if self.cover_refusal is None:
            return None
        from veil.core.export.refusal import SkipKind  # loaded by the plan's worker already

        if self.cover_refusal.kind is SkipKind.ANIMATED_TURN:
            return TURN_ADVICE
        return BOTH_ADVICE if self.rotate_too else ANIMATION_ADVICE

    @property
    def blocked_why(self) -> str | None:
        """:attr:`blocked_words` without what to do, for a short line: "an animation can't
        be covered" (each advice reads "why — what to do"), or None."""
        words = self.blocked_words
        return None if words is None else words.partition(" — ")[0]

    @property
    def large_cover(self) -> bool:
        """True when more than a third of the picture will be covered."""
        return self.covered_share > LARGE_COVER


def plan_row(key: str, source: Path, report: FileReport, options: ExportOptions,
             skip: Refusal | None = None, cover_skip: Refusal | None = None, *,
             checking: bool = False) -> PlanRow:
    """What exporting ``source`` (audited as ``report``) with ``options`` will do; when core
    says it ``skip`` s the file (or ``cover_skip`` s it with these covers), nothing: no copy
    is written, so nothing is removed or kept. ``checking``: its faces and marks are still
    to be checked (``report`` is the metadata pass's, which says they were skipped)."""
    if skip or cover_skip:
        turn = options.bake_orientation and report.orientation not in (None, 1)
        return PlanRow(key, source, (), (), removed_items=0, covers=0, covered_share=0.0,
                       needs_conversion=False, refusal=skip, cover_refusal=cover_skip,
                       rotate_too=bool(cover_skip) and turn)
    kinds = {f.kind for f in report.findings if f.kind not in PIXEL_KINDS}
    keeps = []
    if FindingKind.FILENAME in kinds and options.rename == "keep":
        kinds.discard(FindingKind.FILENAME)
        keeps.append("revealing file name")
    if options.keep_icc and any(t.group == "ICC" for t in report.tags):
        keeps.append("colour profile")
    if any(f.kind is FindingKind.SOUND for f in report.findings):
        keeps.append("sound")  # a video's sound track is copied as it is
    upright = report.orientation in (None, 1)
    # A video's frames are copied as they are (export.engine): nothing covered, never turned.
    regions = options.redactions if can_cover(report) else ()
    pixels = bool(regions) or (options.bake_orientation and not upright and can_cover(report))
    # Covering re-encodes the upright picture (export.engine), so the tag goes even with
    # "Keep the orientation tag" chosen: the plan said it kept one the copy did not have.
    if not upright and not pixels:
        keeps.append("orientation tag")
    by_kind = tuple((k, w) for k in KIND_WORDS if k in kinds
                    for w in removal_words(k, report.findings))
    removes = tuple(dict.fromkeys(w for _, w in by_kind))
    items = sum(1 for f in report.findings if f.kind in kinds)
    share = covered_fraction(regions, report.width or 0, report.height or 0,
                             options.redaction_padding)
    heif = (report.format or "").lower() in HEIF_FORMATS
    convert = heif and pixels and not options.heic_to_jpeg
    uncovered = _uncovered(report, regions) if can_cover(report) else ()
    unchecked = _unchecked(report)
    return PlanRow(key, source, removes, tuple(keeps), removed_items=items, covers=len(regions),
                   covered_share=share, needs_conversion=convert, uncovered=uncovered,
                   unchecked=unchecked, turns=pixels and not upright,
                   checking=checking and bool(unchecked), removes_by_kind=by_kind,
                   covered=_covered(report, regions))


def rechecked(plan: PlanRow, report: FileReport, regions: tuple[Region, ...], *,
              checking: bool = False) -> PlanRow:
    """``plan`` with what its copy (covered with ``regions``) shows and which of its pixel
    checks did not run, as ``report`` says: the photo's faces and marks were checked after
    the plan was made (an export started while they ran, "Cover" unticked; "Check the rest"
    after Cancel), or Cancel stopped them (``checking`` False: no longer to come). Only
    those change: the copy itself was written from the plan."""
    if plan.blocked:
        return plan  # no copy: nothing it shows
    uncovered = _uncovered(report, regions) if can_cover(report) else ()
    unchecked = _unchecked(report)
    covered = _covered(report, regions) if can_cover(report) else ()
    return dataclasses.replace(plan, uncovered=uncovered, unchecked=unchecked,
                               checking=checking and bool(unchecked), covered=covered)


def _unchecked(report: FileReport) -> tuple[str, ...]:
    """The pixel checks that did not run, in words ("faces", "marks"): as core reports them
    (the CLI's ``checks: {faces: skipped}``), not the row's state: a detector that was not
    available leaves a finished row."""
    return tuple(w for k, w in CHECK_WORDS.items() if report.checks.get(k) is not CheckStatus.DONE)


#: Detected things a copy can leave in view, in the words of the findings panel's counts.
_SHOWN_NOUNS = {FindingKind.FACE: ("face", "faces"),
                FindingKind.TATTOO: ("possible mark", "possible marks")}


def _uncovered(report: FileReport, regions: tuple[Region, ...]) -> tuple[str, ...]:
    """Faces and possible marks found with a box that no single cover box hides for the
    most part (half their area or more): what a recipient of the copy still sees."""
    counts = dict.fromkeys(_SHOWN_NOUNS, 0)
    for finding in report.findings:
        box = finding.region
        if finding.kind not in counts or box is None or box.w <= 0 or box.h <= 0:
            continue
        if not any(2 * _overlap(box, r) >= box.w * box.h for r in regions):
            counts[finding.kind] += 1
    return tuple(f"{n} {_SHOWN_NOUNS[k][n != 1]}" for k, n in counts.items() if n)


def shows_face(plan: PlanRow) -> bool:
    """True when ``plan``'s copy leaves a detected face in view; False when what it shows
    is possible marks only (the counts after an export say which: "4 still show a face or
    mark" was said of four copies each showing one possible mark)."""
    face = _SHOWN_NOUNS[FindingKind.FACE]
    return any(said.partition(" ")[2] in face for said in plan.uncovered)


def _covered(report: FileReport, regions: tuple[Region, ...]) -> tuple[str, ...]:
    """What each cover box hides, counted per box in :data:`_SHOWN_NOUNS` words: a face when
    it hides most of a detected face (as :func:`_uncovered` judges), else a possible mark,
    else an area the user drew ("1 face", "1 area you drew"); as many boxes as ``regions``."""
    found = [(f.kind, f.region) for f in report.findings
             if f.kind in _SHOWN_NOUNS and f.region is not None and f.region.w > 0
             and f.region.h > 0]
    counts, drawn = dict.fromkeys(_SHOWN_NOUNS, 0), 0
    for r in regions:
        hides = {k for k, box in found if 2 * _overlap(box, r) >= box.w * box.h}
        kind = next((k for k in _SHOWN_NOUNS if k in hides), None)  # a face before a mark
        if kind is None:
            drawn += 1
        else:
            counts[kind] += 1
    said = [f"{n} {_SHOWN_NOUNS[k][n != 1]}" for k, n in counts.items() if n]
    return (*said, *([f"{drawn} area{'s' if drawn != 1 else ''} you drew"] if drawn else []))


def _overlap(a: Region, b: Region) -> int:
    """Area shared by two boxes."""
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(0, w) * max(0, h)
