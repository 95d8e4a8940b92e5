"""Thumbnails and previews of a session: decoded in jobs, stored on the GUI thread."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from veil.core.cancel import CancelToken
from veil.gui.imaging import Picture, decode_picture
from veil.gui.jobs import PreviewPicture
from veil.gui.models.file_row import FileRow
from veil.gui.models.file_table import THUMB_SIZE

if TYPE_CHECKING:
    from veil.gui.session import AuditSession

#: The picture jobs' priorities, among the audits' (audit_queue.py: scan 5, metadata 3, pixels 1):
#: the preview of the row shown comes before metadata, thumbnails before pixel audits.
PRIO_PREVIEW, PRIO_THUMB = 4, 2


class Pictures:
    """Asks for thumbnails (rows a view paints) and the preview (the row shown)."""

    def __init__(self, session: AuditSession) -> None:
        self.session = session
        #: Key of the preview wanted now (older previews arriving late are dropped).
        self.preview_key: str | None = None
        self._thumbs_wanted: list[tuple[str, Path]] = []

    def want_thumbnail(self, row: FileRow) -> None:
        """Called from data() while a view paints: queue it, start the jobs after the paint."""
        self._thumbs_wanted.append((row.key, row.path))
        if len(self._thumbs_wanted) == 1:
            # The session is the timer's context: a session deleted first (its window closed
            # right after this paint) cancels the call instead of starting jobs on it.
            QTimer.singleShot(0, self.session, self._start_thumbnails)

    def _start_thumbnails(self) -> None:
        wanted, self._thumbs_wanted = self._thumbs_wanted, []
        for key, path in wanted:
            self.session.start_job(
                "thumb",
                functools.partial(_thumbnail, key, path),
                PRIO_THUMB,
                token=CancelToken(),  # thumbnails survive an audit Cancel
            )

    def request_preview(self, key: str, max_side: int) -> None:
        """Decode the preview of ``key`` off the GUI thread."""
        row = self.session.model.row_for_key(key)
        self.preview_key = key
        if row is None:
            return
        path = row.path
        self.session.start_job(
            "preview",
            lambda _c: PreviewPicture(decode_picture(key, path, max_side)),
            PRIO_PREVIEW,
            token=CancelToken(),
        )

    def apply_thumbnail(self, picture: Picture, changed: list[str]) -> None:
        """Store a decoded thumbnail on its row (if the row is still listed)."""
        row = self.session.model.row_for_key(picture.key)
        if row is not None and picture.image is not None:
            image = picture.image
            # Decoded at twice the size for sharp HiDPI thumbnails; drawn at THUMB_SIZE.
            image.setDevicePixelRatio(max(image.width(), image.height()) / THUMB_SIZE)
            self.session.model.store_thumbnail(row, image)
            changed.append(row.key)


def _thumbnail(key: str, path: Path, _cancel: CancelToken) -> Picture:
    """Decode a thumbnail at twice its shown size (sharp on HiDPI screens)."""
    return decode_picture(key, path, THUMB_SIZE * 2)
