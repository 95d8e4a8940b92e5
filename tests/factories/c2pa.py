"""Content Credentials (C2PA) manifests as JPEG APP11 JUMBF segments, built from the
JUMBF layout (ISO 19566-5) and a small CBOR encoder (RFC 8949, what the tests need)."""

from __future__ import annotations

import json
import struct
from typing import Any

#: The JUMBF content-type UUID tail shared by the standard types ("json", "cbor", "c2pa"...).
_UUID_TAIL = bytes.fromhex("00110010800000aa00389b71")


def cbor(value: Any) -> bytes:
    """``value`` (dict, list, str, bytes, int >= 0, bool, None) as definite-length CBOR."""
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
        raise ValueError(n)

    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())


def box(kind: bytes, content: bytes) -> bytes:
    """One box: length, four-character type, content."""
    return struct.pack(">I", 8 + len(content)) + kind + content


def superbox(kind: bytes, label: str, *children: bytes) -> bytes:
    """A JUMBF superbox: its description box (type UUID, "requestable + label") and boxes."""
    jumd = box(b"jumd", kind + _UUID_TAIL + b"\x03" + label.encode() + b"\0")
    return box(b"jumb", jumd + b"".join(children))


def manifest(author: str = "Jane Doe", title: str = "IMG_0457.jpg",
             instance: str = "xmp:iid:939a4c48-0dff-44ec-8f95-61f52b11618f") -> bytes:
    """A C2PA store: one manifest with a CreativeWork (JSON) author, a c2pa.actions (CBOR)
    software agent, and a claim (CBOR) with the file's title and instance ID."""
    work = {"@context": "http://schema.org/", "@type": "CreativeWork",
            "author": [{"@type": "Person", "name": author}]}
    actions = {"actions": [{"action": "c2pa.created", "softwareAgent": "Veil Test 1.0"}]}
    claim = {"dc:title": title, "dc:format": "image/jpeg", "instanceID": instance,
             "claim_generator": "veil-tests/1.0", "signature": "self#jumbf=c2pa.signature"}
    assertions = superbox(b"c2as", "c2pa.assertions",
                          superbox(b"json", "stds.schema-org.CreativeWork",
                                   box(b"json", json.dumps(work).encode())),
                          superbox(b"cbor", "c2pa.actions", box(b"cbor", cbor(actions))))
    one = superbox(b"c2ma", "urn:uuid:c85a2b90-f1a0-4aa4-b17f-f938b475804e", assertions,
                   superbox(b"c2cl", "c2pa.claim", box(b"cbor", cbor(claim))))
    return superbox(b"c2pa", "c2pa", one)


def app11_payloads(store: bytes, packet: int = 65000) -> list[bytes]:
    """``store`` split into APP11 payloads: "JP", instance 1, sequence, box (later packets
    repeat the box's 8-byte header and continue its content)."""
    header, content = store[:8], store[8:]
    first = packet - 16
    parts = [content[:first]] + [content[i : i + packet] for i in range(first, len(content),
                                                                        packet)]
    return [b"JP\0\1" + struct.pack(">I", n + 1) + header + part
            for n, part in enumerate(parts) if part or n == 0]
