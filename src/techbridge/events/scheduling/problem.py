"""The `techbridge-b2b/1` instance read into an indexed, validated form the solvers share."""

from __future__ import annotations

from dataclasses import dataclass

FORMAT = "techbridge-b2b/1"


class InstanceError(ValueError):
    """The instance is malformed (not merely infeasible)."""


@dataclass(frozen=True)
class Meeting:
    id: str
    pair: tuple[int, int]
    slots: tuple[int, ...]  # the slots this meeting may take: session, availability and fixed slot applied
    weight: int
    after: tuple[int, ...]  # indices of meetings that must be held in earlier slots


@dataclass(frozen=True)
class Problem:
    name: str
    slots: int
    tables: int
    participants: tuple[str, ...]
    meetings: tuple[Meeting, ...]
    schedule_all: bool
    max_break_spread: int | None
    sessions: tuple[tuple[int, int], ...]  # inclusive slot ranges

    def meetings_of(self) -> list[list[int]]:
        by_participant: list[list[int]] = [[] for _ in self.participants]
        for index, meeting in enumerate(self.meetings):
            for p in meeting.pair:
                by_participant[p].append(index)
        return by_participant


def _window(sessions: dict, name: str, slots: int) -> range:
    if name == "any":
        return range(1, slots + 1)
    if name not in sessions:
        raise InstanceError(f"unknown session {name!r}")
    first, last = sessions[name]
    return range(first, last + 1)


def parse(instance: dict) -> Problem:
    if instance.get("format") != FORMAT:
        raise InstanceError(f"format must be {FORMAT!r}")
    slots = int(instance["slots"])
    tables = int(instance["tables"])
    if slots < 1 or tables < 0:
        raise InstanceError("slots must be positive and tables non-negative")
    sessions = instance.get("sessions") or {}
    for name, (first, last) in sessions.items():
        if not 1 <= first <= last <= slots:
            raise InstanceError(f"session {name!r} lies outside slots 1..{slots}")
    index = {}
    forbidden = []
    for p in instance["participants"]:
        if p["id"] in index:
            raise InstanceError(f"participant {p['id']!r} appears twice")
        index[p["id"]] = len(index)
        forbidden.append(set(p.get("forbidden_slots", ())))
    meeting_index = {}
    for m in instance["meetings"]:
        if m["id"] in meeting_index:
            raise InstanceError(f"meeting {m['id']!r} appears twice")
        meeting_index[m["id"]] = len(meeting_index)
    meetings = []
    for m in instance["meetings"]:
        people = m["participants"]
        if len(people) != 2 or people[0] == people[1] or any(p not in index for p in people):
            raise InstanceError(f"meeting {m['id']!r} needs two distinct known participants")
        a, b = index[people[0]], index[people[1]]
        allowed = [
            t
            for t in _window(sessions, m.get("session", "any"), slots)
            if t not in forbidden[a] and t not in forbidden[b]
        ]
        if m.get("fixed_slot") is not None:
            allowed = [t for t in allowed if t == m["fixed_slot"]]
        unknown = [x for x in m.get("after", ()) if x not in meeting_index]
        if unknown:
            raise InstanceError(f"meeting {m['id']!r} comes after unknown meetings {unknown}")
        meetings.append(
            Meeting(
                id=m["id"],
                pair=(a, b),
                slots=tuple(allowed),
                weight=int(m.get("weight", 1)),
                after=tuple(meeting_index[x] for x in m.get("after", ())),
            )
        )
    objective = instance.get("objective", {})
    spread = objective.get("max_break_spread")
    return Problem(
        name=instance.get("name", ""),
        slots=slots,
        tables=tables,
        participants=tuple(index),
        meetings=tuple(meetings),
        schedule_all=bool(objective.get("schedule_all", True)),
        max_break_spread=None if spread is None else int(spread),
        sessions=tuple((int(first), int(last)) for first, last in sessions.values()),
    )
