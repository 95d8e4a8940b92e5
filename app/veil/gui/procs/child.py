"""The worker process's side: receive audit tasks, stream frozen results back. No Qt here.

Each worker is a process started by the window with one socket to it. A reader thread takes
messages off the pipe (tasks, cancels); the main thread audits. When the window's process
dies, however it dies, the pipe reaches end-of-file and the reader ends this process at
once: a worker never outlives its window.

Messages to the child: ``("task", task_id, chunk, full, generation)``, ``("cancel",
generation)`` (stop every task of that generation or older), ``None`` (finish and exit).
Messages from it: ``("ready",)``, ``("results", task_id, [AuditResult, ...])``, ``("done",
task_id, cancelled)``, ``("failed", task_id, reason)``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from veil.core.audit import audit_file
from veil.core.cancel import NEVER, CancelToken
from veil.core.errors import Cancelled
from veil.core.model import FileReport

#: Longest a worker holds results before sending them (latency vs. messages per second).
BATCH_SECONDS = 0.05
#: Workers yield the CPU to the window: a busy roll never makes the window wait for a core.
NICENESS = 5


@dataclass(frozen=True, slots=True)
class AuditResult:
    """One audit outcome, tagged with the pass and the session generation that asked."""

    key: str
    full: bool
    generation: int
    report: FileReport


def audit_chunk(
    chunk: list[tuple[str, Path]], full: bool, generation: int, cancel: CancelToken
) -> Iterator[AuditResult]:
    """Audit each file of ``chunk`` (metadata only unless ``full``), stopping on cancel."""
    for key, path in chunk:
        cancel.raise_if_cancelled()
        report = audit_file(path, metadata_only=not full, cancel=cancel)
        yield AuditResult(key, full, generation, report)


def warm_up(_cancel: CancelToken = NEVER) -> None:
    """Load the engine, so the first drop is not slowed by imports.

    Audits a tiny synthetic photo (GPS and a camera model, no user data) in a private temp
    folder that is deleted at once: this touches every lazily imported module of the
    metadata path, whatever core's internal layout, and loads the place-name table.
    """
    import tempfile

    from PIL import Image

    from veil.core.detectors import pixel_detectors
    from veil.core.pixels import register_heif

    register_heif()
    for detector in pixel_detectors():
        detector.available()
    exif = Image.Exif()
    exif[0x0110] = "Warm-up"
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    with tempfile.TemporaryDirectory(prefix="veil-warmup-") as tmp:
        sample = Path(tmp) / "warm-up.jpg"
        Image.new("RGB", (16, 16), (128, 128, 128)).save(sample, exif=exif)
        audit_file(sample, metadata_only=True)


class _Cancels:
    """The newest cancelled generation, and the token of the task running now."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = -1
        self.running: tuple[int, CancelToken] | None = None

    def cancel(self, generation: int) -> None:
        with self.lock:
            self.generation = max(self.generation, generation)
            if self.running is not None and self.running[0] <= generation:
                self.running[1].cancel()

    def start(self, generation: int) -> CancelToken:
        token = CancelToken()
        with self.lock:
            if generation <= self.generation:
                token.cancel()
            self.running = (generation, token)
        return token


def _read(conn: Connection, tasks: queue.Queue[Any], cancels: _Cancels) -> None:
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the window is gone: stop now, mid-file or not
        if msg is None:
            tasks.put(None)
            return
        if msg[0] == "cancel":
            cancels.cancel(msg[1])
        else:
            tasks.put(msg)


def serve(conn: Connection) -> None:
    """The worker's main loop (the target of each spawned process)."""
    with contextlib.suppress(OSError):  # not allowed here: run at normal priority
        os.nice(NICENESS)
    tasks: queue.Queue[Any] = queue.Queue()
    cancels = _Cancels()
    threading.Thread(target=_read, args=(conn, tasks, cancels), daemon=True).start()
    # Warming is an optimisation: the audits themselves report any real error.
    with contextlib.suppress(Exception):
        warm_up()
    conn.send(("ready",))
    while (msg := tasks.get()) is not None:
        _, task_id, chunk, full, generation = msg
        _run(conn, task_id, chunk, full, generation, cancels.start(generation))
    conn.close()


def _run(
    conn: Connection,
    task_id: int,
    chunk: list[tuple[str, Path]],
    full: bool,
    generation: int,
    token: CancelToken,
) -> None:
    batch: list[AuditResult] = []
    last = time.monotonic() - BATCH_SECONDS  # the first result goes out at once: latency
    cancelled = False
    try:
        for result in audit_chunk(chunk, full, generation, token):
            batch.append(result)
            now = time.monotonic()
            if now - last >= BATCH_SECONDS:
                conn.send(("results", task_id, batch))
                batch, last = [], now
    except Cancelled:
        cancelled = True
    except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker; say it
        conn.send(("failed", task_id, f"{type(exc).__name__}: {exc}"))
    if batch:
        conn.send(("results", task_id, batch))
    conn.send(("done", task_id, cancelled or token.cancelled))
