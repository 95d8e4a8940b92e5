"""``veil clean PATH... --out DIR [--json] [-r] [--rename keep|neutral|random] ...``.

Exit 0 when every input was cleaned and verified, 2 otherwise (a stable contract).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from veil.cli.text import json_line, safe, safe_path, with_bytes
from veil.core.detectors import PIXEL_DETECTOR_IDS
from veil.core.export.naming import RENAME_MODES
from veil.core.export.parallel import export_batch_parallel
from veil.core.model import CheckStatus, ExportOptions, ExportResult, ExportStatus, FindingKind

#: Said once after the summary: clean audits metadata only (export.engine reads the source
#: with ``metadata_only=True``) and has no cover option, so a face stays in a "clean" copy.
NOT_COVERED = (
    "Faces, tattoos and anything else visible in the pictures are not checked or covered by "
    "`veil clean`; to cover them, open the photos in the window (`veil open PATH`)."
)
#: A verified copy's words on its own line (``how``: "lossless", "re-encoded"): what the
#: check covered, then what it did not, so no line reads "clean" for a face left in view.
VERIFIED_WORDS = "verified: metadata removed ({how}); faces and marks not checked"
#: The same fact for scripts: each ``--json`` result's ``checks`` (an addition), named and
#: valued as in a ``veil scan --json`` file entry, says the face and mark checks were not
#: run, whatever the file: a script reading only ``verified`` and ``notes`` took a copy
#: still showing a face for a safe one.
PIXEL_CHECKS: dict[str, str] = {d: CheckStatus.SKIPPED.value for d in PIXEL_DETECTOR_IDS}


def add_parser(sub: Any) -> None:
    """Register ``clean``."""
    p = sub.add_parser(
        "clean",
        help="write verified, cleaned copies (originals are never changed)",
        description="Write cleaned copies of photos into --out. Every copy is checked again "
        "after writing; a copy that is not clean is deleted and reported.",
    )
    p.add_argument("paths", nargs="+", type=Path, help="photos or folders")
    p.add_argument(
        "--out", metavar="DIR", type=Path, required=True, help="folder for the cleaned copies"
    )
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("-r", "--recursive", action="store_true", help="walk sub-folders too")
    p.add_argument(
        "--rename",
        choices=RENAME_MODES,
        default="keep",
        help="keep the name (default), neutral photo-0001.jpg, or a random name",
    )
    p.add_argument(
        "--bake-orientation",
        action="store_true",
        help="rotate the pixels upright and write no EXIF at all (re-encodes)",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace existing files in --out (never an original: not a photo being cleaned, "
        "nor any file in their folders)",
    )
    p.add_argument(
        "--heic-to-jpeg",
        action="store_true",
        help="convert HEIC/AVIF to JPEG where they can't be cleaned in place",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default: the idle cores, at most 4; 1 for a small batch)",
    )
    p.set_defaults(run=run)


def _line(result: ExportResult) -> str:
    name = safe_path(result.source)
    if result.status is ExportStatus.CLEANED and result.verified:
        how = "lossless" if result.lossless else "re-encoded"
        if result.unchanged:
            how += "; already there, unchanged"
        # Each line says what was checked and what was not: "verified clean" on a portrait's
        # line read as safe to share, and only the closing note (after the batch) said the
        # face was neither looked for nor covered.
        line = f"{name} -> {safe_path(result.output)}  {VERIFIED_WORDS.format(how=how)}"
        if FindingKind.SOUND.value in result.kept:  # content that can identify someone
            line += " — keeps the sound"
        return "\n".join([line, *(f"  ! {safe(note)}" for note in result.notes)])
    word = "SKIPPED" if result.status is ExportStatus.SKIPPED else "FAILED"
    return f"{name}: {word}: {safe(result.error or 'unknown error')}"


def _with_name_note(result: ExportResult) -> ExportResult:
    """``result`` plus a note for each thing its copy's kept name still gives away (the
    engine's ``name_reveals``: the default ``--rename keep`` keeps the original's name).
    Text and ``--json`` (``notes``, additive) both show it."""
    if result.status is not ExportStatus.CLEANED or not result.name_reveals:
        return result
    notes = [
        f"{said}; the copy keeps that name (--rename neutral gives copies neutral names)"
        for said in result.name_reveals
    ]
    return dataclasses.replace(result, notes=(*result.notes, *notes))


def run(args: argparse.Namespace) -> int:
    """Clean every path into ``--out``, streaming one line (or JSON entry) per file."""
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(
            f"veil clean: cannot create the output folder {safe_path(out)}: "
            f"{safe(exc.strerror or str(exc))}",
            file=sys.stderr,
        )
        return 2
    options = ExportOptions(
        rename=args.rename,
        bake_orientation=args.bake_orientation,
        overwrite=args.overwrite,
        heic_to_jpeg=args.heic_to_jpeg,
    )
    tally: Counter[str] = Counter()
    if args.json:
        # Streamed like `veil scan --json`: a script sees progress and memory stays flat.
        sys.stdout.write('{"results": [')
    results = export_batch_parallel(
        args.paths, out, options, recursive=args.recursive, jobs=args.jobs
    )
    for found in results:
        result = _with_name_note(found)
        good = result.status is ExportStatus.CLEANED and result.verified
        if args.json:
            entry = {**result.to_json(), "checks": dict(PIXEL_CHECKS)}
            sys.stdout.write(
                ("" if not tally else ",\n") + json_line(with_bytes(entry, "source", "output"))
            )
        else:
            print(_line(result), flush=True)
        tally["cleaned and verified" if good else result.status.value] += 1
    count = sum(tally.values())
    # What the run as a whole leaves undone, once: the text's closing line, and --json's
    # top-level "notes" (an addition), so both say it exactly when a copy was written.
    run_notes = [NOT_COVERED] if tally["cleaned and verified"] + tally["cleaned"] else []
    if args.json:
        sys.stdout.write('], "notes": ' + json_line(run_notes) + "}\n")
    elif count:
        print(
            f"{tally['cleaned and verified']} cleaned and verified · "
            f"{tally['failed'] + tally['cleaned']} failed · {tally['skipped']} skipped"
        )
        for note in run_notes:
            print(note)
    if count == 0:
        print("veil clean: no photos found", file=sys.stderr)
    return 0 if count == tally["cleaned and verified"] else 2
