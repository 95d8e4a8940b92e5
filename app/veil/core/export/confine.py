"""Nothing is ever written outside the output folder.

The output folder the user chose may itself be reached through a symbolic link (that is
their choice). Below it, a copy's sub-folder (``--out out`` with ``roll/sub/a.jpg`` ->
``out/sub``) must be a real folder: if ``out/sub`` is a link to ``/elsewhere``, following
it would write the copy, its temp file, even a newly made sub-folder, outside ``out``.
Such a copy is refused with one line; the batch goes on.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


class OutsideOutput(Exception):
    """A copy's destination is not inside the output folder; ``str()`` is the reason."""


def _refusal(out_dir: Path, where: Path, why: str) -> OutsideOutput:
    return OutsideOutput(
        f"not written: {where} {why}, so the copy would leave the output folder {out_dir} "
        "(Veil never writes outside the output folder)"
    )


def _check_part(out_dir: Path, path: Path, st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise _refusal(out_dir, path, f"is a symbolic link (to {os.readlink(path)})")
    if not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(20, "a file is in the way of the sub-folder", str(path))


def _check_resolved(out_dir: Path, folder: Path) -> None:
    if not folder.resolve().is_relative_to(out_dir.resolve()):
        raise _refusal(out_dir, folder, f"resolves to {folder.resolve()}")


def confined_folder(out_dir: Path, relative_dir: Path, *, create: bool = True) -> Path:
    """``out_dir / relative_dir``, each sub-folder made one at a time (``create``) and
    checked: none below ``out_dir`` may be a symbolic link, and the result, resolved, lies
    inside ``out_dir`` resolved. Without ``create``, missing parts are fine (nothing is made).

    Raises:
        OutsideOutput: the destination would leave the output folder (the reason).
        OSError: a folder could not be made (permissions, a file in the way...).
    """
    out_dir = Path(out_dir)
    relative_dir = Path(relative_dir)
    if relative_dir.is_absolute() or ".." in relative_dir.parts:
        raise _refusal(out_dir, relative_dir, "is not a sub-folder")
    if create:
        out_dir.mkdir(parents=True, exist_ok=True)
    folder = out_dir
    for part in relative_dir.parts:
        folder = folder / part
        if create:
            with contextlib.suppress(FileExistsError):  # mkdir never follows a link
                os.mkdir(folder)
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            if create:
                raise
            return out_dir / relative_dir  # nothing below exists: nothing to follow
        _check_part(out_dir, folder, st)
    if relative_dir.parts and folder.exists():  # out_dir itself is inside out_dir
        _check_resolved(out_dir, folder)
    return folder


def check_target(target: Path) -> str | None:
    """Why the existing name ``target`` must not be written to, or None: a copy never goes
    through (or replaces) a symbolic link."""
    if os.path.islink(target):
        return (
            f"not written: {target.name} in {target.parent} is a symbolic link "
            "(Veil never writes through a link)"
        )
    return None
