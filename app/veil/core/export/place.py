"""The final move of a durable copy into its folder: never over an original, never over
another file without ``overwrite``, and a rerun of the same batch never piles up copies.

What a rerun does (the documented contract, docs/cli.md):

- An output name already holding exactly the bytes this run produced is left as it is
  and reported as cleaned and verified, ``unchanged`` (the source did not change since the
  last run): nothing is written, no ``name (1).jpg`` appears.
- An output name that held *other* content before the batch started (the photo changed
  since, or an unrelated file) is not replaced: that photo fails with the reason, unless
  ``overwrite`` asks to replace it (originals are still never replaced).
- Within one batch, two photos that want the same name get ``name.jpg`` and
  ``name (1).jpg``, as before; such names are fitted to 255 bytes. A name made after the
  batch began (by this batch or another run at the same time) that already holds exactly
  this copy's bytes is that copy: ``unchanged``, no duplicate.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from veil.core.export.confine import check_target
from veil.core.export.naming import ProtectedName, SourceGuard, candidates, same_file

#: errno values meaning "this file system has no hard links": check, then rename.
_NO_LINKS = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)


@dataclass(frozen=True, slots=True)
class Existing:
    """The file names a destination folder held before the batch began: a name in it was
    left by someone else (or an earlier run); a name not in it was made by this batch."""

    names: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, folder: Path) -> Existing:
        """Snapshot ``folder`` now (an absent or unreadable folder holds nothing)."""
        try:
            with os.scandir(folder) as it:
                return cls(frozenset(e.name for e in it))
        except OSError:
            return cls()


def _same_content(a: Path, b: Path) -> bool:
    """True when regular file ``b`` (not a symlink) holds exactly ``a``'s bytes."""
    try:
        sa, sb = os.stat(a), os.lstat(b)
        if not stat.S_ISREG(sb.st_mode) or sa.st_size != sb.st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                chunk = fa.read(1 << 20)
                if chunk != fb.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def _link(tmp: Path, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` if that name is free (one atomic step where hard
    links exist). False when the name is taken."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(target):
            return False
        os.replace(tmp, target)
        return True
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    return True


def place(
    tmp: Path,
    folder: Path,
    stem: str,
    suffix: str,
    *,
    overwrite: bool,
    protect: Path,
    guard: SourceGuard | None = None,
    existing: Existing | None = None,
    tail: str = "",
) -> tuple[Path, bool]:
    """Move the finished ``tmp`` to its name in ``folder``; returns (that name, unchanged).

    ``unchanged`` is True when the name already held exactly these bytes: ``tmp`` is then
    deleted and nothing is written. Without ``existing`` (a single export, not a batch)
    every file found is treated as older than this export and a taken name with other
    content moves on to the next free ``stem (n).ext`` (the behaviour of one-off exports).
    With ``overwrite`` an existing file is replaced only when it is not an original:
    ``protect`` and whatever ``guard`` protects are refused. ``tail`` (a name suffix such
    as ".clean") follows the stem and is never cut when a long name is fitted.

    Raises:
        ProtectedName: ``overwrite`` would replace an original (the reason is the message).
        FileExistsError: the name holds other content from before the batch (the reason is
            the message), or no free name was found.
        OSError: the move failed (permissions, full disk...).
    """
    guard = guard if guard is not None else SourceGuard.of([protect])
    conflict: Path | None = None
    for target in candidates(folder, stem, suffix, tail):
        if target.is_dir():
            continue
        if not os.path.lexists(target):
            if conflict is not None:
                raise FileExistsError(
                    f"not written: {conflict.name} is already in {folder} with other content "
                    "(an earlier run's copy of a photo that changed since, or another file); "
                    "it is not replaced: use --overwrite to replace it"
                )
            if _link(tmp, target):
                return target, False
            # Taken this instant (another export): compared below like any taken name.
        before_batch = existing is None or target.name in existing.names
        if before_batch and (link := check_target(target)):
            raise FileExistsError(link)
        # Same bytes: this copy is already there, whoever made it (an earlier run, or a
        # second run into this folder at the same time): never a "name (1)" duplicate.
        if _same_content(tmp, target):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            return target, True
        if not before_batch:
            continue  # another photo of this batch (or a concurrent run) got this name
        if overwrite:
            why = guard.refuses(target) or (
                "it is the photo being cleaned" if same_file(target, protect) else None
            )
            if why:
                raise ProtectedName(
                    f"not written: --overwrite would replace {target.name}, and {why} "
                    "(originals are never replaced: choose another output folder)"
                )
            os.replace(tmp, target)
            return target, False
        if existing is not None and conflict is None:
            conflict = target
    raise FileExistsError(f"no free file name for {stem}{suffix} in {folder}")
