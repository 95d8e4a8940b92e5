"""What an export says when its original was already damaged.

A copy of a damaged photo is made as it is: cleaning neither repairs nor worsens the
picture, and the verification's pass/fail rule does not change. But "verified clean" alone
let a user believe the copy was whole (a JPEG cut in half shows its lower half grey, in the
original and in the copy alike), so the result says what the original's audit found. When
no copy could be made (a cut PNG, GIF, WebP or TIFF is refused, as before), the failure
says the same thing instead of a reader's technical complaint.

The audit's notes are matched whole against the format walkers' own constants, never by
their wording: a reworded note changes in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from veil.core.damage_words import could_not_copy
from veil.core.formats.builder import FILE_ENDS_IN_PICTURE
from veil.core.formats.jpeg_walk import PICTURE_CUT_SHORT

__all__ = ["PICTURE_DAMAGE", "damage_notes", "damaged_failure"]

#: The source audit's notes that say the picture itself is incomplete, as the walkers word
#: them. Notes about metadata are left out: the copy drops that metadata anyway.
PICTURE_DAMAGE = frozenset({PICTURE_CUT_SHORT, FILE_ENDS_IN_PICTURE})


def _damage(source_notes: Iterable[str]) -> list[str]:
    return [note for note in dict.fromkeys(source_notes) if note in PICTURE_DAMAGE]


def damage_notes(source_notes: Iterable[str]) -> tuple[str, ...]:
    """The notes for a copy's result from its source's audit notes: one per damage found."""
    return tuple(
        f"the original is damaged: {note}, so the copy is just as incomplete"
        for note in _damage(source_notes)
    )


def damaged_failure(source_notes: Iterable[str], error: str) -> str:
    """A failed export's one-line reason: ``error``, or, when the source's audit found its
    picture incomplete, that the original is damaged (the reason no copy was made), after
    the words every damaged picture's failure starts with (:mod:`veil.core.damage_words`)."""
    found = _damage(source_notes)
    if not found:
        return error
    return could_not_copy(found[0])
