"""Break sets (participants who cannot all go without a break) and the climb built on them, checked against
every schedule of small events by brute force and the independent verifier."""

import collections
import itertools
import random

import pytest

from techbridge.events.scheduling import participant_breaks, portfolio, verify
from techbridge.events.scheduling.breaksets import Windows, break_sets, hitting_bound
from techbridge.events.scheduling.encoding import encode
from techbridge.events.scheduling.problem import parse

from .test_scheduling import event
from .test_scheduling_improve import as_schedule


def all_schedules(instance):
    """Every valid schedule (by the verifier) as (slots by meeting id, breaks by participant id)."""
    ids = [m["id"] for m in instance["meetings"]]
    found = []
    for slots in itertools.product(range(1, instance["slots"] + 1), repeat=len(ids)):
        by_slot = collections.Counter()
        scheduled = []
        for m, t in zip(ids, slots, strict=True):
            by_slot[t] += 1
            scheduled.append({"meeting": m, "slot": t, "table": by_slot[t]})
        breaks = participant_breaks(instance, {"scheduled": scheduled})
        candidate = {
            "scheduled": scheduled,
            "unscheduled": [],
            "total_breaks": sum(breaks.values()),
            "total_weight": len(ids),
        }
        if verify(instance, candidate) == []:
            found.append((dict(zip(ids, slots, strict=True)), breaks))
    return found


def random_event(seed):
    """Five participants, five meetings in five slots, a table or two, forbidden and fixed slots: small enough
    for brute force, tight enough that breaks are often forced (21 of these 30 have a schedule, all but one
    of those only with breaks)."""
    rng = random.Random(seed)
    people = ["A", "B", "C", "D", "E"]
    pairs = rng.sample([(a, b) for i, a in enumerate(people) for b in people[i + 1 :]], 5)
    meetings = []
    for i, (a, b) in enumerate(pairs):
        extra = {"fixed_slot": rng.randint(1, 5)} if rng.random() < 0.15 else {}
        meetings.append((str(i), a, b, extra))
    forbidden = {p: rng.sample(range(1, 6), rng.randint(0, 2)) for p in people}
    return event(5, rng.choice([1, 2]), meetings, forbidden=forbidden, spread=2)


SEEDS = range(30)


@pytest.fixture(scope="module")
def events():
    cases = []
    for seed in SEEDS:
        instance = random_event(seed)
        cases.append((instance, parse(instance), all_schedules(instance)))
    return cases


def unbroken_somewhere(problem, schedules, people):
    """Is there a schedule in which every participant in `people` (indices) has no break?"""
    ids = [problem.participants[p] for p in people]
    return any(all(breaks[i] == 0 for i in ids) for _, breaks in schedules)


def test_a_contradiction_is_a_proof_and_the_propagation_finds_some(events):
    contradictions = 0
    for _, problem, schedules in events:
        if not schedules:
            continue  # without any schedule every contradiction would be right
        windows = Windows(problem)
        everyone = range(len(problem.participants))
        for size in range(1, len(problem.participants) + 1):
            for people in itertools.combinations(everyone, size):
                if not windows.consistent(people):
                    contradictions += 1
                    assert not unbroken_somewhere(problem, schedules, people)
    assert contradictions >= 100  # the check above is not vacuous (235 on these events)


def test_break_sets_are_real_minimal_and_bound_the_optimum(events):
    with_sets = 0
    for _, problem, schedules in events:
        if not schedules:
            continue
        sets = break_sets(problem)
        windows = Windows(problem)
        with_sets += bool(sets)
        for people in sets:
            assert not unbroken_somewhere(problem, schedules, people)
            for dropped in people:
                assert windows.consistent([p for p in people if p != dropped])
        assert hitting_bound(sets) <= min(sum(b.values()) for _, b in schedules)
    assert with_sets >= 10  # 19 on these events


def test_two_meetings_confined_to_slots_one_and_three_force_a_break():
    instance = event(3, 2, [("1", "A", "B"), ("2", "A", "C")], forbidden={"B": [2, 3], "C": [1, 2]})
    problem = parse(instance)
    assert not Windows(problem).consistent([0])
    assert break_sets(problem) == [(0,)]


def test_a_slot_filled_by_certain_meetings_is_closed_to_others():
    """One table: A-B is fixed at 2, so C-E cannot take 2 and goes to 3 while C-D is fixed at 1; C has a break.
    Without the table rule C's window [1, 2] would look possible."""
    meetings = [
        ("1", "A", "B", {"fixed_slot": 2}),
        ("2", "C", "D", {"fixed_slot": 1}),
        ("3", "C", "E"),
    ]
    instance = event(3, 1, meetings)
    problem = parse(instance)
    c = problem.participants.index("C")
    assert not Windows(problem).consistent([c])
    assert Windows(parse(event(3, 2, meetings))).consistent([c])  # with two tables C-E may take slot 2


