"""Cooperative cancellation shared by core generators, the CLI and GUI workers."""

from __future__ import annotations

import threading

from veil.core.errors import Cancelled


class CancelToken:
    """A thread-safe flag. Long work checks it between files and between stages."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask every holder of this token to stop soon."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`Cancelled` when cancelled.

        Raises:
            Cancelled: the token was cancelled.
        """
        if self._event.is_set():
            raise Cancelled("cancelled")


#: A token that is never cancelled, for callers that don't need one.
NEVER = CancelToken()
