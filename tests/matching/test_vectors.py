import numpy as np
import pytest

from techbridge.matching.vectors import VectorIndex, normalise, profile_vector


def test_normalise_scales_rows_and_keeps_zero_rows():
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert out.dtype == np.float32
    assert out.tolist() == [[pytest.approx(0.6), pytest.approx(0.8)], [0.0, 0.0]]


def test_profile_vector_is_the_normalised_mean_of_normalised_texts():
    vector = profile_vector(np.array([[2.0, 0.0], [0.0, 5.0]]))
    assert vector.tolist() == [pytest.approx(2**-0.5), pytest.approx(2**-0.5)]


def test_search_is_exact_cosine_best_first_ties_by_row():
    index = VectorIndex(np.array([[1.0, 0.0], [0.0, 1.0], [10.0, 0.0], [1.0, 1.0]]))
    assert [row for row, _score in index.search(np.array([2.0, 0.0]), k=3)] == [0, 2, 3]
    assert index.search(np.array([0.0, 1.0]), k=1) == [(1, pytest.approx(1.0))]
    assert [row for row, _ in index.search(np.array([1.0, 0.0]), k=5, candidates=[1, 3])] == [3, 1]
    assert len(index) == 4
