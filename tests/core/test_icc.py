"""veil.core.metadata.icc: reading every text of a colour profile, and a neutral copy of it."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from tests.factories import icc as fi
from veil.core.errors import CorruptFile
from veil.core.metadata.icc import NEUTRAL_DESCRIPTION, icc_texts, is_neutral, neutral_icc
from veil.core.metadata.icc_judge import judge_text
from veil.core.metadata.icc_tags import profile_id, tag_table


def _tags(profile: bytes) -> dict[bytes, bytes]:
    return {e.sig: profile[e.offset : e.offset + e.size] for e in tag_table(profile)}


def _transform_pixels(profile: bytes) -> bytes:
    """What LittleCMS makes of a test image through ``profile`` into sRGB: same colours
    means the same bytes."""
    im = Image.frombytes("RGB", (64, 4), bytes(range(256)) * 3)
    src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    dst = ImageCms.createProfile("sRGB")
    return ImageCms.profileToProfile(im, src, dst, outputMode="RGB").tobytes()


def test_reads_every_text_of_a_v2_profile() -> None:
    texts = icc_texts(fi.display_profile())
    assert texts.get("desc") == "JohnS iMac 27"
    assert texts.get("cprt") == "(c) John Secretname 2024"
    assert texts.get("dmnd") == "Apple Computer"
    assert texts.get("dmdd") == "iMac of John Secretname"


def test_reads_v4_mluc_english_first() -> None:
    assert icc_texts(fi.SRGB_V4).get("desc") == "sRGB built-in"
    named = fi.profile([(b"desc", fi.mluc(("deDE", "Anna"), ("enUS", "Bob's screen")))])
    assert icc_texts(named).get("desc") == "Bob's screen / Anna"


@pytest.mark.parametrize(
    "profile",
    [
        fi.display_profile(),
        fi.display_profile(with_id=True),
        fi.SRGB_V4,
        fi.display_profile(extra=[(b"vued", fi.mluc(("enUS", "Johns office")))]),
    ],
    ids=["v2", "v2-with-id", "pillow-srgb-v4", "extra-mluc"],
)
def test_neutral_copy_keeps_colours_and_names_nobody(profile: bytes) -> None:
    out = neutral_icc(profile)
    assert is_neutral(out)
    if profile is not fi.SRGB_V4:
        assert not is_neutral(profile)
    assert b"John" not in out and b"J\0o\0h\0n" not in out
    assert icc_texts(out).get("desc") == NEUTRAL_DESCRIPTION
    assert not icc_texts(out).get("cprt")
    before, after = _tags(profile), _tags(out)
    assert set(after) == set(before)  # nothing dropped here, only texts replaced
    for sig, data in before.items():
        if data[:4] not in (b"desc", b"mluc", b"text"):
            assert after[sig] == data, sig  # colour tags byte for byte
    # Header: same but size, ID and the device/creator codes (blanked: "APPL"/"iMac" name the
    # machine); every element on a 4-byte boundary; size is the length.
    assert out[4:48] == profile[4:48] and out[56:80] == profile[56:80]
    assert out[48:56] == bytes(8) and out[80:84] == bytes(4)
    assert out[100:128] == profile[100:128]
    assert int.from_bytes(out[:4], "big") == len(out) and len(out) % 4 == 0
    assert all(e.offset % 4 == 0 for e in tag_table(out))
    if any(profile[84:100]):
        assert out[84:100] == profile_id(out) != profile[84:100]
    else:
        assert out[84:100] == bytes(16)
    # LittleCMS loads it, reads the neutral name and renders the very same colours.
    loaded = ImageCms.ImageCmsProfile(io.BytesIO(out))
    assert ImageCms.getProfileDescription(loaded).strip() == NEUTRAL_DESCRIPTION
    assert _transform_pixels(out) == _transform_pixels(profile)


def test_shared_curves_stay_shared_and_device_structures_go() -> None:
    mmod = b"mmod\0\0\0\0" + b"APPL" + b"\0\0\xa0\x2c" + b"SN12345678" + bytes(10)
    profile = fi.display_profile(extra=[(b"mmod", mmod)])
    out = neutral_icc(profile)
    table = {e.sig: e for e in tag_table(out)}
    assert b"mmod" not in table and b"SN12345678" not in out
    assert table[b"rTRC"].offset == table[b"gTRC"].offset == table[b"bTRC"].offset


def test_profile_id_matches_the_spec_definition() -> None:
    # fi.profile computes the ID itself (with hashlib); both must agree.
    profile = fi.display_profile(with_id=True)
    assert profile[84:100] == profile_id(profile)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p[:100],  # shorter than a header
        lambda p: p[:128] + struct.pack(">I", 50_000) + p[132:],  # absurd tag count
        lambda p: p[:136] + struct.pack(">I", 10**9) + p[140:],  # first tag far outside
        lambda p: p[:36] + b"xxxx" + p[40:],  # not 'acsp': neutral_icc refuses it
    ],
)
def test_damaged_profiles_raise_corrupt_file(damage) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CorruptFile):
        neutral_icc(damage(fi.display_profile()))


def test_a_text_longer_than_its_tag_is_corrupt() -> None:
    bad = b"desc\0\0\0\0" + struct.pack(">I", 10_000) + b"short"
    with pytest.raises(CorruptFile):
        icc_texts(fi.profile([(b"desc", bad)]))


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("sRGB IEC61966-2.1", "standard"),
        ("Display P3", "standard"),
        ("Adobe RGB (1998)", "standard"),
        ("Copyright (c) 1998 Hewlett-Packard Company", "standard"),
        ("Copyright Apple Inc., 2017", "standard"),
        ("No copyright, use freely", "standard"),
        ("Color LCD", "standard"),
        ("Canon EOS R5 profile", "device"),
        ("DELL U2715H", "device"),
        ("JohnS iMac 27", "personal"),
        ("(c) John Secretname 2024", "personal"),
        ("John's MacBook Pro", "personal"),
    ],
)
def test_judge_text(text: str, verdict: str) -> None:
    assert judge_text(text) == verdict


def test_real_profiles_from_the_corpus(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    seen = 0
    for path in sorted(corpus.rglob("*.jp*g")):
        try:
            with Image.open(path) as im:
                profile = im.info.get("icc_profile")
        except Exception:
            continue
        if not profile or profile[36:40] != b"acsp":
            continue
        seen += 1
        out = neutral_icc(profile)
        assert is_neutral(out), path
        ImageCms.ImageCmsProfile(io.BytesIO(out))  # LittleCMS still loads it
        if profile[16:20] == b"RGB ":
            assert _transform_pixels(out) == _transform_pixels(profile), path
    if seen == 0:
        pytest.skip("no JPEG with an ICC profile in the corpus")


def test_safe_icc_neutralises_or_drops() -> None:
    from veil.core.metadata.icc import safe_icc

    assert safe_icc(None) is None and safe_icc(b"") is None
    assert safe_icc(b"profile") is None  # too damaged to vouch for: dropped
    out = safe_icc(fi.display_profile())
    assert out is not None and is_neutral(out) and out == neutral_icc(fi.display_profile())


def test_heif_proof_accepts_only_a_neutralised_colour_profile() -> None:
    from veil.core.export.heif_proof import _props_equivalent, neutralised_colr

    def colr(profile: bytes) -> bytes:
        body = b"prof" + profile
        return struct.pack(">I", 8 + len(body)) + b"colr" + body

    src_icc = fi.display_profile()
    src = [("ispe", b"ispe-box", False), ("colr", colr(src_icc), False)]
    neutral = [src[0], ("colr", colr(neutral_icc(src_icc)), False)]
    assert neutralised_colr(src[1][1], neutral[1][1])
    assert _props_equivalent(src, neutral)
    # A changed colour tag (the gamma of the shared TRC) is not proven.
    other = bytearray(neutral_icc(src_icc))
    trc = next(e for e in tag_table(bytes(other)) if e.sig == b"rTRC")
    other[trc.offset + 12] ^= 0x01
    assert not _props_equivalent(src, [src[0], ("colr", colr(bytes(other)), False)])
    assert not _props_equivalent(src, [src[0], ("colr", colr(neutral_icc(src_icc)), True)])


#: A tag the ICC spec does not define (or a defined one in a type no colour transform reads)
#: can hold any bytes: here a name and a serial, as a hostile or careless writer may put them.
_PRIVATE = b"zzzz\0\0\0\0Alice Smith phone SN 998877\0"


@pytest.mark.parametrize("sig", [b"ownr", b"dmdd"])
def test_a_tag_of_unknown_type_is_read_and_never_kept(sig: bytes, tmp_path: Path) -> None:
    """Hostile retest: such a tag scanned ``risk: none`` and the neutral copy kept it byte
    for byte, so `veil clean` said "verified clean" on a copy still holding the name."""
    from veil.core.audit import audit_file
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions, ExportStatus, Risk

    rgb = [(b"rXYZ", fi.xyz(0.4361, 0.2225, 0.0139)), (b"gXYZ", fi.xyz(0.3851, 0.7169, 0.0971)),
           (b"bXYZ", fi.xyz(0.1431, 0.0606, 0.7141)), (b"wtpt", fi.xyz(0.9642, 1.0, 0.8249)),
           (b"rTRC", fi.curve()), (b"gTRC", fi.curve()), (b"bTRC", fi.curve())]
    prof = fi.profile([(b"desc", fi.desc_v2("sRGB")), *rgb, (sig, _PRIVATE)])
    assert any("Alice Smith" in t for _, t in icc_texts(prof).texts)
    out = neutral_icc(prof)
    assert b"Alice" not in out and sig not in {e.sig for e in tag_table(out)}
    assert _transform_pixels(out) == _transform_pixels(prof)
    src = tmp_path / "p.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 90, 160)).save(buf, "JPEG", icc_profile=prof)
    src.write_bytes(buf.getvalue())
    assert audit_file(src, metadata_only=True).risk is not Risk.NONE
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.output is not None
    assert b"Alice" not in result.output.read_bytes()


def test_binary_private_tags_are_not_read_as_names() -> None:
    """The printable runs of binary data ("Q%R3S=TEU...") are not a text: a corpus TIFF's
    Apple 'ndin' tag was judged a personal name (and ndin, numbers only, is kept)."""
    binary = b"zzzz\0\0\0\0" + bytes(range(256)) * 4
    prof = fi.profile([(b"desc", fi.desc_v2("sRGB")), (b"priv", binary),
                       (b"ndin", b"ndin\0\0\0\0" + bytes(range(256)))])
    assert dict(icc_texts(prof).texts) == {"desc": "sRGB"}
    assert {e.sig for e in tag_table(neutral_icc(prof))} == {b"desc", b"ndin"}
