"""GIF reading (best effort): block stream walked, comments/XMP/ICC found, bounded."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.factories import gif as fg
from tests.factories.damage import assert_truncations_flagged, damaged_copies
from veil.core.errors import CorruptFile
from veil.core.formats import detect
from veil.core.formats.base import ContainerScan
from veil.core.formats.gif import Gif


def read(data: bytes) -> ContainerScan:
    return Gif.read(io.BytesIO(data), len(data))


def test_sniff_and_registry() -> None:
    data = fg.plain_gif()
    assert Gif.sniff(data[:64]) and detect(data[:64]) is Gif
    assert not Gif.sniff(b"GIF90a" + data[6:64])


def test_plain_gif_is_complete_and_clean() -> None:
    scan = read(fg.plain_gif(size=(33, 21)))
    assert (scan.width, scan.height) == (33, 21)
    assert scan.complete and not (scan.xmp or scan.comments or scan.text or scan.embedded)
    assert [b.name for b in scan.blocks][0] == "header"
    assert scan.blocks[-1].name == "end"


def test_walk_is_contiguous_and_finds_everything() -> None:
    data = fg.dirty_gif(frames=3)
    scan = read(data)
    names = [b.name for b in scan.blocks]
    assert names.count("image") == 3 and "loop" in names and "XMP" in names
    for a, b in zip(scan.blocks, scan.blocks[1:], strict=False):
        assert a.offset + a.length == b.offset
    assert scan.blocks[-1].offset + scan.blocks[-1].length == len(data)
    assert scan.comments == ("Jane Doe's phone", "second note")
    xmp = scan.xmp[0]
    assert xmp.startswith(b"<?xpacket begin=") and xmp.endswith(b'<?xpacket end="w"?>')
    assert b"Jane Doe" in xmp and b"GPSLatitude" in xmp
    assert scan.complete


def test_icc_iptc_plain_text_and_unknown_app() -> None:
    profile = b"\0\0\x01\x00" + b"p" * 600
    plain = b"\x21\x01" + fg.sub_blocks(bytes(12) + b"overlay words")
    extra = (fg.app_ext(b"ICCRGBG1012", profile) + fg.app_ext(b"MGKIPTC0000", b"\x1c\x02\x50")
             + plain + fg.app_ext(b"SECRETAPP01", b"x"))
    scan = read(fg.dirty_gif(extra=extra))
    assert scan.icc == profile
    assert scan.iptc == (b"\x1c\x02\x50",)
    assert ("GIF plain text", "overlay words") in scan.text
    assert not scan.complete and any("SECRETAPP01" in w for w in scan.warnings)


def test_bytes_after_trailer_are_reported() -> None:
    data = fg.dirty_gif(after=b"hidden stuff" * 3)
    scan = read(data)
    assert scan.embedded and scan.embedded[0].offset == len(data) - 36


def test_stray_byte_stops_the_walk() -> None:
    base = fg.plain_gif()
    scan = read(base[:-1] + b"\x99" + b";")
    assert not scan.complete and any("unexpected byte" in w for w in scan.warnings)


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"GIF89a\x01\0\x01\0", b"GIF90a" + bytes(20)],
                         ids=["empty", "signature-only", "short-screen", "bad-version"])
def test_broken_headers_raise_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read(data)


def test_every_truncation_is_corrupt_or_incomplete() -> None:
    data = fg.dirty_gif(frames=2)
    assert_truncations_flagged(read, data, len(data))


def test_random_damage_never_escapes() -> None:
    for broken in damaged_copies(fg.dirty_gif(frames=2), seed=6):
        with contextlib.suppress(CorruptFile):
            read(broken)


def test_metadata_beyond_the_budget_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.core.formats import gif as gif_module

    monkeypatch.setattr(gif_module, "MAX_TOTAL", 1000)
    scan = read(fg.dirty_gif(extra=fg.comment_ext("x" * 2000)))
    assert not scan.complete and any("too large" in w for w in scan.warnings)


def test_imagemagick_gamma_extension_is_harmless() -> None:
    gamma = fg.app_ext(b"ImageMagick", b"gamma=0.45455")
    assert read(fg.plain_gif()[:-1] + gamma + b";").complete
    other = fg.app_ext(b"ImageMagick", b"owner=Jane Doe, 12 Rue de la Paix")
    assert not read(fg.plain_gif()[:-1] + other + b";").complete
