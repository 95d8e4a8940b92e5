"""Verify a cleaned movie before it gets its name (the video counterpart of ``verify``).

1. The audit the user sees finds no metadata finding in the copy (its sound is content, not
   metadata, and stays) and understood every box.
2. Structure: no XMP, no metadata box, only video and sound tracks, no tag left at all.
3. Samples: every kept track's tables and chunk bytes are the source's (``video.proof``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from veil.core.export.verify import audit_copy
from veil.core.formats.video.proof import samples_identical
from veil.core.model import FileReport


def verify_video(
    out: Path, source: Path, kept: Sequence[str]
) -> tuple[FileReport | None, str | None]:
    """(the copy's audit report, why it is not clean or not the same movie, or None).

    Never raises for a bad output: every problem becomes the one-line reason.
    """
    meta, report, problem = audit_copy(out, kept, unknown="a box was not understood")
    if meta is None or problem is not None:
        return report, problem
    scan = meta.scan
    facts = scan.video
    if facts is None:
        return report, "the cleaned copy is not a movie"
    bad = [b.name for b in scan.blocks if b.kind != "structure" or not b.known]
    if scan.xmp or bad:
        return report, "still contains " + ", ".join(["XMP"] * bool(scan.xmp) + bad)
    if facts.items:
        item = facts.items[0]
        return report, f"still contains {item.group} {item.name}"
    if any(t.role not in ("video", "audio") for t in facts.tracks):
        return report, "still contains a track other than video and sound"
    return report, samples_identical(source, out)
