"""Output names for cleaned copies, and the never-clobber commit of a finished temp file."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

RENAME_MODES = ("keep", "neutral", "random")

#: How many " (n)" suffixes are tried before giving up (a folder with 10k "photo (n).jpg").
MAX_SUFFIX = 10_000


def canonical_suffix(extensions: tuple[str, ...]) -> str:
    """The handler's first extension as ``.ext`` (handlers may list them with or without dot)."""
    if not extensions:
        return ""
    ext = extensions[0].lower()
    return ext if ext.startswith(".") else "." + ext


def output_suffix(source: Path, written_extensions: tuple[str, ...], same_format: bool) -> str:
    """The suffix of the output: it always names the format actually written.

    The source's own spelling (".jpeg", ".JPG") is kept when the format did not change and
    the suffix is truthful; a lying suffix (a PNG named .jpg) or a converted file (HEIC
    written as JPEG) gets the written format's canonical suffix.
    """
    allowed = {e.lower() if e.startswith(".") else "." + e.lower() for e in written_extensions}
    if same_format and source.suffix.lower() in allowed:
        return source.suffix
    return canonical_suffix(written_extensions) or source.suffix


def output_stem(source: Path, rename: str, index: int) -> str:
    """The stem for ``rename``: the source's, ``photo-0001`` or 12 random hex digits.

    Raises:
        ValueError: ``rename`` is not one of :data:`RENAME_MODES`.
    """
    if rename == "keep":
        return source.stem
    if rename == "neutral":
        return f"photo-{max(0, index):04d}"
    if rename == "random":
        import secrets  # loads hashlib/random: only when asked for

        return secrets.token_hex(6)
    raise ValueError(f"unknown rename mode {rename!r} (use keep, neutral or random)")


def candidates(folder: Path, stem: str, suffix: str) -> Iterator[Path]:
    """``stem.ext``, ``stem (1).ext``, ``stem (2).ext`` ... in the order they are tried."""
    yield folder / f"{stem}{suffix}"
    for n in range(1, MAX_SUFFIX):
        yield folder / f"{stem} ({n}){suffix}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def commit(
    tmp: Path, folder: Path, stem: str, suffix: str, *, overwrite: bool, protect: Path
) -> Path:
    """Move the finished ``tmp`` to its final name in ``folder`` and return that name.

    Without ``overwrite`` an existing file is never replaced: the first free
    ``stem (n).ext`` is taken. The check and the move are one step (``os.link`` fails if the
    name exists), so a file appearing meanwhile is not clobbered either; file systems without
    hard links fall back to check-then-``os.replace``. ``protect`` (the original photo) is
    never replaced, even with ``overwrite``.

    Raises:
        FileExistsError: no free name was found, or the only name is the original itself.
        OSError: the move failed (permissions, full disk...).
    """
    for target in candidates(folder, stem, suffix):
        if _same_file(target, protect):
            continue  # the original photo: never a target, with or without overwrite
        if overwrite:
            if target.is_dir():
                continue
            os.replace(tmp, target)
            return target
        try:
            os.link(tmp, target)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (
                errno.EPERM,
                errno.ENOTSUP,
                errno.EOPNOTSUPP,
                errno.EXDEV,
                errno.EMLINK,
                errno.ENOSYS,
            ):
                raise
            if os.path.lexists(target):
                continue
            os.replace(tmp, target)
            return target
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        return target
    raise FileExistsError(f"no free file name for {stem}{suffix} in {folder}")
