"""Expand user-given paths (files and folders) into the files to audit."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from veil.core.cancel import NEVER, CancelToken

#: Files that travel with photos but are not photos: read as sidecars, not audited alone.
SIDECAR_SUFFIXES = (".json", ".xmp", ".aae")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that was not audited, with a plain reason (symlink loop, unreadable...).

    ``is_error`` is False only for a folder reached a second time through a symbolic link:
    everything in it was (or will be) audited once, so nothing was missed. Every other skip
    means something the user asked about was not checked.
    """

    path: Path
    reason: str
    is_error: bool = True


def is_sidecar(path: Path) -> bool:
    """True for sidecar files (Takeout JSON, XMP, AAE) that belong to a photo."""
    return path.suffix.lower() in SIDECAR_SUFFIXES


def expand_paths(
    paths: Iterable[Path], *, recursive: bool = True, cancel: CancelToken = NEVER
) -> Iterator[Path | Skipped]:
    """Yield every file to audit under ``paths``, in a stable order, each once.

    Folders are walked (only their top level unless ``recursive``). Symbolic links (to files
    or folders) are followed once, after every real path: a link to a file or folder that is
    listed anyway is the duplicate, so the real name is the one listed whatever the order.
    A folder reached again is reported as a :class:`Skipped` that is not an error, an
    unreadable folder as one that is. Hidden files and sidecars are not yielded (sidecars
    are read with their photo).
    """
    for item in expand_resolved(paths, recursive=recursive, cancel=cancel):
        yield item if isinstance(item, Skipped) else item[0]


def expand_resolved(
    paths: Iterable[Path], *, recursive: bool = True, cancel: CancelToken = NEVER
) -> Iterator[tuple[Path, Path] | Skipped]:
    """:func:`expand_paths`, each file paired with its resolved path (the walk resolves it
    anyway to yield each file once; a caller keying files by it needs no second resolve)."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[Path] = set()
    # Links met on the way, followed only once every real path has been listed: sorted by
    # name, link_to_x.jpg came before x.jpg and the real file was dropped as its duplicate.
    # (path, named by the user): a linked folder met in a walk is walked only when recursive,
    # a linked sidecar met in a walk is left to its photo; what the user named is always read.
    links: list[tuple[Path, bool]] = []

    def walk_tree(top: Path) -> Iterator[tuple[Path, Path] | Skipped]:
        # Depth first, a folder's files before its sub-folders', as a recursive walk goes;
        # not recursive itself: a function calling itself through its closure is a cycle
        # (it, its cell, every path seen) that only a cyclic collection frees, and the
        # window keeps long-lived objects out of collections (gc.freeze) while a walk runs.
        stack = [top]
        while stack:
            subdirs: list[Path] = []
            yield from walk(stack.pop(), subdirs)
            if recursive:
                stack.extend(reversed(subdirs))

    def walk(folder: Path, subdirs: list[Path]) -> Iterator[tuple[Path, Path] | Skipped]:
        """List ``folder``'s files; its sub-folders go to ``subdirs``."""
        try:
            st = folder.stat()
        except OSError as exc:
            yield Skipped(folder, f"cannot open folder: {exc.strerror or exc}")
            return
        dir_key = (st.st_dev, st.st_ino)
        if dir_key in seen_dirs:
            yield Skipped(
                folder,
                "folder already listed (a symbolic link or loop reaches it again)",
                is_error=False,
            )
            return
        seen_dirs.add(dir_key)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(folder, f"cannot list folder: {exc.strerror or exc}")
            return
        real: Path | None = None  # the folder resolved, once: a plain file's key is real/name
        for entry in entries:
            cancel.raise_if_cancelled()
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            try:
                if entry.is_symlink():  # the listing's own file type: no stat
                    links.append((p, False))
                    continue
                if entry.is_dir():
                    subdirs.append(p)
                    continue
                # A regular file that is not a link (the listing's own file type, no stat):
                # it resolves to the resolved folder plus its name.
                plain = entry.is_file(follow_symlinks=False)
            except OSError as exc:
                yield Skipped(p, f"cannot read: {exc.strerror or exc}")
                continue
            if is_sidecar(p):
                continue
            if not plain:
                yield from one_file(p)
                continue
            if real is None:
                try:
                    real = folder.resolve()
                except (OSError, RuntimeError):
                    yield from one_file(p)
                    continue
            key = real / entry.name
            if key not in seen_files:
                seen_files.add(key)
                yield p, key

    def one_file(p: Path) -> Iterator[tuple[Path, Path] | Skipped]:
        try:
            key = p.resolve()
            mode = p.stat().st_mode
        except (OSError, RuntimeError):
            yield Skipped(p, "broken or looping symbolic link")
            return
        if not stat.S_ISREG(mode):
            # A named pipe or device would block a reader forever: never open one.
            yield Skipped(p, "not a regular file (a pipe, socket or device)")
            return
        if key not in seen_files:
            seen_files.add(key)
            yield p, key

    for raw in paths:
        path = Path(raw)
        if path.is_symlink():
            links.append((path, True))  # a folder the user named is walked even if linked
        elif path.is_dir():
            yield from walk_tree(path)
        elif path.exists():
            yield from one_file(path)
        else:
            yield Skipped(path, "no such file or folder")
    # A walk of a linked folder may meet more links: they queue behind (FIFO, stable order).
    i = 0
    while i < len(links):
        cancel.raise_if_cancelled()
        path, named = links[i]
        i += 1
        if path.is_dir():
            if named or recursive:
                yield from walk_tree(path)
        elif named or not is_sidecar(path):
            yield from one_file(path)
