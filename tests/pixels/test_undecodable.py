"""One undecodable picture is that file's result, never the end of the batch (issue 12 item 2).

Before: libavif's RuntimeError and Pillow's struct.error escaped ``load_upright``; ``veil
scan`` printed "internal error", exited 2 with its JSON cut at ``{"files": [``, and in the
window the row stayed on "Checking for faces...".
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import undecodable
from tests.factories.faces import group_photo
from veil.core.audit import audit_file
from veil.core.errors import CorruptFile
from veil.core.model import CheckStatus, Risk
from veil.core.pixels import load_upright

CRASHERS: dict[str, Callable[[Path], Path]] = {
    "planes.avif": undecodable.avif_garbled_planes,
    "no_item.avif": undecodable.avif_missing_item,
    "cut.heic": undecodable.heic_cut,
    "exif_cut.jpg": undecodable.jpeg_truncated_exif,
    "strip.tif": undecodable.tiff_garbled_deflate,
}


@pytest.fixture
def crashers(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    return {name: make(folder / name) for name, make in CRASHERS.items()}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_load_upright_raises_only_veils_own_error(crashers: dict[str, Path], name: str) -> None:
    with pytest.raises(CorruptFile, match="cannot decode the pixels"):
        load_upright(crashers[name], 640)


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_the_file_is_reported_with_pixel_checks_failed(
    crashers: dict[str, Path], name: str
) -> None:
    report = audit_file(crashers[name])
    assert report.status == "ok"  # the metadata was read: it is reported
    assert report.checks["faces"] is CheckStatus.FAILED
    assert report.checks["marks"] is CheckStatus.FAILED
    assert report.risk is not Risk.NONE
    assert any(n.startswith("pixels not checked: cannot decode the pixels") for n in report.notes)


def test_a_batch_with_every_crasher_reports_every_file(
    crashers: dict[str, Path], tmp_path: Path
) -> None:
    folder = next(iter(crashers.values())).parent
    image, _ = group_photo((480, 360), [(60, 60, 80)])
    image.save(folder / "zz_friend.jpg", quality=90)
    done = subprocess.run(
        [sys.executable, "-m", "veil", "scan", "--json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stderr == ""
    doc = json.loads(done.stdout)  # complete JSON, not cut at the first crasher
    by_name = {Path(e["path"]).name: e for e in doc["files"]}
    assert set(by_name) == {*CRASHERS, "zz_friend.jpg"}
    for name in CRASHERS:
        assert by_name[name]["checks"]["faces"] == "failed", name
        assert by_name[name]["risk"] != "none", name
    assert any(f["kind"] == "face" for f in by_name["zz_friend.jpg"]["findings"])
    assert done.returncode == 1  # findings (the face), no file errored
