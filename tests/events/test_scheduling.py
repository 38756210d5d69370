"""The B2B scheduler on small hand-made events, checked by the independent verifier."""

import collections
import itertools
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command

from techbridge.events.scheduling import InstanceError, oversubscribed, participant_breaks, solve, verify

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "scheduling" / "b2b-jair2022"


def event(slots, tables, meetings, *, forbidden=None, sessions=None, schedule_all=True, spread=2):
    people = sorted({p for m in meetings for p in m[1:3]} | set(forbidden or {}))
    instance = {
        "format": "techbridge-b2b/1",
        "name": "hand-made",
        "slots": slots,
        "tables": tables,
        "participants": [{"id": p, "forbidden_slots": (forbidden or {}).get(p, [])} for p in people],
        "meetings": [
            {"id": mid, "participants": [a, b], **extra}
            for mid, a, b, *rest in meetings
            for extra in [rest[0] if rest else {}]
        ],
        "objective": {"schedule_all": schedule_all, "minimize": "breaks", "max_break_spread": spread},
    }
    if sessions:
        instance["sessions"] = sessions
    return instance


def solved(instance, previous=None):
    schedule = solve(instance, time_limit=20, previous=previous)
    assert verify(instance, schedule) == []
    return schedule


def slot_of(schedule):
    return {e["meeting"]: e["slot"] for e in schedule["scheduled"]}


def test_a_busy_participant_meets_once_per_slot_without_breaks():
    schedule = solved(event(3, 3, [("1", "A", "B"), ("2", "A", "C"), ("3", "A", "D")]))
    assert schedule["status"] == "OPTIMAL"
    assert sorted(slot_of(schedule).values()) == [1, 2, 3]
    assert (schedule["total_breaks"], schedule["bound"], schedule["gap"]) == (0, 0, 0)


def test_tables_cap_each_slot_and_too_few_slots_is_infeasible():
    meetings = [("1", "A", "B"), ("2", "C", "D"), ("3", "E", "F"), ("4", "G", "H")]
    schedule = solved(event(4, 1, meetings))
    assert sorted(slot_of(schedule).values()) == [1, 2, 3, 4]
    assert {e["table"] for e in schedule["scheduled"]} == {1}
    assert solve(event(3, 1, meetings), time_limit=20)["status"] == "INFEASIBLE"


def test_three_people_meeting_pairwise_need_three_slots():
    triangle = [("1", "A", "B"), ("2", "A", "C"), ("3", "B", "C")]
    assert solve(event(2, 5, triangle), time_limit=20)["status"] == "INFEASIBLE"
    assert solved(event(3, 5, triangle))["status"] == "OPTIMAL"


def test_forbidden_slots_sessions_and_fixed_slots_are_respected():
    sessions = {"morning": [1, 3], "afternoon": [4, 6]}
    meetings = [
        ("1", "A", "B", {"session": "afternoon"}),
        ("2", "A", "C", {"session": "morning"}),
        ("3", "B", "C", {"fixed_slot": 5}),
        ("4", "B", "D"),
    ]
    instance = event(6, 2, meetings, forbidden={"A": [4, 5], "D": [1, 2, 3]}, sessions=sessions, spread=None)
    slots = slot_of(solved(instance))
    assert slots["1"] == 6
    assert slots["2"] in (1, 2, 3)
    assert slots["3"] == 5
    assert slots["4"] == 4  # D is free from 4 on; B is taken in 5 and 6


def test_precedences_order_meetings():
    meetings = [("1", "A", "B", {"after": ["2"]}), ("2", "C", "D", {"after": ["3"]}), ("3", "E", "F")]
    slots = slot_of(solved(event(3, 3, meetings)))
    assert slots["3"] < slots["2"] < slots["1"]
    assert solve(event(2, 3, meetings), time_limit=20)["status"] == "INFEASIBLE"


def test_breaks_count_maximal_idle_runs():
    instance = event(8, 5, [(str(i), "A", f"P{i}") for i in range(5)])
    schedule = {
        "scheduled": [{"meeting": str(i), "slot": s, "table": 1} for i, s in enumerate([1, 2, 5, 6, 8])]
    }
    assert participant_breaks(instance, schedule)["A"] == 2
    assert participant_breaks(instance, schedule)["P0"] == 0


def test_forced_breaks_are_minimised_and_bounded():
    # A is away in slots 2 and 5, so four meetings in six slots take 1, 3, 4 and 6: two breaks
    instance = event(6, 4, [(str(i), "A", f"P{i}") for i in range(4)], forbidden={"A": [2, 5]})
    schedule = solved(instance)
    assert (schedule["status"], schedule["total_breaks"], schedule["bound"]) == ("OPTIMAL", 2, 2)


