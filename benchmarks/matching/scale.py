"""The docking engine at Zhongguancun scale: latency, reindex throughput, memory, growth with the corpus.

    DATABASE_URL=... TECHBRIDGE_VAR_DIR=/tmp/bench-var python benchmarks/matching/scale.py db \
        --organisations 20000 --postings 100000 [--queries 200] [--reindex-sample 200]
    python benchmarks/matching/scale.py memory --sizes 10000 100000 1000000

`db` migrates the database named by DATABASE_URL (use a throw-away one), fills it with `techbridge
generate-scale` data if it holds no postings yet, stores a SYNTHETIC embedding for every published posting and
described organisation (see `synthetic_vectors`), then measures through the product's own selectors
(`posting_matches`, `organisation_matches`: index refresh check, retrieval, fusion, re-ranking, visibility in
the database, explanations), the encoder on one query text, and reindexing a sample with the real encoder
(rolled back afterwards) beside the encoder's raw speed on the same texts.

`memory` builds `MatchingIndex` objects in memory only (no database) from the generated texts repeated to the
wanted size, with synthetic vectors, and times `search` + `explain` of the top 20.

Synthetic vectors: embedding 100,000 texts with the real encoder (~5 texts/s on this machine) would take
hours, so each stored vector is a seeded random unit vector near its sector's centroid (clusters per sector,
cosines in the range the real encoder gives). Retrieval, fusion, re-ranking, filtering and explanations are
the product's code; only the vectors (and so the exact rankings) are not real.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import random
import statistics
import sys
import time

import django

LIMIT = 20
DIM = 384


def _machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at {time.strftime('%H:%M UTC', time.gmtime())}"


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _percentiles(seconds: list[float]) -> str:
    ms = sorted(1000 * s for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms (n={len(ms)})"


def synthetic_vectors(keys: list[tuple[int, str | None]], *, seed: int = 0, spread: float = 0.9):
    """Seeded unit vectors, one per (id, sector group): the group's centroid plus Gaussian noise."""
    import numpy as np

    rng = np.random.default_rng(seed)
    groups = sorted({group or "" for _id, group in keys})
    centroids = {group: rng.standard_normal(DIM).astype(np.float32) for group in groups}
    out = np.empty((len(keys), DIM), dtype=np.float32)
    for row, (object_id, group) in enumerate(keys):
        noise = np.random.default_rng([seed, object_id]).standard_normal(DIM).astype(np.float32)
        centroid = centroids[group or ""]
        out[row] = centroid / np.linalg.norm(centroid) + spread * noise / np.linalg.norm(noise)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
    django.setup()


def store_synthetic_embeddings() -> dict[str, int]:
    from django.db import transaction

    from techbridge.directory.models import Organisation
    from techbridge.marketplace.models import Posting
    from techbridge.matching.encoder import text_hash
    from techbridge.matching.indexing import description_item, encoder, posting_item, vector_bytes
    from techbridge.matching.models import Embedding
    from techbridge.matching.services import index_bump

    done = {"postings": 0, "organisations": 0}
    key = encoder().key
    for subject, rows in (
        (
            Embedding.Subject.POSTING,
            Posting.objects.filter(status=Posting.Status.PUBLISHED)
            .select_related("organisation")
            .prefetch_related("sectors")
            .order_by("pk"),
        ),
        (Embedding.Subject.ORGANISATION, Organisation.objects.exclude(description="").order_by("pk")),
    ):
        have = set(
            Embedding.objects.filter(subject=subject, model_key=key).values_list("object_id", flat=True)
        )
        todo = [row for row in rows.iterator(chunk_size=2000) if row.pk not in have]
        for start in range(0, len(todo), 2000):
            batch = todo[start : start + 2000]
            if subject == Embedding.Subject.POSTING:
                items = [posting_item(posting) for posting in batch]
                groups = [
                    (posting.pk, (item.facts["sectors"] or [""])[0].split(".")[0])
                    for posting, item in zip(batch, items, strict=True)
                ]
            else:
                items = [description_item(org) for org in batch]
                groups = [(org.pk, "") for org in batch]
            vectors = synthetic_vectors(groups, seed=1 if subject == Embedding.Subject.ORGANISATION else 0)
            with transaction.atomic():
                Embedding.objects.bulk_create(
                    [
                        Embedding(
                            subject=subject,
                            object_id=row.pk,
                            model_key=key,
                            text_hash=text_hash("passage", item.text),
                            vector=vector_bytes(vector),
                        )
                        for row, item, vector in zip(batch, items, vectors, strict=True)
                    ],
                    batch_size=500,
                )
            done["postings" if subject == Embedding.Subject.POSTING else "organisations"] += len(batch)
    with transaction.atomic():
        index_bump()
    return done


