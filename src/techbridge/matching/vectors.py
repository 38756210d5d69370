"""Vector helpers and the approximate nearest-neighbour index the docking engine uses at scale."""

import threading

import faiss
import numpy as np

# One thread: web processes and the task worker share the machine's cores, and a query reads a few thousand
# rows (threads would only spin).
faiss.omp_set_num_threads(1)


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def profile_vector(vectors: np.ndarray) -> np.ndarray:
    """One vector for several texts of one party (description + postings): the normalised mean."""
    return normalise(normalise(vectors).mean(axis=0))[0]


class ApproximateIndex:
    """Nearest rows by inner product through an inverted file (faiss IVF-Flat): the rows are split into
    clusters around trained centroids, and a query reads only the clusters of its `probe_fraction` nearest
    centroids instead of every row. The scores of what it returns are exact; what it can miss are neighbours
    filed in clusters it did not read. Rows are added and removed one by one; the centroids stay the ones
    trained at construction (a rebuild trains them again)."""

    def __init__(self, rows: np.ndarray, vectors: np.ndarray, *, probe_fraction: float):
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        # faiss's guideline: 4 to 16 times the square root of the row count.
        clusters = max(1, min(len(vectors) // 39, round(4 * np.sqrt(len(vectors)))))
        self._quantizer = faiss.IndexFlatIP(dim)
        self._index = faiss.IndexIVFFlat(self._quantizer, dim, clusters, faiss.METRIC_INNER_PRODUCT)
        self._index.train(vectors)
        self._index.add_with_ids(vectors, np.asarray(rows, dtype=np.int64))
        self._index.nprobe = max(1, int(np.ceil(probe_fraction * clusters)))
        # faiss indexes are not safe to change while another thread searches them.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._index.ntotal

    def memory_bytes(self) -> int:
        """The stored vectors, their row ids and the centroids."""
        dim = self._index.d
        return self._index.ntotal * (4 * dim + 8) + self._index.nlist * 4 * dim

    def add(self, row: int, vector: np.ndarray) -> None:
        with self._lock:
            self._index.add_with_ids(
                np.asarray(vector, dtype=np.float32)[None], np.array([row], dtype=np.int64)
            )

    def remove(self, row: int) -> None:
        with self._lock:
            self._index.remove_ids(np.array([row], dtype=np.int64))

    def search(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Up to k rows, the most similar first."""
        with self._lock:
            _scores, rows = self._index.search(np.asarray(vector, dtype=np.float32)[None], k)
        return rows[0][rows[0] >= 0]
