"""`solve(instance, time_limit=..., previous=...)`: the scheduler's entry point, on plain JSON data."""

from __future__ import annotations

import time
from collections import defaultdict

from .oversubscribed import solve_oversubscribed
from .portfolio import Outcome, solve_maxsat
from .problem import Problem, parse


def _previous_slots(problem: Problem, previous: dict | None) -> dict[int, int]:
    """Published slots that can still be kept (the meeting exists and the slot is still allowed)."""
    if not previous:
        return {}
    index = {meeting.id: i for i, meeting in enumerate(problem.meetings)}
    kept = {}
    for entry in previous.get("scheduled", ()):
        m = index.get(entry["meeting"])
        if m is not None and entry["slot"] in problem.meetings[m].slots:
            kept[m] = entry["slot"]
    return kept


def _tables(problem: Problem, slots: dict[int, int], previous: dict | None) -> dict[int, int]:
    """Hand out table numbers per slot, keeping a meeting's published table when it stayed in its slot."""
    before = {(e["meeting"], e["slot"]): e.get("table") for e in (previous or {}).get("scheduled", ())}
    by_slot: dict[int, list[int]] = defaultdict(list)
    for m, t in sorted(slots.items()):
        by_slot[t].append(m)
    tables = {}
    for t, meetings in by_slot.items():
        taken = set()
        for m in meetings:
            table = before.get((problem.meetings[m].id, t))
            if table is not None and 1 <= table <= problem.tables and table not in taken:
                tables[m] = table
                taken.add(table)
        free = (n for n in range(1, problem.tables + 1) if n not in taken)
        for m in meetings:
            if m not in tables:
                tables[m] = next(free)
    return tables


def _total_breaks(problem: Problem, slots: dict[int, int]) -> int:
    busy: dict[int, list[int]] = defaultdict(list)
    for m, t in slots.items():
        for p in problem.meetings[m].pair:
            busy[p].append(t)
    return sum(
        sum(1 for a, b in zip(ts, ts[1:], strict=False) if b > a + 1) for ts in map(sorted, busy.values())
    )


def _bound(problem: Problem, outcome: Outcome, previous: dict[int, int]) -> int | None:
    """The proven bound on total breaks, when the outcome's cost is in breaks only."""
    if previous or not problem.schedule_all or outcome.bound is None:
        return None
    return outcome.bound


def solve(instance: dict, *, time_limit: float, previous: dict | None = None, progress=None) -> dict:
    """Schedule the instance; `progress(phase, objective=None, bound=None)`, when given, hears each phase as it
    starts and each improving solution the engine reports: phases "selecting" (weight of meetings chosen to
    hold, large over-subscribed events), "placing" (weight placed), "breaks" (breaks, with moves of published
    meetings weighted first), "swaps" (no figures), or "proving" (breaks, when every meeting must be held).
    """
    start = time.monotonic()
    problem = parse(instance)
    kept = _previous_slots(problem, previous)
    deadline = start + time_limit
    if problem.schedule_all:
        outcome = solve_maxsat(problem, previous=kept or None, deadline=deadline, progress=progress)
        bound = _bound(problem, outcome, kept)
        weight_bound = sum(m.weight for m in problem.meetings) if outcome.status != "INFEASIBLE" else None
    else:
        outcome, weight_bound = solve_oversubscribed(
            problem, previous=kept, deadline=deadline, progress=progress
        )
        bound = outcome.bound
    slots = outcome.slots or {}
    tables = _tables(problem, slots, previous)
    scheduled = [
        {"meeting": problem.meetings[m].id, "slot": t, "table": tables[m]} for m, t in sorted(slots.items())
    ]
    schedule = {
        "status": outcome.status,
        "scheduled": scheduled,
        "unscheduled": [meeting.id for m, meeting in enumerate(problem.meetings) if m not in slots],
        "total_weight": sum(problem.meetings[m].weight for m in slots),
        "total_breaks": _total_breaks(problem, slots),
        "bound": bound,
        "weight_bound": weight_bound,
    }
    schedule["gap"] = None if bound is None else schedule["total_breaks"] - bound
    schedule["wall_time_s"] = round(time.monotonic() - start, 3)
    return schedule
