"""What the parallel batch loads in the parent before it forks (``export.preload``): decided
by names, never by opening a photo, and every cleaner a worker's copies need."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.core.export.plan import BatchItem
from veil.core.scan import Skipped


def _item(path: Path, index: int) -> BatchItem:
    path.write_bytes(b"x" * 10)
    return BatchItem(path, Path(), index)


def test_preload_decides_by_names_and_opens_no_photo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the fork, pillow-heif is loaded when a photo is named as a HEIF/AVIF, and no
    photo is opened to decide it (a roll of thousands would wait on it)."""
    import builtins

    from veil.core import pixels
    from veil.core.export import preload as preload_mod

    calls: list[str] = []
    monkeypatch.setattr(pixels, "register_heif", lambda: calls.append("heif"))
    real_open = builtins.open

    def no_photo_opened(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert not str(path).startswith(str(tmp_path)), f"{path} was opened"
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_photo_opened)
    jpegs: list[BatchItem | Skipped] = [_item(tmp_path / f"{n}.jpg", n) for n in range(3)]
    preload_mod.preload(jpegs)
    assert calls == []
    preload_mod.preload([*jpegs, _item(tmp_path / "x.HEIC", 4)])
    assert calls == ["heif"]


def test_a_heif_named_as_a_jpeg_is_still_verified_by_a_worker(tmp_path: Path) -> None:
    """Nothing loads pillow-heif ahead for a HEIF named .jpg: the worker that meets it
    loads it (a fresh process, so nothing was loaded by an earlier test)."""
    import json
    import subprocess
    import sys

    pillow_heif = pytest.importorskip("pillow_heif")
    folder = tmp_path / "in"
    folder.mkdir()
    pillow_heif.from_pillow(fx.gradient((64, 48))).save(folder / "a.jpg", format="HEIF")
    for n in range(3):
        (folder / f"b{n}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    proc = subprocess.run(
        [sys.executable, "-m", "veil", "clean", "-j", "2", "--json", str(folder),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(proc.stdout)["results"]
    assert len(results) == 4 and all(r["verified"] for r in results)
    (heif,) = [r for r in results if r["source"].endswith("a.jpg")]
    assert heif["output"].endswith(".heic")


#: Run in a fresh process: the parent's preload, then one worker task over every photo of
#: the folder in argv[1], in-process; prints the format and export modules the task imported
#: itself.
_WORKER_IMPORTS = """
import json, sys
from pathlib import Path
from veil.cli import clean  # what `veil clean` has imported before it plans
from veil.core.cancel import NEVER
from veil.core.export import handoff, parallel
from veil.core.export.batch import prepare_folders
from veil.core.export.plan import plan_batch
from veil.core.model import ExportOptions

src, out = Path(sys.argv[1]), Path(sys.argv[2])
plan = list(plan_batch([src], out, recursive=False))
snapshot = prepare_folders(plan, out)
parallel.preload(plan)
before = set(sys.modules)
parallel._worker_cancel = NEVER
_, done = parallel._work((0, plan, out, ExportOptions(), parallel._job_snapshot(plan, snapshot)))
handoff.discard([e for e in done if isinstance(e, handoff.Handoff)])
print(json.dumps({
    "verified": sum(isinstance(e, handoff.Handoff) for e in done),
    "imported": sorted(m for m in set(sys.modules) - before
                       if m.startswith(("veil.core.formats.", "veil.core.export."))),
}))
"""


def test_a_worker_imports_no_cleaner_the_parent_could_have_loaded(tmp_path: Path) -> None:
    """Every format and export module a worker's copies need is loaded by the parent's
    preload before the fork: otherwise each worker imports it again on its first photo of
    that kind (a module split out of an eagerly imported one and imported on first use, as
    tiff_clean was, falls out of the preload unseen). One photo of each kind Veil cleans but
    GIF, whose handler is imported only when a file is one (formats.FORMATS, like raws).
    The audit's own modules (detectors, metadata.collect) are left to the workers: loading
    them ahead measured no difference on ../shared/corpus (CPU ratio 0.98, min-max 0.92-1.15)."""
    import json
    import subprocess
    import sys

    from tests.factories import png, webp

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    fx.dirty_tiff(folder / "b.tif")
    (folder / "c.png").write_bytes(png.dirty_png())
    (folder / "d.webp").write_bytes(webp.dirty_webp())
    kinds = 4
    if importlib.util.find_spec("pillow_heif"):
        fx.dirty_heic(folder / "e.heic")
        kinds += 1
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER_IMPORTS, str(folder), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["verified"] == kinds
    assert answer["imported"] == []
