"""Pixel detector: marks. Backend not built yet, so it honestly reports NOT_AVAILABLE."""

from __future__ import annotations

from veil.core.cancel import CancelToken
from veil.core.detectors import PixelContext
from veil.core.model import CheckStatus, Finding
from veil.core.pixels import UprightImage


class _Pending:
    id = "marks"
    max_side = 640

    def available(self) -> CheckStatus:
        return CheckStatus.NOT_AVAILABLE

    def detect(
        self, image: UprightImage, cancel: CancelToken, context: PixelContext
    ) -> list[Finding]:
        return []


DETECTOR = _Pending()
