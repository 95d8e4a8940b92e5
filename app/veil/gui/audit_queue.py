"""Queueing audits: rows cut into small chunks, each a job on the analysis pool or a task
for the worker processes, at the priority of its kind (metadata first, pixels last).

The session decides *which* rows to audit and when (:mod:`veil.gui.session`); this module
only says how they are handed out.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from veil.gui.jobs import audit_chunk
from veil.gui.models.file_table import FileRow

if TYPE_CHECKING:
    from veil.gui.session import AuditSession

METADATA_CHUNK = 16  # files per metadata-only job: small, so the first rows show fast
PIXEL_CHUNK = 4  # files per pixel job: small, so Cancel and previews are not held up
#: Job priorities, highest first: warm-up 6, scan 5, preview 4 (pictures.PRIO_PREVIEW),
#: metadata 3, thumbnails 2 (pictures.PRIO_THUMB), pixels 1, export 0 (exporter.PRIO_EXPORT).
PRIO_METADATA, PRIO_PIXELS, PRIO_SCAN = 3, 1, 5
#: Kinds of job that keep the session busy (``auditing``) until they finish.
AUDIT_KINDS = ("scan", "metadata", "pixels")


def queue_audits(session: AuditSession, rows: list[FileRow], *, full: bool) -> None:
    """Audit ``rows`` (metadata only unless ``full``) under the session's generation: in
    its worker processes when it has them, else as jobs on its analysis pool."""
    size = PIXEL_CHUNK if full else METADATA_CHUNK
    priority = PRIO_PIXELS if full else PRIO_METADATA
    gen = session.generation
    for i in range(0, len(rows), size):
        chunk = [(r.key, r.path) for r in rows[i : i + size]]
        if session.procs is not None:
            session.mark_busy()
            session.procs.submit(chunk, full, gen, priority)
            continue
        session.start_job(
            "pixels" if full else "metadata",
            functools.partial(audit_chunk, chunk, full, gen),
            priority,
        )
