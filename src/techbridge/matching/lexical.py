"""BM25 over the lexical terms of `textprep`, with concept terms that match across languages.

Terms of different scripts never coincide, so BM25 matches within a language; a text that mentions a concept
of the trilingual vocabulary also carries the concept's language-neutral term, which matches across languages.

The index is incremental: texts are added and removed row by row (a removed row keeps its place and scores 0),
and document frequencies, the document count and the mean length always describe the live rows only, so the
scores equal those of an index built from scratch over the same texts.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from techbridge.matching.textprep import ConceptVocabulary, concept_token, tokenize

# A term held by at least this share of the rows is scored as one dense vector: adding a vector over all rows
# costs ~0.3 ns a row, adding into the term's rows with `np.add.at` ~1.6 ns each (numpy 2.4), so it pays from
# about a fifth of the rows on.
DENSE_SHARE = 1 / 5


def lexical_tokens(text: str, vocabulary: ConceptVocabulary | None = None) -> list[str]:
    tokens = tokenize(text)
    if vocabulary is not None:
        tokens.extend(concept_token(concept.code) for concept in vocabulary.find(text))
    return tokens


class LexicalIndex:
    """Okapi BM25, Lucene variant (idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf part = tf / (tf + k1 (1 - b +
    b dl / avgdl))), scored at query time from postings lists, so adding or removing a text is cheap."""

    def __init__(
        self,
        texts: Sequence[str] = (),
        *,
        vocabulary: ConceptVocabulary | None = None,
        k1: float = 1.5,
        b: float = 0.75,
        dense_share: float = DENSE_SHARE,
    ):
        self.vocabulary = vocabulary
        self.k1, self.b = k1, b
        self.dense_share = dense_share
        self._term_ids: dict[str, int] = {}
        self._rows: list[list[int]] = []  # per term: rows holding it (dead rows included until rebuilt)
        self._tfs: list[list[int]] = []
        self._arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # per term, built on first use
        # Per term: its live rows and their tf part, which depends on the mean length, so every change of the
        # rows clears them all (queries far outnumber changes); rows None for a frequent term, whose tf part is
        # then a vector over all rows (0 where it is absent).
        self._impacts: dict[int, tuple[np.ndarray | None, np.ndarray]] = {}
        self._df = np.zeros(0, dtype=np.int64)
        self._lengths = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._doc_terms: list[np.ndarray | None] = []  # per row: its terms, and how often each occurs
        self._doc_tfs: list[np.ndarray | None] = []
        self._total_length = 0.0
        self.live = 0
        for text in texts:
            self.add(self.tokens(text))

    @property
    def size(self) -> int:
        """Rows, dead ones included (the length of `scores`)."""
        return len(self._doc_terms)

    def tokens(self, text: str) -> list[str]:
        return lexical_tokens(text, self.vocabulary)

    def _grow(self, rows: int) -> None:
        if rows <= len(self._lengths):
            return
        capacity = max(rows, 2 * len(self._lengths), 64)
        self._lengths = np.concatenate([self._lengths, np.zeros(capacity - len(self._lengths), np.float32)])
        self._alive = np.concatenate([self._alive, np.zeros(capacity - len(self._alive), bool)])

    def add(self, tokens: Sequence[str]) -> int:
        """Index one text given as its tokens; returns its row."""
        row = self.size
        self._grow(row + 1)
        counts = Counter(tokens)
        ids = []
        for token, tf in counts.items():
            term = self._term_ids.get(token)
            if term is None:
                term = self._term_ids[token] = len(self._rows)
                self._rows.append([])
                self._tfs.append([])
            self._rows[term].append(row)
            self._tfs[term].append(tf)
            self._arrays.pop(term, None)
            ids.append(term)
        self._impacts.clear()
        ids = np.array(ids, dtype=np.int64)
        if len(self._df) < len(self._rows):
            self._df = np.concatenate([self._df, np.zeros(len(self._rows) - len(self._df), np.int64)])
        self._df[ids] += 1
        self._doc_terms.append(ids)
        self._doc_tfs.append(np.fromiter(counts.values(), dtype=np.int32, count=len(counts)))
        self._lengths[row] = len(tokens)
        self._total_length += len(tokens)
        self.live += 1
        self._alive[row] = True
        return row

    def remove(self, row: int) -> None:
        """Take a row out of the scores and the statistics (its place stays, scoring 0)."""
        ids = self._doc_terms[row]
        if ids is None:
            return
        self._alive[row] = False
        self._df[ids] -= 1
        self._total_length -= float(self._lengths[row])
        self._lengths[row] = 0
        self._doc_terms[row] = self._doc_tfs[row] = None
        self.live -= 1
        self._impacts.clear()

    def warm(self) -> None:
        """Compute every term's tf part now, after a bulk build, so that no query pays for a term's first use
        (up to a few ms for a term in a third of 100k rows)."""
        for term in np.flatnonzero(self._df):
            self._impact(int(term))

    def _impact(self, term: int) -> tuple[np.ndarray | None, np.ndarray]:
        """The term's live rows and their BM25 tf part; for a frequent term no rows and the tf part of every row."""
        found = self._impacts.get(term)
        if found is None:
            arrays = self._arrays.get(term)
            if arrays is None:
                rows = np.array(self._rows[term], dtype=np.int64)
                arrays = self._arrays[term] = (rows, np.array(self._tfs[term], dtype=np.float32))
            rows, tfs = arrays
            alive = self._alive[rows]
            if not alive.all():
                rows, tfs = rows[alive], tfs[alive]
            average = self._total_length / self.live
            norm = self.k1 * ((1 - self.b) + self.b * self._lengths[rows] / average)
            impact = tfs / (norm + tfs)
            if len(rows) >= self.dense_share * self.size:
                dense = np.zeros(self.size, dtype=np.float32)
                dense[rows] = impact
                rows, impact = None, dense
            found = self._impacts[term] = (rows, impact)
        return found

    def _idf(self, term: int) -> float:
        df = int(self._df[term])
        return math.log(1 + (self.live - df + 0.5) / (df + 0.5))  # math.log: half np.log's cost on a scalar

    def scores(self, text: str) -> np.ndarray:
        """The BM25 score of every row for the query `text` (zeros when nothing matches); a term repeated in
        the query counts as often as it occurs."""
        return self.scores_of_terms(self.term_counts(self.tokens(text)))

    def term_counts(self, tokens: Sequence[str] = (), rows: Sequence[int] = ()) -> dict[int, int]:
        """A query's known terms with their counts, from its tokens and from indexed rows whose texts it
        includes (a posting as the query, a profile's postings): those are read from the index, not tokenised
        again. A row alone gives its terms in the order `scores` of its text sees them, so the same scores."""
        counts: dict[int, int] = {}
        for token, count in Counter(tokens).items():
            term = self._term_ids.get(token)
            if term is not None:
                counts[term] = counts.get(term, 0) + count
        for row in rows:
            if self._doc_terms[row] is not None:
                for term, tf in zip(self._doc_terms[row].tolist(), self._doc_tfs[row].tolist(), strict=True):
                    counts[term] = counts.get(term, 0) + tf
        return counts

    def scores_of_terms(self, counts: Mapping[int, int]) -> np.ndarray:
        """The BM25 score of every row for a query given by `term_counts`."""
        out = np.zeros(self.size, dtype=np.float32)
        if not self.live:
            return out
        weighted = np.empty(self.size, dtype=np.float32)
        for term, count in counts.items():
            if not self._df[term]:
                continue
            rows, impact = self._impact(term)
            part = np.multiply(impact, np.float32(count * self._idf(term)), out=weighted[: len(impact)])
            if rows is None:
                out += part
            else:
                np.add.at(out, rows, part)  # rows are distinct: as out[rows] += part, in half the time
        return out

    def idf(self, token: str) -> float:
        """Inverse document frequency as BM25 weighs it (0 for an unknown term)."""
        term = self._term_ids.get(token)
        if term is None or not self.live or not self._df[term]:
            return 0.0
        return self._idf(term)

    def memory_bytes(self) -> int:
        """The numeric arrays' size plus an estimate of the postings lists (8 bytes per entry and list)."""
        entries = sum(len(rows) for rows in self._rows)
        arrays = sum(rows.nbytes + tfs.nbytes for rows, tfs in self._arrays.values())
        arrays += sum(
            impact.nbytes + (0 if rows is None else rows.nbytes) for rows, impact in self._impacts.values()
        )
        documents = sum(ids.nbytes for ids in self._doc_terms + self._doc_tfs if ids is not None)
        return self._df.nbytes + self._lengths.nbytes + self._alive.nbytes + 16 * entries + arrays + documents
