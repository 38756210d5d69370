"""Evaluation on BEIR-layout folders (with profiles): reader, matcher run, metrics and TREC run files.

Metrics follow `shared/data/matching/README.md`: relevant = grade > 0 (or >= the protocol's threshold), linear
gains, ties in a run broken by higher score, then lower rank, then document id; in rerank mode judged
candidates missing from the run go last. A dataset's `protocol` may set `relevance_threshold`,
`ndcg_pool_fraction` (NDCG%p: rank-metrics DCG r1 + sum r_i/log2 i at that fraction of the pool) and `folds`
(per-query values averaged within each fold, then the fold means averaged).
"""

import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from techbridge.matching.encoder import Encoder
from techbridge.matching.index import EMBED_MAX_WORDS, Item, MatchingIndex, Settings, embed_items

Run = dict[str, list[tuple[str, float]]]
Qrels = dict[str, dict[str, float]]
RUN_DEPTH = 100


@dataclass
class Dataset:
    name: str
    mode: str
    metrics: list[str]
    queries: list[Item]
    corpus: list[Item]
    qrels: Qrels
    meta: dict = field(default_factory=dict)

    @property
    def protocol(self) -> dict:
        return self.meta.get("protocol", {})


def _jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def read_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or (number == 0 and not _is_number(parts[2])):
                continue
            qrels.setdefault(parts[0], {})[parts[1]] = float(parts[2])
    return qrels


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def load_dataset(directory: Path) -> Dataset:
    directory = Path(directory)
    meta = json.loads((directory / "dataset.json").read_text(encoding="utf-8"))
    queries = [
        Item(
            id=str(row["_id"]),
            texts=list(row["texts"]) if "texts" in row else [row["text"]],
            lang=row.get("lang", ""),
        )
        for row in _jsonl(directory / "queries.jsonl")
    ]
    corpus = [
        Item(
            id=str(row["_id"]),
            texts=[" ".join(part for part in (row.get("title", ""), row.get("text", "")) if part)],
            lang=row.get("lang", ""),
        )
        for row in _jsonl(directory / "corpus.jsonl")
    ]
    return Dataset(
        name=meta.get("name", directory.name),
        mode=meta.get("mode", "retrieve"),
        metrics=list(meta.get("metrics", ["ndcg@10"])),
        queries=queries,
        corpus=corpus,
        qrels=read_qrels(directory / "qrels" / "test.tsv"),
        meta=meta,
    )


def run_matcher(
    dataset: Dataset,
    encoder: Encoder,
    *,
    max_words: int | None = EMBED_MAX_WORDS,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> Run:
    """Rank the corpus for each query with the product's engine on a throw-away in-memory index."""
    if progress:
        progress("corpus")
    vectors = embed_items(dataset.corpus, encoder, role="passage", max_words=max_words)
    index = MatchingIndex(dataset.corpus, vectors, settings=settings)
    if progress:
        progress("queries")
    query_vectors = embed_items(dataset.queries, encoder, role="query", max_words=max_words)
    run: Run = {}
    for query, vector in zip(dataset.queries, query_vectors, strict=True):
        if dataset.mode == "rerank":
            candidates = list(dataset.qrels.get(query.id, {}))
            matches = index.search(query, vector, k=len(candidates), candidates=candidates)
        else:
            matches = index.search(query, vector, k=RUN_DEPTH)
        run[query.id] = [(match.id, match.score) for match in matches]
    return run


def write_trec(run: Run, path: Path, *, tag: str) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        for query_id, ranking in run.items():
            for rank, (doc_id, score) in enumerate(ranking, start=1):
                out.write(f"{query_id} Q0 {doc_id} {rank} {score:.6f} {tag}\n")


def read_trec(path: Path) -> Run:
    run: Run = {}
    with Path(path).open(encoding="utf-8") as lines:
        for line in lines:
            query_id, _q0, doc_id, _rank, score, *_tag = line.split()
            run.setdefault(query_id, []).append((doc_id, float(score)))
    return run


def ordered(ranking: Sequence[tuple[str, float]], judged: Mapping[str, float] | None = None) -> list[str]:
    """Document ids in the scorer's order; in rerank mode (`judged` given) unranked candidates go last."""
    indexed = [(-score, rank, doc_id) for rank, (doc_id, score) in enumerate(ranking)]
    ids = [doc_id for _score, _rank, doc_id in sorted(indexed, key=lambda row: (row[0], row[1], row[2]))]
    if judged is None:
        return ids
    ids = [doc_id for doc_id in ids if doc_id in judged]
    seen = set(ids)
    return ids + sorted(doc_id for doc_id in judged if doc_id not in seen)


def _dcg(gains: Sequence[float]) -> float:
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, float], k: int) -> float:
    ideal = _dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:k])
    return _dcg([max(grades.get(doc_id, 0.0), 0.0) for doc_id in ranked[:k]]) / ideal if ideal else 0.0


