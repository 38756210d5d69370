"""The docking engine over a set of items held in memory: hybrid retrieval, fusion and structural re-ranking.

The product builds it from stored postings/profiles and their stored embeddings; the evaluation builds a
throw-away one from a benchmark folder. Both call `search`, so the benchmarks measure the product's ranking.
"""

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from techbridge.matching.encoder import Encoder, Role
from techbridge.matching.fusion import convex_fusion
from techbridge.matching.lexical import LexicalIndex
from techbridge.matching.ranking import FactTable, Weights, combine, features
from techbridge.matching.textprep import (
    Concept,
    ConceptVocabulary,
    Term,
    cached_terms,
    concept_token,
    detect_language,
    first_surfaces,
    normalise_text,
    terms,
)
from techbridge.matching.vectors import ApproximateIndex, normalise, profile_vector


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
class QueryTerms:
    """A query's lexical side, found once per request: its BM25 terms (`LexicalIndex.term_counts`), its
    vocabulary concepts and each term key's first surface (both for the explanations)."""

    counts: dict[int, int]
    concepts: list[Concept]
    surfaces: dict[str, str]


@dataclass(frozen=True)
class Settings:
    dense_weight: float = 0.5
    lexical_weight: float = 0.5
    # Across languages BM25 sees only shared numbers, Latin acronyms and vocabulary concepts: weaker evidence.
    cross_language_lexical: float = 0.3
    pool: int = 200
    weights: Weights = field(default_factory=Weights)
    # Below this many items the dense pool comes from every row (a product over 20k rows takes ~2 ms); from it
    # on, from an inverted-file index reading `probe_fraction` of its clusters (see `ApproximateIndex`), unless
    # a search asks for the exact pool. benchmarks/matching/ann.py measured the share of the exact pool found.
    approximate_from: int = 20_000
    probe_fraction: float = 0.12


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


# Facts held as integer columns, so that `where` filters every row at once.
FILTER_FACTS = ("kind", "country", "organisation", "org_type")


# An item's term surfaces (for the explanations' key terms) packed in one string: terms are word characters,
# so they never hold these separators (ASCII unit and record separators); a surface equal to its key is
# stored once.
def _pack_surfaces(surfaces: Mapping[str, str]) -> str:
    return "\x1f".join(key if key == surface else f"{key}\x1e{surface}" for key, surface in surfaces.items())


def _unpack_surfaces(packed: str) -> dict[str, str]:
    pairs = (part.split("\x1e", 1) if "\x1e" in part else (part, part) for part in packed.split("\x1f"))
    return dict(pairs) if packed else {}


