"""One rule for a picture no decoder can read: a plain first clause, then the reason.

A damaged HEIC said "item 20002: NAL unit 1 runs past the end of its coded data" when
planned, "not written: ... Invalid input: Unspecified: NAL stream was rejected ..." once
exported, and "faces and marks not checked: the picture could not be opened: ..." in the
scan: three wordings of one fault, none a non-expert could act on. Every front end now
starts with what happened and what it means for the user ("the picture data is damaged,
so Veil could not look at the picture itself" / "... could not make a clean copy"); the
technical reason follows in brackets (the JSON ``error`` keeps it whole, the JSON notes stay
raw: :func:`veil.core.explain.plain_note` words them for display only).

Never imports Qt.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "COULD_NOT_COPY",
    "COULD_NOT_LOOK",
    "FILE_DAMAGED_LOOK",
    "PICTURE_DAMAGED",
    "PIXELS_UNDECODABLE",
    "could_not_copy",
    "no_copy_reason",
    "pixels_undecodable",
]

#: What is wrong, in the user's words.
PICTURE_DAMAGED = "the picture data is damaged"
#: A scan whose pixel checks (faces, marks, the preview's content) could not run.
COULD_NOT_LOOK = f"{PICTURE_DAMAGED}, so Veil could not look at the picture itself"
#: The same when what stops the decode is the photo's rotation tag (its EXIF), not its
#: picture data: the consequence is the same, the damaged part is not.
FILE_DAMAGED_LOOK = "part of the file is damaged, so Veil could not look at the picture itself"
#: An export that wrote no copy because the original's picture does not decode.
COULD_NOT_COPY = f"{PICTURE_DAMAGED}, so Veil could not make a clean copy"
#: How the audit's raw note starts when the decode for the pixel checks failed
#: (``veil.core.audit``: "pixels not checked: " + the decoder's ``CorruptFile``).
PIXELS_UNDECODABLE = "pixels not checked: cannot decode the pixels"


def could_not_copy(technical: str) -> str:
    """A failed export's one-line reason: :data:`COULD_NOT_COPY`, then ``technical`` (what
    the decoder or the format reader said) in brackets, kept whole for the details."""
    return f"{COULD_NOT_COPY} ({technical})" if technical else COULD_NOT_COPY


def pixels_undecodable(notes: Iterable[str]) -> bool:
    """True when an audit's raw ``notes`` say its picture could not be decoded for the
    pixel checks: the note then says, once, why faces and marks were not checked."""
    return any(note.startswith(PIXELS_UNDECODABLE) for note in notes)


def no_copy_reason(reason: str) -> str:
    """``reason`` for words that already say no copy is made ("No clean copy: ...", "Clean
    copy failed: ..."): "the picture data is damaged (...)", without "so Veil could not make
    a clean copy" said a second time; any other reason as it is."""
    if reason.startswith(COULD_NOT_COPY):
        return PICTURE_DAMAGED + reason[len(COULD_NOT_COPY):]
    return reason
