"""The first-bytes tests of the handlers ``formats`` imports only when a file is one of them.

Camera raw containers and GIF are rare in a photo folder; their modules (and ``raw``,
``tiffbuild`` under them) cost a scan of JPEGs ~13 ms of start-up when imported eagerly.
Each handler's ``sniff`` calls the test here, so there is one definition of each.
"""

from __future__ import annotations

RAF_SIGNATURE = b"FUJIFILMCCD-RAW "
#: Olympus and Panasonic write these instead of "II*\\0" / "MM\\0*".
ORF_MAGICS: tuple[bytes, ...] = (b"IIRO", b"IIRS", b"MMOR")
RW2_MAGICS: tuple[bytes, ...] = (b"IIU\x00",)


def cr3(head: bytes) -> bool:
    """An ``ftyp`` box whose major brand is ``crx ``."""
    return head[4:12] == b"ftypcrx "


def crw(head: bytes) -> bool:
    """A byte-order mark, a header length, then "HEAPCCDR"."""
    return head[:2] in (b"II", b"MM") and head[6:14] == b"HEAPCCDR"


def gif(head: bytes) -> bool:
    """True for "GIF87a" / "GIF89a"."""
    return head[:6] in (b"GIF87a", b"GIF89a")


def raf(head: bytes) -> bool:
    """The 16-byte Fujifilm signature."""
    return head.startswith(RAF_SIGNATURE)


def rw2(head: bytes) -> bool:
    """Panasonic's TIFF header."""
    return head[:4] in RW2_MAGICS


def orf(head: bytes) -> bool:
    """Olympus' TIFF header."""
    return head[:4] in ORF_MAGICS


def mrw(head: bytes) -> bool:
    """The "\\0MRM" block that starts every MRW."""
    return head[:4] == b"\0MRM"


def x3f(head: bytes) -> bool:
    """The "FOVb" signature."""
    return head[:4] == b"FOVb"
