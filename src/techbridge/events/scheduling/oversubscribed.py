"""Over-subscribed events (not every meeting fits): CP-SAT, decomposed when the event is large.

1. Selection: which meetings to hold, ignoring the slot order. Each participant holds at most as many
   meetings confined to a window (a session, a fixed slot, the whole day) as it has free slots there,
   and the tables cap every window likewise. This relaxation's optimum bounds the scheduled weight.
2. Timetabling: slots for the selected meetings (all meetings when the event is small), maximising
   the weight actually placed, then, with that weight kept, fewer moves of published meetings and
   fewer breaks under the fairness bound.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .portfolio import Outcome
from .problem import Problem

# Timetable every meeting directly while the model stays this small (meeting-slot pairs).
DIRECT_LIMIT = 30_000
WORKERS = 2


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = WORKERS
    return solver


def _windows(problem: Problem) -> list[frozenset[int]]:
    sets = {frozenset(range(1, problem.slots + 1))}
    sets.update(frozenset(m.slots) for m in problem.meetings if len(m.slots) == 1)
    by_shape = {frozenset(m.slots) for m in problem.meetings}
    for shape in by_shape:
        # session windows show up as the span of a meeting's allowed slots
        sets.add(frozenset(range(min(shape), max(shape) + 1)) if shape else frozenset())
    return [w for w in sets if w]


def _select(problem: Problem, deadline: float) -> tuple[set[int], int]:
    """The meetings of the relaxation's best solution found, and its proven upper bound on weight."""
    model = cp_model.CpModel()
    candidates = [m for m, meeting in enumerate(problem.meetings) if meeting.slots]
    chosen = {m: model.new_bool_var(f"y{m}") for m in candidates}
    windows = _windows(problem)
    by_participant = defaultdict(list)
    for m in candidates:
        for p in problem.meetings[m].pair:
            by_participant[p].append(m)
    for window in windows:
        inside = [m for m in candidates if window.issuperset(problem.meetings[m].slots)]
        if len(inside) > problem.tables * len(window):
            model.add(sum(chosen[m] for m in inside) <= problem.tables * len(window))
        for mine in by_participant.values():
            own = [m for m in mine if window.issuperset(problem.meetings[m].slots)]
            free = set().union(*(problem.meetings[m].slots for m in own)) if own else set()
            if len(own) > len(free):
                model.add(sum(chosen[m] for m in own) <= len(free))
    model.maximize(sum(problem.meetings[m].weight * chosen[m] for m in candidates))
    solver = _solver((deadline - time.monotonic()) * 0.25)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return set(), int(solver.best_objective_bound)
    return {m for m in candidates if solver.value(chosen[m])}, int(solver.best_objective_bound)


def _greedy(problem: Problem, meetings: list[int], previous: dict[int, int]) -> dict[int, int]:
    """Heaviest first, each into its published slot or else the earliest slot still open for it."""
    busy = set()
    load: dict[int, int] = defaultdict(int)
    placed: dict[int, int] = {}

    def fits(m, t):
        meeting = problem.meetings[m]
        if load[t] >= problem.tables or any((p, t) in busy for p in meeting.pair):
            return False
        return all(e in placed and placed[e] < t for e in meeting.after)

    order = sorted(
        meetings,
        key=lambda m: (m not in previous, -problem.meetings[m].weight, len(problem.meetings[m].slots)),
    )
    for m in order:
        options = ([previous[m]] if m in previous else []) + list(problem.meetings[m].slots)
        slot = next((t for t in options if fits(m, t)), None)
        if slot is not None:
            placed[m] = slot
            load[slot] += 1
            busy.update((p, slot) for p in problem.meetings[m].pair)
    return placed


