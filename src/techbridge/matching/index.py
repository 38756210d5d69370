"""The docking engine over a set of items held in memory: hybrid retrieval, fusion and structural re-ranking.

The product builds it from stored postings/profiles and their stored embeddings; the evaluation builds a
throw-away one from a benchmark folder. Both call `search`, so the benchmarks measure the product's ranking.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from techbridge.matching.encoder import Encoder, Role
from techbridge.matching.fusion import convex_fusion
from techbridge.matching.lexical import LexicalIndex
from techbridge.matching.ranking import Weights, combine, structural_features
from techbridge.matching.textprep import ConceptVocabulary, detect_language, normalise_text
from techbridge.matching.vectors import VectorIndex, normalise, profile_vector


def canonical_language(code: str) -> str:
    """The platform's language code (en / zh-hans / ur) for a tag such as "zh", "zh-Hans" or "ur-PK"."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return {"zh": "zh-hans", "cmn": "zh-hans", "ur": "ur", "urd": "ur"}.get(base, base or "en")


@dataclass
class Item:
    """A posting (one text) or an organisation profile (its description and all its postings)."""

    id: str
    texts: list[str]
    lang: str = ""
    facts: dict = field(default_factory=dict)

    def __post_init__(self):
        self.texts = [normalise_text(text) for text in self.texts]
        self.lang = canonical_language(self.lang) if self.lang else detect_language(self.text)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


@dataclass
class Match:
    id: str
    score: float
    relevance: float
    dense: float
    lexical: float
    features: dict[str, float | None]
    parts: dict[str, float]


@dataclass(frozen=True)
class Settings:
    dense_weight: float = 0.5
    lexical_weight: float = 0.5
    # Across languages BM25 sees only shared numbers, Latin acronyms and vocabulary concepts: weaker evidence.
    cross_language_lexical: float = 0.3
    pool: int = 200
    weights: Weights = field(default_factory=Weights)


# The encoder reads 512 tokens at most and its CPU time grows with the length: long texts are cut for it
# (BM25 still reads them whole).
EMBED_MAX_WORDS = 256
_WORDS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[^\s\u3400-\u4dbf\u4e00-\u9fff]+")


def truncate_words(text: str, max_words: int | None) -> str:
    """The text's first `max_words` words, a Chinese character counting as one word."""
    if not max_words:
        return text
    for count, match in enumerate(_WORDS.finditer(text), start=1):
        if count == max_words:
            return text[: match.end()]
    return text


def embed_items(
    items: Sequence[Item], encoder: Encoder, *, role: Role, max_words: int | None = EMBED_MAX_WORDS
) -> np.ndarray:
    """One normalised vector per item; a profile's vector is the mean of its texts' vectors."""
    flat = [truncate_words(text, max_words) for item in items for text in item.texts]
    vectors = encoder.encode(flat, role=role) if flat else np.zeros((0, encoder.dim), dtype=np.float32)
    out, start = np.zeros((len(items), encoder.dim), dtype=np.float32), 0
    for row, item in enumerate(items):
        if item.texts:
            out[row] = profile_vector(vectors[start : start + len(item.texts)])
        start += len(item.texts)
    return out


class MatchingIndex:
    def __init__(
        self,
        items: Sequence[Item],
        vectors: np.ndarray,
        *,
        vocabulary: ConceptVocabulary | None = None,
        sector_parents: Mapping[str, str | None] | None = None,
        settings: Settings | None = None,
    ):
        if len(items) != len(vectors):
            raise ValueError("one vector per item")
        self.items = list(items)
        self.rows = {item.id: row for row, item in enumerate(self.items)}
        self.languages = np.array([item.lang for item in self.items])
        self.vectors = VectorIndex(vectors)
        self.lexical = LexicalIndex([item.text for item in self.items], vocabulary=vocabulary)
        self.vocabulary = vocabulary
        self.sector_parents = dict(sector_parents or {})
        self.settings = settings or Settings()

    def __len__(self) -> int:
        return len(self.items)

    def _pool(self, dense: np.ndarray, lexical: np.ndarray, candidates: Sequence[str] | None) -> np.ndarray:
        if candidates is not None:
            return np.array(sorted({self.rows[c] for c in candidates if c in self.rows}), dtype=int)
        size = min(self.settings.pool, len(dense))
        top = np.argpartition(-dense, size - 1)[:size]
        lexical_top = np.argpartition(-lexical, size - 1)[:size]
        return np.union1d(top, lexical_top[lexical[lexical_top] > 0])

    def search(
        self,
        query: Item,
        query_vector: np.ndarray,
        *,
        k: int = 100,
        candidates: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> list[Match]:
        """The best k items for the query (only among `candidates` if given), best first; never the query."""
        if not self.items:
            return []
        now = now or datetime.now(UTC)
        dense = self.vectors.scores(normalise(query_vector)[0])
        lexical = self.lexical.scores(query.text)
        language_factor = np.where(self.languages == query.lang, 1.0, self.settings.cross_language_lexical)
        pool = self._pool(dense, lexical * language_factor, candidates)
        pool = pool[[self.items[row].id != query.id for row in pool]] if len(pool) else pool
        relevance = convex_fusion(
            {"dense": dense[pool], "lexical": lexical[pool]},
            {"dense": self.settings.dense_weight, "lexical": self.settings.lexical_weight},
            scale={"lexical": language_factor[pool]},
        )
        matches = []
        for position, row in enumerate(pool):
            item = self.items[row]
            features = structural_features(
                query.facts, item.facts, now=now, sector_parents=self.sector_parents
            )
            parts = combine(float(relevance[position]), features, self.settings.weights)
            matches.append(
                Match(
                    id=item.id,
                    score=sum(parts.values()),
                    relevance=float(relevance[position]),
                    dense=float(dense[row]),
                    lexical=float(lexical[row]),
                    features=features,
                    parts=parts,
                )
            )
        matches.sort(key=lambda match: (-match.score, -match.dense, match.id))
        return matches[:k]

    def item(self, item_id: str) -> Item:
        return self.items[self.rows[item_id]]
