"""Two source trees against each other on one benchmark database, request by request.

    DATABASE_URL=... TECHBRIDGE_VAR_DIR=... python benchmarks/matching/ab.py OLD/src NEW/src [--queries 400]

Fill the database with `scale.py db` first. Each tree gets a worker process (the tree first on its PYTHONPATH,
one BLAS thread) that builds its index; then the two answer the same posting and organisation-profile match
requests in turn, one request at a time, which of them goes first alternating, so that both meet the machine
in the same state. Runs made one after the other cannot tell a few milliseconds apart here: this machine's
speed drifts by tens of percent within an hour.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM_UP = {"posting": 10, "organisation": 3}


def serve(queries: int) -> None:
    """A worker: the requests first (as JSON), then one line of seconds per request read from stdin."""
    sys.path.insert(0, str(HERE))
    import scale

    scale._setup_django()
    from techbridge.matching import selectors
    from techbridge.matching.indexing import current_engine

    engine = current_engine()
    viewer, posting_ids, organisation_ids = scale.bench_requests(engine, queries)
    print(json.dumps({"posting": posting_ids, "organisation": organisation_ids}), flush=True)
    calls = {"posting": selectors.posting_matches, "organisation": selectors.organisation_matches}
    for line in sys.stdin:
        kind, pk = line.split()
        started = time.perf_counter()
        calls[kind](viewer=viewer, id=int(pk), limit=scale.LIMIT)
        print(time.perf_counter() - started, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from scale import _machine, _percentiles

    workers = {}
    for label, tree in (("old", args.old), ("new", args.new)):
        env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()), OPENBLAS_NUM_THREADS="1")
        workers[label] = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(args.queries)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
    requests = [json.loads(worker.stdout.readline()) for worker in workers.values()]
    if requests[0] != requests[1]:
        sys.exit("the workers drew different requests: not the same database?")
    print(f"old {args.old}, new {args.new}; {_machine()}", flush=True)
    print("| request | old p50 / p95 | new p50 / p95 |\n|---|---|---|")
    for kind, ids in requests[0].items():
        times = {label: [] for label in workers}
        for n, pk in enumerate(ids[: WARM_UP[kind]] + ids):
            order = list(workers) if n % 2 else list(reversed(workers))
            for label in order:
                workers[label].stdin.write(f"{kind} {pk}\n")
                workers[label].stdin.flush()
                elapsed = float(workers[label].stdout.readline())
                if n >= WARM_UP[kind]:
                    times[label].append(elapsed)
        print(f"| {kind} matches | {_percentiles(times['old'])} | {_percentiles(times['new'])} |", flush=True)
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()
    print(_machine())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]))
    else:
        main()
