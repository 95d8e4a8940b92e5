"""Content Credentials (C2PA): the scan says whom and what a manifest names (the author,
a place, the file's title and ID, the signing software), not only that there is one; in a
JPEG's APP11 segments, a PNG's caBX chunk and a WebP's C2PA chunk. On manifests built here
(tests/factories/c2pa.py) and a real one from ../shared/corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import png as pf
from tests.factories import webp as wf
from tests.factories.c2pa import app11_payloads, box, cbor, manifest, superbox
from tests.factories.maker_apps import jpeg_with_apps
from veil.core.audit import audit_file
from veil.core.export import export_clean
from veil.core.metadata.cbor import CborError, decode
from veil.core.model import ExportOptions, FileReport, FindingKind


def _jpeg(tmp_path: Path, store: bytes, packet: int = 65000) -> Path:
    path = tmp_path / "credentials.jpg"
    path.write_bytes(jpeg_with_apps(*[(0xEB, p) for p in app11_payloads(store, packet)]))
    return path


def _details(report: FileReport, kind: FindingKind) -> str:
    return json.dumps([f.detail for f in report.findings if f.kind is kind])


@pytest.mark.parametrize("packet", [65000, 200])  # one APP11 segment, or many
def test_a_manifest_names_its_author_title_id_and_software(tmp_path: Path, packet: int) -> None:
    report = audit_file(_jpeg(tmp_path, manifest(), packet), metadata_only=True)
    identity = [f for f in report.findings if f.kind is FindingKind.IDENTITY]
    assert identity and identity[0].summary == "Names a person: Jane Doe (author)"
    assert identity[0].source == "C2PA"
    (text,) = [f for f in report.findings if f.kind is FindingKind.OTHER_METADATA]
    assert text.summary == 'Carries text written into it: "IMG_0457.jpg" (title)'
    software = _details(report, FindingKind.SOFTWARE)
    assert "Veil Test 1.0" in software and "939a4c48-0dff-44ec-8f95-61f52b11618f" in software
    assert FindingKind.PROVENANCE in {f.kind for f in report.findings}
    assert not report.notes


def test_an_older_cai_manifest_names_the_place_and_the_copyright_holder(tmp_path: Path) -> None:
    """CAI manifests (before C2PA 1.0) keep cai.location.broad and cai.rights as JSON."""
    store = superbox(b"cacb", "cai", superbox(
        b"cast", "cb.reuters_1", superbox(
            b"caas", "cai.assertions",
            superbox(b"json", "cai.location.broad",
                     box(b"json", b'{"location": "Salem, Oregon"}')),
            superbox(b"json", "cai.rights", box(b"json", b'{"copyright": "Alisha Jucevic"}')))))
    report = audit_file(_jpeg(tmp_path, store), metadata_only=True)
    assert "Salem, Oregon" in _details(report, FindingKind.LOCATION)
    assert "Alisha Jucevic" in _details(report, FindingKind.IDENTITY)


def test_a_damaged_manifest_is_said_and_the_rest_is_read(tmp_path: Path) -> None:
    whole = manifest()
    broken = whole.replace(b'"author"', b'"author\x00\x00')  # the JSON no longer parses
    report = audit_file(_jpeg(tmp_path, broken), metadata_only=True)
    assert any("Content Credentials record is damaged" in n for n in report.notes)
    assert FindingKind.PROVENANCE in {f.kind for f in report.findings}


def test_cbor_decodes_what_manifests_use() -> None:
    value = {"a": [1, "two", b"\x03", None, True], "n": {"deep": 65536}}
    assert decode(cbor(value)) == value
    # Indefinite-length text, array and map; a tag (its number dropped); negative; float.
    data = bytes.fromhex("bf6161 9f7f6161616aff 20 c1 1a00000001 f93c00 ff ff")
    assert decode(data) == {"a": ["aj", -1, 1, 1.0]}


@pytest.mark.parametrize("data", [
    b"\x9f" * 100,  # nested far too deep
    b"\x9b" + (1 << 40).to_bytes(8, "big"),  # an array claiming 2^40 items
    b"\x7a\xff\xff\xff\xff" + b"x",  # a string longer than the data
    b"\xff",  # a break with nothing to end
    b"\xfc",  # reserved additional information
])
def test_hostile_cbor_raises_its_own_error(data: bytes) -> None:
    with pytest.raises(CborError):
        decode(data)


def test_a_real_manifest_names_its_author_as_exiftool_does(shared_dir: Path) -> None:
    path = shared_dir / "corpus/contentauth__c2pa-python/tests/fixtures/files-for-reading-tests"
    path = path / "CA.jpg"
    if not path.is_file():
        pytest.skip("CA.jpg is not in ../shared")
    report = audit_file(path, metadata_only=True)
    assert "John Doe" in _details(report, FindingKind.IDENTITY)
    exe = shutil.which("exiftool")
    if exe:
        out = subprocess.run([exe, "-j", "-JSON:AuthorName", str(path)], capture_output=True,
                             check=True).stdout
        assert json.loads(out)[0].get("AuthorName") == "John Doe"


def _png_with(store: bytes) -> bytes:
    return pf.assemble(pf.base_png(), before_iend=[pf.chunk("caBX", store)])


def _webp_with(store: bytes) -> bytes:
    chunks = [wf.chunk(fourcc, data) for fourcc, data in wf.split(wf.pillow_webp())]
    return wf.riff([*chunks, wf.chunk("C2PA", store)])


@pytest.mark.parametrize(("name", "build"), [("credentials.png", _png_with),
                                             ("credentials.webp", _webp_with)])
def test_png_and_webp_manifests_name_the_author_and_their_copies_drop_them(
    tmp_path: Path, name: str, build: Callable[[bytes], bytes]
) -> None:
    """A PNG keeps the store in a caBX chunk, a WebP in a RIFF "C2PA" chunk (C2PA 1.x)."""
    path = tmp_path / name
    path.write_bytes(build(manifest()))
    report = audit_file(path, metadata_only=True)
    assert "Jane Doe" in _details(report, FindingKind.IDENTITY) and not report.notes
    assert FindingKind.PROVENANCE in {f.kind for f in report.findings}
    res = export_clean(path, tmp_path / "out", ExportOptions())
    assert res.verified and res.output is not None, res.error
    assert b"Jane Doe" not in res.output.read_bytes() and "c2pa" in res.removed


@pytest.mark.parametrize("where", ["uuid box", "jumb box", "item"])
def test_a_heif_manifest_names_the_author(tmp_path: Path, where: str,
                                          request: pytest.FixtureRequest) -> None:
    """HEIF/AVIF keep the store in a top-level C2PA ``uuid`` box (C2PA's BMFF embedding), a
    bare ``jumb`` box, or an ``application/c2pa`` item: the scan said only that a record
    was there, not whom it names."""
    pytest.importorskip("pillow_heif")
    from tests.factories import isobmff as hf

    coded = request.getfixturevalue("coded")
    store = manifest()
    if where == "item":
        items = [hf.Item(1, "hvc1", coded.data, list(coded.props)),
                 hf.Item(2, "mime", store, content_type="application/c2pa")]
        data = hf.build_heif(items, 1, [("cdsc", 2, [1])])
    else:
        top = hf.c2pa_manifest_box(store) if where == "uuid box" else store
        data = hf.simple_heif(coded, extra_top=top)
    path = tmp_path / "credentials.heic"
    path.write_bytes(data)
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    identity = [f for f in report.findings if f.kind is FindingKind.IDENTITY]
    assert identity and identity[0].summary == "Names a person: Jane Doe (author)"
    assert "939a4c48-0dff-44ec-8f95-61f52b11618f" in _details(report, FindingKind.SOFTWARE)
    assert FindingKind.PROVENANCE in {f.kind for f in report.findings} and not report.notes


def test_a_movie_manifest_names_the_author_and_its_copy_drops_it(tmp_path: Path) -> None:
    """An MP4 keeps the store in a top-level C2PA ``uuid`` box (C2PA's BMFF embedding): the
    scan called it the private data of a 'Camera camera' and never said Content
    Credentials, nor whom they name."""
    from tests.factories.isobmff import c2pa_manifest_box
    from tests.factories.video import make_clip

    path = make_clip(tmp_path / "credentials.mp4", fmt="mp4")
    path.write_bytes(path.read_bytes() + c2pa_manifest_box(manifest()))
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    identity = [f for f in report.findings if f.kind is FindingKind.IDENTITY]
    assert identity and identity[0].summary == "Names a person: Jane Doe (author)"
    kinds = {f.kind for f in report.findings}
    assert FindingKind.PROVENANCE in kinds and FindingKind.MAKER_NOTES not in kinds
    res = export_clean(path, tmp_path / "out", ExportOptions())
    assert res.verified and res.output is not None, res.error
    assert b"Jane Doe" not in res.output.read_bytes() and "provenance" in res.removed


def test_an_avif_manifest_names_the_author_and_its_copy_drops_it(tmp_path: Path) -> None:
    """The same uuid box after a Pillow-made AVIF's media data (top-level boxes may follow
    ``mdat``): AVIF is read by the HEIF reader."""
    import io

    from PIL import Image, features

    from tests.factories.isobmff import c2pa_manifest_box

    if not features.check("avif"):
        pytest.skip("this Pillow writes no AVIF")
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 160)).save(out, "AVIF")
    path = tmp_path / "credentials.avif"
    path.write_bytes(out.getvalue() + c2pa_manifest_box(manifest()))
    report = audit_file(path, metadata_only=True)
    assert report.ok and report.format == "avif", report.error
    assert "Jane Doe" in _details(report, FindingKind.IDENTITY) and not report.notes
    res = export_clean(path, tmp_path / "out", ExportOptions())
    assert res.verified and res.output is not None, res.error
    assert b"Jane Doe" not in res.output.read_bytes() and "provenance" in res.removed
