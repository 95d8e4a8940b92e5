"""``unshown()``: an export's source audit builds no tag list and no finding details, and
its findings are otherwise the very ones an audit shows."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.factories.basic import gps_serial_exif, make_jpeg
from veil.core.audit import audit_file
from veil.core.metadata import exif_lean, gazetteer
from veil.core.metadata.model import Collector, shown, unshown
from veil.core.scan import Skipped, expand_paths


def test_unshown_lists_no_tags_in_this_thread_only() -> None:
    other: list[bool] = []
    with unshown():
        col = Collector()
        assert col.tag("EXIF", "Make", " Canon\x00") == "Canon"
        assert col.tags == [] and col.values == {"EXIF:Make": "Canon"}
        thread = threading.Thread(target=lambda: other.append(shown()))
        thread.start()
        thread.join()
        with unshown():
            pass
        assert not shown()  # still inside the outer block
    assert other == [True] and shown()
    listed = Collector()
    listed.tag("EXIF", "Make", "Canon")
    assert [(t.group, t.name, t.value) for t in listed.tags] == [("EXIF", "Make", "Canon")]


def test_unshown_keeps_every_finding_but_its_detail(tmp_path: Path) -> None:
    src = make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif())
    full = audit_file(src, metadata_only=True)
    with unshown():
        bare = audit_file(src, metadata_only=True)
    assert full.tags and not bare.tags
    assert any(f.detail for f in full.findings)
    assert [(f.kind, f.severity, f.summary, f.source) for f in full.findings] == [
        (f.kind, f.severity, f.summary, f.source) for f in bare.findings]
    assert all(not f.detail for f in bare.findings)
    assert (full.risk, full.width, full.height, full.notes) == (
        bare.risk, bare.width, bare.height, bare.notes)


def test_unshown_changes_no_finding_of_shared_photos(shared_dir: Path) -> None:
    """As the export audits its sources (lean EXIF, no town, unshown): the same kinds,
    severities, summaries and sources as the lean audit that shows everything."""
    roots = [shared_dir / "corpus", shared_dir / "faces"]
    roots = [r for r in roots if r.is_dir()]
    if not roots:
        pytest.skip("../shared/corpus is not present")
    files = [p for p in expand_paths(roots, recursive=True) if not isinstance(p, Skipped)]
    compared = 0
    for path in files:
        with exif_lean.lean(), gazetteer.unnamed():
            full = audit_file(path, metadata_only=True)
            with unshown():
                bare = audit_file(path, metadata_only=True)
        assert [(f.kind, f.severity, f.summary, f.source) for f in full.findings] == [
            (f.kind, f.severity, f.summary, f.source) for f in bare.findings], path
        assert (full.status, full.risk, full.width, full.height, full.notes) == (
            bare.status, bare.risk, bare.width, bare.height, bare.notes), path
        assert not bare.tags and all(not f.detail for f in bare.findings), path
        compared += bool(full.findings)
    assert compared >= 20


def test_export_audits_its_source_unshown_and_its_copy_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veil.core.export import engine, export_clean, verify
    from veil.core.model import ExportOptions

    seen: dict[str, bool] = {}
    source_audit, copy_audit = engine.audit_file, verify.audit_metadata

    def audit_source(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["source"] = shown()
        return source_audit(*args, **kwargs)

    def audit_copy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["copy"] = shown()
        return copy_audit(*args, **kwargs)

    monkeypatch.setattr(engine, "audit_file", audit_source)
    monkeypatch.setattr(verify, "audit_metadata", audit_copy)
    src = make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif())
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.verified, result.error
    assert {"location", "device"} <= set(result.removed)
    assert seen == {"source": False, "copy": True}
