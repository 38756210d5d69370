import numpy as np
import pytest

from techbridge.matching.vectors import ApproximateIndex, normalise, profile_vector


def test_normalise_scales_rows_and_keeps_zero_rows():
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert out.dtype == np.float32
    assert out.tolist() == [[pytest.approx(0.6), pytest.approx(0.8)], [0.0, 0.0]]


def test_profile_vector_is_the_normalised_mean_of_normalised_texts():
    vector = profile_vector(np.array([[2.0, 0.0], [0.0, 5.0]]))
    assert vector.tolist() == [pytest.approx(2**-0.5), pytest.approx(2**-0.5)]


def clustered(count: int, *, dim: int = 16, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few random centres, as text embeddings gather by topic."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((8, dim))
    return normalise(centres[rng.integers(0, 8, count)] + 0.5 * rng.standard_normal((count, dim)))


def exact_top(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(rows[i]) for i in np.argsort(-(vectors @ query), kind="stable")[:k]]


def test_approximate_index_reading_every_cluster_is_exact():
    vectors = clustered(2000)
    rows = np.arange(100, 2100)
    index = ApproximateIndex(rows, vectors, probe_fraction=1.0)
    assert len(index) == 2000
    assert index.memory_bytes() >= 2000 * 16 * 4
    for query in clustered(5, seed=1):
        assert index.search(query, 30).tolist() == exact_top(vectors, rows, query, 30)


def test_approximate_index_reading_a_fraction_finds_most_neighbours():
    vectors = clustered(4000)
    index = ApproximateIndex(np.arange(4000), vectors, probe_fraction=0.25)
    recall = [
        len(set(index.search(query, 50).tolist()) & set(exact_top(vectors, np.arange(4000), query, 50))) / 50
        for query in clustered(20, seed=2)
    ]
    assert np.mean(recall) > 0.9


def test_approximate_index_follows_added_and_removed_rows():
    vectors = clustered(1000)
    index = ApproximateIndex(np.arange(1000), vectors, probe_fraction=1.0)
    query = vectors[0]
    index.remove(0)
    assert 0 not in index.search(query, 1000).tolist() and len(index) == 999
    index.add(5000, query)
    assert index.search(query, 1).tolist() == [5000]
