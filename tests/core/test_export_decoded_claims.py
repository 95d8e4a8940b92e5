"""Workers of one batch wait for each other's decode of the same bytes instead of racing,
and only a decode that succeeded ever spares another copy its own."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from veil.core.export import decode_check, decoded
from veil.core.export.verify import verify_output

_CTX = multiprocessing.get_context("fork")
_DIGEST = bytes(range(32))


@pytest.fixture
def shared() -> Any:
    decoded.forget_all()
    decoded.share(_CTX.Lock())
    yield
    decoded.unshare()
    decoded.forget_all()


def _claim_then(started: Any, go: Any, outcome: str) -> None:
    assert decoded.claim(_DIGEST, "HEIF") is False  # nobody decoded these bytes: mine
    started.set()
    go.wait(5)
    if outcome == "decoded":
        decoded.remember_decoded(_DIGEST, "HEIF")
    elif outcome == "failed":
        decoded.release(_DIGEST, "HEIF")
    os._exit(0)  # "died": exits holding the claim


class _GoWhenWaiting:
    """Stands in for ``time`` in veil.core.export.decoded: the first time this process
    waits on another's claim, the other is let go, so it finishes while this one waits."""

    def __init__(self, go: Any) -> None:
        self.go = go
        self.monotonic = time.monotonic

    def sleep(self, seconds: float) -> None:
        self.go.set()
        time.sleep(seconds)


def _race(outcome: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    started, go = _CTX.Event(), _CTX.Event()
    monkeypatch.setattr(decoded, "time", _GoWhenWaiting(go))
    child = _CTX.Process(target=_claim_then, args=(started, go, outcome))
    child.start()
    assert started.wait(10)
    answer = decoded.claim(_DIGEST, "HEIF")
    child.join()
    assert go.is_set()  # it did wait for the other worker
    return answer


@pytest.mark.parametrize(("outcome", "spared"), [("decoded", True), ("failed", False),
                                                 ("died", False)])
def test_a_claim_is_waited_for_and_only_success_spares(shared: None, outcome: str, spared: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Another worker's decode of the same bytes: its success spares this copy's decode;
    its failure, or its death mid-decode, leaves this copy to decode itself."""
    assert _race(outcome, monkeypatch) is spared
    if not spared:  # this process now holds the claim: a third worker would wait for it
        decoded.release(_DIGEST, "HEIF")
    assert decoded.seen_decoding(_DIGEST, "HEIF") is spared


def test_claims_are_per_mode_and_free_without_a_shared_table() -> None:
    decoded.forget_all()
    assert decoded.claim(_DIGEST, "HEIF") is False  # no table: decode, nothing to wait for
    decoded.remember_decoded(_DIGEST, "HEIF")
    assert decoded.claim(_DIGEST, "HEIF") is True
    assert decoded.claim(_DIGEST, "AVIF") is False
    decoded.forget_all()


def _bad_webp(path: Path) -> Path:
    import random

    rng = random.Random(7)
    img = Image.new("RGB", (64, 64))
    img.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                 for _ in range(64 * 64)])
    img.save(path, "WEBP", lossless=True)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 40] = b"\xff" * 40  # coded data broken, RIFF intact
    path.write_bytes(bytes(data))
    return path


def _verify_slowly(path: Path, decoding: Any, go: Any, answer: Any) -> None:
    original = decoded.claim

    def claim(digest: bytes, mode: str) -> bool:
        mine = original(digest, mode)
        decoding.set()  # the claim is held from here until the decode fails
        go.wait(5)
        return mine

    decoded.claim = claim  # type: ignore[assignment]
    decode_check.claim = claim  # type: ignore[attr-defined]
    answer.send(verify_output(path, expected_size=(64, 64), kept=())[1])
    os._exit(0)


def test_an_undecodable_copy_is_never_verified_through_another_workers_claim(
    shared: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers verify copies with the same undecodable bytes at once: the second waits
    for the first's decode, which fails, so both copies fail ('does not decode')."""
    bad = _bad_webp(tmp_path / "bad.webp")
    twin = tmp_path / "twin.webp"
    twin.write_bytes(bad.read_bytes())
    decoding, go = _CTX.Event(), _CTX.Event()
    answer, send = _CTX.Pipe(duplex=False)
    child = _CTX.Process(target=_verify_slowly, args=(bad, decoding, go, send))
    child.start()
    assert decoding.wait(10)
    monkeypatch.setattr(decoded, "time", _GoWhenWaiting(go))
    mine = verify_output(twin, expected_size=(64, 64), kept=())[1]
    assert answer.poll(10)
    theirs = answer.recv()
    child.join()
    assert go.is_set()  # this copy's verification waited for the other's decode
    assert theirs is not None and "does not decode" in theirs
    assert mine is not None and "does not decode" in mine
