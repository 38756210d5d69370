"""Exact cosine search over an in-memory float32 matrix of normalised embeddings."""

from collections.abc import Sequence

import numpy as np


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def profile_vector(vectors: np.ndarray) -> np.ndarray:
    """One vector for several texts of one party (description + postings): the normalised mean."""
    return normalise(normalise(vectors).mean(axis=0))[0]


class VectorIndex:
    def __init__(self, matrix: np.ndarray):
        self.matrix = normalise(matrix) if len(matrix) else np.zeros((0, 0), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.matrix)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every row to `vector`."""
        if not len(self.matrix):
            return np.zeros(0, dtype=np.float32)
        return self.matrix @ normalise(vector)[0]

    def search(
        self, vector: np.ndarray, k: int, candidates: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """The k most similar rows (among `candidates` if given) as (row, cosine), best first, ties by row."""
        scores = self.scores(vector)
        rows = np.arange(len(scores)) if candidates is None else np.asarray(candidates, dtype=int)
        order = np.lexsort((rows, -scores[rows]))[:k]
        return [(int(rows[i]), float(scores[rows[i]])) for i in order]
