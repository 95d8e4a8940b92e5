"""Fully offline: a 20 s scan and a 20 s window session open no internet socket, send nothing
to DNS and create nothing under HOME (issue 12: onnxruntime sent telemetry lookups ~10 s
after import and wrote a device id to ~/.cache).

Each run is a child process under ``strace -f`` with HOME and the XDG folders in a temp dir.
Skipped only when strace is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.offline.photos import offline_photos
from tests.offline.trace import (
    created_under,
    make_sandbox,
    network_violations,
    run_traced,
    strace_path,
)

#: Long enough for a library's delayed "phone home" (onnxruntime's first lookup was at ~10 s).
SECONDS = 22.0

needs_strace = pytest.mark.skipif(strace_path() is None, reason="strace is not installed")


def _run(module: str, tmp_path: Path) -> tuple[dict[str, object], list[str], list[str]]:
    photos = tmp_path / "photos"
    offline_photos(photos)
    sandbox = make_sandbox(tmp_path / "sandbox")
    log = tmp_path / "strace.log"
    done = run_traced(module, [str(photos), str(SECONDS)], sandbox, log, timeout=SECONDS + 300)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    text = log.read_text(errors="replace")
    return summary, network_violations(text), created_under(sandbox.home, text, sandbox)


@pytest.mark.slow
@needs_strace
def test_a_long_full_scan_stays_offline(tmp_path: Path) -> None:
    summary, network, created = _run("tests.offline.scan_loop", tmp_path)
    # The run really scanned pixels, for long enough.
    assert float(summary["seconds"]) >= 20.0  # type: ignore[arg-type]
    checks = summary["checks"]
    assert isinstance(checks, dict) and checks.get("faces:done", 0) >= 18, summary
    assert checks.get("marks:done", 0) >= 18, summary
    assert int(summary["faces"]) > 0, summary  # type: ignore[call-overload]
    assert network == [], "internet sockets or DNS packets:\n" + "\n".join(network[:20])
    assert created == [], "files created under HOME:\n" + "\n".join(created[:20])


@pytest.mark.slow
@needs_strace
def test_the_window_with_photos_stays_offline(tmp_path: Path) -> None:
    summary, network, created = _run("tests.offline.window_alive", tmp_path)
    assert float(summary["seconds"]) >= 20.0  # type: ignore[arg-type]
    assert summary["rows"] == 18 and summary["done"] == 18, summary
    assert int(summary["faces"]) > 0, summary  # type: ignore[call-overload]
    assert network == [], "internet sockets or DNS packets:\n" + "\n".join(network[:20])
    assert created == [], "files created under HOME:\n" + "\n".join(created[:20])
