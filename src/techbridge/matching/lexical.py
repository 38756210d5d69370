"""BM25 over the lexical terms of `textprep`, with concept terms that match across languages.

Terms of different scripts never coincide, so BM25 matches within a language; a text that mentions a concept
of the trilingual vocabulary also carries the concept's language-neutral term, which matches across languages.
"""

import logging
from collections.abc import Sequence

import bm25s
import numpy as np

from techbridge.matching.textprep import ConceptVocabulary, concept_token, tokenize

# bm25s sets its own logger to DEBUG, which would print on every index build.
logging.getLogger("bm25s").setLevel(logging.WARNING)


def lexical_tokens(text: str, vocabulary: ConceptVocabulary | None = None) -> list[str]:
    tokens = tokenize(text)
    if vocabulary is not None:
        tokens.extend(concept_token(concept.code) for concept in vocabulary.find(text))
    return tokens


class LexicalIndex:
    """Okapi BM25 (Lucene variant, as the published bm25s baseline) over a fixed list of texts."""

    def __init__(
        self,
        texts: Sequence[str],
        *,
        vocabulary: ConceptVocabulary | None = None,
        k1: float = 1.5,
        b: float = 0.75,
    ):
        self.vocabulary = vocabulary
        self.size = len(texts)
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        if texts:
            self._bm25.index([lexical_tokens(text, vocabulary) for text in texts], show_progress=False)

    def tokens(self, text: str) -> list[str]:
        return lexical_tokens(text, self.vocabulary)

    def scores(self, text: str) -> np.ndarray:
        """The BM25 score of every indexed text for the query `text` (zeros when nothing matches)."""
        known = [token for token in self.tokens(text) if token in getattr(self._bm25, "vocab_dict", {})]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def idf(self, token: str) -> float:
        """Inverse document frequency as BM25 weighs it (0 for an unknown term)."""
        token_id = getattr(self._bm25, "vocab_dict", {}).get(token)
        if token_id is None or not self.size:
            return 0.0
        indptr = self._bm25.scores["indptr"]
        df = int(indptr[token_id + 1] - indptr[token_id])
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))
