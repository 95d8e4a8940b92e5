"""Child process: one scan, clean or preview of a file; prints its peak RSS growth as JSON.

``ru_maxrss`` is the process's high-water mark, so the growth measured around one call is
what that call (and nothing before it) needed at its worst moment.

Usage: ``python -m tests.pixels.peak_child scan|clean|preview FILE OUT_DIR``
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(mode: str, path: Path, out: Path) -> int:
    """Run ``mode`` on ``path`` and print {"grew_mb", "result"}."""
    # Import everything the call will use first: imports are not what is measured.
    import veil.core.detectors.faces  # noqa: F401
    import veil.core.detectors.marks  # noqa: F401
    from veil.core.audit import audit_file
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions
    from veil.core.pixels import load_upright

    before = _peak_mb()
    result: dict[str, object]
    if mode == "scan":
        report = audit_file(path)
        result = {"status": report.status, "risk": report.risk.value, "notes": list(report.notes),
                  "checks": {k: v.value for k, v in report.checks.items()}}
    elif mode == "clean":
        done = export_clean(path, out, ExportOptions())
        result = {"status": done.status.value, "message": done.error}
    else:
        try:
            load_upright(path, 1024)
            result = {"status": "decoded"}
        except Exception as exc:
            result = {"status": type(exc).__name__, "message": str(exc)}
    print(json.dumps({"grew_mb": round(_peak_mb() - before, 1), "result": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
