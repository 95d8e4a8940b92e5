"""Covering areas in an animation: the export says it cannot, and what can be done instead.

Its cleaners cover one picture, never every frame (they refused with "redacting an animated
GIF is not supported": no way out was said). The export supports a copy without covers
(metadata removed, every frame as it is), so that is what its reason offers.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import gif as fg
from tests.factories import webp as fw
from tests.factories.png import gradient
from veil.core.export import export_clean
from veil.core.export.refusal import SkipKind, animation_refusal
from veil.core.model import ExportOptions, ExportStatus, Region

COVER = ExportOptions(redactions=(Region(2, 2, 6, 6),))


def _apng() -> bytes:
    frames = [gradient((16, 16)), gradient((16, 16)).transpose(Image.Transpose.ROTATE_90)]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:], duration=100)
    return buf.getvalue()


ANIMATIONS = {
    "a.gif": lambda: fg.dirty_gif(frames=3),
    "a.webp": fw.animated_webp,
    "a.png": _apng,
}


@pytest.mark.parametrize("name", sorted(ANIMATIONS))
def test_covering_an_animation_is_refused_with_a_way_out(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(ANIMATIONS[name]())
    found = animation_refusal(src, COVER)
    assert found is not None and found.kind is SkipKind.ANIMATED
    assert "export it without covering" in found.reason
    assert "still picture (PNG or JPEG)" in found.reason
    assert animation_refusal(src, ExportOptions()) is None  # nothing to cover: cleaned

    out = tmp_path / "out"
    out.mkdir()
    result = export_clean(src, out, COVER)
    assert result.status is ExportStatus.SKIPPED
    assert result.error == found.reason  # the export's words are the plan's
    assert list(out.iterdir()) == []
    # What the reason offers is what the export does: a clean copy, every frame kept.
    plain = export_clean(src, out, ExportOptions())
    assert plain.status is ExportStatus.CLEANED and plain.verified, plain.error
    assert plain.output is not None
    with Image.open(plain.output) as copy:
        assert getattr(copy, "n_frames", 1) == Image.open(src).n_frames > 1


def test_a_still_gif_webp_or_png_is_covered(tmp_path: Path) -> None:
    gif = tmp_path / "still.gif"
    gif.write_bytes(fg.plain_gif(size=(20, 12)))
    png = tmp_path / "still.png"
    gradient((16, 16)).save(png)
    webp = tmp_path / "still.webp"
    gradient((16, 16)).save(webp, "WEBP")
    jpeg = tmp_path / "photo.jpg"
    gradient((16, 16)).save(jpeg)
    for src in (gif, png, webp, jpeg):
        assert animation_refusal(src, COVER) is None, src.name
    assert export_clean(gif, tmp_path, ExportOptions(redactions=(Region(1, 1, 4, 4),),
                                                      name_suffix=".clean")).verified
