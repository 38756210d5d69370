import numpy as np
import pytest

from techbridge.matching.fusion import convex_fusion, min_max, reciprocal_rank_fusion


def test_reciprocal_rank_fusion():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["d"] == pytest.approx(1 / 62)
    assert max(fused, key=fused.get) == "b"


def test_min_max():
    assert min_max(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert min_max(np.array([5.0, 5.0])).tolist() == [0.0, 0.0]


def test_convex_fusion_weights_normalised_signals():
    fused = convex_fusion(
        {"dense": np.array([0.9, 0.8, 0.7]), "lexical": np.array([0.0, 10.0, 5.0])},
        {"dense": 0.5, "lexical": 0.5},
    )
    assert fused.tolist() == [pytest.approx(0.5), pytest.approx(0.75), pytest.approx(0.25)]


def test_a_silent_signal_gives_its_weight_to_the_others():
    fused = convex_fusion(
        {"dense": np.array([0.9, 0.7]), "lexical": np.array([0.0, 0.0])}, {"dense": 0.5, "lexical": 0.5}
    )
    assert fused.tolist() == [1.0, 0.0]


def test_scale_weakens_a_signal_per_candidate_after_normalising():
    fused = convex_fusion(
        {"dense": np.array([0.5, 0.5]), "lexical": np.array([0.0, 4.0])},
        {"dense": 0.5, "lexical": 0.5},
        scale={"lexical": np.array([1.0, 0.25])},
    )
    assert fused.tolist() == [0.0, 0.25]  # dense is silent: lexical carries all the weight, scaled
    fused = convex_fusion(
        {"dense": np.array([0.9, 0.5]), "lexical": np.array([0.0, 4.0])},
        {"dense": 0.5, "lexical": 0.5},
        scale={"lexical": np.array([1.0, 0.25])},
    )
    assert fused.tolist() == [pytest.approx(0.5), pytest.approx(0.125)]
