"""Solve the MaxSAT encoding with several engines in parallel processes; the first proof wins.

Engines: RC2 (core-guided: raises a proven lower bound until it meets a solution) over two SAT
back-ends, since run times swing several-fold between back-ends on the same instance; one of them first
finds any schedule, to return when time runs out before the proof. In the last part of the time, when no
proof has come, this process cuts the breaks of the best schedule so far by local search (`improve`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
from dataclasses import dataclass

from pysat.examples.rc2 import RC2
from pysat.solvers import Solver

from .encoding import Encoding, encode
from .improve import fewer_breaks
from .problem import Problem

# (kind, SAT back-end): "first" finds a plain schedule before its RC2 run starts
DEFAULT_ENGINES = (("rc2", "cadical153"), ("first", "cadical195"))
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


def _worker(problem: Problem, previous: dict[int, int] | None, engine: tuple[str, str], sender) -> None:
    enc = encode(problem, previous)

    def report(message):
        # sent at once from this thread: a Queue's feeder thread waits for the GIL, which the SAT call
        # holds, so a bound found before a long SAT call reached the parent only after that call
        sender.send(message)

    if enc.infeasible:
        report(("infeasible",))
    elif engine[0] == "rc2" or _run_first(enc, engine[1], report):
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
