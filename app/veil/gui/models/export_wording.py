"""The export's words (plain values, no Qt): finding kinds and blocks as a user names them,
what to do about an animation the export cannot cover or turn, the detail pane's line for a
planned copy (:func:`copy_line`), and the notes and questions about copies and HEIC
conversion. The plans they word are :mod:`veil.gui.models.export_plan`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from veil.core.damage_words import no_copy_reason
from veil.core.model import Finding, FindingKind

if TYPE_CHECKING:
    from veil.gui.models.export_plan import PlanRow

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
_WORDS_BY_VALUE = {kind.value: word for kind, word in KIND_WORDS.items()}
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
#: Seconds to convert one 12 MP HEIC to JPEG on a 2-core laptop (measured for issue 16).
HEIC_SECONDS = 16


def words(names: Iterable[str]) -> tuple[str, ...]:
    """Finding kinds or block names as plain words, each once, in order."""
    out: dict[str, None] = {}
    for name in names:
        # A kind without export words (a clip's "sound", which its copy keeps) is not a
        # block either: it used to raise KeyError while painting the Export table.
        word = _WORDS_BY_VALUE.get(name) or BLOCK_WORDS.get(name, name.replace("_", " "))
        out[word] = None
    return tuple(out)


#: A hidden item the findings call "Hidden video" (a motion photo's clip), in the plan's
#: words: it read "hidden pictures or sound" there, and never said "video".
HIDDEN_VIDEO = "hidden video"
#: Marks a kind a written copy lost that its plan did not list (the file changed between
#: the plan and the copy): the Removed cell then says so instead of silently growing.
UNPLANNED = " (found while writing)"
#: Names that are both a finding kind and a block name (a JPEG's or HEIC's preview block is
#: "thumbnail" even when it showed nothing worth a finding).
_BLOCKS_TOO = frozenset({FindingKind.THUMBNAIL.value})


def removal_words(kind: FindingKind, findings: Iterable[Finding]) -> tuple[str, ...]:
    """What removing ``kind`` from a file with these ``findings`` takes away, in the plan's
    words: :data:`KIND_WORDS`, but a hidden video is "hidden video" as the findings call it
    (and hidden pictures or data beside it keep their own words)."""
    if kind is not FindingKind.EMBEDDED_MEDIA:
        return (KIND_WORDS[kind],)
    # The findings panel titles a motion photo's clip by this label ("Hidden video").
    video = [f.detail.get("label") == "Hidden video" for f in findings if f.kind is kind]
    return tuple(w for w, there in ((HIDDEN_VIDEO, any(video)),
                                    (KIND_WORDS[kind], not all(video))) if there)


def removed_words(removed: Iterable[str], plan: PlanRow | None) -> tuple[tuple[str, ...],
                                                                          tuple[str, ...]]:
    """A written copy's ``removed`` (core's ``ExportResult.removed``: finding kinds, then the
    blocks and boxes they were in) as (plain kinds, technical names).

    The plain kinds are the ``plan``'s words in its order, so the Removed cell counts and
    names what it did before writing ("3: location, date and time, software", not "5: …,
    creation times, QuickTime user data (udta)"); a kind the plan did not list is added
    with :data:`UNPLANNED`. The technical names (block names in :data:`BLOCK_WORDS`) are
    for the tooltip and "Copy details". Without a plan, every kind in :data:`KIND_WORDS`.
    """
    names = tuple(dict.fromkeys(removed))
    planned = plan.removes_by_kind if plan is not None else ()
    listed = {kind.value for kind, _ in planned}
    plain = dict.fromkeys(word for kind, word in planned if kind.value in names)
    blocks = []
    for name in names:
        if name in listed:
            continue
        if name in _WORDS_BY_VALUE and (plan is None or name not in _BLOCKS_TOO):
            plain[_WORDS_BY_VALUE[name] + ("" if plan is None else UNPLANNED)] = None
        else:
            blocks.append(name)
    return tuple(plain), words(blocks)


def _and(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    listed = list(items)
    return " and ".join([", ".join(listed[:-1]), listed[-1]] if len(listed) > 2 else listed)


def covered_words(plan: PlanRow) -> str:
    """What the plan's covers hide, for a written copy's tooltip and "Copy details": "black
    box over 1 face", "black boxes over 25 faces and 1 possible mark" ("" if none)."""
    if not plan.covered:
        return ""
    return f"black {'box' if plan.covers == 1 else 'boxes'} over {_and(plan.covered)}"


def copy_line(plan: PlanRow, named: int = 3) -> str:
    """One line for the detail pane, from the same plan as the export table: the pixel
    checks that did not run, what the copy leaves visible, how many items it removes, what
    it covers and keeps, then the first ``named`` kinds removed (last, so a line cut to its
    width keeps the counts): "Marks were not checked. A copy leaves 1 face visible, removes
    14 items, covers 2 areas and keeps the colour profile. Removed: location, date and
    time…"; while the scan has yet to reach them (:attr:`PlanRow.checking`): "Faces and
    marks are still being checked. A copy …". Only a copy whose faces and marks were
    checked and all covered is "A clean copy" (a cancelled scan's photo was one, though
    nobody looked for faces).
    """
    if plan.blocked_words:
        return f"No clean copy: {no_copy_reason(plan.blocked_words)}."
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
    text = f"{'A copy' if plan.uncovered or plan.unchecked else 'A clean copy'} {_and(parts)}."
    if plan.unchecked:  # first, as what stays visible is: a cut line must still say it
        checks = _and(plan.unchecked)
        # Still running is not "not checked": that read as if Veil had decided not to look.
        state = "are still being checked" if plan.checking else "were not checked"
        text = f"{checks[:1].upper()}{checks[1:]} {state}. {text}"
    if plan.removes:
        more = len(plan.removes) > named
        text += " Removed: " + ", ".join(plan.removes[:named]) + ("…" if more else ".")
    return text


@dataclass(frozen=True, slots=True)
class Caution:
    """What a copy must warn of, as values: its words are made from it, never read back
    (the file list's short Status words once looked the sentence up, so rewording it
    would have silently lost them).

    Attributes:
        shows: detected faces and possible marks it leaves in view ("1 face", "2 possible
            marks"): unticked, or the export's covers off.
        unchecked: its pixel checks that did not run ("faces", "marks"), in
            :data:`~veil.gui.states.CHECK_WORDS` order.
        checking: those checks are still running (the scan will reach them): before
            writing, "still checking"; a copy written meanwhile was not checked.
    """

    shows: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()
    checking: bool = False

    def __bool__(self) -> bool:
        return bool(self.shows or self.unchecked)

    def text(self, *, written: bool = True) -> str:
        """The warning in words, else "": "still shows 1 face", "faces and marks not
        checked", "still shows 1 face; marks not checked". Before it is ``written``: "will
        still show 1 face", and "still checking faces and marks" while they run."""
        parts = []
        if self.shows:
            parts.append(f"{'still shows' if written else 'will still show'} {_and(self.shows)}")
        if self.checking and not written:
            # "Still checking" first: the Result cell cut to its width at 1280x800 showed
            # "Ready — faces and mar…" for running and for stopped checks alike.
            parts.append(f"still checking {_and(self.unchecked)}")
        elif self.unchecked:
            parts.append(f"{_and(self.unchecked)} not checked")
        return "; ".join(parts)


#: No warning: a copy whose faces and marks were checked and all covered.
NO_CAUTION = Caution()


def copy_caution(plan: PlanRow | None) -> Caution:
    """What a copy made from ``plan`` must warn of (:data:`NO_CAUTION` without a plan)."""
    if plan is None:
        return NO_CAUTION
    return Caution(plan.uncovered, plan.unchecked, plan.checking)


def caution(plan: PlanRow | None, *, written: bool = True) -> str:
    """:func:`copy_caution` in words, else "" (:meth:`Caution.text`).

    It starts the Result cell and follows "Copy saved — " in the file list: "Verified
    clean — still shows 1 face" was cut to "Verified clean …" at 1280x800, and a copy
    nobody looked at for faces was called "Verified clean" outright."""
    return copy_caution(plan).text(written=written)


def shown_words(faces: int, marks: int) -> str:
    """Copies left showing something after an export, counted by what they show: ``faces``
    copies a face (and maybe marks), ``marks`` copies possible marks only: "1 still shows
    a face and 2 a possible mark", "4 still show a possible mark"; "" when none."""
    return _showing(lambda n: f"{n:,} {'still shows' if n == 1 else 'still show'}", faces, marks)


def will_show_note(faces: int, marks: int = 0) -> str:
    """The plan's note on the copies to be written that will show something left uncovered:
    ``faces`` copies a face, ``marks`` copies possible marks only (as :func:`shown_words`
    counts them): "1 copy will show a face and 2 a possible mark left uncovered"."""
    what = _showing(lambda n: f"{'1 copy' if n == 1 else f'{n:,} copies'} will show",
                    faces, marks)
    return f"{what} left uncovered (see Result)" if what else ""


def _showing(lead: Callable[[int], str], faces: int, marks: int) -> str:
    """``lead(count)`` then what those copies show: "<lead(faces)> a face and <marks> a
    possible mark", "<lead(faces)> a face", "<lead(marks)> a possible mark"; "" for none."""
    if faces and marks:
        return f"{lead(faces)} a face and {marks:,} a possible mark"
    if faces:
        return f"{lead(faces)} a face"
    return f"{lead(marks)} a possible mark" if marks else ""


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
