"""Prove a cleaned copy is clean before it gets its final name.

Three independent checks, any of which fails the export:

1. The same audit engine the user sees (``audit_file(metadata_only=True)``) finds nothing
   beyond what was deliberately kept, and parsed every block (risk not UNKNOWN).
2. A structural look at the container: no XMP, IPTC, comments, text, C2PA or hidden
   images/trailers, and any EXIF block holds only harmless structural tags (Orientation,
   resolution, TIFF layout). This does not depend on the detectors being complete.
3. Pillow parses the copy at the source's upright size and decodes its pixels; redacted
   boxes read back as the fill colour (:mod:`veil.core.export.decode_check`). Two kinds of
   copy are not decoded again (the header is still parsed):

   * a lossless JPEG whose coding segments and scans are byte-identical to the source's
     (decoding a 12 MP scan costs ~70 ms), the structural JPEG walk having checked the
     picture data is whole;
   * a HEIF/AVIF whose picture items (coded bytes, properties, references) are proven to be
     the source's own (:mod:`veil.core.export.heif_proof`, ~1 ms) *and* whose coded data
     walk sound (:mod:`veil.core.formats.heif_coded`, ~1 ms): every NAL unit / OBU libheif
     would read is well framed inside its item, the parameter sets and slice data are
     there. libheif's decode costs 0.3-0.7 s per 12 MP HEIC. A walk that finds damage (a
     NAL length past the data, as in exiftool's QuickTime.heic, a zeroed stretch...) or
     meets items it does not read sends the copy to the full decode, as before.

   What neither shortcut sees is damage inside well-framed coded content (corrupt entropy
   data): only a full decode finds it. Such a copy is exactly as damaged as its original,
   byte for byte in everything the decoder reads; cleaning made it no worse, and it is
   called verified as clean, not as decodable. Every other copy - re-encoded, covered,
   baked upright, or simply not proven identical - is decoded in full before it is called
   verified, so cleaning never turns a picture that decodes into one that does not. A copy
   byte-identical to one that decoded in full earlier in this run (a duplicate photo in the
   roll, in any of the batch's workers) is not decoded twice, and one whose twin another
   worker is decoding waits for that outcome (:mod:`veil.core.export.decoded`).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Sequence
from pathlib import Path

from veil.core.audit import audit_metadata, load_metadata
from veil.core.export.decode_check import decode_check, decode_heif
from veil.core.export.structure import jpeg_coding_identical, structural_leftovers
from veil.core.export.upright import (  # re-exported: callers import them from here too
    exif_orientation,
    heif_support_for,
    pillow_uprights,
    quiet_pillow,
    transpose,
    upright_size,
)
from veil.core.metadata import Metadata
from veil.core.model import PIXEL_KINDS, FileReport, Finding, FindingKind, Region, Risk, Severity

__all__ = [
    "NOT_IN_FILE", "audit_copy", "decode_heif", "exif_orientation", "explained_by_kept",
    "heif_support_for", "leftover_findings", "pillow_uprights", "proven_same_coding",
    "quiet_pillow", "transpose", "upright_size", "verify_output",
]

#: Findings about things outside the file's bytes: its name (the user chose to keep it) and
#: sidecar files next to it (never copied). They can't be "left over" inside the output.
NOT_IN_FILE = frozenset({FindingKind.FILENAME, FindingKind.SIDECAR})

#: Words in a finding's *source* that tie a low "other metadata" finding to a block that
#: was deliberately kept. The colour profile is not among them: a kept profile is either
#: silent (standard texts) or still names someone or something, and then the copy is not
#: clean (the profile must be neutralised, see :func:`veil.core.metadata.icc.neutral_icc`).
_KEPT_WORDS = {
    "orientation": ("orientation",),
    "jfif": ("jfif",),
    "adobe": ("app14", "adobe marker"),  # not bare "adobe": XMP namespaces say it too
}


def explained_by_kept(finding: Finding, kept: Sequence[str]) -> bool:
    """True for a low "other metadata" finding whose source is a block listed in ``kept``.

    Only the source counts: a caption that happens to say "orientation" is not explained
    by keeping the orientation; and nothing about the ICC profile is ever explained by
    keeping it.
    """
    if finding.kind is not FindingKind.OTHER_METADATA or finding.severity is not Severity.LOW:
        return False
    source = finding.source.lower()
    if "icc" in source or "colour profile" in source:
        return False
    for item in kept:
        words = _KEPT_WORDS.get(item.lower())
        if words and any(w in source for w in words):
            return True
    return False


def leftover_findings(report: FileReport, kept: Sequence[str]) -> list[Finding]:
    """Metadata findings in the output that nothing in ``kept`` explains."""
    return [
        f
        for f in report.findings
        if f.kind not in PIXEL_KINDS
        and f.kind not in NOT_IN_FILE
        and not explained_by_kept(f, kept)
    ]


def proven_same_coding(source: Path, out: Path, data: bytes | None = None) -> bool:
    """True when ``out`` provably decodes exactly like ``source`` without decoding either:
    a JPEG whose coding segments and scans are the source's bytes, or a HEIF/AVIF whose
    picture items (coded bytes, properties, references) are the source's own and whose
    coded data also walk sound (:func:`veil.core.export.heif_proof.heif_proven_sound`, one
    parse of the copy's meta box for both). ``data``: ``out``'s whole content when the
    caller has read it already."""
    if data is not None and data[4:8] != b"ftyp":
        if data[:2] != b"\xff\xd8":
            return False
        try:  # mapped through a bare fd: no buffered reader is built around it
            fd = os.open(source, os.O_RDONLY)
            try:
                with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as src:
                    return jpeg_coding_identical(src, data)
            finally:
                os.close(fd)
        except (OSError, ValueError):
            return False
    with open(out, "rb") as f:
        head = f.read(12)
        if head[4:8] == b"ftyp":
            from veil.core.export.heif_proof import heif_proven_sound

            return heif_proven_sound(source, out)
        if head[:2] != b"\xff\xd8":
            return False
        try:  # both mapped: the copy's bytes are read where they lie, not copied first
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as copy, open(
                source, "rb"
            ) as g, mmap.mmap(g.fileno(), 0, access=mmap.ACCESS_READ) as src:
                return jpeg_coding_identical(src, copy)
        except (OSError, ValueError):
            return False


def audit_copy(
    out: Path, kept: Sequence[str], *, unknown: str, data: bytes | None = None
) -> tuple[Metadata | None, FileReport | None, str | None]:
    """Check 1 for any kind of copy: (its parse, its audit report, why it is not clean).

    One parse of the copy serves the audit and the caller's structural look. Files next to
    the copy are not part of it (and its folder, the output, grows with every copy).
    ``unknown`` names what was not understood when the audit gives no note. ``data``: the
    copy's whole content, read back once by the caller for all the checks.
    """
    meta = load_metadata(out, sidecars=False, data=data)
    if isinstance(meta, FileReport):
        return None, meta, f"the cleaned copy could not be read back: {meta.error}"
    report = audit_metadata(out, meta, metadata_only=True)
    if not report.ok:
        return None, report, f"the cleaned copy could not be read back: {report.error}"
    left = leftover_findings(report, kept)
    if left:
        f = left[0]
        return meta, report, f"still contains {f.kind.value} ({f.source}: {f.summary})"
    if report.risk is Risk.UNKNOWN:
        why = report.notes[0] if report.notes else unknown
        return meta, report, f"the cleaned copy could not be fully checked: {why}"
    return meta, report, None


def verify_output(
    out: Path,
    *,
    expected_size: tuple[int, int],
    kept: Sequence[str],
    boxes: Sequence[Region] = (),
    padding: float = 0.10,
    lossy: bool = False,
    baked: bool = False,
    source: Path | None = None,
    data: bytes | None = None,
) -> tuple[FileReport | None, str | None]:
    """Check the cleaned file at ``out``. Returns (its audit report, reason it failed or None).
    ``data``: ``out``'s whole content, read back once (after it was written) by the caller:
    every check then reads that one buffer instead of opening the file again.

    Never raises for a bad output: every problem becomes the one-line reason.
    """
    meta, report, problem = audit_copy(
        out, kept, unknown="a block was not understood", data=data
    )
    if meta is None or problem is not None:
        return report, problem
    bad = structural_leftovers(meta.scan, kept)
    if bad:
        return report, "still contains " + ", ".join(dict.fromkeys(bad))
    def same() -> bool:
        return (not boxes and not lossy and source is not None
                and proven_same_coding(source, out, data))

    try:
        scan = meta.scan
        tagless = scan.complete and not (scan.exif or scan.xmp or scan.text)
        problem = decode_check(
            out, expected_size, boxes, padding, lossy, baked, same, tagless=tagless, data=data
        )
    except Exception as exc:  # decoders (pillow-heif) raise their own error types
        return report, f"the cleaned copy does not decode: {exc}"
    return report, problem
