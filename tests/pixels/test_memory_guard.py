"""No path decodes more than the memory cap (issue 12 item 3).

A 3.6 MB PNG declaring 28000x28000 RGBA decodes to 3 GB. Before, ``im.getexif()`` decoded it
(Pillow loads a PNG to look for an eXIf chunk after the picture) before the size was checked:
scan, clean and preview each peaked ~3 GB higher, and Pillow's DecompressionBombWarning went to
stderr. Each run is a child process measuring its own peak RSS (``ru_maxrss``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories.undecodable import png_bomb

REPO = Path(__file__).resolve().parents[2]
#: Generous for one refused file (the real cost is ~10 MB); the bomb would need 3,000 MB.
MAX_GROWTH_MB = 300


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = png_bomb(tmp_path_factory.mktemp("bomb") / "huge.png")
    assert path.stat().st_size < 5_000_000
    return path


def _run(mode: str, path: Path, out: Path) -> tuple[dict[str, object], str]:
    path_list = [str(REPO), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path_list))
    done = subprocess.run(
        [sys.executable, "-m", "tests.pixels.peak_child", mode, str(path), str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_scan_refuses_from_the_header(bomb: Path, tmp_path: Path) -> None:
    measured, stderr = _run("scan", bomb, tmp_path / "out")
    assert float(measured["grew_mb"]) < MAX_GROWTH_MB, measured  # type: ignore[arg-type]
    result = measured["result"]
    assert isinstance(result, dict)
    assert result["risk"] == "unknown" and result["checks"]["faces"] == "failed"
    assert "pixels not checked: the picture is too large to check its pixels (28000x28000" in (
        " ".join(result["notes"])
    )
    assert stderr == ""  # no DecompressionBombWarning


def test_clean_refuses_from_the_header(bomb: Path, tmp_path: Path) -> None:
    measured, stderr = _run("clean", bomb, tmp_path / "out")
    assert float(measured["grew_mb"]) < MAX_GROWTH_MB, measured  # type: ignore[arg-type]
    assert measured["result"] == {
        "status": "skipped",
        "message": "the picture is too large to clean (28000x28000 pixels)",
    }
    assert not any((tmp_path / "out").rglob("*.png"))
    assert stderr == ""


def test_preview_refuses_from_the_header(bomb: Path, tmp_path: Path) -> None:
    measured, stderr = _run("preview", bomb, tmp_path / "out")
    assert float(measured["grew_mb"]) < MAX_GROWTH_MB, measured  # type: ignore[arg-type]
    assert measured["result"] == {
        "status": "Unsupported",
        "message": "the picture is too large to check its pixels (28000x28000 pixels)",
    }
    assert stderr == ""


def test_a_small_png_of_the_same_make_still_decodes(tmp_path: Path) -> None:
    # The factory's stream is valid PNG: the refusal above is about size, not damage.
    from veil.core.pixels import load_upright

    image = load_upright(png_bomb(tmp_path / "small.png", side=300), 1024)
    assert (image.full_width, image.full_height) == (300, 300)
