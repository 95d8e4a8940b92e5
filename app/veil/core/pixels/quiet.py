"""Keep decoder chatter off stderr and give it to the file's notes instead.

Two kinds: Python warnings from Pillow ("Corrupt EXIF data", DecompressionBombWarning, ...)
and libtiff's messages, which libtiff's C error handler prints straight to file descriptor 2
("ZIPDecode: Decoding error at scanline 0, ..."). Neither can be caught per thread: Python's
warning filters and fd 2 belong to the whole process. So a capture holds a process lock:

* Python warnings: ``catch_warnings`` while holding the lock. A second thread decoding at the
  same moment does not wait (previews decode in parallel); its warnings land in the first
  thread's capture (never on stderr) and its own notes stay empty. The audit, whose notes
  matter, runs one decode at a time per process (CLI and window workers are processes).
* libtiff: fd 2 is pointed at an anonymous temp file around the decode. That needs the lock
  for real, so a TIFF decode waits for it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator

from PIL import Image

#: Re-entrant: a capture inside a capture (the export's quiet decode around an audit) is fine.
_LOCK = threading.RLock()
#: At most this much captured text per decode (a broken strip can repeat a message per row).
MAX_CAPTURE = 4096
MAX_NOTES = 5


#: The first bytes of a TIFF or BigTIFF: the files libtiff reads, the one decoder that prints
#: to fd 2 (so only their decodes need ``decoder_notes(..., c_stderr=True)``).
TIFF_HEADS = (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+")


#: Warnings that say nothing about the file being decoded: a decompression bomb is refused
#: in plain words elsewhere, and deprecations are Python's notes to developers (Python 3.12+
#: warns "This process ... is multi-threaded, use of fork() may lead to deadlocks" when any
#: thread forks during a capture: it was shown as a photo's decoder note).
NOT_ABOUT_THE_FILE = (Image.DecompressionBombWarning, DeprecationWarning,
                      PendingDeprecationWarning)


@contextlib.contextmanager
def decoder_notes(notes: list[str], c_stderr: bool = False) -> Iterator[None]:
    """Collect what the decoders say inside the ``with`` into ``notes`` (deduplicated, at most
    MAX_NOTES lines). ``c_stderr`` also captures fd 2 (for libtiff: TIFF files)."""
    held = _LOCK.acquire(blocking=c_stderr)
    if not held:
        # Another thread's capture is active: our warnings go to it, not to stderr.
        yield
        return
    try:
        with warnings.catch_warnings(record=True) as caught, _fd2_captured(
            notes if c_stderr else None
        ):
            warnings.simplefilter("always")
            try:
                yield
            finally:
                for w in caught:
                    if not issubclass(w.category, NOT_ABOUT_THE_FILE):
                        _add(notes, str(w.message))  # over the cap: refused in plain words
    finally:
        _LOCK.release()


@contextlib.contextmanager
def _fd2_captured(notes: list[str] | None) -> Iterator[None]:
    if notes is None:
        yield
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()  # Python's own pending output belongs to the real stderr
    global _nested
    saved = os.dup(2)
    try:
        with contextlib.ExitStack() as stack:
            # A capture inside a capture gets a file of its own: emptying the shared one
            # would lose what the outer capture holds so far.
            own = stack.enter_context(tempfile.TemporaryFile()) if _nested else None
            sink = own.fileno() if own is not None else _sink()
            start = os.lseek(sink, 0, os.SEEK_END)
            _nested += 1
            os.dup2(sink, 2)
            try:
                yield
            finally:
                _nested -= 1
                os.dup2(saved, 2)
                text = os.pread(sink, MAX_CAPTURE, start).decode("utf-8", "replace")
                if own is None:
                    os.ftruncate(sink, 0)
                    os.lseek(sink, 0, os.SEEK_SET)  # fd 2 shared this offset: next at 0
                for line in text.splitlines():
                    _add(notes, line)
    finally:
        os.close(saved)


#: Captures under way in this process (the lock is re-entrant: one may hold another).
_nested = 0


#: (pid, fd) of this process's capture file: one anonymous temp file per process, emptied
#: after each capture, instead of a new one per decode (an export captures around every
#: copy's verification). A forked child makes its own: the parent's is shared with it.
_sink_of: tuple[int, int] | None = None


def _sink() -> int:
    global _sink_of
    if _sink_of is None or _sink_of[0] != os.getpid():
        fd, name = tempfile.mkstemp(prefix="veil-notes-")
        os.unlink(name)  # anonymous from here on; closed with the process
        _sink_of = (os.getpid(), fd)
    return _sink_of[1]


def _add(notes: list[str], text: str) -> None:
    line = " ".join(text.split())
    if line and line not in notes and len(notes) < MAX_NOTES:
        notes.append(line[:300])