def test_fairness_bounds_the_spread_of_breaks():
    # A's meetings can only sit in 1, 3, 5 and 7: three breaks while everyone else has none
    forbidden = {"A": [2, 4, 6]}
    meetings = [(str(i), "A", f"P{i}") for i in range(4)]
    assert (
        solve(event(7, 4, meetings, forbidden=forbidden, spread=2), time_limit=20)["status"] == "INFEASIBLE"
    )
    schedule = solved(event(7, 4, meetings, forbidden=forbidden, spread=3))
    assert participant_breaks(event(7, 4, meetings, forbidden=forbidden), schedule)["A"] == 3


def test_fairness_can_force_breaks_on_everyone():
    # A, away in slot 3, cannot fit three meetings in 1..5 without a break; with spread 0 all take one
    meetings = [("1", "A", "C"), ("2", "A", "D"), ("3", "A", "B"), ("4", "B", "D"), ("5", "B", "C")]
    forbidden = {"A": [3]}
    free = solved(event(5, 2, meetings, forbidden=forbidden, spread=None))
    fair = solved(event(5, 2, meetings, forbidden=forbidden, spread=0))
    assert free["total_breaks"] == 1
    assert participant_breaks(event(5, 2, meetings), fair) == {"A": 1, "B": 1, "C": 1, "D": 1}
    assert (fair["status"], fair["total_breaks"], fair["bound"]) == ("OPTIMAL", 4, 4)


def test_over_subscribed_keeps_the_heaviest_meetings():
    meetings = [
        ("1", "A", "B", {"weight": 5}),
        ("2", "A", "C"),
        ("3", "A", "D"),
        ("4", "B", "C", {"weight": 2}),
    ]
    schedule = solved(event(2, 2, meetings, schedule_all=False))
    assert schedule["status"] == "OPTIMAL"
    assert schedule["total_weight"] == schedule["weight_bound"] == 8
    assert "1" in slot_of(schedule) and "4" in slot_of(schedule)
    assert len(schedule["unscheduled"]) == 1


def test_large_events_are_decomposed_into_selection_and_timetabling(monkeypatch):
    monkeypatch.setattr(oversubscribed, "DIRECT_LIMIT", 0)
    meetings = [(str(i), f"C{i % 3}", f"P{i % 4}", {"weight": 1 + i % 3}) for i in range(12)]
    schedule = solved(event(3, 2, meetings, schedule_all=False))
    # six meetings fit (2 tables x 3 slots); the relaxation bound is the six heaviest here
    assert len(schedule["scheduled"]) == 6
    assert schedule["total_weight"] <= schedule["weight_bound"] == 15


def test_timetabling_keeps_the_greedy_start_when_cp_sat_stops_with_less(monkeypatch):
    """At the deadline CP-SAT may hold a worse timetable than its hint; the better of the two is kept."""
    from ortools.sat.python import cp_model

    from techbridge.events.scheduling.problem import parse

    class StoppedEarly:
        """The weight phase's solver, stopped with an empty timetable."""

        objective_value = 0
        best_objective_bound = 100

        def solve(self, model):
            return cp_model.FEASIBLE

        def value(self, var):
            return 0

    real_solver = oversubscribed._solver
    calls = []

    def solver(seconds):
        calls.append(seconds)
        return StoppedEarly() if len(calls) == 1 else real_solver(seconds)

    monkeypatch.setattr(oversubscribed, "_solver", solver)
    meetings = [(str(i), f"C{i % 3}", f"P{i % 4}", {"weight": 1 + i % 3}) for i in range(12)]
    instance = event(3, 2, meetings, schedule_all=False)
    problem = parse(instance)
    greedy = oversubscribed._greedy(problem, list(range(len(problem.meetings))), {})
    schedule = solved(instance)
    assert len(calls) == 2
    assert schedule["total_weight"] >= sum(problem.meetings[m].weight for m in greedy) > 0


def test_rescheduling_keeps_published_meetings_in_place():
    meetings = [(str(i), f"C{i % 4}", f"P{i % 5}") for i in range(12)]
    before = event(6, 3, meetings, spread=None)
    published = solved(before)
    moved_person = "P0"
    later = json.loads(json.dumps(before))
    clash = next(
        e
        for e in published["scheduled"]
        if moved_person in later["meetings"][int(e["meeting"])]["participants"]
    )
    for participant in later["participants"]:
        if participant["id"] == moved_person:
            participant["forbidden_slots"] = [clash["slot"]]
    later["meetings"].append({"id": "new", "participants": ["C0", "P9"]})
    later["participants"].append({"id": "P9"})
    again = solved(later, previous=published)
    old = {e["meeting"]: (e["slot"], e["table"]) for e in published["scheduled"]}
    new = {e["meeting"]: (e["slot"], e["table"]) for e in again["scheduled"]}
    moved = [m for m in old if old[m] != new[m]]
    assert moved == [clash["meeting"]]


