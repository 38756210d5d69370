"""MaxSAT encoding of the B2B scheduling problem when every meeting must be held.

Hard part: x[m,t] (meeting m in slot t) and u[p,t] (participant p busy in slot t) with
u[p,t] <-> OR x[m,t]; at most one meeting per participant and slot; the table limit stated on
the busy slots (sum_p u[p,t] <= 2 * tables); a redundant count sum_t u[p,t] = meetings of p;
a break starts at t when p is busy at t-1, idle at t and busy later.
Soft part: meetings kept in their previously published slot first, then breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import WCNF, IDPool

from .problem import Problem

# measured: 4-5x less CPU than totalizers or cardinality networks on forum-13
TABLE_ENCODING = EncType.seqcounter


@dataclass
class Encoding:
    wcnf: WCNF
    x: dict[tuple[int, int], int]  # (meeting, slot) -> variable
    breaks: list[int] = field(default_factory=list)
    breaks_of: list[list[int]] = field(default_factory=list)  # per participant: its break-start literals
    infeasible: bool = False


def encode(problem: Problem, previous_slots: dict[int, int] | None = None) -> Encoding:
    pool = IDPool()
    wcnf = WCNF()
    hard = wcnf.append
    T = problem.slots
    x = {(m, t): pool.id(("x", m, t)) for m, meeting in enumerate(problem.meetings) for t in meeting.slots}
    enc = Encoding(wcnf=wcnf, x=x)

    def card_atmost(lits, bound, kind=EncType.seqcounter):
        if bound >= len(lits):
            return
        if bound < 0:
            hard([])
            return
        if bound == 1 and len(lits) <= 6:
            kind = EncType.pairwise
        wcnf.extend(CardEnc.atmost(lits, bound, vpool=pool, encoding=kind).clauses)

    def card_equals(lits, bound):
        wcnf.extend(CardEnc.equals(lits, bound, vpool=pool, encoding=EncType.seqcounter).clauses)

    for m, meeting in enumerate(problem.meetings):
        lits = [x[m, t] for t in meeting.slots]
        if not lits:
            enc.infeasible = True
        hard(lits)
        card_atmost(lits, 1)

    # precedences: m' before m, via "m' is at slot >= t" suffix literals
    suffix: dict[tuple[int, int], int] = {}

    def at_or_after(m: int, t: int) -> int:
        key = (m, t)
        if key not in suffix:
            var = pool.id(("ge", m, t))
            suffix[key] = var
            if (m, t) in x:
                hard([-x[m, t], var])
            if t < T:
                hard([-at_or_after(m, t + 1), var])
        return suffix[key]

    for m, meeting in enumerate(problem.meetings):
        for earlier in meeting.after:
            for t in meeting.slots:
                hard([-x[m, t], -at_or_after(earlier, t)])

    by_participant = problem.meetings_of()
    busy: dict[tuple[int, int], int] = {}
    for p, mine in enumerate(by_participant):
        for t in range(1, T + 1):
            here = [x[m, t] for m in mine if (m, t) in x]
            if not here:
                continue
            u = pool.id(("u", p, t))
            busy[p, t] = u
            hard([-u, *here])
            wcnf.extend([[-lit, u] for lit in here])
            card_atmost(here, 1)
        lits = [busy[p, t] for t in range(1, T + 1) if (p, t) in busy]
        if len(lits) < len(mine):
            enc.infeasible = True
            hard([])
        elif mine:
            card_equals(lits, len(mine))

    for t in range(1, T + 1):
        lits = [busy[p, t] for p in range(len(by_participant)) if (p, t) in busy]
        card_atmost(lits, 2 * problem.tables, TABLE_ENCODING)

    # breaks: b[p,t] <-> busy at t-1, idle at t, busy at some later slot
    per_participant: list[list[int]] = []
    limits: list[int] = []
    ends: dict[int, tuple[dict[int, int], dict[int, int]]] = {}
    for p, mine in enumerate(by_participant):
        slots_p = [t for t in range(1, T + 1) if (p, t) in busy]
        mine_breaks: list[int] = []
        starts: dict[int, int] = {}
        if len(mine) >= 2:
            later: dict[int, int] = {}
            for i in range(len(slots_p) - 1, -1, -1):
                t = slots_p[i]
                var = pool.id(("later", p, t))
                hard([-busy[p, t], var])
                if i + 1 < len(slots_p):
                    nxt = later[slots_p[i + 1]]
                    hard([-nxt, var])
                    hard([-var, busy[p, t], nxt])
                else:
                    hard([-var, busy[p, t]])
                later[t] = var
            for i, t in enumerate(slots_p[:-1]):
                if t + 1 == slots_p[i + 1] and i + 2 == len(slots_p):
                    continue  # the idle slot t+1 would have no later meeting
                b = pool.id(("b", p, t + 1))
                starts[t + 1] = b
                nxt = later[slots_p[i + 2]] if t + 1 == slots_p[i + 1] else later[slots_p[i + 1]]
                cur = [busy[p, t + 1]] if t + 1 == slots_p[i + 1] else []
                hard([-busy[p, t], *cur, -nxt, b])
                hard([-b, busy[p, t]])
                hard([-b, nxt])
                if cur:
                    hard([-b, -cur[0]])
                mine_breaks.append(b)
            earlier = _span(hard, pool, busy, p, slots_p, later, starts, len(mine))
            ends[p] = (earlier, later)
        per_participant.append(mine_breaks)
        limits.append(min(len(mine) - 1, len(mine_breaks)) if mine_breaks else 0)
    enc.breaks = [b for group in per_participant for b in group]
    enc.breaks_of = per_participant
    if ends and not previous_slots and _mirrored(problem):
        # slot t <-> slots+1-t maps solutions onto solutions with the same breaks: keep the half where
        # the busiest participant starts no later than it finishes early
        p = max(ends, key=lambda q: len(by_participant[q]))
        earlier, later = ends[p]
        for k in range(1, T + 1):
            if k in earlier and T + 1 - k in later:
                hard([earlier[k], -later[T + 1 - k]])

    spread = problem.max_break_spread
    if spread is not None:
        _fairness(wcnf, pool, per_participant, limits, spread)

    move_weight = len(enc.breaks) + 1
    for b in enc.breaks:
        wcnf.append([-b], weight=1)
    for m, t in (previous_slots or {}).items():
        if (m, t) in x:
            wcnf.append([x[m, t]], weight=move_weight)
    return enc


def _span(hard, pool, busy, p, slots_p, later, starts, n):
    """Implied: busy at t and again at u >= t+n leaves at most n-2 meetings for the u-t-1 slots between,
    so the first idle slot after t starts a break before u. Returns earlier[t] = "busy at t or before".

    Stated on busy[t] itself: with "busy at t or before" the break may lie before t, and the clause
    would cut off optimal schedules (it proved 4 breaks on ticf-13crafb, whose optimum is 3).
    """
    earlier: dict[int, int] = {}
    for i, t in enumerate(slots_p):
        var = pool.id(("earlier", p, t))
        hard([-busy[p, t], var])
        if i:
            prev = earlier[slots_p[i - 1]]
            hard([-prev, var])
            hard([-var, busy[p, t], prev])
        else:
            hard([-var, busy[p, t]])
        earlier[t] = var
    for t in slots_p:
        for u in slots_p:
            if u >= t + n:
                inside = [b for s, b in starts.items() if t < s < u]
                hard([-busy[p, t], -later[u], *inside])
                break
    return earlier


def _mirrored(problem: Problem) -> bool:
    T = problem.slots
    return all(
        not meeting.after and set(meeting.slots) == {T + 1 - t for t in meeting.slots}
        for meeting in problem.meetings
    )


def _fairness(wcnf, pool, per_participant, limits, spread):
    """max_p breaks(p) - min_p breaks(p) <= spread, with level[k] = "every participant has >= k breaks"."""
    floor = min(limits, default=0)
    levels = [pool.id(("level", k)) for k in range(1, floor + 1)]
    for p, lits in enumerate(per_participant):
        if limits[p] > spread:
            tot = ITotalizer(lits, ubound=limits[p], top_id=pool.top)
            pool.top = tot.top_id
            wcnf.extend(tot.cnf.clauses)
            for j in range(spread + 1, limits[p] + 1):  # tot.rhs[j-1]: at least j breaks
                k = j - spread
                wcnf.append([-tot.rhs[j - 1], levels[k - 1]] if k <= floor else [-tot.rhs[j - 1]])
        for k, level in enumerate(levels, start=1):
            # conditional "at least k": every clause of the encoding is relaxed by -level
            atleast = CardEnc.atleast(lits, k, vpool=pool, encoding=EncType.seqcounter)
            wcnf.extend([[-level, *clause] for clause in atleast.clauses])
