"""Veil's own bytecode, as the benchmarks should find it: an installed veil has it.

``pip install`` compiles a package's modules; an editable checkout has whatever bytecode its
runs left. With PYTHONDONTWRITEBYTECODE set (as on the shared development machine) Python
never writes any, so every ``veil`` process compiles each of its modules that has no current
bytecode: ~95 ms CPU of a ~340 ms metadata-only scan of ../shared/corpus, and every forked
worker again for what it imports late. Python reads a cached file only while its header
matches the source (size and modification time, or the source's hash), so a module edited
since it was compiled counts as uncompiled too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import veil

#: The folder of veil's own modules (in an editable checkout, the source tree).
PACKAGE = Path(veil.__file__).parent


def is_current(source: Path) -> bool:
    """Whether Python would use the cached bytecode of ``source`` instead of compiling it."""
    try:
        header = Path(importlib.util.cache_from_source(str(source))).read_bytes()[:16]
        st = source.stat()
    except (OSError, ValueError, NotImplementedError):
        return False
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return False
    flags = int.from_bytes(header[4:8], "little")
    if flags & 1:  # hash-based (PEP 552); checked against the source unless flagged not to
        if not flags & 2:
            return True
        return header[8:16] == importlib.util.source_hash(source.read_bytes())
    mtime = int.from_bytes(header[8:12], "little")
    size = int.from_bytes(header[12:16], "little")
    return mtime == int(st.st_mtime) & 0xFFFFFFFF and size == st.st_size & 0xFFFFFFFF


def uncompiled(package: Path = PACKAGE) -> list[Path]:
    """Veil's modules that a process would compile because no current bytecode is cached."""
    return [p for p in sorted(package.rglob("*.py")) if not is_current(p)]


def compile_as_installed(label: str, package: Path = PACKAGE) -> str | None:
    """Compile veil's uncompiled modules when this Python would not cache them itself.

    Returns the note to print (what was compiled and why), or None when nothing needed it:
    bytecode caching is on (the first run writes it, as after an install), or all of it is
    current.
    """
    if not sys.flags.dont_write_bytecode:
        return None
    stale = uncompiled(package)
    if not stale:
        return None
    import py_compile

    failed = 0
    for source in stale:
        try:
            py_compile.compile(str(source), doraise=True)
        except (OSError, py_compile.PyCompileError):
            failed += 1
    done = "" if not failed else f"; {failed} could not be compiled"
    return (f"{label}: note: bytecode caching is off (PYTHONDONTWRITEBYTECODE) and {len(stale)} "
            f"of veil's modules had no current bytecode: compiled once first, as an installed "
            f"veil has them{done}")
