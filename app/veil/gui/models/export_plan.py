"""What an export will do to each photo, known before writing (plain values, no Qt).

Per photo: what the copy drops and what it keeps (in words a user knows), how many areas it
covers and what share of the picture that is, and whether it must be converted from HEIC to
JPEG to be covered. The export table shows it per row; the detail pane shows the selected
photo's as one line (:func:`copy_line`). The share uses core's
:func:`~veil.core.covers.covered_fraction` (the export's own padded geometry), so "more than
a third covered" is what the file will show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from veil.core.covers import LARGE_COVER, covered_fraction
from veil.core.model import PIXEL_KINDS, ExportOptions, FileReport, FindingKind, Region
from veil.gui.redactions import can_cover

if TYPE_CHECKING:  # the export engine loads in a worker, not with the window
    from veil.core.export.refusal import Refusal

#: Finding kinds in the words the export table uses ("removes location, date and time").
KIND_WORDS = {
    FindingKind.LOCATION: "location",
    FindingKind.TIME: "date and time",
    FindingKind.DEVICE: "camera or phone",
    FindingKind.IDENTITY: "names",
    FindingKind.SOFTWARE: "software",
    FindingKind.THUMBNAIL: "hidden thumbnail",
    FindingKind.EMBEDDED_MEDIA: "hidden pictures or sound",
    FindingKind.PROVENANCE: "edit history",
    FindingKind.MAKER_NOTES: "maker notes",
    FindingKind.FILENAME: "revealing file name",
    FindingKind.SIDECAR: "sidecar file",
    FindingKind.OTHER_METADATA: "other metadata",
}
#: Block names core reports in ``ExportResult.removed``/``kept``, in the same plain words.
BLOCK_WORDS = {
    "icc": "colour profile",
    "orientation": "orientation tag",
    "exif": "Exif block",
    "xmp": "XMP block",
    "iptc": "IPTC block",
    "maker": "maker block",
    "trailer": "data after the picture",
    "c2pa": "content credentials",
    "mpf": "extra pictures",
    "comment": "comment",
    "converted_to_jpeg": "converted to JPEG",
}
#: An animation with boxes ticked "Cover": what the export can do instead (core's
#: :func:`~veil.core.export.refusal.animation_refusal` says "export it without covering").
ANIMATION_ADVICE = (
    "an animation can't be covered — untick “Cover” for a copy without its metadata (every"
    " frame as it is, faces visible), or save one frame as a still picture (PNG or JPEG)"
    " and add that"
)
#: An animation with a rotation tag while "Rotate the pixels" is chosen: what to do instead
#: (core's :attr:`~veil.core.export.refusal.SkipKind.ANIMATED_TURN`).
TURN_ADVICE = (
    "an animation's frames can't be rotated — choose “Keep the orientation tag” for a copy"
    " without its metadata (every frame as it is, shown the same way up), or save one frame"
    " as a still picture (PNG or JPEG) and add that"
)
#: Both at once: unticking “Cover” alone would still give no copy.
BOTH_ADVICE = (
    "an animation can't be covered or rotated — untick “Cover” and choose “Keep the"
    " orientation tag” for a copy without its metadata (every frame as it is, faces"
    " visible), or save one frame as a still picture (PNG or JPEG) and add that"
)
#: A copy whose pixels the export turns upright (to cover them, or "Rotate the pixels"): it
#: carries no orientation tag, and needs none (every viewer shows it the right way up).
TURNED = "turned upright, needs no orientation tag"
HEIF_FORMATS = frozenset({"heif", "heic", "avif"})
#: Seconds to convert one 12 MP HEIC to JPEG on a 2-core laptop (measured for issue 16).
HEIC_SECONDS = 16


def words(names: Iterable[str]) -> tuple[str, ...]:
    """Finding kinds or block names as plain words, each once, in order."""
    out: dict[str, None] = {}
    for name in names:
        try:
            word = KIND_WORDS[FindingKind(name)]
        except ValueError:
            word = BLOCK_WORDS.get(name, name.replace("_", " "))
        out[word] = None
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One photo of a planned export.

    Attributes:
        key: the row's key in the file list.
        source: the photo.
        removes: what the copy will not contain (plain words).
        keeps: what the copy keeps besides the picture (plain words).
        removed_items: how many listed findings the copy drops (metadata; faces and marks
            are covered, not removed).
        covers: areas covered (none in a video: the export covers nothing in a clip).
        covered_share: share of the picture covered (0..1, padding included).
        needs_conversion: a HEIC that must become a JPEG to be covered (or rotated).
        uncovered: detected faces and possible marks the copy still shows, in words
            ("1 face", "2 possible marks"): no cover box hides most of them.
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
    refusal: Refusal | None = None
    cover_refusal: Refusal | None = None
    rotate_too: bool = False  # a covered animation whose pixels are also to be rotated
    turns: bool = False

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
             skip: Refusal | None = None, cover_skip: Refusal | None = None) -> PlanRow:
    """What exporting ``source`` (audited as ``report``) with ``options`` will do; when core
    says it ``skip`` s the file (or ``cover_skip`` s it with these covers), nothing: no copy
    is written, so nothing is removed or kept."""
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
    removes = tuple(KIND_WORDS[k] for k in KIND_WORDS if k in kinds)
    items = sum(1 for f in report.findings if f.kind in kinds)
    share = covered_fraction(regions, report.width or 0, report.height or 0,
                             options.redaction_padding)
    heif = (report.format or "").lower() in HEIF_FORMATS
    convert = heif and pixels and not options.heic_to_jpeg
    uncovered = _uncovered(report, regions) if can_cover(report) else ()
    return PlanRow(key, source, removes, tuple(keeps), removed_items=items, covers=len(regions),
                   covered_share=share, needs_conversion=convert, uncovered=uncovered,
                   turns=pixels and not upright)


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


def _overlap(a: Region, b: Region) -> int:
    """Area shared by two boxes."""
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(0, w) * max(0, h)


def _and(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    listed = list(items)
    return " and ".join([", ".join(listed[:-1]), listed[-1]] if len(listed) > 2 else listed)


def copy_line(plan: PlanRow, named: int = 3) -> str:
    """One line for the detail pane, from the same plan as the export table: what a clean
    copy leaves visible, how many items it removes, what it covers and keeps, then the first
    ``named`` kinds removed (last, so a line cut to its width keeps the counts): "A clean
    copy leaves 1 face visible, removes 14 items, covers 2 areas and keeps the colour
    profile. Removed: location, date and time…".
    """
    if plan.blocked_words:
        return f"No clean copy: {plan.blocked_words}."
    noun = "item" if plan.removed_items == 1 else "items"
    # What stays visible comes first: a line cut to the pane's width must still say it
    # (else "has nothing flagged to remove" reads as if the copy were safe to share).
    parts = ["leaves " + _and(plan.uncovered) + " visible"] if plan.uncovered else []
    parts.append(f"removes {plan.removed_items} {noun}" if plan.removes else
                 "has nothing flagged to remove")
    if plan.covers:
        parts.append(f"covers {plan.covers} {'area' if plan.covers == 1 else 'areas'}")
    if plan.turns:
        parts.append("turns the picture upright")
    if plan.keeps:
        parts.append("keeps the " + _and(plan.keeps))
    text = f"A clean copy {_and(parts)}."
    if plan.removes:
        more = len(plan.removes) > named
        text += " Removed: " + ", ".join(plan.removes[:named]) + ("…" if more else ".")
    return text


def still_shows(plan: PlanRow | None, *, written: bool = True) -> str:
    """" — still shows 1 face" for a copy made from ``plan`` that leaves detected faces or
    marks in view (unticked, or the export's covers off), else "": "Verified clean" alone
    read as if the copy were safe to share. Before it is ``written``: " — will still show
    1 face" ("Ready: covers 1 area" alone told it only once the copy was made)."""
    if not plan or not plan.uncovered:
        return ""
    return f" — {'still shows' if written else 'will still show'} {_and(plan.uncovered)}"


def will_show_note(copies: int) -> str:
    """The plan's note on the ``copies`` to be written that will show a face or mark."""
    if not copies:
        return ""
    which = "1 copy" if copies == 1 else f"{copies:,} copies"
    return f"{which} will show a face or mark left uncovered (see Result)"


def shown_note(copies: int) -> str:
    """The export summary's note on the ``copies`` saved that still show a face or mark."""
    if not copies:
        return ""
    which = "1 copy shows" if copies == 1 else f"{copies:,} copies show"
    return f"{which} a face or mark left uncovered (see Result)."


def conversion_text(count: int) -> str:
    """The question asked once per export before converting HEIC photos."""
    noun = "HEIC photo needs" if count == 1 else "HEIC photos need"
    return f"{count} {noun} converting to JPEG to cover faces or marks."


def conversion_detail(count: int) -> str:
    """What converting costs, and the way to keep a photo a HEIC, in plain words (a false
    face on a kitchen cabinet offered only a 16 s conversion or no copy at all)."""
    minutes = count * HEIC_SECONDS / 60
    cost = f"about {HEIC_SECONDS} s each" + (f", {minutes:.0f} min in all" if minutes >= 1 else "")
    return (
        f"Converting re-encodes the picture ({cost} for a 12-megapixel photo). "
        "To keep a photo a HEIC, cancel and untick its “Cover” boxes: its metadata is still "
        "removed. Skipped photos are not saved; their originals are untouched."
    )
