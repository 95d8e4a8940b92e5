"""Which HEIF meta children and item properties Veil understands, and the one that holds
text someone wrote (``udes``: name, description, tags; ISO/IEC 23008-12).

Anything else in those places is reported as not understood, so a file carrying a property
Veil can't read is never called clean.
"""

from __future__ import annotations

from veil.core.formats.heif_meta import HeifMeta, Prop
from veil.core.formats.isobmff import printable

#: Children of ``meta`` that are parsed (or are plain structure).
META_CHILDREN = frozenset({"hdlr", "pitm", "iinf", "iloc", "iref", "iprp", "idat", "dinf",
                           "grpl", "free", "skip"})
#: Item properties whose content is coding or display parameters (numbers, no text).
PLAIN_PROPS = frozenset({
    "ispe", "pixi", "colr", "hvcC", "av1C", "irot", "imir", "clap", "auxC", "rloc", "lsel",
    "a1op", "a1lx", "pasp", "clli", "mdcv", "cclv", "amve", "lhvC", "oinf", "tols", "vvcC",
    "evcC", "jpgC", "j2kH", "uncC", "cmpd", "iscl", "rref", "free", "skip"})


def udes_texts(prop: Prop) -> list[tuple[str, str]]:
    """(key, value) of a ``udes`` property: language, then name, description and tags."""
    body = prop.raw[prop.header + 4 :]  # after version and flags
    parts = body.split(b"\0")
    out = []
    for key, raw in zip(("name", "description", "tags"), parts[1:4], strict=False):
        text = raw.decode("utf-8", "replace").strip()
        if text:
            out.append((f"udes {key}", text))
    return out


def unknown_parts(meta: HeifMeta) -> list[str]:
    """Plain names of meta children and properties Veil does not understand."""
    found = [f"'{printable(c.type)}' box" for c in meta.children
             if c.type not in META_CHILDREN]
    for prop in meta.props:
        if prop.type not in PLAIN_PROPS and prop.type != "udes":
            found.append(f"'{printable(prop.type)}' property")
    return list(dict.fromkeys(found))
