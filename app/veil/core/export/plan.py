"""Which files a batch export cleans, where each copy goes, and its neutral-name number."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from veil.core.cancel import NEVER, CancelToken
from veil.core.scan import Skipped, expand_resolved


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One photo to clean: its path, sub-folder under the output root, 1-based number."""

    source: Path
    relative_dir: Path
    index: int


def plan_batch(
    sources: Iterable[Path],
    out_dir: Path,
    *,
    recursive: bool = True,
    cancel: CancelToken = NEVER,
) -> Iterator[BatchItem | Skipped]:
    """Expand ``sources`` into :class:`BatchItem` s (and :class:`Skipped` paths), in order.

    Folder inputs keep their relative layout; files given directly go to the output root.
    A file reached twice is cleaned once. When ``out_dir`` lies inside an input folder,
    nothing under it is cleaned (a batch must not clean its own output again), but every
    file found there comes back as :class:`Skipped` with the reason: it may be a photo the
    user put there, and an input is never left out unreported.
    """
    out_key = Path(out_dir).resolve()
    seen: set[Path] = set()
    index = 0
    for raw in sources:
        root = Path(raw)
        is_folder = root.is_dir()
        # Only an output folder *inside* this input folder can feed our own copies back in;
        # per-folder listings are taken before any copy lands, so out == input is safe.
        root_key = root.resolve() if is_folder else None
        guard = (
            out_key
            if root_key is not None and out_key != root_key and out_key.is_relative_to(root_key)
            else None
        )
        for found in expand_resolved([root], recursive=recursive, cancel=cancel):
            if isinstance(found, Skipped):
                yield found
                continue
            item, key = found  # the walk's own resolve: none again here
            if key in seen:
                continue
            if guard is not None and key.is_relative_to(guard):
                seen.add(key)
                yield Skipped(
                    item,
                    f"it is inside the output folder {out_dir}, so it was not cleaned "
                    "(choose an output folder outside the folders being cleaned)",
                )
                continue
            seen.add(key)
            index += 1
            rel = item.parent.relative_to(root) if is_folder else Path()
            yield BatchItem(item, rel, index)
