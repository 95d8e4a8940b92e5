"""``fsync`` of a finished temp file on a helper thread, so the disk write overlaps the
verification of the same copy (and, in a batch, the cleaning of the next photos).

The order that makes a copy safe is unchanged: the temp file is fully written and flushed,
``fsync`` returns, and only then is it moved to its final name (the caller waits for
:meth:`BackgroundSync.wait` before ``os.replace``/``os.link``). ``fsync`` releases the GIL,
so the thread costs no CPU time the main thread could use.
"""

from __future__ import annotations

import contextlib
import os
import threading


class BackgroundSync:
    """``os.fsync`` of one open file descriptor on its own thread; the fd is closed after.

    The thread is not a daemon: an interpreter that exits waits for a running ``fsync``
    rather than abandoning it half-way.
    """

    __slots__ = ("_error", "_fd", "_thread")

    def __init__(self, fd: int) -> None:
        """Start syncing ``fd`` (its ownership passes to this object: it closes it)."""
        self._fd = fd
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="veil-fsync")
        try:
            self._thread.start()
        except RuntimeError:  # no more threads (or shutting down): sync right here instead
            self._run()

    def _run(self) -> None:
        try:
            os.fsync(self._fd)
        except OSError as exc:  # EIO, or ENOSPC surfacing from delayed allocation
            self._error = exc
        finally:
            with contextlib.suppress(OSError):
                os.close(self._fd)

    def done(self) -> bool:
        """True once ``fsync`` returned (successfully or not)."""
        return not self._thread.is_alive()

    def wait(self) -> None:
        """Block until the data is on disk.

        Raises:
            OSError: ``fsync`` failed (the copy must then not be committed).
        """
        if self._thread.ident is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """Wait for the thread without raising (the temp file is being deleted anyway)."""
        with contextlib.suppress(OSError):
            self.wait()
