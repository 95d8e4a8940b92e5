"""A movie's poster frame for previews: one frame near the start, upright, downscaled.

OpenCV's video reader (its bundled FFmpeg) decodes it; the audit never calls this (faces in
videos are not checked), only previews do. OpenCV applies the track's rotation itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from veil.core.errors import CorruptFile

#: Where the poster frame is taken (seconds): past a fade-in, within any clip.
POSTER_AT_S = 0.5


def poster_frame(path: Path, max_side: int = 1024) -> tuple[object, int, int]:
    """(RGB PIL image with its long side <= ``max_side``, upright full width, full height).

    Raises:
        CorruptFile: OpenCV can't open the movie or decode a frame.
    """
    import cv2
    from PIL import Image

    if not os.path.isfile(path):
        raise CorruptFile("not a regular file")
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    try:
        if not cap.isOpened():
            raise CorruptFile("the video can't be decoded for a preview")
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        cap.set(cv2.CAP_PROP_POS_MSEC, POSTER_AT_S * 1000)
        ok, frame = cap.read()
        if not ok or frame is None:
            cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = cap.read()
        if not ok or frame is None:
            raise CorruptFile("no frame of the video could be decoded for a preview")
    finally:
        cap.release()
    height, width = frame.shape[:2]
    scale = min(1.0, max_side / max(width, height))
    if scale < 1.0:
        frame = cv2.resize(frame, (max(1, round(width * scale)), max(1, round(height * scale))),
                           interpolation=cv2.INTER_AREA)
    rgb = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    return rgb, width, height
