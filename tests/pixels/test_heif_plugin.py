"""pillow-heif is loaded for the pictures it opens (HEIC, AVIF), never for a JPEG or PNG."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.factories.export import dirty_heic

_CODE = """
import sys
from pathlib import Path
from veil.core.pixels import load_upright
for name in sys.argv[1:]:
    up = load_upright(Path(name))
    print(Path(name).suffix, up.full_width, up.full_height, "pillow_heif" in sys.modules)
"""


def test_pillow_heif_is_loaded_only_for_a_heif(tmp_path: Path) -> None:
    """Its import cost every scan that looks at pixels ~12 ms (~0.1 s cold) before."""
    jpeg, png = tmp_path / "a.jpg", tmp_path / "b.png"
    Image.new("RGB", (64, 48), (200, 10, 10)).save(jpeg)
    Image.new("RGB", (40, 30), (10, 200, 10)).save(png)
    heic = dirty_heic(tmp_path / "c.heic")
    done = subprocess.run([sys.executable, "-c", _CODE, str(jpeg), str(png), str(heic)],
                          capture_output=True, text=True, check=False)
    assert done.stdout.splitlines() == [
        ".jpg 64 48 False", ".png 40 30 False", ".heic 128 96 True"], done.stderr
