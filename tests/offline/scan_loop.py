"""Child process: ``veil scan --json FOLDER`` (faces and marks) again and again for N seconds.

One long-lived process, as a user's batch would be: a library that phones home some seconds
after import (onnxruntime did, ~10 s in, then every ~5 s) must get the time to do it. Prints
one JSON line: runs, seconds, files, faces found and the pixel checks' statuses seen.

Usage: ``python -m tests.offline.scan_loop FOLDER SECONDS``
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections import Counter
from contextlib import redirect_stdout


def main(folder: str, seconds: float) -> int:
    """Scan until ``seconds`` have passed; print the summary line."""
    from veil.cli import main as veil

    start = time.monotonic()
    runs = files = faces = 0
    checks: Counter[str] = Counter()
    while runs == 0 or time.monotonic() - start < seconds:
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        with redirect_stdout(out):
            veil(["scan", "--json", folder])
        out.flush()
        doc = json.loads(out.buffer.getvalue())  # type: ignore[attr-defined]
        runs += 1
        for entry in doc["files"]:
            files += 1
            faces += sum(1 for f in entry.get("findings", []) if f.get("kind") == "face")
            for name, status in (entry.get("checks") or {}).items():
                if name in ("faces", "marks"):
                    checks[f"{name}:{status}"] += 1
    summary = {"runs": runs, "seconds": round(time.monotonic() - start, 1), "files": files,
               "faces": faces, "checks": dict(checks)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
