"""What a metadata-only scan imports: only what it uses (start-up is most of a small scan).

Raw containers and GIF are imported when a file is one (``formats.Lazy``); pixel libraries,
the worker pool and the cleaner's hashing never for ``veil scan --metadata-only``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import raw as fr
from tests.factories.exif import exif_payload
from tests.factories.jpeg import app1_exif, encode, insert
from veil.core import formats

LAZY = [f for f in formats.FORMATS if isinstance(f, formats.Lazy)]
#: email.utils (with socket and selectors) only parses a zoned e-mail date: ~9 ms a start.
NEVER_FOR_METADATA = ("PIL", "numpy", "cv2", "onnxruntime", "multiprocessing", "hashlib",
                      "veil.core.export", "veil.core.pixels", "veil.core.formats.cr3",
                      "veil.core.formats.gif", "veil.core.formats.raw", "email.utils",
                      "socket")


@pytest.mark.parametrize("entry", LAZY, ids=lambda e: e.name)
def test_lazy_entry_names_its_handler(entry: formats.Lazy) -> None:
    handler = entry.load()
    assert handler.name == entry.name
    assert bool(handler.refusal) == entry.raw
    assert (entry.name in formats.RAW_FORMATS) == entry.raw
    assert getattr(formats, entry.cls) is handler


@pytest.mark.parametrize(
    ("data", "name"),
    [(fr.cr3(), "cr3"), (fr.crw(), "crw"), (fr.raf(), "raf"), (fr.rw2(), "rw2"),
     (fr.orf(), "orf"), (fr.mrw(), "mrw"), (fr.x3f(), "x3f"), (b"GIF89a" + bytes(58), "gif")],
)
def test_lazy_handlers_are_still_detected(data: bytes, name: str) -> None:
    handler = formats.detect(data[:64])
    assert handler is not None and handler.name == name
    assert handler.sniff(data[:64])  # the class's own test is the registry's


def test_metadata_only_scan_imports_only_what_it_uses(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(insert(encode(), app1_exif(exif_payload(make="Canon", serial="SN1"))))
    code = (
        "import sys, io, contextlib\n"
        "from veil.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['scan', '--json', '--metadata-only', {str(photo)!r}])\n"
        f"never = {NEVER_FOR_METADATA!r}\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m in never or m.startswith(tuple(n + '.' for n in never)))\n"
        "print(code, bad)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "1 []", proc.stdout + proc.stderr