def _fewest_breaks_by_brute_force(instance):
    """Every assignment of slots to meetings, checked by the verifier: the fewest total breaks, or None."""
    ids = [m["id"] for m in instance["meetings"]]
    best = None
    for slots in itertools.product(range(1, instance["slots"] + 1), repeat=len(ids)):
        scheduled = [{"meeting": m, "slot": t, "table": 1} for m, t in zip(ids, slots, strict=True)]
        by_slot = collections.Counter(slots)
        for entry in scheduled:
            entry["table"] = by_slot[entry["slot"]]
            by_slot[entry["slot"]] -= 1
        breaks = sum(participant_breaks(instance, {"scheduled": scheduled}).values())
        candidate = {
            "scheduled": scheduled,
            "unscheduled": [],
            "total_breaks": breaks,
            "total_weight": len(ids),
        }
        if (best is None or breaks < best) and verify(instance, candidate) == []:
            best = breaks
    return best


@pytest.mark.parametrize("seed", range(40))
def test_optimum_matches_brute_force_on_small_random_events(seed):
    rng = random.Random(seed)
    people = ["A", "B", "C", "D"]
    pairs = rng.sample([(a, b) for i, a in enumerate(people) for b in people[i + 1 :]], 4)
    forbidden = {p: rng.sample(range(1, 6), rng.randint(0, 2)) for p in people}
    instance = event(5, 2, [(str(i), a, b) for i, (a, b) in enumerate(pairs)], forbidden=forbidden, spread=1)
    expected = _fewest_breaks_by_brute_force(instance)
    schedule = solve(instance, time_limit=20)
    if expected is None:
        assert schedule["status"] == "INFEASIBLE"
    else:
        assert verify(instance, schedule) == []
        assert (schedule["status"], schedule["total_breaks"], schedule["bound"]) == (
            "OPTIMAL",
            expected,
            expected,
        )


def test_verifier_reports_each_broken_rule():
    instance = event(
        3,
        1,
        [("1", "A", "B", {"fixed_slot": 1}), ("2", "A", "C", {"after": ["1"]}), ("3", "D", "E")],
        forbidden={"D": [3]},
        spread=0,
    )
    schedule = {
        "scheduled": [
            {"meeting": "1", "slot": 2, "table": 1},
            {"meeting": "2", "slot": 2, "table": 1},
            {"meeting": "3", "slot": 3, "table": 2},
        ],
        "unscheduled": [],
        "total_weight": 3,
        "total_breaks": 5,
    }
    found = "\n".join(verify(instance, schedule))
    for expected in (
        "not its fixed slot 1",
        "forbidden for participant D",
        "share table 1 in slot 2",
        "slot 2 holds 2 meetings for 1 tables",
        "participant A has meetings 1 and 2 in slot 2",
        "must come after 1",
        "table 2, outside 1..1",
        "total_breaks is 5, the schedule has 0",
    ):
        assert expected in found


def test_malformed_instances_are_rejected():
    with pytest.raises(InstanceError):
        solve(event(3, 1, [("1", "A", "A")]), time_limit=5)
    with pytest.raises(InstanceError):
        solve({**event(3, 1, [("1", "A", "B")]), "format": "other"}, time_limit=5)


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the shared b2b-jair2022 benchmark is not checked out beside the repo"
)
def test_a_real_event_reaches_its_published_optimum():
    instance = json.loads((SHARED / "forumt-14.original.json").read_text())
    schedule = solved(instance)
    assert (schedule["status"], schedule["total_breaks"], schedule["bound"]) == ("OPTIMAL", 5, 5)


def test_command_prints_a_verified_schedule(tmp_path, capsys):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event(3, 3, [("1", "A", "B"), ("2", "A", "C")])))
    call_command("schedule-meetings", str(path), "--time-limit", "10", "--json")
    schedule = json.loads(capsys.readouterr().out)
    assert schedule["status"] == "OPTIMAL" and len(schedule["scheduled"]) == 2
    call_command("schedule-meetings", str(path), "--time-limit", "10")
    assert "breaks 0, proven bound 0, gap 0" in capsys.readouterr().out
