"""redact.cover: solid, opaque, padded fills; nothing outside the padded boxes changes."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from tests.factories.export import gradient
from veil.core.model import Region
from veil.core.redact import cover, padded_box


def _inside(box: tuple[int, int, int, int]) -> set[tuple[int, int]]:
    x0, y0, x1, y1 = box
    return {(x, y) for y in range(y0, y1) for x in range(x0, x1)}


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA", "CMYK", "I;16"])
def test_no_pixel_inside_keeps_its_value_and_outside_is_untouched(mode: str) -> None:
    # Every source pixel is non-black (and opaque-or-not), so "changed" == "now the fill".
    src = gradient((80, 60)).point(lambda v: 40 + v * 200 // 255).convert(mode)
    if mode in ("RGBA", "LA"):
        src.putalpha(100)  # semi-transparent: the cover must still be opaque
    boxes = [Region(10, 8, 20, 10), Region(50, 30, 10, 20)]
    out = cover(src, boxes, padding=0.10)

    assert out.size == src.size and out.mode == src.mode
    covered: set[tuple[int, int]] = set()
    for r in boxes:
        covered |= _inside(padded_box(r, 0.10, src.width, src.height))
    for x in range(src.width):
        for y in range(src.height):
            before, after = src.getpixel((x, y)), out.getpixel((x, y))
            if (x, y) in covered:
                assert after != before, (x, y)
                if mode == "RGBA":
                    assert after == (0, 0, 0, 255)
                elif mode == "LA":
                    assert after == (0, 255)
                elif mode == "CMYK":
                    assert Image.new("CMYK", (1, 1), after).convert("RGB").getpixel((0, 0)) == (
                        0,
                        0,
                        0,
                    )
            else:
                assert after == before, (x, y)


def test_padding_grows_each_box_by_its_own_side() -> None:
    # 20x10 box, 10 %: 2 px left/right, 1 px top/bottom.
    assert padded_box(Region(10, 10, 20, 10), 0.10, 100, 100) == (8, 9, 32, 21)
    # Fractions round outward, never inward.
    assert padded_box(Region(10, 10, 15, 15), 0.10, 100, 100) == (8, 8, 27, 27)


def test_boxes_are_clamped_to_the_image() -> None:
    src = gradient((40, 30))
    out = cover(src, [Region(-10, -10, 25, 20), Region(35, 25, 50, 50)], padding=0.5)
    assert out.size == src.size
    assert out.getpixel((0, 0)) == (0, 0, 0)
    assert out.getpixel((39, 29)) == (0, 0, 0)
    x0, y0, x1, y1 = padded_box(Region(100, 100, 5, 5), 0.1, 40, 30)
    assert x1 <= x0 or y1 <= y0  # entirely outside: nothing to cover


def test_cover_is_pure_and_palette_images_become_real_colours() -> None:
    src = gradient((32, 32)).convert("P")
    snapshot = src.copy()
    out = cover(src, [Region(4, 4, 8, 8)])
    assert ImageChops.difference(src.convert("RGB"), snapshot.convert("RGB")).getbbox() is None
    assert out.mode == "RGB" and out.getpixel((6, 6)) == (0, 0, 0)


def test_transparent_palette_image_gets_an_opaque_fill() -> None:
    src = Image.new("P", (20, 20), 0)
    src.putpalette([255, 255, 255] * 256)
    src.info["transparency"] = 0
    out = cover(src, [Region(5, 5, 5, 5)])
    assert out.mode == "RGBA" and out.getpixel((7, 7)) == (0, 0, 0, 255)


def test_empty_boxes_and_no_boxes_change_nothing() -> None:
    src = gradient((30, 20))
    for boxes in ([], [Region(5, 5, 0, 10)]):
        out = cover(src, boxes)
        assert out is not src
        assert ImageChops.difference(src, out).getbbox() is None


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_bad_padding_is_refused(bad: float) -> None:
    with pytest.raises(ValueError):
        cover(gradient((10, 10)), [Region(1, 1, 2, 2)], padding=bad)
