"""Job bodies: the core calls each worker runs, and the frozen values they hand back.

Everything here runs on pool threads; it touches no widget and no model. Results are
frozen dataclasses (or a QImage inside one), the only things that cross to the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QThreadPool

from veil.core.audit import audit_file
from veil.core.cancel import CancelToken
from veil.core.model import FileReport
from veil.core.scan import Skipped, expand_paths
from veil.gui.imaging import Picture


@dataclass(frozen=True, slots=True)
class ScanItem:
    """A file found by the scan: path, resolved key, folder relative to the dropped root."""

    path: Path
    key: str
    relative_dir: Path


@dataclass(frozen=True, slots=True)
class AuditResult:
    """One audit outcome, tagged with the pass and the session generation that asked."""

    key: str
    full: bool
    generation: int
    report: FileReport


def scan_items(roots: list[Path], cancel: CancelToken) -> Iterator[ScanItem | Skipped]:
    """Expand each dropped root, resolving keys in the worker (resolve() does I/O)."""
    for root in roots:
        base = root if root.is_dir() else None
        for item in expand_paths([root], recursive=True, cancel=cancel):
            if isinstance(item, Skipped):
                yield item
                continue
            try:
                key = str(item.resolve())
            except (OSError, RuntimeError):
                yield Skipped(item, "broken or looping symbolic link")
                continue
            rel = Path()
            if base is not None:
                try:
                    rel = Path(base.name) / item.parent.relative_to(base)
                except ValueError:
                    rel = Path(base.name)
            yield ScanItem(item, key, rel)


def default_pool(threads: int) -> QThreadPool:
    """A private pool (never the global one, so shutdown waits only for our jobs)."""
    pool = QThreadPool()
    pool.setMaxThreadCount(max(1, threads))
    return pool


@dataclass(frozen=True, slots=True)
class PreviewPicture:
    """A decoded picture meant for the preview pane (not a thumbnail)."""

    picture: Picture


def warm_up(_cancel: CancelToken) -> None:
    """Load the engine in a worker at start-up, so the first drop is not slowed by imports.

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


def audit_chunk(
    chunk: list[tuple[str, Path]], full: bool, generation: int, cancel: CancelToken
) -> Iterator[AuditResult]:
    for key, path in chunk:
        cancel.raise_if_cancelled()
        report = audit_file(path, metadata_only=not full, cancel=cancel)
        yield AuditResult(key, full, generation, report)
