""""No person, no tattoo": the mark detector's gate for photos without a face."""

from __future__ import annotations

import numpy as np

from veil.core.detectors import marks_features as mf
from veil.core.detectors.marks import (
    ON_SKIN_BOX,
    ON_SKIN_RING,
    PERSONLESS_SCORE,
    ROUGH_SKIN,
    SKIN_SCENE,
    person_gate,
)


def _features(
    skin_box: float, skin_ring: float, skin_share: float, texture: float = 20.0
) -> np.ndarray:
    row = np.zeros(len(mf.FEATURE_NAMES), np.float32)
    row[mf.FEATURE_NAMES.index("skin_texture")] = texture
    row[mf.FEATURE_NAMES.index("skin_box")] = skin_box
    row[mf.FEATURE_NAMES.index("skin_ring")] = skin_ring
    row[mf.FEATURE_NAMES.index("skin_share")] = skin_share
    return row


def test_with_a_face_every_candidate_may_be_reported() -> None:
    feats = np.stack([_features(0.0, 0.0, 1.0), _features(1.0, 1.0, 0.1)])
    assert person_gate(feats, np.array([0.3, 0.7]), has_face=True).tolist() == [True, True]


def test_without_a_face_a_candidate_needs_a_sure_score_or_skin_around_it() -> None:
    unsure = PERSONLESS_SCORE - 0.05
    feats = np.stack([
        _features(0.1, 0.1, 0.3),  # off skin, unsure: a flower or a kitchen tile
        _features(0.1, 0.1, 0.3),  # off skin but sure: kept
        _features(ON_SKIN_BOX, ON_SKIN_RING, 0.5),  # on an arm in a close-up: kept
        _features(0.95, 0.95, SKIN_SCENE + 0.1),  # "all skin": fur or petals, unsure: dropped
        _features(ON_SKIN_BOX, ON_SKIN_RING - 0.1, 0.5),  # at the edge of skin: dropped
    ])
    scores = np.array([unsure, PERSONLESS_SCORE, unsure, unsure, unsure])
    assert person_gate(feats, scores, has_face=False).tolist() == [
        False, True, True, False, False,
    ]


def test_without_a_face_nothing_is_reported_on_rough_skin_however_sure() -> None:
    # A tiger's fur passes the skin colour rule and the scorer was sure (0.95): the photo's
    # skin texture is what tells fur, foliage and soil from a person's skin.
    feats = np.stack([
        _features(0.9, 0.7, 0.7, texture=ROUGH_SKIN + 8),  # the tiger's fur: dropped
        _features(0.9, 0.7, 0.7, texture=ROUGH_SKIN - 1),  # an arm close-up: kept
    ])
    scores = np.array([0.95, 0.95])
    assert person_gate(feats, scores, has_face=False).tolist() == [False, True]
    assert person_gate(feats, scores, has_face=True).tolist() == [True, True]
