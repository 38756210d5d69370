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

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .portfolio import Outcome
from .problem import Problem

# Timetable every meeting directly while the model stays this small (meeting-slot pairs).
DIRECT_LIMIT = 30_000
WORKERS = 2
RESERVE = 0.15


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = WORKERS
    return solver


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Hands each improving solution's objective, and the bound proven so far, to `progress`; when maximising
    from a start already in hand (`floor`), the best so far is never below it."""

    def __init__(self, progress, phase: str, floor: int | None):
        super().__init__()
        self._progress, self._phase, self._floor = progress, phase, floor

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        if self._floor is not None:
            objective = max(objective, self._floor)
        self._progress(self._phase, objective=objective, bound=round(self.best_objective_bound))


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, progress, phase: str, floor: int | None = None):
    if progress is None:
        return solver.solve(model)
    progress(phase, objective=floor)
    return solver.solve(model, _Reporter(progress, phase, floor))


def _windows(problem: Problem) -> list[frozenset[int]]:
    """The day, each session and each fixed slot: windows that meetings may be confined to."""
    sets = {frozenset(range(1, problem.slots + 1))}
    sets.update(frozenset(range(first, last + 1)) for first, last in problem.sessions)
    sets.update(frozenset(m.slots) for m in problem.meetings if len(m.slots) == 1)
    return list(sets)


def _capacities(problem: Problem, candidates: list[int]) -> list[tuple[list[int], int]]:
    """The relaxation's constraints: (meetings confined to a window, how many of them can be held)."""
    limits = []
    for window in _windows(problem):
        inside = [m for m in candidates if window.issuperset(problem.meetings[m].slots)]
        if len(inside) > problem.tables * len(window):
            limits.append((inside, problem.tables * len(window)))
        by_participant = defaultdict(list)
        for m in inside:
            for p in problem.meetings[m].pair:
                by_participant[p].append(m)
        for own in by_participant.values():
            free = set().union(*(problem.meetings[m].slots for m in own))
            if len(own) > len(free):
                limits.append((own, len(free)))
    return limits


def _select(problem: Problem, deadline: float, progress=None) -> tuple[set[int], int]:
    """Meetings that satisfy the relaxation with much weight, and a proven upper bound on weight.

    The LP relaxation gives the bound and, rounded greedily, a selection; CP-SAT then improves both.
    """
    candidates = [m for m, meeting in enumerate(problem.meetings) if meeting.slots]
    limits = _capacities(problem, candidates)
    weight = {m: problem.meetings[m].weight for m in candidates}

    lp = pywraplp.Solver.CreateSolver("GLOP")
    share = {m: lp.NumVar(0, 1, f"y{m}") for m in candidates}
    for own, cap in limits:
        lp.Add(sum(share[m] for m in own) <= cap)
    lp.Maximize(sum(weight[m] * share[m] for m in candidates))
    solved = lp.Solve() == pywraplp.Solver.OPTIMAL
    bound = int(lp.Objective().Value() + 1e-6) if solved else sum(weight.values())
    value = {m: share[m].solution_value() if solved else 0.0 for m in candidates}

    room = [cap for _, cap in limits]
    member: dict[int, list[int]] = defaultdict(list)
    for i, (own, _) in enumerate(limits):
        for m in own:
            member[m].append(i)
    rounded = set()
    for m in sorted(candidates, key=lambda m: (-value[m], -weight[m])):
        if all(room[i] > 0 for i in member[m]):
            rounded.add(m)
            for i in member[m]:
                room[i] -= 1

    model = cp_model.CpModel()
    chosen = {m: model.new_bool_var(f"y{m}") for m in candidates}
    for own, cap in limits:
        model.add(sum(chosen[m] for m in own) <= cap)
    for m in candidates:
        model.add_hint(chosen[m], m in rounded)
    model.maximize(sum(weight[m] * chosen[m] for m in candidates))
    solver = _solver((deadline - time.monotonic()) * 0.3)
    status = _run(solver, model, progress, "selecting", floor=sum(weight[m] for m in rounded))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return rounded, bound
    found = {m for m in candidates if solver.value(chosen[m])}
    best = found if solver.objective_value >= sum(weight[m] for m in rounded) else rounded
    return best, min(bound, int(solver.best_objective_bound))


def _gaps(slots) -> int:
    ordered = sorted(slots)
    return sum(1 for a, b in zip(ordered, ordered[1:], strict=False) if b > a + 1)


def _greedy(problem: Problem, meetings: list[int], previous: dict[int, int]) -> dict[int, int]:
    """Heaviest first, each into its published slot or else the slot adding fewest breaks.

    Nobody gets more breaks than the fairness spread, so the result satisfies it whatever the minimum.
    """
    busy: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    placed: dict[int, int] = {}
    spread = problem.max_break_spread

    def added(m, t):
        """Breaks that slot t adds to the meeting's participants, or None when it cannot take the meeting."""
        meeting = problem.meetings[m]
        if load[t] >= problem.tables or any(t in busy[p] for p in meeting.pair):
            return None
        if not all(e in placed and placed[e] < t for e in meeting.after):
            return None
        after = [_gaps(busy[p] | {t}) for p in meeting.pair]
        if spread is not None and max(after) > spread:
            return None
        return sum(after) - sum(_gaps(busy[p]) for p in meeting.pair)

    degree: dict[int, int] = defaultdict(int)
    for m in meetings:
        for p in problem.meetings[m].pair:
            degree[p] += 1

    def urgency(m):
        meeting = problem.meetings[m]
        return (m not in previous, -max(degree[p] for p in meeting.pair), -meeting.weight, len(meeting.slots))

    order = sorted(meetings, key=urgency)
    for m in order:
        if m in previous and added(m, previous[m]) is not None:
            slot = previous[m]
        else:
            options = [(cost, t) for t in problem.meetings[m].slots if (cost := added(m, t)) is not None]
            if not options:
                continue
            slot = min(options)[1]
        placed[m] = slot
        load[slot] += 1
        for p in problem.meetings[m].pair:
            busy[p].add(slot)
    return placed


