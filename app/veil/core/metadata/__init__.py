"""Everything Veil reads from a photo's metadata blocks (EXIF, XMP, IPTC, ICC, maker notes,
sidecars, file names) and the one normalized :class:`Metadata` detectors see.

Layout (imports only point downwards, so there is no cycle):

- ``model``: the types (``Metadata``, ``GeoPoint``, ``Person``, ``Collector``): a leaf every
  decoder imports.
- ``ifd``: bounded TIFF-IFD reading on bytes in memory; ``makernotes/``: one module per maker.
- ``exif``, ``xmp``, ``iptc``, ``icc``, ``sidecars``, ``filenames``: the decoders; each fills a
  ``Collector`` (IPTC's Photoshop block and sidecars hand nested EXIF/XMP to those decoders).
- ``collect``: runs the decoders over a ``ContainerScan``; ``reader.decode`` freezes the result.

The names below are re-exported because detectors, the audit and the tests use them.
"""

from __future__ import annotations

from veil.core.metadata.model import VIDEO_GROUP, VIDEO_SOURCE, GeoPoint, Metadata, Person
from veil.core.metadata.reader import decode

__all__ = ["VIDEO_GROUP", "VIDEO_SOURCE", "GeoPoint", "Metadata", "Person", "decode"]
