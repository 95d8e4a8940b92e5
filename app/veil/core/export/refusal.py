"""Files the export skips before writing anything, known from their content alone.

One rule for everyone who must know it in advance: :func:`veil.core.export.engine.prepare`
skips a file with this reason, and a caller planning an export (the window's "Before
export" line) counts the same files as skipped instead of promising them a copy. Only the
content decides (never the name), like the export itself. A failure known only when the
pixels are decoded (a damaged HEIC) is not predicted here.
"""

from __future__ import annotations

from pathlib import Path

from veil.core import formats
from veil.core.formats.base import ImageFormat
from veil.core.formats.tiff import Tiff, raw_refusal

__all__ = ["skip_reason"]


def skip_reason(source: Path, handler: type[ImageFormat] | None = None) -> str | None:
    """The one-line reason the export will skip ``source`` (a camera raw, DNG and raw TIFFs
    included: Veil does not re-encode sensor data), or None when it will try to clean it.

    ``handler``: the container already sniffed from the file's first bytes (the export's
    own); without it the first bytes are read here. A file no handler takes gives None: the
    export reports it as "not a supported image", which an audit has already said.

    Raises:
        OSError: the file cannot be read.
    """
    if handler is None:
        with open(source, "rb") as f:
            handler = formats.detect(f.read(64))
        if handler is None:
            return None
    if handler.refusal:  # camera raw containers (CR3, RAF, ...): refused by kind
        return handler.refusal
    if handler is Tiff:  # DNG, CR2, NEF, ...: TIFF structure, raw by its directories
        with open(source, "rb") as f:
            return raw_refusal(f, f.seek(0, 2))
    return None