def average_precision(ranked: Sequence[str], relevant: set[str]) -> float:
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for position, doc_id in enumerate(ranked, start=1):
        if doc_id in relevant:
            hits += 1
            total += hits / position
    return total / len(relevant)


def reciprocal_rank_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return next(
        (1 / position for position, doc_id in enumerate(ranked[:k], start=1) if doc_id in relevant), 0.0
    )


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def _rank_metrics_dcg(gains: Sequence[float]) -> float:
    """rank_metrics.dcg_at_k method 0: r1 + sum_{i>=2} r_i / log2(i)."""
    return sum(gain if i == 1 else gain / math.log2(i) for i, gain in enumerate(gains, start=1))


def ndcg_pool_fraction(ranked: Sequence[str], grades: Mapping[str, float], fraction: float) -> float:
    k = int(fraction * len(grades))
    ideal = _rank_metrics_dcg(sorted(grades.values(), reverse=True)[:k])
    return _rank_metrics_dcg([grades.get(doc_id, 0.0) for doc_id in ranked[:k]]) / ideal if ideal else 0.0


_AT = re.compile(r"^(ndcg|mrr|recall)@(\d+)$")
_PERCENT = re.compile(r"^ndcg%(\d+)$")


def query_metric(name: str, ranked: Sequence[str], grades: Mapping[str, float], *, threshold: float) -> float:
    relevant = {doc_id for doc_id, grade in grades.items() if grade >= threshold and grade > 0}
    if name == "map":
        return average_precision(ranked, relevant)
    if match := _PERCENT.match(name):
        return ndcg_pool_fraction(ranked, grades, int(match.group(1)) / 100)
    if match := _AT.match(name):
        kind, k = match.group(1), int(match.group(2))
        if kind == "ndcg":
            return ndcg_at(ranked, grades, k)
        if kind == "mrr":
            return reciprocal_rank_at(ranked, relevant, k)
        return recall_at(ranked, relevant, k)
    raise ValueError(f"unknown metric {name!r}")


def per_query(dataset: Dataset, run: Run, name: str) -> dict[str, float]:
    threshold = float(dataset.protocol.get("relevance_threshold", 0))
    values = {}
    for query_id, grades in dataset.qrels.items():
        judged = grades if dataset.mode == "rerank" else None
        ranked = ordered(run.get(query_id, []), judged)
        values[query_id] = query_metric(name, ranked, grades, threshold=threshold)
    return values


def aggregate(values: Mapping[str, float], folds: Mapping[str, Sequence[str]] | None = None) -> float:
    if not values:
        return 0.0
    if not folds:
        return sum(values.values()) / len(values)
    means = [sum(values.get(q, 0.0) for q in fold) / len(fold) for fold in folds.values() if fold]
    return sum(means) / len(means)


def evaluate(dataset: Dataset, run: Run) -> dict[str, float]:
    folds = dataset.protocol.get("folds")
    return {name: aggregate(per_query(dataset, run, name), folds) for name in dataset.metrics}


def evaluate_folder(
    directory: Path,
    encoder: Encoder,
    *,
    run_out: Path | None = None,
    max_words: int | None = EMBED_MAX_WORDS,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Load a BEIR folder, run the matcher, score it, and write the TREC run if asked."""
    started = time.perf_counter()
    dataset = load_dataset(directory)
    run = run_matcher(dataset, encoder, max_words=max_words, progress=progress)
    if run_out is not None:
        write_trec(run, run_out, tag=f"techbridge-{encoder.model_id.rsplit('/', 1)[-1]}")
    return {
        "name": dataset.name,
        "mode": dataset.mode,
        "queries": len(dataset.queries),
        "corpus": len(dataset.corpus),
        "encoder": encoder.key,
        "max_words": max_words,
        "metrics": evaluate(dataset, run),
        "published": {
            system: {name: value for name, value in figures.items() if name in dataset.metrics}
            for system, figures in dataset.meta.get("published", {}).items()
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
