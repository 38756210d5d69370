"""Break sets: groups of participants who cannot all go without a break, found by propagating time windows.

A participant without a break is busy in one run of as many consecutive slots as it has meetings, and its
meetings fill that run one per slot. `Windows.consistent(unbroken)` propagates this for the participants
assumed unbroken, to a fixpoint:

* per unbroken participant, every run ("window") of n consecutive slots is tried: the window stays if its n
  meetings can be matched one-to-one to its slots within their domains (bipartite matching); a meeting keeps
  only the slots it takes in some such matching of some window that stays (alternating cycles), and the
  participant is certainly busy in the slots every such window covers;
* for everyone, a meeting with one slot left is certainly held then, so both its participants are busy and
  their other meetings lose that slot, and a participant's meetings must fit in distinct slots (matching);
* per slot, the participants certainly busy there cannot outnumber two per table, and when they fill the
  tables no other meeting can take that slot.

Every rule only removes slots that no schedule with those participants unbroken can use, so when a domain or a
participant's last window empties, no such schedule exists: at least one of them has a break. `break_sets`
collects such sets, minimal with respect to this propagation, from each participant's neighbourhood (the
participant and everyone it meets), by a fixed deterministic procedure (no time budget): deletion to a
minimal set, then a breadth-first hitting-set tree inside the neighbourhood for the others, up to
`PER_NEIGHBOURHOOD` sets. Distinct participants each add at least one break, so the smallest number of
participants that meets every break set is a lower bound on the total breaks (`hitting_bound`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .problem import Problem

PER_NEIGHBOURHOOD = 12  # sets looked for around each participant; ticf-13crafb has 7, forum-13crafb 10 in all


def _bits(slots: Iterable[int]) -> int:
    mask = 0
    for t in slots:
        mask |= 1 << t
    return mask


def _slots_of(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        mask ^= low
        yield low.bit_length() - 1


def _matching(meetings: list[int], domains: list[int], window: int, warm: dict[int, int] | None):
    """Each meeting to its own slot of `window` within its domain (Kuhn's augmenting paths), starting from the
    still valid part of `warm`; (meeting -> slot, slot -> meeting), or None when some meeting is left over."""
    slot_of: dict[int, int] = {}
    meeting_at: dict[int, int] = {}
    for m, t in (warm or {}).items():
        if (window & domains[m]) >> t & 1:
            slot_of[m], meeting_at[t] = t, m

    def augment(m: int, seen: list[int]) -> bool:
        options = domains[m] & window & ~seen[0]
        for t in _slots_of(options):
            if t not in meeting_at:
                slot_of[m], meeting_at[t] = t, m
                return True
        for t in _slots_of(options):
            if seen[0] >> t & 1:
                continue
            seen[0] |= 1 << t
            if augment(meeting_at[t], seen):
                slot_of[m], meeting_at[t] = t, m
                return True
        return False

    for m in meetings:
        if m not in slot_of and not augment(m, [0]):
            return None
    return slot_of, meeting_at


def _usable(meetings: list[int], domains: list[int], window: int, slot_of, meeting_at) -> list[int]:
    """Per meeting, the slots of a window it takes in some perfect matching: its own, and those whose meeting
    can reach it back along alternating edges (an alternating cycle swaps them)."""
    index = {m: i for i, m in enumerate(meetings)}
    n = len(meetings)
    reach = [0] * n
    for i, m in enumerate(meetings):
        others = domains[m] & window & ~(1 << slot_of[m])
        while others:
            low = others & -others
            others ^= low
            reach[i] |= 1 << index[meeting_at[low.bit_length() - 1]]
    changed = True
    while changed:  # transitive closure; at most a couple of dozen meetings per participant
        changed = False
        for i in range(n):
            closure = todo = reach[i]
            while todo:
                low = todo & -todo
                todo ^= low
                closure |= reach[low.bit_length() - 1]
            if closure != reach[i]:
                reach[i], changed = closure, True
    usable = []
    for i, m in enumerate(meetings):
        mask = 1 << slot_of[m]
        others = domains[m] & window & ~mask
        while others:
            low = others & -others
            others ^= low
            if reach[index[meeting_at[low.bit_length() - 1]]] >> i & 1:
                mask |= low
        usable.append(mask)
    return usable


class Windows:
    """The window propagation of one event; `consistent` may be called for many sets of participants."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.mine = problem.meetings_of()
        self.start = [_bits(meeting.slots) for meeting in problem.meetings]
        self._cache: dict[tuple[int, ...], tuple[list[int], int] | None] = {}

    def _windows(self, domains: tuple[int, ...]) -> tuple[list[int], int] | None:
        """For a participant without a break whose meetings have these domains: each meeting's usable slots
        and the slots the participant is surely busy in, or None when no window is left (cached: only the
        domains matter)."""
        if domains in self._cache:
            return self._cache[domains]
        n, T = len(domains), self.problem.slots
        meetings, doms = list(range(n)), list(domains)
        usable, surely, found, warm = [0] * n, ~0, False, None
        for first in range(1, T - n + 2):
            window = ((1 << n) - 1) << first
            cover = 0
            for d in doms:
                inside = d & window
                if not inside:
                    break
                cover |= inside
            else:
                if cover != window:  # some slot of the window would stay empty
                    continue
                matched = _matching(meetings, doms, window, warm)
                if matched is None:
                    continue
                warm, found = matched[0], True
                surely &= window
                if all(d & window & ~u == 0 for d, u in zip(doms, usable, strict=True)):
                    continue  # nothing this window could add
                for i, mask in enumerate(_usable(meetings, doms, window, *matched)):
                    usable[i] |= mask
        result = (usable, surely) if found else None
        self._cache[domains] = result
        return result

    def consistent(self, unbroken: Iterable[int]) -> bool:
        """False when the participants given cannot all be without a break (a proof); True when the
        propagation finds no contradiction (no proof either way)."""
        mine, domains = self.mine, list(self.start)
        unbroken = {p for p in unbroken if len(mine[p]) >= 2}
        if any(not d for d in domains):
            return False
        surely = [0] * len(mine)
        # the others have nothing to propagate until a meeting of theirs loses slots (or has one slot only)
        pending = set(unbroken)
        for m, d in enumerate(domains):
            if d & (d - 1) == 0:
                pending.update(self.problem.meetings[m].pair)
        while pending:
            while pending:
                p = min(pending)
                pending.discard(p)
                meetings = mine[p]
                fixed = 0
                for m in meetings:
                    if domains[m] & (domains[m] - 1) == 0:
                        if fixed & domains[m]:
                            return False  # two meetings of p held in the same slot
                        fixed |= domains[m]
                new = [
                    domains[m] if domains[m] & (domains[m] - 1) == 0 else domains[m] & ~fixed
                    for m in meetings
                ]
                busy = fixed
                if (
                    p not in unbroken
                    and len(new) > 2
                    and _matching(list(range(len(new))), new, ~1, None) is None
                ):
                    return False  # its meetings cannot take distinct slots (Hall)
                if p in unbroken:
                    windows = self._windows(tuple(new))
                    if windows is None:
                        return False
                    new = [a & b for a, b in zip(new, windows[0], strict=True)]
                    busy |= windows[1]
                surely[p] = busy
                for m, mask in zip(meetings, new, strict=True):
                    if mask != domains[m]:
                        if not mask:
                            return False
                        domains[m] = mask
                        pending.update(self.problem.meetings[m].pair)
            if not self._tables(domains, surely, pending):
                return False
        return True

    def _tables(self, domains: list[int], surely: list[int], pending: set[int]) -> bool:
        capacity = 2 * self.problem.tables
        for t in range(1, self.problem.slots + 1):
            busy = {p for p, mask in enumerate(surely) if mask >> t & 1}
            if len(busy) > capacity:
                return False
            if len(busy) < capacity:
                continue
            for m, meeting in enumerate(self.problem.meetings):
                a, b = meeting.pair
                if domains[m] >> t & 1 and not (a in busy and b in busy):
                    domains[m] &= ~(1 << t)
                    if not domains[m]:
                        return False
                    pending.update(meeting.pair)
        return True


def _minimal(windows: Windows, people: list[int]) -> list[int]:
    """A subset that is still inconsistent and loses that when any one participant is dropped (deletion,
    halving the chunks dropped at a time)."""
    chunk = max(1, len(people) // 2)
    while True:
        i = 0
        while i < len(people):
            trial = people[:i] + people[i + chunk :]
            if not windows.consistent(trial):
                people = trial
            else:
                i += chunk
        if chunk == 1:
            return people
        chunk = max(1, chunk // 2)


def _sets_within(windows: Windows, people: list[int], limit: int) -> list[tuple[int, ...]]:
    """Minimal inconsistent subsets of `people`, breadth first over which found members are left out."""
    found: list[tuple[int, ...]] = []
    queue, seen = [frozenset()], set()
    while queue and len(found) < limit:
        left_out = queue.pop(0)
        if left_out in seen:
            continue
        seen.add(left_out)
        hit = next((s for s in found if not left_out.intersection(s)), None)
        if hit is None:
            rest = [p for p in people if p not in left_out]
            if windows.consistent(rest):
                continue
            hit = tuple(_minimal(windows, rest))
            found.append(hit)
        queue.extend(left_out | {p} for p in hit)
    return found


def break_sets(problem: Problem, per_neighbourhood: int = PER_NEIGHBOURHOOD) -> list[tuple[int, ...]]:
    """Sets of participants (indices) of which at least one has a break in every schedule."""
    windows = Windows(problem)
    mine = problem.meetings_of()
    partners: list[set[int]] = [set() for _ in mine]
    for meeting in problem.meetings:
        a, b = meeting.pair
        partners[a].add(b)
        partners[b].add(a)
    found: list[tuple[int, ...]] = []
    clear: list[set[int]] = []  # neighbourhoods without contradiction: their subsets have none either
    for p, meetings in enumerate(mine):
        if len(meetings) < 2:
            continue
        around = sorted(q for q in partners[p] | {p} if len(mine[q]) >= 2)
        if any(clear_set.issuperset(around) for clear_set in clear):
            continue
        if windows.consistent(around):
            clear.append(set(around))
            continue
        for s in _sets_within(windows, around, per_neighbourhood):
            if s not in found:
                found.append(s)
    return found


def hitting_bound(sets: list[tuple[int, ...]], budget: int = 100_000) -> int:
    """The fewest participants meeting every set (branch and bound); if the search exceeds `budget` nodes,
    the number of pairwise disjoint sets picked greedily, which is a lower bound as well."""
    sets = sorted(set(sets), key=len)
    best = len({p for s in sets for p in s})
    nodes = 0

    def search(chosen: frozenset[int]) -> None:
        nonlocal best, nodes
        nodes += 1
        if nodes > budget or len(chosen) >= best:
            return
        open_set = next((s for s in sets if chosen.isdisjoint(s)), None)
        if open_set is None:
            best = len(chosen)
            return
        for p in open_set:
            search(chosen | {p})

    if sets:
        search(frozenset())
    if nodes <= budget:
        return best if sets else 0
    disjoint: list[set[int]] = []
    for s in sets:
        if all(d.isdisjoint(s) for d in disjoint):
            disjoint.append(set(s))
    return len(disjoint)
