"""Solve the MaxSAT encoding with several engines in parallel processes; the first proof wins.

Engines: RC2 (core-guided: raises a proven lower bound until it meets a solution) on CaDiCaL 1.9.5 (it was
on 1.5.3, beside 1.9.5, before the climb came, since run times swing several-fold between back-ends); the second first
finds any schedule, to return when time runs out before the proof, then climbs (`_run_climb`) before its
RC2 run. A proof may join a bound from one engine and a schedule from the other. In the last part of the
time, when no proof has come, this process cuts the breaks of the best schedule so far by local search
(`improve`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
from dataclasses import dataclass

from pysat.card import ITotalizer
from pysat.examples.rc2 import RC2
from pysat.solvers import Solver

from .breaksets import break_sets, hitting_bound
from .encoding import Encoding, encode
from .improve import fewer_breaks
from .problem import Problem

# (kind, SAT back-end): "first" finds a plain schedule before its RC2 run starts, "climb" also climbs first.
# With the climb the first engine's part is the bound, which RC2 on CaDiCaL 1.9.5 brings sooner on
# forum-13crafb (6 at 5.6 CPU-s against 8.6 on 1.5.3): proven in 5.8 s twice, against lost at 10 s with 1.5.3
DEFAULT_ENGINES = (("rc2", "cadical195"), ("climb", "cadical195"))
# how many breaks above the break sets' bound the restricted climb tries before leaving it to RC2
CLIMB_STEPS = 4
# the climb's call without breaks, measured with breaks as unit clauses: no schedule on ticf-13crafc in 9.7
# CPU-s against 26.1 with CaDiCaL 1.9.5 (forum-13crafc 1.5 / 1.8); a schedule on ticf-14crafa in 3.4 against
# 0.6, where RC2 in the other process proves the optimum 0 in 2-3 s anyway
ZERO_BACKEND = "cadical153"
# The local search starts when this share of the time is left. It shares the two cores with the engines
# then; started earlier, in an engine's place, it cost proofs that came late (forum-13crafb at 9 of 10 s).
IMPROVE_SHARE = 0.2


@dataclass
class Outcome:
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN
    slots: dict[int, int] | None  # meeting index -> slot
    cost: int | None  # weighted soft cost of `slots`
    bound: int | None  # proven lower bound on the weighted soft cost


def _slots(enc: Encoding, model: list[int]) -> dict[int, int]:
    true = {lit for lit in model if lit > 0}
    return {m: t for (m, t), var in enc.x.items() if var in true}


def _cost(enc: Encoding, model: list[int]) -> int:
    true = {lit for lit in model if lit > 0}
    return sum(
        w
        for clause, w in zip(enc.wcnf.soft, enc.wcnf.wght, strict=True)
        if not any((lit > 0) == (abs(lit) in true) for lit in clause)
    )


class _ReportingRC2(RC2):
    def __init__(self, formula, report, **kwargs):
        super().__init__(formula, **kwargs)
        self._report = report

    def process_core(self):
        super().process_core()
        self._report(("bound", self.cost))


def _run_rc2(enc: Encoding, backend: str, report) -> None:
    # core minimisation and at-most-one detection cost more than they saved (tic-13crafc: 3.5 s vs 12 s CPU)
    with _ReportingRC2(enc.wcnf, report, solver=backend, exhaust=True, trim=5) as rc2:
        model = rc2.compute()
        if model is None:
            report(("infeasible",))
        else:
            report(("optimal", rc2.cost, _slots(enc, model)))


def _run_first(enc: Encoding, backend: str, report) -> bool:
    """One plain SAT call, breaks preferred off, so that a schedule exists should time run out."""
    with Solver(name=backend, bootstrap_with=enc.wcnf.hard) as solver:
        if hasattr(solver, "set_phases"):
            solver.set_phases([clause[0] for clause in enc.wcnf.soft])
        if not solver.solve():
            report(("infeasible",))
            return False
        model = solver.get_model()
        report(("solution", _cost(enc, model), _slots(enc, model)))
        return True


def _run_climb(problem: Problem, enc: Encoding, backend: str, report) -> bool:
    """Bounds and schedules from the break sets (`breaksets`), when the cost is breaks alone; True once a
    schedule is known optimal (the last messages sent prove it).

    The fewest participants meeting every break set bound the breaks from below. Without break sets, one SAT
    call with every break literal false as a unit clause (much faster than the same literals as assumptions,
    as RC2 asks: 9.4-9.7 against > 60 CPU-s on ticf-13crafc) either finds a schedule without breaks or proves
    that at least one is needed. With break sets, which say where breaks must be, a schedule is looked for with
    breaks allowed to the participants of the break sets only, at most k of them for k = the bound, the
    bound + 1, ...: a restriction, so an unsatisfiable k proves nothing and is not reported. The schedule
    found holds every rule; then "at most (its breaks - 1)" is asked with everyone free to break (and the
    break sets as clauses): unsatisfiable proves it optimal, a schedule found is better and asked again.
    """
    sets = break_sets(problem)
    low = hitting_bound(sets)
    if low:
        report(("bound", low))
    if not sets:
        with Solver(name=ZERO_BACKEND, bootstrap_with=enc.wcnf.hard) as solver:
            for b in enc.breaks:
                solver.add_clause([-b])
            if solver.solve():
                report(("optimal", 0, _slots(enc, solver.get_model())))
                return True
        report(("bound", 1))  # the hard part alone is satisfiable (the first call), so breaks are needed
        return False
    cost = _restricted(enc, backend, sets, low, report)
    if cost is None:
        return False
    with Solver(name=backend, bootstrap_with=enc.wcnf.hard) as solver:
        for group in sets:
            solver.add_clause([b for p in group for b in enc.breaks_of[p]])
        counter = ITotalizer(enc.breaks, ubound=cost, top_id=enc.wcnf.nv)
        solver.append_formula(counter.cnf.clauses)
        while cost > low:
            if not solver.solve(assumptions=[-counter.rhs[cost - 1]]):
                report(("bound", cost))
                break
            model = solver.get_model()
            cost = _cost(enc, model)
            report(("solution", cost, _slots(enc, model)))
    return True


def _restricted(enc: Encoding, backend: str, sets, low: int, report) -> int | None:
    """The climb with breaks allowed to the participants of the break sets only: the breaks of the first
    schedule found (reported), or None within `CLIMB_STEPS` above the bound."""
    candidates = set().union(*sets)
    free = [b for p in sorted(candidates) for b in enc.breaks_of[p]]
    if not free:
        return None
    with Solver(name=backend, bootstrap_with=enc.wcnf.hard) as solver:
        for group in sets:
            solver.add_clause([b for p in group for b in enc.breaks_of[p]])
        for p, group in enumerate(enc.breaks_of):
            if p not in candidates:
                for b in group:
                    solver.add_clause([-b])
        top = min(len(free), low + CLIMB_STEPS + 1)
        counter = ITotalizer(free, ubound=top, top_id=enc.wcnf.nv)
        solver.append_formula(counter.cnf.clauses)
        for k in range(low, low + CLIMB_STEPS + 1):
            if solver.solve(assumptions=[-counter.rhs[k]] if k < top else []):
                model = solver.get_model()
                cost = _cost(enc, model)
                report(("solution", cost, _slots(enc, model)))
                return cost
            if k >= top:
                break
    return None


def _worker(problem: Problem, previous: dict[int, int] | None, engine: tuple[str, str], sender) -> None:
    enc = encode(problem, previous)

    def report(message):
        # sent at once from this thread: a Queue's feeder thread waits for the GIL, which the SAT call
        # holds, so a bound found before a long SAT call reached the parent only after that call
        sender.send(message)

    if enc.infeasible:
        report(("infeasible",))
    elif engine[0] == "rc2":
        _run_rc2(enc, engine[1], report)
    elif _run_first(enc, engine[1], report):
        # with published meetings to keep, the cost is not breaks alone: no climb
        if engine[0] == "climb" and not previous and _run_climb(problem, enc, engine[1], report):
            return
        _run_rc2(enc, engine[1], report)


def solve_maxsat(
    problem: Problem,
    *,
    previous: dict[int, int] | None,
    deadline: float,
    engines: tuple[tuple[str, str], ...] = DEFAULT_ENGINES,
    progress=None,
) -> Outcome:
    context = multiprocessing.get_context("fork")  # the child needs no re-import
    receivers, workers = [], []
    for engine in engines:
        receiver, sender = context.Pipe(duplex=False)
        workers.append(context.Process(target=_worker, args=(problem, previous, engine, sender), daemon=True))
        receivers.append(receiver)
        workers[-1].start()
        sender.close()  # the child holds its own copy: the parent's end sees EOF once the child ends
    best = Outcome(status="UNKNOWN", slots=None, cost=None, bound=None)
    # with published meetings to keep the cost is not breaks alone, which the local search follows
    improve_at = None if previous else deadline - IMPROVE_SHARE * (deadline - time.monotonic())
    if progress is not None:
        progress("proving")
    open_receivers, pending = list(receivers), []

    def receive(timeout: float) -> None:
        for receiver in multiprocessing.connection.wait(open_receivers, timeout=timeout):
            try:
                pending.append(receiver.recv())
            except EOFError:
                open_receivers.remove(receiver)

    def decisive() -> bool:
        """Bounds arrive at every core RC2 finds: the local search reads them on its way and stops only for
        a schedule, a proof or an end."""
        receive(0)
        return any(message[0] != "bound" for message in pending)

    try:
        while open_receivers or pending:
            now = time.monotonic()
            if not pending and now >= deadline:
                break
            if not pending and improve_at is not None and now >= improve_at and best.slots is not None:
                breaks, slots = fewer_breaks(
                    problem, best.slots, deadline=deadline, target=best.bound or 0, stop=decisive
                )
                pending.append(("solution", breaks, slots))
            if not pending:
                receive((deadline if improve_at is None or now >= improve_at else improve_at) - now)
                continue
            message = pending.pop(0)
            kind = message[0]
            if kind == "infeasible":
                return Outcome(status="INFEASIBLE", slots=None, cost=None, bound=None)
            if kind == "bound":
                best.bound = max(best.bound or 0, message[1])
            else:
                _, cost, slots = message
                if best.cost is None or cost < best.cost:
                    best.cost, best.slots, best.status = cost, slots, "FEASIBLE"
                if kind == "optimal":
                    best.bound = cost
            if progress is not None:
                progress("proving", objective=best.cost, bound=best.bound)
            if best.cost is not None and best.bound is not None and best.bound >= best.cost:
                best.status = "OPTIMAL"
                return best
        return best
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(1)
            if worker.is_alive():
                worker.kill()
                worker.join()
        for receiver in receivers:
            receiver.close()
