"""Independent check of a schedule against its instance, written apart from the encodings.

It reads the raw JSON structures only, so that a mistake shared with the solver's model cannot hide.
"""

from __future__ import annotations

from collections import defaultdict


def participant_breaks(instance: dict, schedule: dict) -> dict[str, int]:
    """Breaks per participant: maximal idle runs between two of the participant's meetings."""
    people = {m["id"]: m["participants"] for m in instance["meetings"]}
    busy: dict[str, list[int]] = {p["id"]: [] for p in instance["participants"]}
    for entry in schedule["scheduled"]:
        for person in people.get(entry["meeting"], ()):
            busy.setdefault(person, []).append(entry["slot"])
    result = {}
    for person, slots in busy.items():
        ordered = sorted(set(slots))
        result[person] = sum(1 for a, b in zip(ordered, ordered[1:], strict=False) if b - a > 1)
    return result


def verify(instance: dict, schedule: dict) -> list[str]:
    """Every violated rule of the instance, and every figure of the schedule that does not add up."""
    problems: list[str] = []
    meetings = {m["id"]: m for m in instance["meetings"]}
    forbidden = {p["id"]: set(p.get("forbidden_slots", ())) for p in instance["participants"]}
    sessions = instance.get("sessions") or {}
    n_slots = instance["slots"]
    objective = instance.get("objective", {})

    slot_of: dict[str, int] = {}
    table_use: dict[tuple[int, int], str] = {}
    per_slot: dict[int, int] = defaultdict(int)
    for entry in schedule["scheduled"]:
        mid, slot, table = entry["meeting"], entry["slot"], entry.get("table")
        if mid not in meetings:
            problems.append(f"meeting {mid} is not in the instance")
            continue
        if mid in slot_of:
            problems.append(f"meeting {mid} is scheduled twice")
            continue
        slot_of[mid] = slot
        meeting = meetings[mid]
        if not 1 <= slot <= n_slots:
            problems.append(f"meeting {mid} is in slot {slot}, outside 1..{n_slots}")
        session = meeting.get("session", "any")
        if session != "any":
            first, last = sessions[session]
            if not first <= slot <= last:
                problems.append(f"meeting {mid} is in slot {slot}, outside its {session} session")
        if meeting.get("fixed_slot") is not None and meeting["fixed_slot"] != slot:
            problems.append(f"meeting {mid} is in slot {slot}, not its fixed slot {meeting['fixed_slot']}")
        for person in meeting["participants"]:
            if slot in forbidden[person]:
                problems.append(f"meeting {mid} is in slot {slot}, forbidden for participant {person}")
        per_slot[slot] += 1
        if table is None or not 1 <= table <= instance["tables"]:
            problems.append(f"meeting {mid} has table {table}, outside 1..{instance['tables']}")
        elif (slot, table) in table_use:
            problems.append(f"meetings {table_use[slot, table]} and {mid} share table {table} in slot {slot}")
        else:
            table_use[slot, table] = mid

    for slot, count in sorted(per_slot.items()):
        if count > instance["tables"]:
            problems.append(f"slot {slot} holds {count} meetings for {instance['tables']} tables")

    seen: dict[tuple[str, int], str] = {}
    for mid, slot in slot_of.items():
        for person in meetings[mid]["participants"]:
            if (person, slot) in seen:
                problems.append(
                    f"participant {person} has meetings {seen[person, slot]} and {mid} in slot {slot}"
                )
            seen[person, slot] = mid

    for mid, slot in slot_of.items():
        for before in meetings[mid].get("after", ()):
            if before in slot_of and slot_of[before] >= slot:
                problems.append(
                    f"meeting {mid} (slot {slot}) must come after {before} (slot {slot_of[before]})"
                )

    missing = [mid for mid in meetings if mid not in slot_of]
    if objective.get("schedule_all", True) and missing:
        shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
        problems.append(f"{len(missing)} meetings not scheduled: {shown}")
    if sorted(schedule.get("unscheduled", [])) != sorted(missing):
        problems.append("the unscheduled list does not match the meetings left out")

    breaks = participant_breaks(instance, schedule)
    spread = objective.get("max_break_spread")
    if spread is not None and breaks and max(breaks.values()) - min(breaks.values()) > spread:
        problems.append(
            f"breaks range from {min(breaks.values())} to {max(breaks.values())}, more than the allowed spread {spread}"
        )
    if schedule.get("total_breaks") != sum(breaks.values()):
        problems.append(
            f"total_breaks is {schedule.get('total_breaks')}, the schedule has {sum(breaks.values())}"
        )
    weight = sum(meetings[mid].get("weight", 1) for mid in slot_of)
    if schedule.get("total_weight") != weight:
        problems.append(f"total_weight is {schedule.get('total_weight')}, the schedule has {weight}")
    return problems
