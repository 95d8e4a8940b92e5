"""Decoder warnings go to the file's notes, not stderr (issue 12 item 10, second bullet)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

from tests.factories.undecodable import jpeg_exif_warning, tiff_garbled_deflate
from veil.core.pixels.quiet import decoder_notes


def _scan(path: Path) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-m", "veil", "scan", "--json", str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    return json.loads(done.stdout)["files"][0], done.stderr


def test_libtiff_messages_become_the_files_notes(tmp_path: Path) -> None:
    entry, stderr = _scan(tiff_garbled_deflate(tmp_path / "strip.tif"))
    assert stderr == ""  # libtiff printed "ZIPDecode: Decoding error ..." here before
    notes = " ".join(entry["notes"])  # type: ignore[arg-type]
    assert "pixels not checked: cannot decode the pixels" in notes
    assert "the decoder said: ZIPDecode: Decoding error" in notes


def test_pillow_warnings_become_the_files_notes(tmp_path: Path) -> None:
    entry, stderr = _scan(jpeg_exif_warning(tmp_path / "odd_exif.jpg"))
    assert stderr == ""  # Pillow's UserWarning was printed here before
    assert entry["checks"]["faces"] == "done"  # type: ignore[index]
    assert "while decoding the pixels: Corrupt EXIF data." in " ".join(entry["notes"])  # type: ignore[arg-type]


def test_capture_holds_fd2_and_warnings_only_inside(capfd) -> None:  # type: ignore[no-untyped-def]
    notes: list[str] = []
    with decoder_notes(notes, c_stderr=True):
        os.write(2, b"TIFFReadDirectory: something odd\n")
        warnings.warn("Corrupt EXIF data", UserWarning, stacklevel=1)
        warnings.warn("Corrupt EXIF data", UserWarning, stacklevel=1)  # once in the notes
    os.write(2, b"after\n")
    assert notes == ["Corrupt EXIF data", "TIFFReadDirectory: something odd"]
    assert capfd.readouterr().err == "after\n"


def test_each_capture_sees_only_its_own_messages_and_a_child_its_own_file() -> None:
    """One capture file per process, emptied after each capture: a second capture holds
    none of the first's text, and a forked child never writes into its parent's file."""
    import multiprocessing

    first: list[str] = []
    with decoder_notes(first, c_stderr=True):
        os.write(2, b"ZIPDecode: first file's message\n")
    second: list[str] = []
    with decoder_notes(second, c_stderr=True):
        os.write(2, b"LZWDecode: second\n")
    assert first == ["ZIPDecode: first file's message"] and second == ["LZWDecode: second"]

    def child(send) -> None:  # type: ignore[no-untyped-def]
        notes: list[str] = []
        with decoder_notes(notes, c_stderr=True):
            os.write(2, b"child's message\n")
        send.send(notes)

    recv, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    proc = multiprocessing.get_context("fork").Process(target=child, args=(send,))
    with decoder_notes(mine := [], c_stderr=True):
        proc.start()
        proc.join()
        os.write(2, b"parent's message\n")
    assert recv.recv() == ["child's message"]
    assert mine == ["parent's message"]


def test_a_capture_inside_a_capture_keeps_what_the_outer_one_holds() -> None:
    outer: list[str] = []
    with decoder_notes(outer, c_stderr=True):
        os.write(2, b"outer before\n")
        inner: list[str] = []
        with decoder_notes(inner, c_stderr=True):
            os.write(2, b"inner\n")
        os.write(2, b"outer after\n")
    assert inner == ["inner"]
    assert outer == ["outer before", "outer after"]


def test_the_exports_quiet_open_holds_fd2_for_a_tiff_only(capfd) -> None:  # type: ignore[no-untyped-def]
    """libtiff is the one decoder that prints to fd 2: given a file's first bytes, the
    export's quiet open points fd 2 elsewhere for a TIFF only; Pillow's warnings are held
    back for every file, and without the bytes fd 2 is held as before."""
    from veil.core.export.upright import quiet_pillow

    for head, held in ((b"II*\0", True), (b"MM\0*", True), (None, True),
                       (b"\xff\xd8\xff\xe0", False), (b"\x89PNG", False)):
        with quiet_pillow(head):
            os.write(2, b"libtiff says\n")
            warnings.warn("Corrupt EXIF data", UserWarning, stacklevel=1)
        assert capfd.readouterr().err == ("" if held else "libtiff says\n"), head


def test_python_deprecations_are_not_notes_about_the_file() -> None:
    # Python 3.12+ warns (DeprecationWarning) when a multi-threaded process forks: during a
    # capture that line became the photo's "decoder note". A decoder's UserWarning stays one.
    notes: list[str] = []
    with decoder_notes(notes):
        warnings.warn("This process is multi-threaded, use of fork() may lead to deadlocks",
                      DeprecationWarning, stacklevel=1)
        warnings.warn("soon gone", PendingDeprecationWarning, stacklevel=1)
        warnings.warn("Corrupt EXIF data", UserWarning, stacklevel=1)
    assert notes == ["Corrupt EXIF data"]

