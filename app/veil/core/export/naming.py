"""Output names for cleaned copies, and the never-clobber commit of a finished temp file."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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


#: What a name suffix may hold: a short run of letters, digits, dots, dashes, underscores.
NAME_SUFFIX = re.compile(r"[A-Za-z0-9._-]{1,32}")


def valid_name_suffix(suffix: str) -> bool:
    """True for "" (none) or a suffix that cannot leave the folder or hide an extension."""
    return suffix == "" or (NAME_SUFFIX.fullmatch(suffix) is not None and ".." not in suffix)


def output_stem(source: Path, rename: str, index: int, name_suffix: str = "") -> str:
    """The stem for ``rename`` (the source's, ``photo-0001`` or 12 random hex digits),
    followed by ``name_suffix`` (``photo`` + ``.clean`` -> ``photo.clean``).

    Raises:
        ValueError: ``rename`` is not one of :data:`RENAME_MODES`, or the suffix is invalid.
    """
    if not valid_name_suffix(name_suffix):
        raise ValueError(f"invalid name suffix {name_suffix!r}")
    return _stem(source, rename, index) + name_suffix


def _stem(source: Path, rename: str, index: int) -> str:
    if rename == "keep":
        return source.stem
    if rename == "neutral":
        return f"photo-{max(0, index):04d}"
    if rename == "random":
        import secrets  # loads hashlib/random: only when asked for

        return secrets.token_hex(6)
    raise ValueError(f"unknown rename mode {rename!r} (use keep, neutral or random)")


#: The longest file name most file systems take (ext4, XFS, btrfs, APFS: 255 bytes).
NAME_MAX = 255


def fit_name(stem: str, tag: str, suffix: str, limit: int = NAME_MAX, tail: str = "") -> str:
    """``stem + tail + tag + suffix``, the stem shortened (whole characters) until the
    name's bytes fit ``limit``: a 255-byte name still gets its " (1)", its name suffix
    (``tail``, e.g. ".clean") or its changed extension, none of which is ever cut."""
    name = f"{stem}{tail}{tag}{suffix}"
    while len(os.fsencode(name)) > limit and stem:
        stem = stem[:-1]
        name = f"{stem}{tail}{tag}{suffix}"
    return name


def candidates(folder: Path, stem: str, suffix: str, tail: str = "") -> Iterator[Path]:
    """``stem.ext``, ``stem (1).ext``, ``stem (2).ext`` ... (with ``tail`` after the stem)
    in the order they are tried, each fitted to :data:`NAME_MAX` bytes."""
    yield folder / fit_name(stem, "", suffix, tail=tail)
    for n in range(1, MAX_SUFFIX):
        yield folder / fit_name(stem, f" ({n})", suffix, tail=tail)


def _identity(path: Path, *, follow: bool = True) -> tuple[int, int] | None:
    """(st_dev, st_ino) of ``path``: the same file whatever path, symlink or hard link
    reaches it. None when it can't be stat'ed."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


class ProtectedName(FileExistsError):
    """The wanted output name is an original (an input of the batch, or a file in a source
    folder): it is never replaced, even with ``overwrite``. ``str()`` is the reason."""


@dataclass(frozen=True, slots=True)
class SourceGuard:
    """What a batch must never replace: every input file, and every file in a folder that
    holds an input (a source folder). Files are compared by identity (st_dev, st_ino), so a
    different spelling, a symlinked folder or a hard link to an original is still caught.
    """

    files: frozenset[tuple[int, int]] = frozenset()
    folders: frozenset[tuple[int, int]] = frozenset()

    @classmethod
    def of(cls, inputs: Iterable[Path], roots: Iterable[Path] = ()) -> SourceGuard:
        """The guard for a batch of ``inputs`` (files) given as ``roots`` (files/folders)."""
        files: set[tuple[int, int]] = set()
        folders: set[tuple[int, int]] = set()
        parents: set[Path] = set()
        for path in inputs:
            path = Path(path)
            for follow in (True, False):
                key = _identity(path, follow=follow)
                if key is not None:
                    files.add(key)
            parents.add(path.parent)
        for root in roots:
            root = Path(root)
            parents.add(root if root.is_dir() else root.parent)
        for folder in parents:
            key = _identity(folder)
            if key is not None:
                folders.add(key)
        return cls(frozenset(files), frozenset(folders))

    def refuses(self, target: Path) -> str | None:
        """Why the existing file ``target`` must not be replaced, or None."""
        if _identity(target) in self.files or _identity(target, follow=False) in self.files:
            return "it is one of the photos being cleaned"
        if _identity(target.parent) in self.folders:
            return "it is in a folder of photos being cleaned"
        return None


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are the same file (False when either can't be stat'ed)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
