"""Benchmark the B2B scheduler.

    python benchmarks/scheduling/run.py real [--time-limit 10] [--only NAME ...]
    python benchmarks/scheduling/run.py oversubscribed [--time-limit 60] [--sizes 500 2000] [--factors 5 10]

`real`: the 20 real-event instances of Bofill et al. (JAIR 2022) from ../shared, every meeting scheduled,
total breaks against the published optimum (fairness bound 2). `oversubscribed`: generated events with
5x / 10x as many requests as the tables can hold; scheduled weight against the proven upper bound.
Prints a Markdown table; every schedule is checked by the independent verifier.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import time
from pathlib import Path

from techbridge.events.scheduling import solve, verify

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "scheduling" / "b2b-jair2022"


def _machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at {time.strftime('%H:%M UTC', time.gmtime())}"


def _cpu_seconds() -> float:
    """CPU time of this process and of the solver processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_real(time_limit: float, only: list[str]) -> None:
    if not DATA.is_dir():
        raise SystemExit(f"no benchmark data at {DATA}")
    with open(DATA / "published.csv", newline="") as handle:
        published = list(csv.DictReader(handle))
    print(f"time limit {time_limit} s; {_machine()}\n")
    print(
        "| instance | meetings | published optimum | ours | bound | proven? | time (s) | CPU (s) | verifier |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---|")
    hits = proven = 0
    for row in published:
        if only and row["instance"] not in only:
            continue
        instance = json.loads((DATA / f"{row['instance']}.json").read_text())
        cpu = _cpu_seconds()
        schedule = solve(instance, time_limit=time_limit)
        cpu = _cpu_seconds() - cpu
        problems = verify(instance, schedule) if schedule["scheduled"] else ["no schedule found"]
        optimum = int(row["optimum_total_breaks"])
        done = schedule["status"] == "OPTIMAL"
        hits += schedule["total_breaks"] == optimum and not problems
        proven += done and schedule["total_breaks"] == optimum
        print(
            f"| {row['instance']} | {len(instance['meetings'])} | {optimum} | {schedule['total_breaks']} "
            f"| {schedule['bound']} | {'yes' if done else 'no'} | {schedule['wall_time_s']:.1f} | {cpu:.1f} "
            f"| {'ok' if not problems else '; '.join(problems[:2])} |",
            flush=True,
        )
    print(f"\npublished optimum reached: {hits}; proven optimal: {proven}; {_machine()}")


def generate(participants: int, factor: int, seed: int) -> dict:
    """A brokerage event: Chinese offers meet Pakistani needs, more requests than the tables hold.

    16 slots in two sessions, a table for every fifth participant; some participants are away part of
    the day, some meetings need a session, a few are fixed or must follow another; priorities 1-5.
    """
    rng = random.Random(seed)
    slots, tables = 16, participants // 5
    sessions = {"morning": [1, 8], "afternoon": [9, 16]}
    people = [{"id": f"{'C' if i % 2 else 'P'}{i}", "forbidden_slots": []} for i in range(participants)]
    for person in rng.sample(people, participants // 5):
        start = rng.randint(1, slots)
        person["forbidden_slots"] = list(range(start, min(slots, start + rng.randint(0, 3)) + 1))
    chinese = [p["id"] for p in people if p["id"][0] == "C"]
    pakistani = [p["id"] for p in people if p["id"][0] == "P"]
    wanted = factor * slots * tables
    pairs: set[tuple[str, str]] = set()
    # popular participants draw more requests (skewed like real events)
    popular_c = [c for c in chinese for _ in range(1 + rng.randint(0, 3) ** 2)]
    popular_p = [p for p in pakistani for _ in range(1 + rng.randint(0, 3) ** 2)]
    while len(pairs) < wanted:
        pairs.add((rng.choice(popular_c), rng.choice(popular_p)))
    meetings = []
    for n, (c, p) in enumerate(sorted(pairs)):
        meeting = {"id": str(n + 1), "participants": [c, p], "weight": rng.choice([1, 1, 1, 2, 2, 3, 4, 5])}
        roll = rng.random()
        if roll < 0.1:
            meeting["session"] = rng.choice(["morning", "afternoon"])
        elif roll < 0.11:
            meeting["fixed_slot"] = rng.randint(1, slots)
        elif roll < 0.12 and meetings:
            meeting["after"] = [rng.choice(meetings)["id"]]
        meetings.append(meeting)
    return {
        "format": "techbridge-b2b/1",
        "name": f"generated-{participants}x{factor}-seed{seed}",
        "slots": slots,
        "sessions": sessions,
        "tables": tables,
        "participants": people,
        "meetings": meetings,
        "objective": {"schedule_all": False, "minimize": "breaks", "max_break_spread": 2},
    }


def run_oversubscribed(time_limit: float, sizes: list[int], factors: list[int]) -> None:
    print(f"time limit {time_limit} s; {_machine()}\n")
    print(
        "| participants | requests | fit (tables x slots) | scheduled | weight | upper bound | weight / bound | breaks | status | time (s) | verifier |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for participants in sizes:
        for factor in factors:
            instance = generate(participants, factor, seed=participants + factor)
            schedule = solve(instance, time_limit=time_limit)
            problems = verify(instance, schedule)
            ratio = schedule["total_weight"] / schedule["weight_bound"] if schedule["weight_bound"] else 0
            print(
                f"| {participants} | {len(instance['meetings'])} | {instance['slots'] * instance['tables']} "
                f"| {len(schedule['scheduled'])} | {schedule['total_weight']} | {schedule['weight_bound']} "
                f"| {ratio:.2%} | {schedule['total_breaks']} | {schedule['status']} | {schedule['wall_time_s']:.1f} "
                f"| {'ok' if not problems else '; '.join(problems[:2])} |",
                flush=True,
            )
    print(f"\n{_machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="suite", required=True)
    real = sub.add_parser("real")
    real.add_argument("--time-limit", type=float, default=10.0)
    real.add_argument("--only", nargs="*", default=[])
    over = sub.add_parser("oversubscribed")
    over.add_argument("--time-limit", type=float, default=60.0)
    over.add_argument("--sizes", type=int, nargs="*", default=[500, 2000])
    over.add_argument("--factors", type=int, nargs="*", default=[5, 10])
    args = parser.parse_args()
    if args.suite == "real":
        run_real(args.time_limit, args.only)
    else:
        run_oversubscribed(args.time_limit, args.sizes, args.factors)


if __name__ == "__main__":
    main()
