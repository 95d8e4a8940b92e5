"""One normalized view of a photo's metadata, decoded from a :class:`ContainerScan`.

Detectors read only :class:`Metadata`; they never touch bytes or containers. ``decode``
turns the raw payloads (EXIF TIFF blocks via exifread, XMP packets, IPTC) into the typed
fields below plus the flat ``tags`` list shown in the GUI's "All metadata" tab.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from veil.core.formats.base import ContainerScan
from veil.core.metadata.model import CONTAINER_ORIENTED, NOT_TURNED, PILLOW_PICKED, Metadata


def decode(path: Path, scan: ContainerScan, *, sidecars: bool = True) -> Metadata:
    """Decode ``scan``'s payloads (and sidecars next to ``path``) into :class:`Metadata`.

    ``sidecars=False`` leaves the files next to ``path`` out: an export's temp copy has
    none of its own, and listing a growing output folder per copy costs O(n) each.

    Never raises for bad metadata: an undecodable block adds a warning and marks the scan
    incomplete (so the file can't be reported clean).
    """
    from veil.core.formats.webp_exif import pillow_orientation
    from veil.core.metadata.collect import collect

    col = collect(path, scan, sidecars=sidecars)
    if col.incomplete and scan.complete:
        scan = replace(scan, complete=False)
    if col.embedded:
        scan = replace(scan, embedded=scan.embedded + tuple(col.embedded))
    # Pillow's rule (and so our pixel path's): EXIF Orientation when the tag exists, else the
    # XMP tiff:Orientation - from the very blocks Pillow reads (for JPEG the first EXIF
    # block only, however many the file holds: see ``webp_exif``); a PNG's XMP excepted,
    # which no viewer reads (``veil.core.pixels.orient``).
    if scan.format in PILLOW_PICKED:
        orientation = pillow_orientation(scan)
    elif scan.format in NOT_TURNED:
        # Pillow's GIF reader keeps no XMP, and browsers show a GIF as stored: an XMP
        # tiff:Orientation there (exiftool writes one) turns nothing. Taking it made every
        # copy fail verification ("the copy is 20x30 upright, the original 30x20").
        orientation = None
    else:
        orientation = col.orientation if col.exif_orientation_tag else col.xmp_orientation
    if scan.orientation is not None or scan.format in CONTAINER_ORIENTED:
        # HEIF viewers turn the picture by the container's irot/imir and ignore EXIF
        # Orientation, so the container's value (when the handler reports one) wins.
        if col.orientation is not None:
            col.tag("EXIF", "Orientation (not used by HEIF viewers)", str(col.orientation))
        orientation = scan.orientation if scan.orientation in range(1, 9) else None
    return Metadata(
        path=path,
        scan=scan,
        tags=tuple(col.tags),
        values=col.values,
        orientation=orientation,
        gps=tuple(col.gps),
        datetimes=tuple(col.datetimes),
        make=col.make,
        model=col.model,
        serials=tuple(col.serials),
        lens=col.lens,
        software=tuple(col.software),
        owners=tuple(col.owners),
        people=tuple(col.people),
        maker_note=col.maker_note,
        thumbnail=col.thumbnail,
        # The file's own IDs (and what it was derived from) before its editing history: a
        # long history must not push them out of what is kept and shown.
        xmp_history=tuple(sorted(col.xmp_history, key=_history_rank)[:200]),
        sidecars=tuple(col.sidecars),
        sidecar_values=col.sidecar_values,
        warnings=tuple(dict.fromkeys(col.warnings)),
        places=tuple(col.places),
        texts=tuple(col.texts),
        flags=frozenset(col.flags),
        thumbnail_size=col.thumbnail_size,
        devices=tuple(col.devices),
    )


def _history_rank(pair: tuple[str, str]) -> int:
    """The file's own IDs first, then its editing history, then the long lists of ancestor
    documents (hundreds in some Photoshop files)."""
    path = pair[0]
    if path.startswith(("xmpMM:History", "xmpMM:Ingredients")):
        return 1
    return 2 if path.startswith("photoshop:DocumentAncestors") else 0
