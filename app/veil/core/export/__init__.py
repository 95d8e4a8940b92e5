"""Export: verified, allowlist-cleaned copies of photos.

Public API (import from here): :func:`export_clean` for one photo, :func:`export_batch`
for many in one process; :func:`veil.core.export.parallel.export_batch_parallel` spreads a
batch over worker processes. The modules by role:

- ``engine``: one photo's pipeline and the in-process batch loop.
- ``plan``: expands inputs into batch items (or skips with a reason).
- ``naming``: output names, collision handling, the source guard.
- ``pixels``: upright pixels for rotation and redaction.
- ``commit``: hidden temp file, atomic rename to the final name.
- ``sync``: durability (fsync) off the critical path.
- ``verify``: re-audit, decode check, structure comparison of a written copy.
- ``structure`` / ``heif_proof``: byte-level proofs that coded pixels were kept as-is.
- ``parallel``: the worker-process pool.
"""

from __future__ import annotations

from veil.core.export.engine import export_batch, export_clean

__all__ = ["export_batch", "export_clean"]
