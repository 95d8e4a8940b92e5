"""``veil scan PATH... [--json] [--metadata-only] [-r]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from veil.cli.text import safe
from veil.core.batch import audit_paths, default_workers
from veil.core.model import FileReport
from veil.core.scan import Skipped

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
        help="worker processes (default: cores)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Audit every path, stream text (or collect JSON), return the exit code."""
    any_findings = False
    any_error = False
    skipped: list[dict[str, str]] = []
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
        if isinstance(item, Skipped):
            skipped.append({"path": str(item.path), "reason": item.reason})
            if not args.json:
                print(f"skipped {safe(str(item.path))}: {safe(item.reason)}", file=sys.stderr)
            continue
        any_error |= not item.ok
        any_findings |= bool(item.findings)
        if args.json:
            sys.stdout.write(
                ("" if first else ",\n") + json.dumps(item.to_json(), ensure_ascii=False)
            )
            first = False
        else:
            _print_report(item)
    if args.json:
        sys.stdout.write('], "skipped": ' + json.dumps(skipped, ensure_ascii=False) + "}\n")
    return 2 if any_error else 1 if any_findings else 0


def _print_report(report: FileReport) -> None:
    name = safe(str(report.path))
    if not report.ok:
        print(f"{name}: ERROR: {safe(report.error or 'unknown error')}")
        return
    size = f"{report.width}x{report.height}" if report.width else "?"
    print(f"{name}  [{report.format} {size}]  risk: {_RISK_WORD[report.risk.value]}")
    for f in report.findings:
        print(f"  - {f.severity.value:<6} {safe(f.summary)}")
    for note in report.notes:
        print(f"  ! {safe(note)}")
    if report.risk.value == "none":
        print("  nothing identifying found (every block read, every check ran)")