def bench_requests(engine, queries: int) -> tuple:
    """The benchmark's viewer (a member of the first organisation) and what it asks for, drawn with a fixed
    seed: `queries` indexed postings it may see, and a quarter as many organisations (at least 20)."""
    from techbridge.accounts.models import Membership, User
    from techbridge.directory.models import Organisation
    from techbridge.marketplace.models import Posting
    from techbridge.marketplace.selectors import posting_list

    rng = random.Random(7)
    viewer, _ = User.objects.get_or_create(email="bench-viewer@example.org")
    Membership.objects.get_or_create(user=viewer, organisation=Organisation.objects.order_by("pk").first())
    visible = set(posting_list(viewer=viewer, status=Posting.Status.PUBLISHED).values_list("pk", flat=True))
    posting_ids = rng.sample(sorted(int(i) for i in engine.index.rows if int(i) in visible), queries)
    organisation_ids = rng.sample(
        list(Organisation.objects.values_list("pk", flat=True)), max(20, queries // 4)
    )
    return viewer, posting_ids, organisation_ids


def run_db(args) -> None:
    from django.core.management import call_command

    _setup_django()
    from django.conf import settings
    from django.db import connection, transaction

    from techbridge.directory.models import Organisation
    from techbridge.marketplace.models import Posting
    from techbridge.matching import indexing, selectors, services
    from techbridge.matching.indexing import current_engine, encoder

    if "test_" in settings.DATABASES["default"]["NAME"] or "/work/main/var" in str(
        settings.DATABASES["default"]["NAME"]
    ):
        sys.exit("refusing: use a throw-away database")
    print(f"database {connection.vendor} {settings.DATABASES['default']['NAME']}; {_machine()}", flush=True)
    call_command("migrate", verbosity=0)
    if not Posting.objects.exists():
        started = time.perf_counter()
        call_command("generate-scale", organisations=args.organisations, postings=args.postings, verbosity=0)
        print(f"generate-scale: {time.perf_counter() - started:.0f} s", flush=True)
    published = Posting.objects.filter(status=Posting.Status.PUBLISHED).count()
    print(
        f"{Organisation.objects.count():,} organisations, {Posting.objects.count():,} postings ({published:,} published)"
    )
    started = time.perf_counter()
    print(
        f"synthetic embeddings stored: {store_synthetic_embeddings()} in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    gc.collect()
    before = _rss_mib()
    started = time.perf_counter()
    engine = current_engine()
    build = time.perf_counter() - started
    gc.collect()
    print(
        f"index build: {len(engine.index):,} postings in {build:.1f} s; arrays {engine.index.memory_bytes() / 2**20:.0f} MiB, "
        f"process RSS +{_rss_mib() - before:.0f} MiB",
        flush=True,
    )

    viewer, posting_ids, organisation_ids = bench_requests(engine, args.queries)

    def timed(call, ids, warm=10):
        for one in ids[:warm]:
            call(one)
        out = []
        for one in ids:
            started = time.perf_counter()
            call(one)
            out.append(time.perf_counter() - started)
        return out

    posting_times = timed(
        lambda pk: selectors.posting_matches(viewer=viewer, id=pk, limit=LIMIT), posting_ids
    )
    print(f"posting_matches top {LIMIT}: {_percentiles(posting_times)}", flush=True)
    profile_times = timed(
        lambda pk: selectors.organisation_matches(viewer=viewer, id=pk, limit=LIMIT), organisation_ids, warm=3
    )
    print(f"organisation_matches top {LIMIT}: {_percentiles(profile_times)}", flush=True)

    # Changes elsewhere, then the next request: each is applied, not rebuilt (the first one also grows the
    # matrix by an eighth).
    applied = []
    for pk in posting_ids[:6]:
        started = time.perf_counter()
        with transaction.atomic():
            services.index_changed(posting_ids=[pk])
        assert current_engine() is engine
        applied.append(time.perf_counter() - started)
    print(
        f"apply one logged change: first {1000 * applied[0]:.0f} ms, then {_percentiles(applied[1:])}",
        flush=True,
    )

    texts = [f"{p.title}\n{p.description}" for p in Posting.objects.filter(pk__in=posting_ids[:20])]
    enc = encoder()
    enc.encode(["warm up"], role="query")
    query_times = []
    for text in texts:
        started = time.perf_counter()
        enc.encode([text], role="query")
        query_times.append(time.perf_counter() - started)
    print(f"encode one query text (a posting's title + description): {_percentiles(query_times)}", flush=True)

    if args.reindex_sample:
        sample = list(
            Posting.objects.filter(pk__in=posting_ids[: args.reindex_sample])
            .select_related("organisation")
            .prefetch_related("sectors")
        )
        from techbridge.matching.index import embed_items
        from techbridge.matching.indexing import posting_item

        items = [posting_item(posting) for posting in sample]
        started = time.perf_counter()
        embed_items(items, enc, role="passage")
        raw = len(items) / (time.perf_counter() - started)
        with transaction.atomic():
            from techbridge.matching.models import Embedding

            Embedding.objects.filter(
                subject=Embedding.Subject.POSTING, object_id__in=[p.pk for p in sample]
            ).update(text_hash="stale")
            started = time.perf_counter()
            for start in range(0, len(sample), services.REINDEX_BATCH):
                services._store_postings(sample[start : start + services.REINDEX_BATCH])
            services.index_changed(posting_ids=[p.pk for p in sample])
            current_engine()
            through = len(sample) / (time.perf_counter() - started)
            transaction.set_rollback(True)
        indexing._engine = None
        print(
            f"reindex {len(sample)} postings (embed + store + apply): {through:.2f} texts/s; encoder alone on the same "
            f"texts: {raw:.2f} texts/s",
            flush=True,
        )
    print(_machine())


def run_memory(args) -> None:
    _setup_django()
    from django.utils.translation import override

    from techbridge.directory.models import Sector
    from techbridge.marketplace.models import Posting
    from techbridge.matching import index as index_module
    from techbridge.matching import textprep
    from techbridge.matching.explain import explain
    from techbridge.matching.index import Item, MatchingIndex
    from techbridge.matching.indexing import posting_item, vocabulary_entries
    from techbridge.matching.textprep import ConceptVocabulary

    print(f"in-memory index only; {_machine()}", flush=True)
    base = [
        posting_item(posting)
        for posting in Posting.objects.filter(status=Posting.Status.PUBLISHED)
        .select_related("organisation")
        .prefetch_related("sectors")
        .order_by("pk")[: args.texts]
    ]
    sectors = list(Sector.objects.select_related("parent"))
    # The generated texts repeat at 1M: each distinct text is split into terms once (the scoring is unchanged).
    terms = textprep.terms
    cached = {}
    index_module.terms = lambda text: cached.setdefault(text, terms(text))
    vocabulary = ConceptVocabulary(vocabulary_entries(sectors))
    vocabulary.find = functools.cache(vocabulary.find)  # every distinct text once, as `terms` above
    parents = {s.code: s.parent.code if s.parent else None for s in sectors}
    print("| postings | build s | arrays MiB | RSS +MiB | search + explain top 20 |")
    print("|---:|---:|---:|---:|---|")
    for size in args.sizes:
        items = [
            Item(
                f"{n}",
                base[n % len(base)].texts,
                lang=base[n % len(base)].lang,
                facts=base[n % len(base)].facts,
            )
            for n in range(size)
        ]
        keys = [(n, (item.facts["sectors"] or [""])[0].split(".")[0]) for n, item in enumerate(items)]
        vectors = synthetic_vectors(keys)
        gc.collect()
        before = _rss_mib()
        started = time.perf_counter()
        index = MatchingIndex(items, vectors, vocabulary=vocabulary, sector_parents=parents)
        build = time.perf_counter() - started
        del vectors
        gc.collect()
        grown = _rss_mib() - before
        rng = random.Random(3)
        times = []
        for n, row in enumerate(rng.sample(range(size), 60)):
            query = items[row]
            started = time.perf_counter()
            where = ~index.where("organisation", query.facts["organisation"])
            # As `posting_matches`: the query's terms as the index found them.
            lexical_side = index.query_terms(indexed=[query.id])
            matches = index.search(
                query, index.vector(query.id), k=LIMIT, where=where, query_terms=lexical_side
            )
            with override("en"):
                for match in matches:
                    explain(
                        query,
                        index.item(match.id),
                        match,
                        viewer_language="en",
                        vocabulary=vocabulary,
                        lexical=index.lexical,
                        query_concepts=lexical_side.concepts,
                        candidate_concepts=index.concepts(match.id),
                        query_surfaces=lexical_side.surfaces,
                        candidate_surfaces=index.surfaces(match.id),
                    )
            if n >= 10:
                times.append(time.perf_counter() - started)
        print(
            f"| {size:,} | {build:.0f} | {index.memory_bytes() / 2**20:.0f} | {grown:.0f} | {_percentiles(times)} |",
            flush=True,
        )
        del index, items
        gc.collect()
    print(_machine())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    db = sub.add_parser("db")
    db.add_argument("--organisations", type=int, default=20000)
    db.add_argument("--postings", type=int, default=100000)
    db.add_argument("--queries", type=int, default=200)
    db.add_argument("--reindex-sample", type=int, default=200)
    memory = sub.add_parser("memory")
    memory.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    memory.add_argument("--texts", type=int, default=100_000)
    args = parser.parse_args()
    run_db(args) if args.what == "db" else run_memory(args)


if __name__ == "__main__":
    main()
