"""Container handlers, listed explicitly. Content is sniffed; the extension is never trusted."""

from __future__ import annotations

from veil.core.formats.base import ImageFormat

FORMATS: tuple[type[ImageFormat], ...] = ()


def _load() -> tuple[type[ImageFormat], ...]:
    # Imported here so a handler under construction can't break `import veil.core`.
    found: list[type[ImageFormat]] = []
    import importlib

    for mod, cls in (
        ("jpeg", "Jpeg"),
        ("png", "Png"),
        ("webp", "Webp"),
        ("tiff", "Tiff"),
        ("heif", "Heif"),
        ("gif", "Gif"),
    ):
        try:
            found.append(getattr(importlib.import_module(f"veil.core.formats.{mod}"), cls))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


FORMATS = _load()


def detect(head: bytes) -> type[ImageFormat] | None:
    """The handler whose ``sniff`` accepts ``head`` (first 64 bytes), or None."""
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    return None
