"""``veil scan PATH... [--json] [--metadata-only] [-r]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from veil.cli.text import json_line, safe, safe_path, with_bytes
from veil.core.batch import audit_paths, default_workers
from veil.core.explain import plain_note, undetected
from veil.core.model import CheckStatus, FileReport, Risk
from veil.core.scan import Skipped

#: Said once after the text of a scan that said "no ... found" of a file: what no check
#: reads (the window's findings pane says the same of one photo: explain.PICTURE_TEXT).
PICTURE_TEXT = ("Veil doesn't read text shown in the pictures themselves, such as a name or an "
                "address on a screenshot: look at each picture before you share it.")

_RISK_WORD = {
    "high": "HIGH",
    "medium": "MEDIUM",
    "low": "LOW",
    "none": "none found",
    "unknown": "UNKNOWN",
}


def add_parser(sub: Any) -> None:
    """Register ``scan``."""
    p = sub.add_parser("scan", help="show what photos reveal")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("--metadata-only", action="store_true", help="skip face/mark detection")
    p.add_argument("-r", "--recursive", action="store_true", help="walk sub-folders too")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=default_workers(),
        help="worker processes (default: the idle cores, at most 4)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Audit every path, stream text (or collect JSON), return the exit code."""
    any_findings = False
    any_error = False
    said_none = False  # a file was said to have nothing found: PICTURE_TEXT follows, once
    skipped: list[dict[str, str]] = []
    checked = 0
    first = True
    if args.json:
        # Streamed: each file's entry is written as soon as it is ready, so memory stays flat
        # over 10,000 photos and a script sees progress.
        sys.stdout.write('{"files": [')
    for item in audit_paths(
        args.paths,
        recursive=args.recursive,
        metadata_only=args.metadata_only,
        workers=max(1, args.jobs),
    ):
        if isinstance(item, Skipped) and not item.is_error:
            skipped.append(with_bytes({"path": str(item.path), "reason": item.reason}, "path"))
            if not args.json:
                print(f"skipped {safe_path(item.path)}: {safe(item.reason)}", file=sys.stderr)
            continue
        report = skipped_report(item) if isinstance(item, Skipped) else item
        checked += 1
        any_error |= not report.ok
        # "Unknown" is not clean: a script running `veil scan x && share x` must not share it.
        any_findings |= bool(report.findings) or report.risk is Risk.UNKNOWN
        if args.json:
            entry = json_line(with_bytes(report.to_json(), "path"))
            sys.stdout.write(("" if first else ",\n") + entry)
            first = False
        else:
            _print_report(report, args.metadata_only)
            said_none |= report.ok and report.risk is Risk.NONE
    if args.json:
        sys.stdout.write('], "skipped": ' + json_line(skipped) + "}\n")
    elif said_none:
        print(PICTURE_TEXT)
    if checked == 0:  # silence would read as "checked, nothing found"
        print("veil scan: no photos found", file=sys.stderr)
    return 2 if any_error else 1 if any_findings else 0


def skipped_report(item: Skipped) -> FileReport:
    """A path the user asked about that could not be audited, as an error entry."""
    return FileReport(
        path=item.path,
        status="error",
        error=item.reason,
        format=None,
        width=None,
        height=None,
        orientation=None,
        risk=Risk.UNKNOWN,
    )


def _print_report(report: FileReport, metadata_only: bool) -> None:
    name = safe_path(report.path)
    if not report.ok:
        print(f"{name}: ERROR: {safe(plain_note(report.error or 'unknown error'))}")
        return
    size = f"{report.width}x{report.height}" if report.width else "?"
    print(f"{name}  [{report.format} {size}]  risk: {_risk_words(report)}")
    for f in report.findings:
        print(f"  - {f.severity.value:<6} {safe(f.summary)}")
    for note in report.notes:
        print(f"  ! {safe(plain_note(note))}")  # the window words it so too; JSON stays raw
    if report.risk is Risk.NONE:
        if metadata_only or not _pixels_checked(report):
            print("  no identifying metadata found (faces and marks were not checked)")
        else:
            print(f"  {NONE_DETECTED}")
    elif missed := undetected(report):  # as the window's findings end
        print(f"  no {missed} detected ({MAY_MISS})")


#: A file whose metadata holds nothing and whose face and mark checks found nothing: the
#: metadata was read in full, but the detectors can miss a face or a tattoo (tattoo recall
#: ~0.68): "faces or marks found (every check ran)" read as "there are none" (issue 13).
MAY_MISS = "detection can miss them — look before sharing"
NONE_DETECTED = (f"no identifying metadata (every block read) · no faces or marks detected "
                 f"({MAY_MISS})")


def _pixels_checked(report: FileReport) -> bool:
    return all(report.checks.get(c) is CheckStatus.DONE for c in ("faces", "marks"))


def _risk_words(report: FileReport) -> str:
    """The risk after a file's name; "none found" speaks for the metadata only, and says so
    when faces and marks were not looked for (``--metadata-only``, a video)."""
    if report.risk is not Risk.NONE:
        return _RISK_WORD[report.risk.value]
    if _pixels_checked(report):
        return "none found in metadata"
    return "none found in metadata (faces and marks not checked)"
