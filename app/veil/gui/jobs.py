"""Job bodies: the core calls each worker runs, and the frozen values they hand back.

Everything here runs on pool threads; it touches no widget and no model. Results are
frozen dataclasses (or a QImage inside one), the only things that cross to the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QThreadPool

from veil.core.cancel import CancelToken
from veil.core.scan import Skipped, expand_resolved
from veil.gui.imaging import Picture
from veil.gui.procs.child import AuditResult, audit_chunk, warm_up

__all__ = ["AuditResult", "PreviewPicture", "ScanItem", "audit_chunk", "warm_up"]


@dataclass(frozen=True, slots=True)
class ScanItem:
    """A file found by the scan: path, resolved key, folder relative to the dropped root."""

    path: Path
    key: str
    relative_dir: Path


def scan_items(roots: list[Path], cancel: CancelToken) -> Iterator[ScanItem | Skipped]:
    """Expand each dropped root in the worker; the walk's own resolve() gives each key."""
    for root in roots:
        base = root if root.is_dir() else None
        for found in expand_resolved([root], recursive=True, cancel=cancel):
            if isinstance(found, Skipped):
                yield found
                continue
            item, resolved = found
            rel = Path()
            if base is not None:
                try:
                    rel = Path(base.name) / item.parent.relative_to(base)
                except ValueError:
                    rel = Path(base.name)
            yield ScanItem(item, str(resolved), rel)


def default_pool(threads: int) -> QThreadPool:
    """A private pool (never the global one, so shutdown waits only for our jobs)."""
    pool = QThreadPool()
    pool.setMaxThreadCount(max(1, threads))
    return pool


@dataclass(frozen=True, slots=True)
class PreviewPicture:
    """A decoded picture meant for the preview pane (not a thumbnail)."""

    picture: Picture
