"""Face detection from several threads: a net is never shared, photos never mixed, a core
left free."""

from __future__ import annotations

import threading

import pytest
from PIL import Image

from tests.factories.faces import (
    group_photo,
)
from veil.core.assets import asset_path
from veil.core.detectors import faces as faces_mod
from veil.core.detectors.dnn import NetPool, default_threads


def test_a_net_is_never_lent_to_two_threads_at_once() -> None:
    # A cv2.dnn.Net holds its input blob: threads sharing one would swap each other's photos.
    nets = NetPool(lambda: asset_path(*faces_mod.MODEL_PARTS), "face model")
    inside = threading.Barrier(3, timeout=30)
    held: list[object] = []

    def hold() -> None:
        with nets.borrow() as net:
            held.append(net)
            inside.wait()  # all three hold a net at the same time

    workers = [threading.Thread(target=hold) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len({id(n) for n in held}) == 3
    with nets.borrow() as again:  # returned nets are reused, not reloaded
        assert any(again is n for n in held)


def test_threads_detect_in_parallel_without_mixing_photos() -> None:
    # Four threads, two different photos: each thread must see its own photo's faces.
    one, _ = group_photo((640, 480), [(60, 60, 60)])
    two, _ = group_photo((640, 480), [(60, 60, 60), (400, 200, 60)], seed=1)
    expected = {1: len(faces_mod.find_faces(one)[0]), 2: len(faces_mod.find_faces(two)[0])}
    assert expected == {1: 1, 2: 2}
    counts: list[tuple[int, int]] = []

    def run(image: Image.Image, want: int) -> None:
        for _ in range(3):
            counts.append((want, len(faces_mod.find_faces(image)[0])))

    workers = [threading.Thread(target=run, args=(im, n)) for im, n in [(one, 1), (two, 2)] * 2]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(counts) == 12
    assert all(want == got for want, got in counts)


def test_thread_count_leaves_a_core(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.delenv("VEIL_DETECTOR_THREADS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert default_threads() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert default_threads() == 1
    monkeypatch.setenv("VEIL_DETECTOR_THREADS", "2")
    assert default_threads() == 2
    monkeypatch.setenv("VEIL_DETECTOR_THREADS", "many")
    assert default_threads() == 1
