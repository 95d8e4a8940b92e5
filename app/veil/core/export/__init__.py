"""Export: verified, allowlist-cleaned copies of photos.

Public API (import from here): :func:`export_clean` for one photo, :func:`export_batch`
for many in one process; :func:`veil.core.export.parallel.export_batch_parallel` spreads a
batch over worker processes. The modules by role:

- ``engine``: one photo's pipeline (:func:`export_clean`); ``intake``: its checks before it
  reads the photo (options, not a regular file, not an image, raw, output folder).
- ``batch``: many photos in one process, durable once per window (:func:`export_batch`).
- ``plan``: expands inputs into batch items (or skips with a reason).
- ``refusal``: the files skipped before writing (camera raws), for planners too.
- ``naming``: output names, the source guard.
- ``confine``: a copy never leaves the output folder (no symbolic link below it).
- ``place``: the final never-clobber move, and what a rerun does.
- ``pixels``: upright pixels for rotation and redaction.
- ``commit``: the locked hidden temp file, stale temp files, the pending copy.
- ``sync``: durability, one flush per window of copies.
- ``verify``: re-audit, decode check, structure comparison of a written copy (read back
  once); ``upright``: what Pillow shows of a file without decoding it.
- ``structure`` / ``heif_proof``: byte-level proofs that coded pixels were kept as-is.
- ``parallel``: the worker-process pool (``preload``: what the parent loads before forking);
  ``handoff``: workers hand verified copies to the parent, which flushes and moves them.
"""

from __future__ import annotations

from veil.core.export.batch import export_batch
from veil.core.export.engine import export_clean

__all__ = ["export_batch", "export_clean"]
