"""Notes a cleaned copy carries when its original was already damaged.

A copy of a damaged photo is made as it is: cleaning neither repairs nor worsens the
picture, and the verification's pass/fail rule does not change. But "verified clean" alone
let a user believe the copy was whole (a JPEG cut in half shows its lower half grey, in the
original and in the copy alike), so the result says what the original's audit found.
"""

from __future__ import annotations

from collections.abc import Iterable

from veil.core.formats.jpeg_walk import PICTURE_CUT_SHORT

__all__ = ["damage_notes"]

#: The source audit's notes that say the picture itself is incomplete, as the readers word
#: them. Notes about metadata are left out: the copy drops that metadata anyway.
PICTURE_DAMAGE = (PICTURE_CUT_SHORT,)


def damage_notes(source_notes: Iterable[str]) -> tuple[str, ...]:
    """The notes for a copy's result from its source's audit notes: one per damage found."""
    return tuple(
        f"the original is damaged: {note}, so the copy is just as incomplete"
        for note in source_notes
        if note.startswith(PICTURE_DAMAGE)
    )