def test_no_contradiction_when_a_schedule_without_breaks_exists():
    problem = parse(event(3, 3, [("1", "A", "B"), ("2", "A", "C"), ("3", "A", "D")]))
    assert Windows(problem).consistent(range(4))
    assert break_sets(problem) == []


def brute_hitting(sets):
    people = sorted({p for s in sets for p in s})
    for size in range(len(people) + 1):
        for chosen in itertools.combinations(people, size):
            if all(set(chosen) & set(s) for s in sets):
                return size
    return 0


@pytest.mark.parametrize("seed", range(20))
def test_hitting_bound_is_the_fewest_participants_meeting_every_set(seed):
    rng = random.Random(seed)
    sets = [tuple(rng.sample(range(8), rng.randint(1, 4))) for _ in range(rng.randint(0, 7))]
    exact = brute_hitting(sets)
    assert hitting_bound(sets) == exact
    assert hitting_bound(sets, budget=0) <= exact  # the fallback (disjoint sets) is still a lower bound


def test_the_climb_reports_only_true_bounds_and_valid_schedules(events):
    climbed = 0
    for instance, problem, schedules in events:
        if not schedules:
            continue
        optimum = min(sum(b.values()) for _, b in schedules)
        enc = encode(problem)
        reports = []
        done = portfolio._run_climb(problem, enc, "cadical195", reports.append)
        for message in reports:
            if message[0] == "bound":
                assert message[1] <= optimum
            else:
                kind, cost, slots = message
                schedule = as_schedule(problem, instance, slots)
                assert verify(instance, schedule) == []
                assert cost == schedule["total_breaks"] >= optimum
                if kind == "optimal":
                    assert cost == optimum
        climbed += any(m[0] != "bound" for m in reports)
        costs = [m[1] for m in reports if m[0] != "bound"]
        proven = any(m[0] == "optimal" for m in reports) or (
            costs and max(m[1] for m in reports if m[0] == "bound") >= min(costs)
        )
        assert done == bool(proven)
        if done:
            assert min(costs) == optimum
    assert climbed >= 10  # 15 on these events


def test_without_break_sets_one_call_decides_whether_a_day_without_breaks_exists():
    """Three people meeting pairwise in three slots: no window rule tells, but someone has a break; the climb
    proves the bound 1 and leaves the schedule to RC2. Three meetings of one person: no break at all."""
    triangle = parse(event(3, 3, [("1", "A", "B"), ("2", "A", "C"), ("3", "B", "C")]))
    assert break_sets(triangle) == []
    reports = []
    assert not portfolio._run_climb(triangle, encode(triangle), "cadical195", reports.append)
    assert reports == [("bound", 1)]
    instance = event(3, 3, [("1", "A", "B"), ("2", "A", "C"), ("3", "A", "D")])
    star = parse(instance)
    reports = []
    assert portfolio._run_climb(star, encode(star), "cadical195", reports.append)
    [(kind, cost, slots)] = reports
    assert (kind, cost) == ("optimal", 0)
    assert verify(instance, as_schedule(star, instance, slots)) == []


def test_the_descent_from_a_poor_restricted_schedule_reaches_the_optimum(events, monkeypatch):
    """Should the restricted climb end above the optimum, "at most one break fewer" with everyone free to break
    must find the better schedules and prove only the optimum."""
    checked = 0
    for _, problem, schedules in events:
        if not schedules or not break_sets(problem):
            continue
        optimum = min(sum(b.values()) for _, b in schedules)
        slots, breaks = max(schedules, key=lambda s: sum(s[1].values()))
        if sum(breaks.values()) == optimum:
            continue
        index = {m.id: i for i, m in enumerate(problem.meetings)}
        given, poor_cost = {index[m]: t for m, t in slots.items()}, sum(breaks.values())

        def poor(enc, backend, sets, low, report, given=given, cost=poor_cost):
            report(("solution", cost, given))
            return cost

        monkeypatch.setattr(portfolio, "_restricted", poor)
        reports = []
        assert portfolio._run_climb(problem, encode(problem), "cadical195", reports.append)
        assert all(m[1] <= optimum for m in reports if m[0] == "bound")
        assert reports[-1] == ("bound", optimum) or reports[-1][:2] == ("solution", optimum)
        assert min(m[1] for m in reports if m[0] == "solution") == optimum
        checked += 1
    assert checked >= 5
