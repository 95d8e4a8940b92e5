"""ONNX models on OpenCV's DNN module, lent to one thread at a time (faces, mark CNN).

A ``cv2.dnn.Net`` keeps its input and intermediate blobs inside (``setInput`` then
``forward``), so two threads must never use one at once; the GUI audits in a thread pool.
A thread borrows an idle net, or loads a new one when all are busy: there are never more
nets than photos being looked at concurrently (each costs ~15-40 MB with its buffers), and a
net outlives the pool thread that loaded it. (onnxruntime was dropped: importing it sends
telemetry lookups and writes a device id under HOME; see issue 12.)
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_configure_lock = threading.Lock()
_configured = False


def default_threads() -> int:
    """OpenCV's inference threads: all usable cores but one, at least one.

    The window's audit pool and the GUI thread need a core; a scan of many photos gains
    little from more threads per photo. ``VEIL_DETECTOR_THREADS`` overrides it (e.g. a
    headless batch may use every core).
    """
    env = os.environ.get("VEIL_DETECTOR_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), 64)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


def _configure() -> None:
    """Process-wide OpenCV settings, once, before the first net loads."""
    global _configured
    import cv2

    with _configure_lock:
        if not _configured:
            cv2.setNumThreads(default_threads())
            # Plain CPU Mats only: OpenCL would probe devices and may cache kernels under
            # ~/.cache (nothing may be written under HOME).
            cv2.ocl.setUseOpenCL(False)
            _configured = True


def read_onnx(path: Path) -> Any:
    """One net of ``path`` on OpenCV's own engine, on the CPU.

    The engine is named explicitly: OpenCV 5 can also be built to hand ONNX models to
    onnxruntime (ENGINE_ORT), which is exactly what must never run here. Backend and target
    stay the defaults, OpenCV's own on the CPU (OpenCV 5 warns on stderr when one is set).
    """
    import cv2

    _configure()
    engine = getattr(cv2.dnn, "ENGINE_OPENCV", None)
    if engine is None:  # OpenCV 4: one engine
        net = cv2.dnn.readNetFromONNX(str(path))
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        return net
    return cv2.dnn.readNetFromONNX(str(path), engine)


class NetPool:
    """Nets of one model file, each lent to one thread at a time."""

    def __init__(self, locate: Callable[[], Path | None], what: str) -> None:
        """``locate`` finds the model file (None: not installed); ``what`` names it in errors."""
        self._locate = locate
        self._what = what
        self._lock = threading.Lock()
        self._idle: list[Any] = []

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Any]:
        """A net for this thread's exclusive use until the ``with`` ends.

        Raises:
            RuntimeError: the model file is missing.
            ImportError: OpenCV is not installed.
        """
        with self._lock:
            net = self._idle.pop() if self._idle else None
        if net is None:
            path = self._locate()
            if path is None:
                raise RuntimeError(f"the {self._what} file is missing from this installation")
            net = read_onnx(path)
        try:
            yield net
        finally:
            with self._lock:
                self._idle.append(net)