class MatchingIndex:
    """Items, their normalised vectors (rows of one contiguous float32 matrix) and their BM25 postings.

    Items can be added, replaced and removed one by one (`upsert`, `remove`): a removed item's row stays in
    place, zeroed and masked out, until the index is next built from scratch. The vocabulary concepts and the
    terms of each text are found once, when it is indexed (BM25 and the explanations both read them).
    """

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
        self.vocabulary = vocabulary
        self.sector_parents = dict(sector_parents or {})
        self.settings = settings or Settings()
        self.lexical = LexicalIndex(vocabulary=vocabulary)
        self.rows: dict[str, int] = {}
        self._items: list[Item | None] = []
        self._concepts: list[list[Concept]] = []
        self._surfaces: list[str] = []
        self._languages: dict[str, int] = {}
        self._facts: dict[str, tuple[dict, np.ndarray]] = {}
        self._table = FactTable()
        vectors = normalise(vectors) if len(vectors) else np.zeros((0, 0), dtype=np.float32)
        self._matrix = np.zeros((max(len(items), 1), vectors.shape[1]), dtype=np.float32)
        self._language = np.zeros(len(self._matrix), dtype=np.int32)
        self._alive = np.zeros(len(self._matrix), dtype=bool)
        self._facts = {fact: ({}, np.full(len(self._matrix), -1, dtype=np.int64)) for fact in FILTER_FACTS}
        self._approximate: ApproximateIndex | None = None
        for item, vector in zip(items, vectors, strict=True):
            self.upsert(item, vector)
        self.lexical.warm()
        if len(self.rows) >= self.settings.approximate_from:
            rows = np.flatnonzero(self._alive[: len(self._items)])
            self._approximate = ApproximateIndex(
                rows, self._matrix[rows], probe_fraction=self.settings.probe_fraction
            )

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def items(self) -> list[Item]:
        """The live items, in the order they were indexed."""
        return [item for item in self._items if item is not None]

    @property
    def dim(self) -> int:
        return self._matrix.shape[1]

    def _grow(self, rows: int, dim: int) -> None:
        if not self.dim:
            self._matrix = np.zeros((len(self._matrix), dim), dtype=np.float32)
        if rows <= len(self._matrix):
            return
        # Growth by an eighth (not doubling): the matrix is most of the index's memory.
        capacity = max(rows, len(self._matrix) + len(self._matrix) // 8 + 1024)
        matrix = np.zeros((capacity, self.dim), dtype=np.float32)
        matrix[: len(self._matrix)] = self._matrix
        language = np.zeros(capacity, dtype=np.int32)
        language[: len(self._language)] = self._language
        alive = np.zeros(capacity, dtype=bool)
        alive[: len(self._alive)] = self._alive
        for fact, (codes, column) in list(self._facts.items()):
            grown = np.full(capacity, -1, dtype=np.int64)
            grown[: len(column)] = column
            self._facts[fact] = (codes, grown)
        self._matrix, self._language, self._alive = matrix, language, alive

    def upsert(self, item: Item, vector: np.ndarray) -> None:
        """Add the item, or replace the one with its id (text, facts and vector). The new row is written
        before it is marked live, so a search running meanwhile sees the item whole or not at all."""
        vector = normalise(vector)[0]
        if self.dim and len(vector) != self.dim:
            raise ValueError("vector of another dimension")
        self.remove(item.id)
        text_terms, concepts, tokens = self._lexical_side(item.text)
        row = self.lexical.add(tokens)
        self._grow(row + 1, len(vector))
        self._matrix[row] = vector
        self._language[row] = self._languages.setdefault(item.lang, len(self._languages))
        for fact, (codes, column) in self._facts.items():
            value = item.facts.get(fact)
            column[row] = -1 if value is None else codes.setdefault(value, len(codes))
        self._table.set(row, item.facts)
        self._items.append(item)
        self._concepts.append(concepts)
        self._surfaces.append(_pack_surfaces(first_surfaces(text_terms)))
        self.rows[item.id] = row
        self._alive[row] = True
        if self._approximate is not None:
            self._approximate.add(row, self._matrix[row])

    def _lexical_side(self, text: str, *, query: bool = False) -> tuple[list[Term], list[Concept], list[str]]:
        """A text's terms, its vocabulary concepts, and both as BM25 tokens; a query's terms are kept for
        the texts last asked for (`cached_terms`: the same profile or search comes back)."""
        concepts = self.vocabulary.find(text) if self.vocabulary is not None else []
        text_terms = list(cached_terms(text)) if query else terms(text)
        return (
            text_terms,
            concepts,
            [term.key for term in text_terms] + [concept_token(c.code) for c in concepts],
        )

    def query_terms(self, texts: Sequence[str] = (), indexed: Sequence[str] = ()) -> QueryTerms:
        """The lexical side of a query made of `texts` and of the indexed items `indexed` (a posting itself,
        a profile's postings): what the index found when it indexed those is read, not found again. Each text
        brings its concepts once (a profile naming a concept in two postings counts it twice)."""
        tokens: list[str] = []
        found: list[tuple[list[Concept], Mapping[str, str]]] = []  # per text: its concepts and term surfaces
        for text in texts:
            text_terms, concepts, text_tokens = self._lexical_side(text, query=True)
            tokens.extend(text_tokens)
            found.append((concepts, first_surfaces(text_terms)))
        rows = [self.rows[item_id] for item_id in indexed if item_id in self.rows]
        found.extend((self._concepts[row], _unpack_surfaces(self._surfaces[row])) for row in rows)
        concepts_by_code: dict[str, Concept] = {}
        surfaces: dict[str, str] = {}
        for concepts, text_surfaces in found:  # the first text to name a concept or a term gives it
            for concept in concepts:
                concepts_by_code.setdefault(concept.code, concept)
            for key, surface in text_surfaces.items():
                surfaces.setdefault(key, surface)
        return QueryTerms(self.lexical.term_counts(tokens, rows), list(concepts_by_code.values()), surfaces)

    def remove(self, item_id: str) -> None:
        row = self.rows.pop(item_id, None)
        if row is None:
            return
        self._alive[row] = False
        if self._approximate is not None:
            self._approximate.remove(row)
        self.lexical.remove(row)
        self._matrix[row] = 0
        self._items[row] = None
        self._concepts[row] = []
        self._surfaces[row] = ""

    def in_sectors(self, codes: Collection[str]) -> np.ndarray:
        """Rows whose item is in any of the sectors, as a mask for `search` (vectorised)."""
        members, known = self._table.members["sectors"], self._table.member_codes["sectors"]
        columns = [known[code] for code in codes if code in known]
        return members[: len(self._items), columns].any(axis=1)

    def where(self, fact: str, value) -> np.ndarray:
        """Rows whose item's fact (one of FILTER_FACTS) equals `value`, as a mask for `search` (vectorised)."""
        codes, column = self._facts[fact]
        code = codes.get(value)
        return np.zeros(len(self._items), dtype=bool) if code is None else column[: len(self._items)] == code

    def _dense_pool(self, vector: np.ndarray, eligible: np.ndarray, *, cut: bool, exact: bool) -> np.ndarray:
        """The eligible rows most similar to the vector: the best `settings.pool` when `cut`, else all."""
        available = int(np.count_nonzero(eligible))
        size = min(self.settings.pool, available) if cut else available
        if size < available and self._approximate is not None and not exact:
            # Only the query itself can be found but not eligible (removed rows leave the approximate index).
            found = self._approximate.search(vector, size + 1)
            return found[eligible[found]][:size]
        rows = np.flatnonzero(eligible)
        if size == available:
            return rows
        dense = (self._matrix[: len(eligible)] @ vector)[rows]
        return rows[np.argpartition(-dense, size - 1)[:size]]

    def _language_factor(self, rows: np.ndarray, query_language: int) -> np.ndarray:
        """The weight of the rows' BM25 scores: 1 in the query's language, less across languages."""
        same = self._language[rows] == query_language
        return np.where(same, np.float32(1), np.float32(self.settings.cross_language_lexical))

    def _lexical_pool(
        self, lexical: np.ndarray, eligible: np.ndarray, query_language: int, *, cut: bool
    ) -> np.ndarray:
        """The eligible rows sharing terms with the query, the best `settings.pool` (by language-weighted
        BM25) when `cut`."""
        rows = np.flatnonzero((lexical > 0) & eligible)
        weighted = lexical[rows] * self._language_factor(rows, query_language)
        rows, weighted = rows[weighted > 0], weighted[weighted > 0]  # none dropped unless the factor is 0
        if not cut or len(rows) <= self.settings.pool:
            return rows
        return rows[np.argpartition(-weighted, self.settings.pool - 1)[: self.settings.pool]]

    def search(
        self,
        query: Item,
        query_vector: np.ndarray,
        *,
        k: int = 100,
        candidates: Sequence[str] | None = None,
        where: np.ndarray | None = None,
        now: datetime | None = None,
        exact: bool = False,
        query_terms: QueryTerms | None = None,
    ) -> list[Match]:
        """The best k items for the query, best first, never the query itself; only among `candidates` (ids)
        if given, and only rows where the boolean mask `where` holds (see `in_sectors` and `where`). `exact`
        draws the dense pool from every row even where the index is large enough for the approximate one.

        The candidate pool, over which the signals are normalised, is drawn before `where` applies, so a
        filter removes items from the ranking without changing the scores of the others."""
        if not self.rows:
            return []
        now = now or datetime.now(UTC)
        count = len(self._items)
        eligible = self._alive[:count].copy()
        if candidates is not None:
            chosen = np.zeros(count, dtype=bool)
            chosen[[self.rows[c] for c in candidates if c in self.rows]] = True
            eligible &= chosen
        if query.id in self.rows:
            eligible[self.rows[query.id]] = False
        if not eligible.any():
            return []
        vector = normalise(query_vector)[0]
        if query_terms is None:
            lexical = self.lexical.scores(query.text)
        else:
            lexical = self.lexical.scores_of_terms(query_terms.counts)
        query_language = self._languages.get(query.lang, -1)
        cut = candidates is None
        pool = np.union1d(
            self._dense_pool(vector, eligible, cut=cut, exact=exact),
            self._lexical_pool(lexical, eligible, query_language, cut=cut),
        )
        dense, lexical = self._matrix[pool] @ vector, lexical[pool]
        language_factor = self._language_factor(pool, query_language)
        relevance = convex_fusion(
            {"dense": dense, "lexical": lexical},
            {"dense": self.settings.dense_weight, "lexical": self.settings.lexical_weight},
            scale={"lexical": language_factor},
        )
        if where is not None:
            kept = where[:count][pool]
            pool, relevance, dense, lexical = pool[kept], relevance[kept], dense[kept], lexical[kept]
        return self._rerank(query, pool, relevance, dense, lexical, k=k, now=now)

    def _rerank(self, query, pool, relevance, dense, lexical, *, k: int, now: datetime) -> list[Match]:
        """The pool (rows, with their relevance, cosine and BM25 score) scored with its structural features
        (all at once), the best k first; ties by cosine, then by id."""
        found = features(query.facts, self._table, pool, now=now, sector_parents=self.sector_parents)
        parts = combine(relevance, found, self.settings.weights)
        score = sum(parts.values())
        order = np.lexsort((-dense, -score))
        chosen = order[:k]
        if len(order) > k:  # candidates tied with the k-th on score and cosine compete by id
            kth = order[k - 1]
            tied = (score == score[kth]) & (dense == dense[kth])
            chosen = np.union1d(chosen, np.flatnonzero(tied))
        matches = []
        for position in chosen:
            row = pool[position]
            match_parts = {name: float(values[position]) for name, values in parts.items()}
            matches.append(
                Match(
                    id=self._items[row].id,
                    score=sum(match_parts.values()),
                    relevance=float(relevance[position]),
                    dense=float(dense[position]),
                    lexical=float(lexical[position]),
                    features={
                        name: None if np.isnan(values[position]) else float(values[position])
                        for name, values in found.items()
                    },
                    parts=match_parts,
                )
            )
        matches.sort(key=lambda match: (-match.score, -match.dense, match.id))
        return matches[:k]

    def item(self, item_id: str) -> Item:
        return self._items[self.rows[item_id]]

    def concepts(self, item_id: str) -> list[Concept]:
        """The vocabulary concepts of an indexed item's text, found when it was indexed."""
        return self._concepts[self.rows[item_id]]

    def surfaces(self, item_id: str) -> dict[str, str]:
        """An indexed item's lexical terms, each with the surface it first appears as in the text."""
        return _unpack_surfaces(self._surfaces[self.rows[item_id]])

    def vector(self, item_id: str) -> np.ndarray | None:
        row = self.rows.get(item_id)
        return None if row is None else self._matrix[row].copy()

    def memory_bytes(self) -> int:
        """The numeric arrays' size (vectors, their approximate index, flags, BM25 statistics), not counting
        Python objects."""
        approximate = self._approximate.memory_bytes() if self._approximate is not None else 0
        arrays = self._matrix.nbytes + self._language.nbytes + self._alive.nbytes
        return arrays + approximate + self.lexical.memory_bytes()
