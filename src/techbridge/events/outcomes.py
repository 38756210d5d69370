"""A meeting's result from its parties' feedback, on plain data (outcome codes as in `models.Outcome`).

A meeting counts as held when a party says it took place (one party may not have reported, or may have
missed the other's arrival); its outcome is the most promising one a party reported, since one side's
"follow-up" is worth a proposal even when the other is more cautious.
"""

from collections.abc import Iterable

# From least to most promising.
ORDER = ("no_interest", "follow_up", "interest", "agreement")
# Outcomes from which a cooperation project is proposed.
PROPOSING = frozenset(ORDER[1:])


def summarise(reports: Iterable[tuple[bool, str]]) -> tuple[bool | None, str]:
    """(held, outcome) of a meeting from its parties' (held, outcome) reports; (None, "") without any."""
    reports = list(reports)
    if not reports:
        return None, ""
    held = any(was_held for was_held, _outcome in reports)
    outcomes = [outcome for was_held, outcome in reports if was_held and outcome]
    return held, max(outcomes, key=ORDER.index, default="")
