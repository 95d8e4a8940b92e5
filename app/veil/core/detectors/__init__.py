"""Detectors turn metadata or pixels into findings.

Two kinds, both listed explicitly (nothing is discovered by magic):

* metadata detectors: pure functions ``(Metadata) -> list[Finding]``; always available.
* pixel detectors: objects with ``id``, ``available() -> CheckStatus`` and
  ``detect(image: UprightImage, cancel: CancelToken, context: PixelContext) -> list[Finding]``.
  Their backends are created lazily, once per process, and reused. They run in the order
  listed; later ones see earlier findings in ``context.findings`` (the mark detector uses
  faces as features).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from veil.core.cancel import CancelToken
from veil.core.metadata import Metadata
from veil.core.model import CheckStatus, Finding

if TYPE_CHECKING:  # Pillow is imported only when pixels are checked
    from veil.core.pixels import UprightImage

MetadataDetector = Callable[[Metadata], list[Finding]]


@dataclass(frozen=True, slots=True)
class PixelContext:
    """What a pixel detector may use besides the image."""

    findings: tuple[Finding, ...] = ()


class PixelDetector(Protocol):
    """A detector that reads pixels and returns findings with regions."""

    id: str
    #: Working long side in pixels this detector wants (the audit decodes once at the max).
    max_side: int

    def available(self) -> CheckStatus:
        """DONE when the backend can run, NOT_AVAILABLE when it is missing."""
        ...

    def detect(
        self, image: UprightImage, cancel: CancelToken, context: PixelContext
    ) -> list[Finding]:
        """Findings with regions in full-size upright pixels (use ``image.to_full``)."""
        ...


def metadata_detectors() -> tuple[tuple[str, MetadataDetector], ...]:
    """(id, function) of every metadata detector, in report order."""
    from veil.core.detectors import metadata_rules

    return metadata_rules.DETECTORS


#: Ids of the pixel detectors, known without importing them (numpy and OpenCV are
#: heavy: a metadata-only scan must not pay for them).
PIXEL_DETECTOR_IDS: tuple[str, ...] = ("faces", "marks")


def pixel_detectors() -> tuple[PixelDetector, ...]:
    """Every pixel detector, in run order (faces before marks)."""
    found: list[PixelDetector] = []
    from veil.core.detectors import faces, marks

    found.append(faces.DETECTOR)
    found.append(marks.DETECTOR)
    return tuple(found)