def _timetable(
    problem: Problem, meetings: list[int], previous: dict[int, int], deadline: float, progress=None
):
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

    total = sum(problem.meetings[m].weight for m in meetings)
    if sum(problem.meetings[m].weight for m in hint) == total:
        placed, best_weight, weight_proven, weight_bound = hint, total, True, total
        if progress is not None:
            progress("placing", objective=total, bound=total)
    else:
        solver = _solver((deadline - time.monotonic()) * 0.7)
        model.maximize(weight)
        # the greedy start is kept when CP-SAT ends below it (below), so it is the best so far from the outset
        greedy_weight = sum(problem.meetings[m].weight for m in hint)
        status = _run(solver, model, progress, "placing", floor=greedy_weight)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return hint, False, None, None
        weight_proven = status == cp_model.OPTIMAL
        weight_bound = int(solver.best_objective_bound)
        placed = {m: t for (m, t), var in x.items() if solver.value(var)}
        # On large events CP-SAT may stop at the deadline with less than its hint (measured: 2,725
        # meetings against the greedy start's 6,064 at 2,000 participants): keep the better one.
        best_weight = int(solver.objective_value)
        if greedy_weight > best_weight:
            placed, best_weight = hint, greedy_weight
    model.clear_hints()
    for (m, t), var in x.items():
        model.add_hint(var, placed.get(m) == t)
    model.add(weight >= best_weight)
    moves = [1 - x[m, t] for m, t in previous.items() if (m, t) in x]
    model.minimize((len(breaks) + 1) * sum(moves) + sum(breaks))
    solver = _solver(deadline - time.monotonic())
    status = _run(solver, model, progress, "breaks")
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


def _upgrade(
    problem: Problem, placed: dict[int, int], previous: dict[int, int], deadline: float
) -> dict[int, int]:
    """Swap a left-out meeting in for a lighter one in a slot where both its participants are free.

    Meetings under a precedence and published ones stay as they are. Everybody keeps at most `spread`
    breaks, which satisfies the fairness bound whatever the minimum.
    """
    spread = problem.max_break_spread
    ordered = {m for m, meeting in enumerate(problem.meetings) if meeting.after}
    ordered.update(e for meeting in problem.meetings for e in meeting.after)
    placed = dict(placed)
    busy: dict[int, set[int]] = defaultdict(set)
    by_slot: dict[int, set[int]] = defaultdict(set)
    for m, t in placed.items():
        by_slot[t].add(m)
        for p in problem.meetings[m].pair:
            busy[p].add(t)

    def fair(p, slots):
        return spread is None or _gaps(slots) <= spread

    if not all(fair(p, slots) for p, slots in busy.items()):
        return placed
    lightest: dict[int, int | None] = {}  # slot -> its lightest meeting that may leave, kept up to date

    def refresh(t):
        movable = [o for o in by_slot[t] if o not in previous and o not in ordered]
        lightest[t] = min(movable, key=lambda o: problem.meetings[o].weight, default=None)

    waiting = sorted(
        (m for m in range(len(problem.meetings)) if m not in placed and m not in ordered),
        key=lambda m: -problem.meetings[m].weight,
    )
    for m in waiting:
        if time.monotonic() > deadline:
            break
        meeting = problem.meetings[m]
        for t in meeting.slots:
            out = None
            if len(by_slot[t]) >= problem.tables:
                if t not in lightest:
                    refresh(t)
                out = lightest[t]
                if out is None or problem.meetings[out].weight >= meeting.weight:
                    continue
            if any(t in busy[p] or not fair(p, busy[p] | {t}) for p in meeting.pair):
                continue
            if out is not None:
                if not all(fair(p, busy[p] - {t}) for p in problem.meetings[out].pair):
                    continue
                del placed[out]
                by_slot[t].discard(out)
                for p in problem.meetings[out].pair:
                    busy[p].discard(t)
            placed[m] = t
            by_slot[t].add(m)
            for p in meeting.pair:
                busy[p].add(t)
            refresh(t)
            break
    return placed


def solve_oversubscribed(problem: Problem, *, previous: dict[int, int], deadline: float, progress=None):
    """The outcome (cost = breaks) and the proven upper bound on weight; see the module docstring."""
    if sum(len(m.slots) for m in problem.meetings) <= DIRECT_LIMIT:
        meetings = [m for m, meeting in enumerate(problem.meetings) if meeting.slots]
        placed, proven, weight_bound, break_bound = _timetable(
            problem, meetings, previous, deadline, progress
        )
        return Outcome(
            status="OPTIMAL" if proven else "FEASIBLE", slots=placed, cost=None, bound=break_bound
        ), (weight_bound)
    # model building and the swap pass after the solver runs take time of their own on large events
    finish = deadline
    deadline -= RESERVE * (deadline - time.monotonic())
    chosen, weight_bound = _select(problem, deadline, progress)
    placed, *_ = _timetable(problem, sorted(chosen | set(previous)), previous, deadline, progress)
    if progress is not None:
        progress("swaps")
    # breaks were minimised over the selected meetings only, so no bound on them holds for the event
    return Outcome(
        status="FEASIBLE", slots=_upgrade(problem, placed, previous, finish), cost=None, bound=None
    ), weight_bound
