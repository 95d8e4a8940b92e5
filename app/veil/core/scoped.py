"""Flags that hold inside one ``with`` block, in this thread or task only.

The export's source audit turns off work that nobody will read (EXIF decoded lean, no place
names, no tag list or finding details) while every other audit, in other threads included,
goes on as before. Each of those modules keeps one :class:`ScopedFlag`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["ScopedFlag"]


class ScopedFlag:
    """Off, except inside ``with flag.raised():`` (nested blocks and other threads are safe:
    a context variable, reset to what it was when the block ends)."""

    __slots__ = ("_var",)

    def __init__(self, name: str) -> None:
        self._var: ContextVar[bool] = ContextVar(name, default=False)

    def is_raised(self) -> bool:
        """True inside :meth:`raised` in this thread or task."""
        return self._var.get()

    @contextlib.contextmanager
    def raised(self) -> Iterator[None]:
        """Raise the flag for the block."""
        token = self._var.set(True)
        try:
            yield
        finally:
            self._var.reset(token)
