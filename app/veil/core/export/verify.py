"""Prove a cleaned copy is clean before it gets its final name.

Three independent checks, any of which fails the export:

1. The same audit engine the user sees (``audit_file(metadata_only=True)``) finds nothing
   beyond what was deliberately kept, and parsed every block (risk not UNKNOWN).
2. A structural look at the container: no XMP, IPTC, comments, text, C2PA or hidden
   images/trailers, and any EXIF block holds only harmless structural tags (Orientation,
   resolution, TIFF layout). This does not depend on the detectors being complete.
3. Pillow parses the copy at the source's upright size and decodes its pixels; redacted
   boxes read back as the fill colour. A lossless JPEG whose coding segments and scans are
   byte-identical to the source's is not decoded again (decoding a 12 MP scan costs ~70 ms;
   the header is still parsed). A HEIF/AVIF copy is always decoded (a HEIF by libheif
   itself, as the plugin would, see :func:`decode_heif`): a proof that its picture items
   are the source's own (:mod:`veil.core.export.heif_proof`) would only say the copy decodes
   *like* the original, not that the original decodes at all, so the export does not ask
   for one, and a copy whose pixels cannot be decoded is never called verified. A copy
   byte-identical to one that decoded in full earlier in this run (a duplicate photo in the
   roll, in any of the batch's workers) is not decoded twice, and one whose twin another
   worker is decoding waits for that outcome (:mod:`veil.core.export.decoded`).
"""

from __future__ import annotations

import hashlib
import io
import mmap
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from veil.core.audit import audit_metadata, load_metadata
from veil.core.export.decoded import claim, path_digest, release, remember_decoded
from veil.core.export.structure import jpeg_coding_identical, structural_leftovers
from veil.core.export.upright import (  # re-exported: callers import them from here too
    exif_orientation,
    heif_support_for,
    pillow_uprights,
    quiet_pillow,
    transpose,
    upright_size,
    upright_view,
)
from veil.core.metadata import Metadata
from veil.core.model import PIXEL_KINDS, FileReport, Finding, FindingKind, Region, Risk, Severity
from veil.core.pixels.guard import check_decode_size

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


def _decode_check(
    out: Path,
    expected: tuple[int, int],
    boxes: Sequence[Region],
    padding: float,
    lossy: bool,
    baked: bool,
    same_coding: Callable[[], bool],
    *,
    tagless: bool = False,
    data: bytes | None = None,
) -> str | None:
    heif_support_for(out, None if data is None else data[:12])
    head = None if data is None else data[:4]
    with quiet_pillow(head), Image.open(out if data is None else io.BytesIO(data)) as im:
        w, h = im.size
        size, orientation = upright_view(im, tagless)
        if baked and orientation not in (None, 1):
            return f"the baked copy still asks viewers to rotate it (orientation {orientation})"
        if size != expected:
            return (
                f"the copy is {size[0]}x{size[1]} upright, the original {expected[0]}x{expected[1]}"
            )
        if not boxes and im.format == "JPEG" and same_coding():
            # Header parsed, and the coded data is provably the source's own: decoding it
            # would only repeat the source's decode (and cost ~70 ms per 12 MP photo).
            # HEIF/AVIF decode always: libheif fails a damaged picture only at decode time.
            # So the proof is asked for here, for a JPEG only: a HEIF copy's proof (~1 ms for
            # a 12 MP HEIC) could change nothing.
            return None
        if not boxes:
            if im.format == "JPEG":  # decoding at 1/8 still walks every coded block
                im.draft("RGB", (max(1, w // 8), max(1, h // 8)))
            check_decode_size(im, "verify")
            # A byte-identical copy decoded in full earlier in this process decodes again
            # (see export.decoded). Not for JPEG: its 1/8 decode costs about the hash.
            # Another worker decoding the same bytes is waited for, not raced (claim).
            digest = None
            if im.format != "JPEG":
                digest = path_digest(out) if data is None else hashlib.sha256(data).digest()
            if digest is not None and claim(digest, str(im.format)):
                return None
            try:
                if _is_pillow_heif(im):
                    decode_heif(out, data)
                else:
                    im.load()
            except BaseException:
                if digest is not None:
                    release(digest, str(im.format))
                raise
            if digest is not None:
                remember_decoded(digest, str(im.format))
            return None
        check_decode_size(im, "verify")
        im.load()
        upright = (im if pillow_uprights(im) else transpose(im, orientation)).convert("RGBA")
    from veil.core.redact import padded_box  # only a redacted copy needs it

    tolerance = 48 if lossy else 8
    for region in boxes:
        x0, y0, x1, y1 = padded_box(region, padding, upright.width, upright.height)
        if x1 <= x0 or y1 <= y0:
            continue
        # Stay off the edges: JPEG ringing and chroma subsampling blur the border.
        inset_x = min(8, (x1 - x0) // 4)
        inset_y = min(8, (y1 - y0) // 4)
        xs = _grid(x0 + inset_x, x1 - 1 - inset_x)
        ys = _grid(y0 + inset_y, y1 - 1 - inset_y)
        for y in ys:
            for x in xs:
                r, g, b, a = upright.getpixel((x, y))  # type: ignore[misc]
                if a != 255 or max(r, g, b) > tolerance:
                    return f"the covered area at ({x}, {y}) is not solid black in the copy"
    return None


def _is_pillow_heif(im: Image.Image) -> bool:
    """True for a HEIF opened through pillow-heif's plugin (not Pillow's own AVIF plugin)."""
    return im.format == "HEIF" and type(im).__module__.startswith("pillow_heif")


def decode_heif(out: Path, data: bytes | None = None) -> None:
    """Decode the primary picture of the HEIF at ``out`` (``data``: its content, if read)
    with libheif and the very options pillow-heif's Pillow plugin decodes it with, without
    copying the result into a Pillow image afterwards: the check only asks whether it
    decodes, and that copy (36 MB for 12 MP) cost ~25 ms a picture.

    Raises:
        What pillow-heif raises for a picture that does not decode (ValueError, OSError,
        RuntimeError...).
    """
    from pillow_heif import open_heif

    heif = open_heif(out if data is None else io.BytesIO(data), convert_hdr_to_8bit=True,
                     hdr_to_16bit=True, remove_stride=False)
    heif[heif.primary_index].load()


def proven_same_coding(source: Path, out: Path, data: bytes | None = None) -> bool:
    """True when ``out`` provably decodes exactly like ``source`` without decoding either:
    a JPEG whose coding segments and scans are the source's bytes, or a HEIF/AVIF whose
    picture items (coded bytes, properties, references) are the source's own. ``data``:
    ``out``'s whole content when the caller has read it already."""
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
            from veil.core.export.heif_proof import heif_coding_identical

            return heif_coding_identical(source, out)
        if head[:2] != b"\xff\xd8":
            return False
        try:  # both mapped: the copy's bytes are read where they lie, not copied first
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data, open(
                source, "rb"
            ) as g, mmap.mmap(g.fileno(), 0, access=mmap.ACCESS_READ) as src:
                return jpeg_coding_identical(src, data)
        except (OSError, ValueError):
            return False


def _grid(lo: int, hi: int, steps: int = 5) -> list[int]:
    if hi <= lo:
        return [lo]
    return sorted({lo + (hi - lo) * i // (steps - 1) for i in range(steps)})


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
        problem = _decode_check(
            out, expected_size, boxes, padding, lossy, baked, same, tagless=tagless, data=data
        )
    except Exception as exc:  # decoders (pillow-heif) raise their own error types
        return report, f"the cleaned copy does not decode: {exc}"
    return report, problem
