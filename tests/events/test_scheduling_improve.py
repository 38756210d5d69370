"""The local search that cuts breaks from a schedule holding every meeting, checked by the verifier."""

import random
import time

import pytest
from pysat.solvers import Solver

from techbridge.events.scheduling import participant_breaks, portfolio, verify
from techbridge.events.scheduling.encoding import encode
from techbridge.events.scheduling.improve import fewer_breaks
from techbridge.events.scheduling.problem import parse

from .test_scheduling import event


def as_schedule(problem, instance, slots):
    by_slot = {}
    scheduled = []
    for m, t in sorted(slots.items()):
        by_slot[t] = by_slot.get(t, 0) + 1
        scheduled.append({"meeting": problem.meetings[m].id, "slot": t, "table": by_slot[t]})
    schedule = {"scheduled": scheduled, "unscheduled": [], "total_weight": len(scheduled)}
    schedule["total_breaks"] = sum(participant_breaks(instance, schedule).values())
    return schedule


def any_schedule(problem):
    """A schedule satisfying every rule, from one SAT call with no preference on breaks."""
    enc = encode(problem)
    with Solver(name="cadical195", bootstrap_with=enc.wcnf.hard) as solver:
        if not solver.solve():
            return None
        true = {lit for lit in solver.get_model() if lit > 0}
    return {m: t for (m, t), var in enc.x.items() if var in true}


def random_event(seed):
    """Twelve participants, every rule in play: forbidden slots, sessions, fixed slots, precedences, tight
    tables and a fairness bound."""
    rng = random.Random(seed)
    people = [f"P{i}" for i in range(12)]
    pairs = rng.sample([(a, b) for i, a in enumerate(people) for b in people[i + 1 :]], 24)
    meetings = []
    for i, (a, b) in enumerate(pairs):
        extra = {}
        roll = rng.random()
        if roll < 0.15:
            extra["session"] = rng.choice(["morning", "afternoon"])
        elif roll < 0.18:
            extra["fixed_slot"] = rng.randint(1, 10)
        elif roll < 0.3 and i:
            extra["after"] = [str(rng.randrange(i))]
        meetings.append((str(i), a, b, extra))
    forbidden = {p: rng.sample(range(1, 11), rng.randint(0, 1)) for p in people}
    return event(
        10, 4, meetings, forbidden=forbidden, sessions={"morning": [1, 5], "afternoon": [6, 10]}, spread=2
    )


@pytest.mark.parametrize("seed", range(12))
def test_every_rule_holds_and_breaks_never_grow(seed):
    instance = random_event(seed)
    problem = parse(instance)
    start = any_schedule(problem)
    if start is None:
        pytest.skip("this random event has no schedule at all")
    before = as_schedule(problem, instance, start)["total_breaks"]
    breaks, slots = fewer_breaks(problem, start, deadline=time.monotonic() + 0.5, seed=seed)
    after = as_schedule(problem, instance, slots)
    assert verify(instance, after) == []
    assert breaks == after["total_breaks"] <= before


def small_event():
    return event(6, 3, [("1", "A", "B"), ("2", "A", "C"), ("3", "A", "D"), ("4", "B", "C")])


SCATTERED = {0: 1, 1: 3, 2: 6, 3: 5}  # A meets at 1, 3 and 6, B at 1 and 5, C at 3 and 5: four breaks


def engine_without_a_proof(problem, previous, engine, sender):
    sender.send(("solution", 4, SCATTERED))
    time.sleep(30)  # alive but silent, as RC2 is on a hard instance; terminated at the deadline


def test_a_scattered_day_is_closed_up_and_the_search_stops_there():
    instance = small_event()
    problem = parse(instance)
    assert as_schedule(problem, instance, SCATTERED)["total_breaks"] == 4
    started = time.monotonic()
    breaks, slots = fewer_breaks(problem, SCATTERED, deadline=started + 20)
    assert time.monotonic() - started < 10  # it stops at zero breaks, not at the deadline
    assert breaks == 0
    assert verify(instance, as_schedule(problem, instance, slots)) == []


def test_the_portfolio_improves_its_best_schedule_when_no_proof_comes(monkeypatch):
    instance = small_event()
    problem = parse(instance)
    monkeypatch.setattr(portfolio, "_worker", engine_without_a_proof)
    monkeypatch.setattr(portfolio, "IMPROVE_SHARE", 1.0)
    outcome = portfolio.solve_maxsat(
        problem, previous=None, deadline=time.monotonic() + 5, engines=(("rc2", "cadical153"),)
    )
    assert (outcome.status, outcome.cost) == ("FEASIBLE", 0)
    assert verify(instance, as_schedule(problem, instance, outcome.slots)) == []


def test_no_local_search_when_published_meetings_are_to_be_kept(monkeypatch):
    """With published meetings the cost weighs moves too, which the local search does not follow."""
    monkeypatch.setattr(portfolio, "_worker", engine_without_a_proof)
    monkeypatch.setattr(portfolio, "IMPROVE_SHARE", 1.0)
    outcome = portfolio.solve_maxsat(
        parse(small_event()), previous={0: 1}, deadline=time.monotonic() + 1, engines=(("rc2", "cadical153"),)
    )
    assert outcome.slots == SCATTERED