def _timetable(problem: Problem, meetings: list[int], previous: dict[int, int], deadline: float):
    model = cp_model.CpModel()
    T = problem.slots
    x = {(m, t): model.new_bool_var(f"x{m}_{t}") for m in meetings for t in problem.meetings[m].slots}
    held = {}
    for m in meetings:
        held[m] = model.new_bool_var(f"h{m}")
        model.add(sum(x[m, t] for t in problem.meetings[m].slots) == held[m])
    members = set(meetings)
    by_slot = defaultdict(list)
    by_person_slot = defaultdict(list)
    for (m, t), var in x.items():
        by_slot[t].append(var)
        for p in problem.meetings[m].pair:
            by_person_slot[p, t].append(var)
    for lits in by_slot.values():
        if len(lits) > problem.tables:
            model.add(sum(lits) <= problem.tables)
    busy = {}
    for (p, t), lits in by_person_slot.items():
        busy[p, t] = model.new_bool_var(f"u{p}_{t}")
        model.add(sum(lits) == busy[p, t])
    for m in meetings:
        for earlier in problem.meetings[m].after:
            if earlier not in members:
                continue
            for t in problem.meetings[m].slots:
                late = [x[earlier, s] for s in problem.meetings[earlier].slots if s >= t]
                if late:
                    model.add(x[m, t] + sum(late) <= 1)
    breaks = _breaks(model, problem, busy, T)
    weight = sum(problem.meetings[m].weight * held[m] for m in meetings)
    hint = _greedy(problem, meetings, previous)
    for (m, t), var in x.items():
        model.add_hint(var, hint.get(m) == t)

    solver = _solver((deadline - time.monotonic()) * 0.5)
    model.maximize(weight)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, False, None, None
    best_weight = int(solver.objective_value)
    weight_proven = status == cp_model.OPTIMAL
    weight_bound = int(solver.best_objective_bound)
    placed = {m: t for (m, t), var in x.items() if solver.value(var)}

    model.clear_hints()
    for (m, t), var in x.items():
        model.add_hint(var, placed.get(m) == t)
    model.add(weight >= best_weight)
    moves = [1 - x[m, t] for m, t in previous.items() if (m, t) in x]
    model.minimize((len(breaks) + 1) * sum(moves) + sum(breaks))
    solver = _solver(deadline - time.monotonic())
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    proven = weight_proven and status == cp_model.OPTIMAL
    # a bound on breaks holds for the weight level kept, so it is final only once that level is optimal
    break_bound = int(solver.best_objective_bound) if weight_proven and found and not moves else None
    if found:
        placed = {m: t for (m, t), var in x.items() if solver.value(var)}
    return placed, proven, weight_bound, break_bound


def _breaks(model, problem, busy, T):
    """b[p,t] <-> p busy at t-1, idle at t, busy later; fairness on their per-participant sums."""
    totals = []
    all_breaks = []
    for p in range(len(problem.participants)):
        slots_p = [t for t in range(1, T + 1) if (p, t) in busy]
        later = {}
        for t in reversed(slots_p):
            later[t] = model.new_bool_var(f"l{p}_{t}")
            nxt = [later[s] for s in slots_p if s > t][:1]
            model.add_max_equality(later[t], [busy[p, t], *nxt])
        mine = []
        for t in slots_p[:-1]:
            gap_busy = busy.get((p, t + 1))
            after = (
                [s for s in slots_p if s > t + 1] if gap_busy is not None else [s for s in slots_p if s > t]
            )
            if not after:
                continue
            b = model.new_bool_var(f"b{p}_{t + 1}")
            idle = [busy[p, t], later[after[0]]] + ([gap_busy.Not()] if gap_busy is not None else [])
            model.add_bool_and(idle).only_enforce_if(b)
            model.add_bool_or([lit.Not() for lit in idle] + [b])
            mine.append(b)
        all_breaks.extend(mine)
        totals.append(sum(mine) if mine else 0)
    spread = problem.max_break_spread
    if spread is not None and totals:
        low = model.new_int_var(0, T, "low")
        for total in totals:
            model.add(total >= low)
            model.add(total <= low + spread)
    return all_breaks


def solve_oversubscribed(problem: Problem, *, previous: dict[int, int], deadline: float):
    """The outcome (cost = breaks) and the proven upper bound on weight; see the module docstring."""
    direct = sum(len(m.slots) for m in problem.meetings) <= DIRECT_LIMIT
    if direct:
        meetings, selection_bound = [m for m, meeting in enumerate(problem.meetings) if meeting.slots], None
    else:
        chosen, selection_bound = _select(problem, deadline)
        meetings = sorted(chosen | set(previous))
    placed, proven, weight_bound, break_bound = _timetable(problem, meetings, previous, deadline)
    if not direct:
        weight_bound = selection_bound
        proven = proven and sum(problem.meetings[m].weight for m in placed) == selection_bound
    status = "OPTIMAL" if proven else "FEASIBLE"
    return Outcome(status=status, slots=placed, cost=None, bound=break_bound), weight_bound
