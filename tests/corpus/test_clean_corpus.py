"""``veil clean`` over ../shared/corpus (real camera files; skips cleanly when absent).

Every readable file is cleaned (and verified) or refused with a reason; originals stay
byte-for-byte the same; where exiftool is installed it finds nothing identifying in any
output; every output displays upright like its original, and a copy that can't be decoded
comes only from an original that can't be decoded either.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from veil.bench.clean_checks import decodes, exiftool_leaks, same_upright
from veil.core.export import export_batch
from veil.core.export.verify import proven_same_coding
from veil.core.model import ExportOptions, ExportResult, ExportStatus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> Path:
    folder = shared_dir / "corpus"
    if not folder.is_dir():
        pytest.skip("../shared/corpus is not present")
    return folder


@pytest.fixture(scope="module")
def cleaned(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[ExportResult], dict[Path, str]]]:
    hashes = {
        p: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.rglob("*") if p.is_file()
    }
    out = tmp_path_factory.mktemp("clean-corpus")
    results = list(export_batch([corpus], out, ExportOptions()))
    yield results, hashes
    shutil.rmtree(out, ignore_errors=True)


def test_every_file_cleaned_or_refused_with_a_reason(
    cleaned: tuple[list[ExportResult], dict[Path, str]],
) -> None:
    results, _ = cleaned
    assert len(results) >= 100
    for r in results:
        if r.status is ExportStatus.CLEANED:
            assert r.verified and r.output is not None and r.output.is_file()
        else:
            assert r.output is None and r.error and "\n" not in r.error, r
    ok = [r for r in results if r.status is ExportStatus.CLEANED]
    assert len(ok) >= 0.9 * len(results)
    # Refusals are for raws, damaged files and non-images, never for ordinary photos.
    for r in results:
        if r.status is not ExportStatus.CLEANED:
            assert r.source.suffix.lower() in {".dng", ".txt", ".heic"}, (r.source, r.error)


def test_originals_unchanged(cleaned: tuple[list[ExportResult], dict[Path, str]]) -> None:
    _, hashes = cleaned
    for path, digest in hashes.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_finds_nothing_identifying(
    cleaned: tuple[list[ExportResult], dict[Path, str]],
) -> None:
    results, _ = cleaned
    outputs = [r.output for r in results if r.output is not None]
    assert exiftool_leaks(outputs) == {}


def test_every_output_displays_upright(
    cleaned: tuple[list[ExportResult], dict[Path, str]],
) -> None:
    results, _ = cleaned
    sideways = [
        r.source.name
        for r in results
        if r.output is not None
        and not same_upright(r.source, r.output)
        and decodes(r.source)  # a damaged original: see the test below
    ]
    assert sideways == []


def test_an_undecodable_copy_is_never_worse_than_its_original(
    cleaned: tuple[list[ExportResult], dict[Path, str]],
) -> None:
    """Verification proves a lossless copy's coded data is the original's own instead of
    decoding it again, so an original whose own pixels are damaged (exiftool's 623-byte
    QuickTime.heic placeholder) gives an equally damaged copy: never a worse one."""
    results, _ = cleaned
    for r in results:
        if r.output is not None and not decodes(r.output):
            assert not decodes(r.source), r.source
            assert r.lossless and proven_same_coding(r.source, r.output), r.source
